import type {
  ConsentDecision,
  DraftLead,
  SpamAssessment,
  ValidationIssue,
} from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import type { Touch } from '../../domain/attribution/touch.rules.js'
import type { ScoreResult } from '../../domain/scoring/score.rules.js'
import type { TerritoryDefinition } from '../../domain/territory/territory.rules.js'
import type { ValidationPolicy } from '../../domain/lead/validate.rules.js'
import type { ActiveRules } from '../rules/active-rules.js'

export interface IngestionPolicy {
  defaultCountry: string
  validation: ValidationPolicy
  fuzzySuggestThreshold: number
  fuzzyLinkThreshold: number
}

export interface StepContext {
  now: string
  policy: IngestionPolicy
  rules: ActiveRules
}

/** What the pure steps concluded about one capture, before anything is written. */
export interface Assessment {
  capture: LeadCapture
  draft: DraftLead
  issues: ValidationIssue[]
  spam: SpamAssessment
  quarantined: boolean
  consent: ConsentDecision
  touch: Touch
  score: ScoreResult
  territory: TerritoryDefinition | null
  fuzzyKey: string | null
  /** Blocking key for fuzzy matching (the folded company). */
  companyKey: string | null
  matchKeys: string[]
}
