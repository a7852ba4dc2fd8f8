/*
 * The lead journey's stages and the rules that move a lead between them. The workflow
 * (workflows/lead-journey.workflow.ts) calls these; so do the API's eligibility checks, so
 * a stage means the same thing everywhere.
 *
 *   New ──► Nurturing ──► Contacted ──► Qualification ──► Converted
 *    │          │             │               │
 *    └──────────┴─────────────┴───────────────┴──► Disqualified | Recycled ──► Nurturing (next cycle)
 */

export const JOURNEY_STAGES = [
  'New',
  'Nurturing',
  'Contacted',
  'Qualification',
  'Converted',
  'Disqualified',
  'Recycled',
] as const
export type JourneyStage = (typeof JOURNEY_STAGES)[number]

/** Stages a journey never leaves: the workflow completes when it reaches one. */
export const FINAL_STAGES: ReadonlySet<JourneyStage> = new Set(['Converted', 'Disqualified'])

/** The lead.status each stage is mirrored as, so lists and reports filter without Temporal. */
export const STAGE_STATUS = {
  New: 'NEW',
  Nurturing: 'NURTURING',
  Contacted: 'CONTACTED',
  Qualification: 'QUALIFIED',
  Converted: 'CONVERTED',
  Disqualified: 'DISQUALIFIED',
  Recycled: 'RECYCLED',
} as const satisfies Record<JourneyStage, string>

/**
 * Engagement that proves a two-way conversation: the lead answered or spoke to us. Opens,
 * clicks and visits raise the score but do not make a lead "contacted".
 */
export const CONTACT_EVENTS: ReadonlySet<string> = new Set([
  'emailReply',
  'whatsappReply',
  'call',
  'meetingBooked',
])

/** Outcomes of a first-contact task that mean the SDR reached the person. */
export const CONTACTED_TASK_OUTCOMES: ReadonlySet<string> = new Set(['contacted', 'meeting_booked'])

/** The rule that opens qualification: by default score > 70 while the lead is Contacted. */
export interface ConversionTrigger {
  /** The score must be strictly above this. */
  scoreAbove: number
  /** The stage the lead must be in. */
  stage: JourneyStage
}

export const DEFAULT_CONVERSION_TRIGGER: ConversionTrigger = { scoreAbove: 70, stage: 'Contacted' }

export function qualificationUnlocked(
  trigger: ConversionTrigger,
  lead: { stage: JourneyStage; score: number },
): boolean {
  return lead.stage === trigger.stage && lead.score > trigger.scoreAbove
}

/** Where an engagement or contact moves a lead that is still being worked. */
export function stageAfterContact(stage: JourneyStage): JourneyStage {
  return stage === 'New' || stage === 'Nurturing' || stage === 'Recycled' ? 'Contacted' : stage
}

/** Stages in which SDRs can still disqualify or recycle the lead. */
export function isOpenStage(stage: JourneyStage): boolean {
  return !FINAL_STAGES.has(stage)
}
