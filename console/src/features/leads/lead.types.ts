/*
 * The lead API's answers as the console reads them, hand-written from api/schemas/lead.schema.ts,
 * journey.schema.ts and activity.schema.ts. A field the caller's role may not see reads as null.
 */

export const LEAD_STATUSES = [
  'NEW',
  'NURTURING',
  'CONTACTED',
  'QUALIFIED',
  'CONVERTED',
  'DISQUALIFIED',
  'RECYCLED',
] as const
export type LeadStatus = (typeof LEAD_STATUSES)[number]

export const LEAD_CHANNELS = [
  'api',
  'web_form',
  'whatsapp',
  'email',
  'phone',
  'partner_api',
  'event',
  'import',
] as const

export const LEAD_SORTS = [
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-score', label: 'Highest score' },
  { value: 'score', label: 'Lowest score' },
] as const

export interface LeadSummary {
  id: string
  status: string
  channel: string
  firstName: string | null
  lastName: string | null
  email: string | null
  phone: string | null
  company: string | null
  title: string | null
  companyDomain: string | null
  country: string | null
  score: number
  ownerId: string | null
  queue: string | null
  isDuplicate: boolean
  duplicateOfId: string | null
  validationStatus: string
  createdAt: string
  updatedAt: string
}

export interface ScoreLine {
  ruleId: string
  label: string
  points: number
  detail: string
}

export interface Touch {
  channel: string
  source: string
  medium: string
  campaign: string | null
  term: string | null
  content: string | null
  referrer: string | null
  landingPage: string | null
  occurredAt: string
}

export interface JourneyStatus {
  workflowId: string
  status: string
  stage?: string
  startedAt?: string
}

export interface Lead extends LeadSummary {
  emailDomain: string | null
  phoneCountry: string | null
  website: string | null
  industry: string | null
  companySize: string | null
  annualRevenue: number | null
  currency: string | null
  state: string | null
  city: string | null
  budget: string | null
  authority: string | null
  need: string | null
  timeline: string | null
  consent: {
    status: string
    channels: string[]
    at: string | null
    source: string | null
    textVersion: string | null
    dnd: boolean
    optInAt: string | null
    optOutAt: string | null
    optOutReason: string | null
  }
  scoring: {
    score: number
    ruleVersion: number | null
    explanation: string | null
    breakdown: ScoreLine[]
    engagement: Record<string, number>
  }
  spam: { score: number; signals: { code: string; weight: number; detail: string }[] }
  validationIssues: { field: string; code: string; message: string; severity: string }[]
  assignment: {
    ownerId: string | null
    queue: string | null
    assignedAt: string | null
    reason: string | null
  }
  attribution: { firstTouch: Touch | null; lastTouch: Touch | null; touches: number }
  duplicates: { id: string; channel: string; createdAt: string; reason: unknown }[]
  possibleDuplicates: { id: string; similarity: number }[]
  journey: JourneyStatus
}

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

export interface JourneyTask {
  taskId: string
  kind: string
  attempt: number
  dueAt: string
  status: string
  assigneeId: string | null
  outcome?: string
}

export interface JourneyStep {
  stepId: string
  channel: 'email' | 'whatsapp'
  template: string
  dueAt: string
  status: string
  note?: string
}

export interface FrameworkSummary {
  score: number
  confirmed: number
  partial: number
  negative: number
  unknown: number
  of: number
  missing: string[]
}

export interface QualificationSummary {
  bant: FrameworkSummary
  meddicc: FrameworkSummary
  risk: { level: 'Low' | 'Medium' | 'High'; reasons: { code: string; message: string; weight: string }[] }
  qualified: boolean
}

export interface ConversionResult {
  accountId: string
  contactId: string
  opportunityId: string
  activityId: string
  accountMatchedBy: 'domain' | 'gstin' | 'created'
  convertedAt: string
}

export interface JourneyView {
  workflowId: string
  source: 'workflow' | 'database'
  leadId: string
  stage: JourneyStage | null
  stageSince?: string
  stageReason?: string
  version?: string
  score: number
  ownerId: string | null
  nextStep: { kind: string; label: string; dueAt: string | null } | null
  cycle?: number
  contactedAt?: string | null
  channels?: { email: boolean; whatsapp: boolean }
  sequence?: { id: string; version: number; stoppedReason: string | null; steps: JourneyStep[] }
  tasks?: JourneyTask[]
  qualification?: QualificationSummary | null
  conversion?: ConversionResult | null
  recycleAt?: string | null
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

export interface CriterionAnswer {
  status: CriterionStatus
  note?: string
  amount?: number
  currency?: string
  targetDate?: string
  role?: string
  competitors?: string[]
}

export interface StoredQualification {
  leadId: string
  record: { bant: Record<string, CriterionAnswer>; meddicc: Record<string, CriterionAnswer> }
  summary: QualificationSummary
  updatedAt: string | null
  updatedBy: string | null
}

export interface Eligibility {
  eligible: boolean
  stage: string | null
  reasons: { code: string; message: string }[]
}

export interface ConversionPreview {
  eligibility: Eligibility
  account: {
    action: 'match' | 'create'
    matchedBy: 'domain' | 'gstin' | null
    id: string | null
    name: string
    domain: string | null
    gstin: string | null
    reactivate: boolean
  }
  contact: {
    firstName: string | null
    lastName: string | null
    email: string | null
    phone: string | null
    title: string | null
    roles: string[]
  }
  opportunity: {
    name: string
    amount: number | null
    currency: string
    stage: string
    probability: number
    forecastCategory: string
    closeDate: string
    ownerId: string | null
  }
}

export interface Activity {
  id: string
  kind: string
  direction: 'inbound' | 'outbound' | 'internal'
  subject: string | null
  details: Record<string, unknown>
  leadId: string | null
  accountId: string | null
  contactId: string | null
  opportunityId: string | null
  taskId: string | null
  occurredAt: string
  recordedAt: string
  actorId: string
}
