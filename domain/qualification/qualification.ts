/*
 * Qualification answers: BANT (budget, authority, need, timeline) and MEDDICC (metrics,
 * economic buyer, decision criteria, decision process, identified pain, champion,
 * competition). An SDR records them during calls; the summary and the risk level are
 * derived (qualification-summary.rules.ts), never typed in.
 */
export type QualificationFramework = 'BANT' | 'MEDDICC'

export const QUALIFICATION_FRAMEWORKS = [
  'BANT',
  'MEDDICC',
] as const satisfies readonly QualificationFramework[]

export const BANT_CRITERIA = ['budget', 'authority', 'need', 'timeline'] as const
export const MEDDICC_CRITERIA = [
  'metrics',
  'economicBuyer',
  'decisionCriteria',
  'decisionProcess',
  'identifyPain',
  'champion',
  'competition',
] as const
export type BantCriterion = (typeof BANT_CRITERIA)[number]
export type MeddiccCriterion = (typeof MEDDICC_CRITERIA)[number]
export type Criterion = BantCriterion | MeddiccCriterion

/** Each framework's criteria, in the order summaries and cleaned input list them. */
export const FRAMEWORK_CRITERIA: Readonly<Record<QualificationFramework, readonly Criterion[]>> = {
  BANT: BANT_CRITERIA,
  MEDDICC: MEDDICC_CRITERIA,
}

export const CRITERION_STATUSES = ['unknown', 'partial', 'confirmed', 'negative'] as const
export type CriterionStatus = (typeof CRITERION_STATUSES)[number]

export const CONTACT_ROLES = [
  'decision_maker',
  'economic_buyer',
  'champion',
  'influencer',
  'user',
  'unknown',
] as const
export type ContactRole = (typeof CONTACT_ROLES)[number]

export interface CriterionAnswer {
  status: CriterionStatus
  /** Free text, at most 2,000 characters. */
  note?: string
  /** budget: the amount the buyer can spend. */
  amount?: number
  /** budget: ISO 4217. */
  currency?: string
  /** timeline: when they want to buy or go live (YYYY-MM-DD). */
  targetDate?: string
  /** authority, economicBuyer, champion: who the contact is in the decision. */
  role?: ContactRole
  /** competition: who else is being considered. */
  competitors?: string[]
}

/** The optional facts of an answer, beyond its status and note. */
export type AnswerFact = 'amount' | 'currency' | 'targetDate' | 'role' | 'competitors'

/*
 * Which facts belong to which criterion. A fact on the wrong criterion (an amount on
 * "need") is refused rather than stored: the summary never reads it there, so the SDR would
 * believe something was recorded that counts for nothing.
 */
export const CRITERION_FACTS: Readonly<Record<Criterion, readonly AnswerFact[]>> = {
  budget: ['amount', 'currency'],
  authority: ['role'],
  need: [],
  timeline: ['targetDate'],
  metrics: [],
  economicBuyer: ['role'],
  decisionCriteria: [],
  decisionProcess: [],
  identifyPain: [],
  champion: ['role'],
  competition: ['competitors'],
}

/** Longest note, in characters (code points, as JSON Schema's maxLength counts them). */
export const MAX_NOTE_LENGTH = 2000
/** Most competitors one competition answer may name. */
export const MAX_COMPETITORS = 20
/** Longest competitor name, in characters (code points). */
export const MAX_COMPETITOR_LENGTH = 200

export interface QualificationInput {
  framework: QualificationFramework
  criteria: Partial<Record<Criterion, CriterionAnswer>>
}

export type StampedAnswer = CriterionAnswer & { updatedAt: string; updatedBy: string }

export interface QualificationRecord {
  bant: Partial<Record<BantCriterion, StampedAnswer>>
  meddicc: Partial<Record<MeddiccCriterion, StampedAnswer>>
}

/*
 * A lead with no answers yet. Frozen all the way down because it is shared by every lead
 * that has none: a write into it would leak one lead's answers into all the others.
 */
export const EMPTY_QUALIFICATION: QualificationRecord = Object.freeze({
  bant: Object.freeze({}),
  meddicc: Object.freeze({}),
})

export interface QualificationContext {
  /** YYYY-MM-DD. */
  today: string
  /** The lead's score, 0..100. */
  score: number
  /** Whole days since the lead last engaged; null when it never has (or it is not known). */
  daysSinceLastEngagement: number | null
}

export interface FrameworkSummary {
  /** 0..100: confirmed counts 1, partial 0.5, averaged over the framework's criteria. */
  score: number
  confirmed: number
  partial: number
  negative: number
  /** Answered "unknown" or not answered at all. */
  unknown: number
  /** How many criteria the framework has. */
  of: number
  /** Criteria not confirmed yet, in framework order. */
  missing: string[]
}

export type RiskLevel = 'Low' | 'Medium' | 'High'

export interface RiskReason {
  code: string
  message: string
  weight: 'high' | 'medium'
}

export interface QualificationSummary {
  bant: FrameworkSummary
  meddicc: FrameworkSummary
  risk: { level: RiskLevel; reasons: RiskReason[] }
  /** BANT at least 75 and no high-weight risk. */
  qualified: boolean
}
