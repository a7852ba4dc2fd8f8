import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_QUIET_HOURS } from '../../domain/journey/quiet-hours.rules.js'
import { DEFAULT_NURTURE_SEQUENCE, planSequence } from '../../domain/journey/nurture-sequence.rules.js'
import { registerSearchAttributes } from '../../platform/temporal/register-search-attributes.js'
import {
  contactabilityChanged,
  convertLead,
  engagementRecorded,
  getJourneyState,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
  recordQualification,
  recycleLead,
  taskCompleted,
} from '../../workflows/lead-journey.messages.js'
import { JOURNEY_SEARCH_ATTRIBUTES, SCORE, STAGE } from '../../workflows/search-attributes.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { fakeActivities, type FakeOptions } from './support/fake-activities.js'
import { createTimeSkippingEnv, recordHistory } from './support/time-skipping.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

let env: TestWorkflowEnvironment
let leadSeq = 0

beforeAll(async () => {
  env = await createTimeSkippingEnv()
  await registerSearchAttributes(env.connection, env.namespace ?? 'default', JOURNEY_SEARCH_ATTRIBUTES)
})
afterAll(async () => {
  await env?.teardown()
})

const nextLeadId = () => `01a20c45-0000-7000-8000-${String(++leadSeq).padStart(12, '0')}`

async function newWorker(taskQueue: string, activities: ReturnType<typeof fakeActivities>['activities']) {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  })
}

/** Starts a journey on its own task queue and runs `body` while a worker serves it. */
async function withJourney(
  options: FakeOptions,
  body: (ctx: {
    handle: WorkflowHandle
    fake: ReturnType<typeof fakeActivities>
    leadId: string
    taskQueue: string
  }) => Promise<void>,
) {
  const taskQueue = uniqueTaskQueue('journey')
  const fake = fakeActivities(options)
  const worker = await newWorker(taskQueue, fake.activities)
  const leadId = nextLeadId()
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
      workflowId: leadJourneyId(leadId),
      taskQueue,
      args: [{ leadId }],
    })
    try {
      await body({ handle, fake, leadId, taskQueue })
    } finally {
      // A journey left running without its worker would hold the shared server's clock.
      await handle.terminate('test over').catch(() => undefined)
    }
  })
}

describe('leadJourney nurture cadence', () => {
  it('sends exactly the planned emails at the planned times over 14 days, outside quiet hours', async () => {
    await withJourney({ policy: { quietHours: DEFAULT_QUIET_HOURS } }, async ({ handle, fake, leadId }) => {
      await env.sleep('15 days')
      const state = await handle.query(getJourneyState)
      const plan = planSequence(DEFAULT_NURTURE_SEQUENCE, state.cycleStartedAt, {
        channels: { email: true, whatsapp: false },
        zones: ['Asia/Kolkata'],
        quietHours: DEFAULT_QUIET_HOURS,
      })
      expect(plan).toHaveLength(5)
      const sends = fake.of('sendNurtureMessage')
      expect(sends.map((c) => c.input.stepId)).toEqual(plan.map((p) => p.stepId))
      expect(sends.every((c) => c.input.channel === 'email' && c.input.leadId === leadId)).toBe(true)
      sends.forEach((c, i) => {
        // Scheduled when the timer fired: the planned instant (the server's clock resolution aside).
        expect(Math.abs(c.at - new Date(plan[i]!.dueAt).getTime())).toBeLessThan(2000)
      })
      expect(
        new Date(plan[4]!.dueAt).getTime() - new Date(state.cycleStartedAt).getTime(),
      ).toBeGreaterThanOrEqual(14 * DAY)
      expect(state.sequence.steps.map((s) => s.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent'])
      expect(state.stage).toBe('Nurturing')
      expect(fake.of('recordJourneyStage').map((c) => c.input.stage)).toEqual(['Nurturing'])
      await recordHistory(handle, 'lead-journey', 'nurture-14-days')
      await handle.terminate('test done')
    })
  })

  it('adds the WhatsApp follow-ups when the lead consented to WhatsApp', async () => {
    await withJourney(
      { context: { channels: { email: true, whatsapp: true } } },
      async ({ handle, fake }) => {
        await env.sleep('15 days')
        const sends = fake.of('sendNurtureMessage')
        expect(sends.map((c) => `${c.input.channel}:${c.input.stepId}`)).toEqual([
          'email:welcome',
          'whatsapp:wa-intro',
          'email:value',
          'email:case-study',
          'whatsapp:wa-follow-up',
          'email:check-in',
          'email:breakup',
        ])
        await handle.terminate('test done')
      },
    )
  })

  it('stops the sequence on a reply, moves the lead to Contacted, and opens qualification once the score passes 70', async () => {
    await withJourney({}, async ({ handle, fake }) => {
      await env.sleep('1 hour')
      expect(fake.of('sendNurtureMessage')).toHaveLength(1)
      const activityId = '00000000-0000-7000-8000-00000000e001'
      await handle.signal(engagementRecorded, {
        event: 'emailOpen',
        activityId,
        occurredAt: new Date().toISOString(),
        score: 45,
      })
      await env.sleep('1 minute')
      let state = await handle.query(getJourneyState)
      expect(state).toMatchObject({ score: 45, stage: 'Nurturing' })
      expect((await handle.describe()).typedSearchAttributes.get(SCORE)).toBe(45)

      await handle.signal(engagementRecorded, {
        event: 'emailReply',
        activityId,
        occurredAt: new Date().toISOString(),
        score: 60,
      })
      await env.sleep('20 days')
      state = await handle.query(getJourneyState)
      expect(state.stage).toBe('Contacted')
      expect(state.sequence.stoppedReason).toBe('replied')
      expect(fake.of('sendNurtureMessage')).toHaveLength(1)
      expect(state.sequence.steps.filter((s) => s.status === 'cancelled')).toHaveLength(4)

      await handle.signal(engagementRecorded, {
        event: 'emailClick',
        activityId,
        occurredAt: new Date().toISOString(),
        score: 71,
      })
      await env.sleep('1 minute')
      state = await handle.query(getJourneyState)
      expect(state.stage).toBe('Qualification')
      expect((await handle.describe()).typedSearchAttributes.get(STAGE)).toBe('Qualification')
      expect(fake.of('recordJourneyStage').map((c) => c.input.stage)).toEqual([
        'Nurturing',
        'Contacted',
        'Qualification',
      ])
      await recordHistory(handle, 'lead-journey', 'reply-then-qualification')
      await handle.terminate('test done')
    })
  })

  it('a DND or opt-out while the sequence waits stops it before the next message', async () => {
    await withJourney({}, async ({ handle, fake }) => {
      await env.sleep('1 day')
      await handle.signal(contactabilityChanged, {
        email: false,
        whatsapp: false,
        reason: 'dnd',
        at: new Date().toISOString(),
      })
      await env.sleep('15 days')
      expect(fake.of('sendNurtureMessage').map((c) => c.input.stepId)).toEqual(['welcome'])
      expect((await handle.query(getJourneyState)).sequence.stoppedReason).toBe('dnd')
      await handle.terminate('test done')
    })
  })
})

describe('leadJourney SDR tasks', () => {
  it('opens a first-contact task after 7 days without contact and escalates it to the manager when overdue', async () => {
    await withJourney(
      { context: { channels: { email: false, whatsapp: false } } },
      async ({ handle, fake }) => {
        const startedAt = new Date((await handle.query(getJourneyState)).startedAt).getTime()
        await env.sleep('6 days')
        expect(fake.of('openSdrTask')).toHaveLength(0)
        expect((await handle.query(getJourneyState)).nextStep).toMatchObject({ kind: 'open_task' })
        await env.sleep('2 days')
        const [open] = fake.of('openSdrTask')
        expect(open?.input).toMatchObject({ kind: 'first_contact', attempt: 1, cycle: 1 })
        expect(Math.abs(open!.at - (startedAt + 7 * DAY))).toBeLessThan(2000)
        await env.sleep('2 days')
        const [escalation] = fake.of('escalateSdrTask')
        expect(escalation).toBeDefined()
        expect(Math.abs(escalation!.at - (startedAt + 9 * DAY))).toBeLessThan(2000)
        const state = await handle.query(getJourneyState)
        expect(state.tasks.map((t) => `${t.kind}:${t.status}`)).toEqual([
          'first_contact:escalated',
          'escalation:open',
        ])
        expect(state.tasks[1]?.assigneeId).toBe('manager-1')
        await handle.terminate('test done')
      },
    )
  })

  it('a task done as contacted moves the lead to Contacted and opens no further attempt', async () => {
    await withJourney(
      { context: { channels: { email: false, whatsapp: false } } },
      async ({ handle, fake }) => {
        await env.sleep('170 hours')
        const taskId = (await handle.query(getJourneyState)).tasks[0]!.taskId
        const completedAt = new Date().toISOString()
        await handle.signal(taskCompleted, {
          taskId,
          outcome: 'contacted',
          completedAt,
          completedBy: 'sdr-1',
        })
        await env.sleep('30 days')
        const state = await handle.query(getJourneyState)
        expect(state).toMatchObject({ stage: 'Contacted', contactedAt: completedAt })
        expect(state.tasks.map((t) => `${t.kind}:${t.status}:${t.outcome}`)).toEqual([
          'first_contact:done:contacted',
        ])
        expect(fake.of('openSdrTask')).toHaveLength(1)
        expect(fake.of('escalateSdrTask')).toHaveLength(0)
      },
    )
  })

  it('no answer opens the next attempt; three attempts without reaching the person recycle the lead', async () => {
    await withJourney(
      { context: { channels: { email: false, whatsapp: false } } },
      async ({ handle, fake }) => {
        await env.sleep('170 hours')
        const complete = async (outcome: string) => {
          const task = fake.of('openSdrTask').at(-1)!
          const taskId = (await handle.query(getJourneyState)).tasks.find((t) => t.status === 'open')!.taskId
          expect(task.input.attempt).toBeGreaterThan(0)
          await handle.signal(taskCompleted, {
            taskId,
            outcome,
            completedAt: new Date().toISOString(),
            completedBy: 'sdr-1',
          })
          await env.sleep('1 minute')
        }
        await complete('no_answer')
        expect(fake.of('openSdrTask').map((c) => c.input.attempt)).toEqual([1, 2])
        await complete('no_answer')
        await complete('wrong_number')
        const state = await handle.query(getJourneyState)
        expect(fake.of('openSdrTask').map((c) => c.input.attempt)).toEqual([1, 2, 3])
        expect(state.stage).toBe('Recycled')
        expect(state.stageReason).toContain('3 contact attempts')
        await handle.terminate('test done')
      },
    )
  })
})

describe('leadJourney qualification and conversion', () => {
  async function toQualification(handle: WorkflowHandle) {
    const activityId = '00000000-0000-7000-8000-00000000e002'
    await handle.signal(engagementRecorded, {
      event: 'call',
      activityId,
      occurredAt: new Date().toISOString(),
      score: 80,
    })
    await env.sleep('1 minute')
    const st = await handle.query(getJourneyState)
    expect(st.stage, JSON.stringify({ r: st.stageReason, c: st.contactedAt, s: st.score })).toBe(
      'Qualification',
    )
  }
  const request = { opportunity: { amount: 500000, currency: 'INR', closeDate: '2099-12-31' } }

  it('refuses qualification before contact and conversion before qualification, without touching history', async () => {
    await withJourney({}, async ({ handle, fake }) => {
      await env.sleep('1 minute')
      const bant = {
        input: { framework: 'BANT' as const, criteria: { need: { status: 'confirmed' as const } } },
        actorId: 'sdr-1',
      }
      const failure = await handle
        .executeUpdate(recordQualification, { args: [bant] })
        .catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(WorkflowUpdateFailedError)
      expect(((failure as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
        'JourneyWrongStage',
      )
      const refused = await handle
        .executeUpdate(convertLead, { args: [{ request, actorId: 'sdr-1' }] })
        .catch((e: unknown) => e)
      expect(((refused as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
        'JourneyWrongStage',
      )
      expect(fake.of('saveQualification')).toHaveLength(0)
      expect(fake.of('convertLeadToAccount')).toHaveLength(0)
      await handle.terminate('test done')
    })
  })

  it('records BANT through a validated update, converts once, and completes Converted', async () => {
    await withJourney({}, async ({ handle, fake }) => {
      await toQualification(handle)
      const invalid = await handle
        .executeUpdate(recordQualification, {
          args: [
            {
              input: { framework: 'BANT', criteria: { budget: { status: 'sure' } } } as never,
              actorId: 'sdr-1',
            },
          ],
        })
        .catch((e: unknown) => e)
      expect(((invalid as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
        'JourneyInvalidInput',
      )
      const summary = await handle.executeUpdate(recordQualification, {
        args: [
          {
            input: {
              framework: 'BANT',
              criteria: { budget: { status: 'confirmed', amount: 500000, currency: 'INR' } },
            },
            actorId: 'sdr-1',
          },
        ],
      })
      expect(summary.qualified).toBe(true)
      const badOpportunity = await handle
        .executeUpdate(convertLead, {
          args: [
            {
              request: { opportunity: { ...request.opportunity, closeDate: '2099-02-30' } },
              actorId: 'sdr-1',
            },
          ],
        })
        .catch((e: unknown) => e)
      expect(((badOpportunity as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
        'JourneyInvalidInput',
      )

      const [first, second] = await Promise.all([
        handle.executeUpdate(convertLead, { args: [{ request, actorId: 'sdr-1' }] }),
        handle.executeUpdate(convertLead, { args: [{ request, actorId: 'sdr-1' }] }),
      ])
      expect(second).toEqual(first)
      expect(fake.of('convertLeadToAccount')).toHaveLength(1)
      const outcome = (await handle.result()) as { stage: string; conversion: unknown }
      expect(outcome).toMatchObject({ stage: 'Converted', conversion: first })
      await recordHistory(handle, 'lead-journey', 'qualify-and-convert')
    })
  })

  it('a conversion that fails keeps the journey in Qualification, and a retry converts', async () => {
    let fail = true
    await withJourney(
      {
        conversionError: () =>
          fail ? ApplicationFailure.nonRetryable('boom', 'ConversionRejected') : undefined,
      },
      async ({ handle, fake }) => {
        await toQualification(handle)
        const failure = await handle
          .executeUpdate(convertLead, { args: [{ request, actorId: 'sdr-1' }] })
          .catch((e: unknown) => e)
        expect(failure).toBeInstanceOf(WorkflowUpdateFailedError)
        expect(await handle.query(getJourneyState)).toMatchObject({
          stage: 'Qualification',
          conversion: null,
        })
        fail = false
        const result = await handle.executeUpdate(convertLead, { args: [{ request, actorId: 'sdr-1' }] })
        expect(result.accountId).toBeTruthy()
        expect(fake.of('convertLeadToAccount')).toHaveLength(2)
        await handle.result()
      },
    )
  })
})

describe('leadJourney durability', () => {
  it('continues as new before its history grows large, keeping its state', async () => {
    await withJourney({}, async ({ handle }) => {
      await env.sleep('1 minute')
      const firstRun = (await handle.describe()).runId
      let sent = 0
      // Web visits: each one is a signal and a score upsert in history.
      while ((await handle.describe()).runId === firstRun && sent < 4000) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            handle.signal(engagementRecorded, {
              event: 'webVisit',
              activityId: `00000000-0000-7000-8000-${String(sent + i).padStart(12, '0')}`,
              occurredAt: new Date().toISOString(),
              score: 20 + ((sent + i) % 40),
            }),
          ),
        )
        sent += 50
      }
      // The last batches may still be in flight: give the journey a moment to act on them.
      for (let i = 0; i < 100 && (await handle.describe()).runId === firstRun; i++)
        await env.sleep('1 second')
      const description = await handle.describe()
      expect(description.runId, `after ${sent} signals`).not.toBe(firstRun)
      const state = await handle.query(getJourneyState)
      expect(state).toMatchObject({ stage: 'Nurturing', cycle: 1 })
      expect(state.sequence.steps[0]?.status).toBe('sent')
      const history = await env.client.workflow.getHandle(handle.workflowId, firstRun).fetchHistory()
      // Signals keep arriving while it winds down (a flood of 50 at a time here); the run still
      // ends far below Temporal's 50,000-event limit, by continuing as new.
      expect(history.events?.length).toBeLessThan(10_000)
      expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy()
    })
  })

  it('continues as new into each nurture cycle after a recycle, keeping its state', async () => {
    await withJourney({ policy: { recycleAfterDays: 30 } }, async ({ handle, fake }) => {
      await env.sleep('1 hour')
      const firstRun = (await handle.describe()).runId
      await handle.executeUpdate(recycleLead, { args: [{ reason: 'no budget this year', actorId: 'sdr-1' }] })
      expect((await handle.query(getJourneyState)).stage).toBe('Recycled')
      await env.sleep('31 days')
      const state = await handle.query(getJourneyState)
      expect(state).toMatchObject({ stage: 'Nurturing', cycle: 2 })
      expect((await handle.describe()).runId).not.toBe(firstRun)
      const cycles = fake.of('sendNurtureMessage').map((c) => `${c.input.cycle}:${c.input.stepId}`)
      expect(cycles).toEqual(['1:welcome', '2:welcome'])
      await handle.terminate('test done')
    })
  })
})
