import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { JourneyPolicy } from '../domain/journey/journey-policy.js'
import type { JourneyStage } from '../domain/journey/journey-stage.rules.js'
import type { SequenceChannel } from '../domain/journey/nurture-sequence.rules.js'
import type { QualificationInput, QualificationSummary } from '../domain/qualification/qualification.js'

/*
 * The lead journey's public surface: its name, id scheme, input and messages. The API
 * and the outbox relay import this file and nothing else from workflows/. Names here are
 * stored in workflow histories: never rename one in place. Every payload carries ids,
 * scores and flags only: personal data stays in PostgreSQL, where erasure can reach it.
 */
export const LEAD_JOURNEY_WORKFLOW = 'leadJourney'

/** Workflow ids come from the business id, so starting twice reaches the same journey. */
export function leadJourneyId(leadId: string): string {
  return `lead/${leadId}`
}

export type { JourneyStage }

/**
 * Every workflow code version a journey may run (its JourneyVersion search attribute): 1
 * recorded its start and waited, 2 is the playbook, 3 re-routes a lead whose first-contact
 * task falls overdue before escalating it.
 */
export const JOURNEY_VERSIONS = ['1', '2', '3'] as const
export type JourneyVersion = (typeof JOURNEY_VERSIONS)[number]

export interface LeadJourneyInput {
  leadId: string
  /** Set by continue-as-new: the journey so far, carried into a fresh history. */
  resume?: JourneySnapshot
  /** Signals a version-1 journey received while it was being upgraded, replayed on arrival. */
  carried?: CarriedSignal[]
}

export interface CarriedSignal {
  name: string
  args: unknown[]
}

// ---- Signals: facts that happened elsewhere (recorded in PostgreSQL first, then relayed).

export interface EngagementRecorded {
  /** An ENGAGEMENT_EVENTS name: emailOpen, emailClick, emailReply, whatsappReply, call, webVisit... */
  event: string
  /** The timeline activity that records it. */
  activityId: string
  occurredAt: string
  /** The lead's score after the event, computed with the active scoring rules. */
  score: number
}
export const engagementRecorded = defineSignal<[EngagementRecorded]>('engagementRecorded')

export interface TaskCompleted {
  taskId: string
  /** contacted, meeting_booked, no_answer, wrong_number, not_interested, other. */
  outcome: string
  completedAt: string
  completedBy: string
}
export const taskCompleted = defineSignal<[TaskCompleted]>('taskCompleted')

export interface ContactabilityChanged {
  email: boolean
  whatsapp: boolean
  /** Absent from signals sent before SMS steps existed: read as not allowed. */
  sms?: boolean
  /** opted_out, dnd, consent_withdrawn, consent_given. */
  reason: string
  at: string
}
export const contactabilityChanged = defineSignal<[ContactabilityChanged]>('contactabilityChanged')

export const ownerChanged = defineSignal<[{ ownerId: string | null }]>('ownerChanged')

// ---- Updates: commands from people, validated before anything is written to history.

export interface QualificationCommand {
  input: QualificationInput
  actorId: string
}
export const recordQualification = defineUpdate<QualificationSummary, [QualificationCommand]>(
  'recordQualification',
)

export interface ConversionRequest {
  opportunity: {
    name?: string | undefined
    amount: number
    currency: string
    stage?: string | undefined
    probability?: number | undefined
    closeDate: string
  }
  account?: { gstin?: string | undefined; name?: string | undefined; type?: string | undefined } | undefined
  contactRole?: string | undefined
  note?: string | undefined
  /**
   * Set by the API, never by its client: the account the API checked the caller may convert
   * into (null: a new one). The conversion refuses to join a different one found by then.
   * Absent from commands recorded before it and from callers that check nothing.
   */
  expectedAccountId?: string | null | undefined
}
export interface ConversionCommand {
  request: ConversionRequest
  actorId: string
  requestId?: string | undefined
}
export interface ConversionResult {
  accountId: string
  contactId: string
  opportunityId: string
  activityId: string
  accountMatchedBy: 'domain' | 'gstin' | 'created'
  convertedAt: string
}
export const convertLead = defineUpdate<ConversionResult, [ConversionCommand]>('convertLead')

export interface StageCommand {
  reason: string
  actorId: string
}
export const disqualifyLead = defineUpdate<JourneyView, [StageCommand]>('disqualifyLead')
export const recycleLead = defineUpdate<JourneyView, [StageCommand]>('recycleLead')

/** Failure types an update is rejected with; the API maps them to problem+json. */
export const JOURNEY_REJECTIONS = {
  invalidInput: 'JourneyInvalidInput',
  wrongStage: 'JourneyWrongStage',
} as const

// ---- State: what the journey carries across continue-as-new and shows through its query.

export type StepStatus = 'planned' | 'sent' | 'simulated' | 'skipped' | 'unconfirmed' | 'cancelled'

export interface JourneyStep {
  stepId: string
  channel: SequenceChannel
  template: string
  dueAt: string
  status: StepStatus
  /** Why a step was skipped or the send deferred. */
  note?: string
}

export interface JourneyTask {
  taskId: string
  kind: 'first_contact' | 'follow_up' | 'escalation'
  attempt: number
  dueAt: string
  status: 'open' | 'done' | 'escalated'
  assigneeId: string | null
  outcome?: string
  /** For an escalation: the attempt it escalated. */
  parentTaskId?: string
  /** Times the overdue task went to the next owner (absent: never). */
  reroutes?: number
  /** Who held the task before each re-route, oldest first. */
  previousAssigneeIds?: string[]
}

export interface JourneySnapshot {
  leadId: string
  stage: JourneyStage
  stageSince: string
  stageReason: string
  /** Stage changes not yet recorded in PostgreSQL (lead.status, timeline), oldest first. */
  unrecordedStages: { stage: JourneyStage; reason: string; at: string }[]
  startedAt: string
  score: number
  ownerId: string | null
  /** Marketing channels allowed now; `sms` is absent in journeys that started before SMS steps existed. */
  channels: { email: boolean; whatsapp: boolean; sms?: boolean }
  zones: string[]
  /** The playbook this cycle runs on, loaded when the cycle started. */
  policy: JourneyPolicy
  cycle: number
  cycleStartedAt: string
  contactedAt: string | null
  sequence: { id: string; version: number; stoppedReason: string | null; steps: JourneyStep[] }
  tasks: JourneyTask[]
  qualification: QualificationSummary | null
  conversion: ConversionResult | null
  recycleAt: string | null
}

export interface NextStep {
  kind:
    | 'send'
    | 'open_task'
    | 'reroute_task'
    | 'escalate_task'
    | 'follow_up_task'
    | 'restart_nurture'
    | 'await_sdr'
  label: string
  dueAt: string | null
}

export interface JourneyView extends JourneySnapshot {
  /** The workflow code version this run executes (also the JourneyVersion search attribute). */
  version: string
  nextStep: NextStep | null
}

export const getJourneyState = defineQuery<JourneyView>('getJourneyState')

/** The journey's current stage as a search attribute (read by the API from describe()). */
export {
  STAGE as JOURNEY_STAGE_ATTRIBUTE,
  JOURNEY_VERSION as JOURNEY_VERSION_ATTRIBUTE,
} from './search-attributes.js'
