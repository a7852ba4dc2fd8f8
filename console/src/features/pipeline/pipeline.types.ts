/*
 * The deals the board shows, typed from api/schemas/opportunity.schema.ts, and the pipeline's
 * stages in the order a deal goes through them (domain/opportunity/pipeline.rules.ts). The
 * stages are fixed by the API; the pipeline rule set only configures their probabilities.
 */

export const OPEN_STAGES = ['qualification', 'needs_analysis', 'proposal', 'negotiation'] as const
export const CLOSED_STAGES = ['closed_won', 'closed_lost'] as const
export const STAGES = [...OPEN_STAGES, ...CLOSED_STAGES] as const

export type OpenStage = (typeof OPEN_STAGES)[number]
export type ClosedStage = (typeof CLOSED_STAGES)[number]
export type Stage = (typeof STAGES)[number]

export type ForecastCategory = 'pipeline' | 'best_case' | 'commit' | 'closed' | 'omitted'

export const STAGE_LABELS: Record<Stage, string> = {
  qualification: 'Qualification',
  needs_analysis: 'Needs analysis',
  proposal: 'Proposal',
  negotiation: 'Negotiation',
  closed_won: 'Won',
  closed_lost: 'Lost',
}

export const FORECAST_LABELS: Record<ForecastCategory, string> = {
  pipeline: 'Pipeline',
  best_case: 'Best case',
  commit: 'Commit',
  closed: 'Closed',
  omitted: 'Omitted',
}

export const isOpenStage = (stage: string): stage is OpenStage =>
  (OPEN_STAGES as readonly string[]).includes(stage)

export const isStage = (stage: unknown): stage is Stage =>
  typeof stage === 'string' && (STAGES as readonly string[]).includes(stage)

export interface Opportunity {
  id: string
  accountId: string
  contactId: string | null
  leadId: string | null
  name: string
  kind: string
  /** Null when the role's field rules hide it. */
  amount: number | null
  currency: string
  stage: Stage
  open: boolean
  probability: number
  forecastCategory: ForecastCategory
  closeDate: string
  ownerId: string | null
  wonAt: string | null
  lostAt: string | null
  wonReason: string | null
  lostReason: string | null
  lostToCompetitor: string | null
  updatedAt: string
}

/** Where a card is asked to go, and (for won or lost) why. */
export type MoveRequest =
  | { deal: Opportunity; to: OpenStage }
  | { deal: Opportunity; to: 'closed_won'; reason: string }
  | { deal: Opportunity; to: 'closed_lost'; reason: string; competitor?: string }
