import { Context } from '@temporalio/activity'
import type { createAccountActivities } from '../../../activities/account.activities.js'
import type { createJourneyActivities } from '../../../activities/journey.activities.js'
import type { createNurtureActivities } from '../../../activities/nurture.activities.js'
import type { JourneyContext } from '../../../activities/journey.activities.js'
import { DEFAULT_JOURNEY_POLICY, type JourneyPolicy } from '../../../domain/journey/journey-policy.js'
import type { SlaReroute, SlaRerouteResult } from '../../../crm/lead-reroute.js'
import { NEVER_QUIET } from './policies.js'

/** The activities the lead journey and the account lifecycle call (post-sales workflows have their own tests). */
type Activities = ReturnType<typeof createJourneyActivities> &
  ReturnType<typeof createNurtureActivities> &
  ReturnType<typeof createAccountActivities>

/*
 * Activity stand-ins typed against the real factory (so a changed signature fails to
 * compile here), recording each call with the time the workflow scheduled it on the
 * time-skipping server's clock.
 */

export interface Call<K extends keyof Activities = keyof Activities> {
  name: K
  input: Parameters<Activities[K]>[0]
  /** Test-server time at which the workflow scheduled the activity. */
  at: number
}

export interface FakeOptions {
  context?: Partial<JourneyContext>
  policy?: Partial<JourneyPolicy>
  /** convertLeadToAccount throws what this returns (nothing: it converts). */
  conversionError?: () => Error | undefined
  /** What rerouteSdrTask answers (default: nobody else is eligible, so the journey escalates). */
  reroute?: (input: SlaReroute) => SlaRerouteResult
}

export function fakeActivities(options: FakeOptions = {}) {
  const calls: Call[] = []
  let taskSeq = 0
  const record = <K extends keyof Activities>(name: K, input: Parameters<Activities[K]>[0]) => {
    calls.push({ name, input, at: Number(Context.current().info.scheduledTimestampMs) } as Call)
  }
  const policy: JourneyPolicy = { ...DEFAULT_JOURNEY_POLICY, quietHours: NEVER_QUIET, ...options.policy }
  const activities: Activities = {
    async loadJourneyContext(input) {
      record('loadJourneyContext', input)
      return {
        found: true,
        isDuplicate: false,
        status: 'NEW',
        score: 20,
        ownerId: 'sdr-1',
        contactedAt: null,
        channels: { email: true, whatsapp: false },
        zones: ['Asia/Kolkata'],
        policy,
        ...options.context,
      }
    },
    async recordJourneyStarted(input) {
      record('recordJourneyStarted', input)
      return { recorded: true }
    },
    async recordJourneyStage(input) {
      record('recordJourneyStage', input)
      return { recorded: true }
    },
    async openSdrTask(input) {
      record('openSdrTask', input)
      taskSeq += 1
      return {
        taskId: `00000000-0000-7000-8000-${String(taskSeq).padStart(12, '0')}`,
        dueAt: input.dueAt,
        assigneeId: 'sdr-1',
        status: 'open' as const,
      }
    },
    async escalateSdrTask(input) {
      record('escalateSdrTask', input)
      return {
        alreadyDone: false,
        outcome: null,
        escalationTaskId: `00000000-0000-7000-9000-${input.taskId.slice(-12)}`,
        escalatedToId: 'manager-1',
      }
    },
    async rerouteSdrTask(input) {
      record('rerouteSdrTask', input)
      return options.reroute?.(input) ?? { outcome: 'not_rerouted' as const, reason: 'nobody else eligible' }
    },
    async saveQualification(input) {
      record('saveQualification', input)
      return {
        bant: { score: 100, confirmed: 4, partial: 0, negative: 0, unknown: 0, of: 4, missing: [] },
        meddicc: { score: 0, confirmed: 0, partial: 0, negative: 0, unknown: 7, of: 7, missing: [] },
        risk: { level: 'Low' as const, reasons: [] },
        qualified: true,
      }
    },
    async convertLeadToAccount(input) {
      record('convertLeadToAccount', input)
      const failure = options.conversionError?.()
      if (failure) throw failure
      return {
        accountId: '00000000-0000-7000-8000-0000000000a1',
        contactId: '00000000-0000-7000-8000-0000000000c1',
        opportunityId: '00000000-0000-7000-8000-0000000000b1',
        activityId: '00000000-0000-7000-8000-0000000000d1',
        accountMatchedBy: 'created' as const,
        convertedAt: input.at,
      }
    },
    async sendNurtureMessage(input) {
      record('sendNurtureMessage', input)
      return { status: 'sent' as const, messageId: `${input.stepId}-${input.cycle}` }
    },
    async refreshAccountHealth(input) {
      record('refreshAccountHealth', input)
      return {
        accountId: input.accountId,
        active: true,
        health: 55,
        lifecycleStage: 'MQA' as const,
        changed: false,
        reason: 'no open deal',
      }
    },
  }
  const of = <K extends keyof Activities>(name: K) => calls.filter((c): c is Call<K> => c.name === name)
  return { activities, calls, of }
}
