import type { WorkflowHandle } from '@temporalio/client'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SlaReroute, SlaRerouteResult } from '../../crm/lead-reroute.js'
import { registerSearchAttributes } from '../../platform/temporal/register-search-attributes.js'
import {
  getJourneyState,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
} from '../../workflows/lead-journey.messages.js'
import { JOURNEY_SEARCH_ATTRIBUTES, JOURNEY_VERSION, OWNER } from '../../workflows/search-attributes.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { fakeActivities, type FakeOptions } from './support/fake-activities.js'
import { createTimeSkippingEnv, recordHistory } from './support/time-skipping.js'

/*
 * The first-contact SLA's re-route on the time-skipping server: the default playbook opens the
 * owner's task after 7 days; when it is 2 days overdue the lead goes to the next owner with a
 * fresh due time, and when that one lets it pass too, the manager gets it.
 */

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

/** The lead is unreachable by marketing, so only the SDR timers run. */
const SILENT: FakeOptions['context'] = { channels: { email: false, whatsapp: false } }

/** A rule set's pool in order: each re-route hands the lead to the first owner not excluded. */
const pool =
  (...owners: string[]) =>
  (input: SlaReroute): SlaRerouteResult => {
    const to = owners.find((o) => !input.exclude.includes(o))
    return to
      ? { outcome: 'rerouted', fromId: null, toId: to, dueAt: input.dueAt, ruleVersion: 4 }
      : { outcome: 'not_rerouted', reason: 'nobody eligible' }
  }

async function withJourney(
  options: FakeOptions,
  body: (ctx: {
    handle: WorkflowHandle
    fake: ReturnType<typeof fakeActivities>
    startedAt: number
  }) => Promise<void>,
) {
  const taskQueue = uniqueTaskQueue('reroute')
  const fake = fakeActivities({ context: SILENT, ...options })
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: fake.activities,
  })
  const leadId = nextLeadId()
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
      workflowId: leadJourneyId(leadId),
      taskQueue,
      args: [{ leadId }],
    })
    try {
      const startedAt = new Date((await handle.query(getJourneyState)).startedAt).getTime()
      await body({ handle, fake, startedAt })
    } finally {
      await handle.terminate('test over').catch(() => undefined)
    }
  })
}

describe('leadJourney first-contact SLA re-route', () => {
  it('re-routes the overdue task to the next owner at the SLA, then escalates when the second owner misses it too', async () => {
    await withJourney({ reroute: pool('sdr-1', 'sdr-2', 'sdr-3') }, async ({ handle, fake, startedAt }) => {
      expect((await handle.describe()).typedSearchAttributes.get(JOURNEY_VERSION)).toBe('3')
      await env.sleep('8 days')
      expect(fake.of('openSdrTask')).toHaveLength(1)
      const next = (await handle.query(getJourneyState)).nextStep
      expect(next?.kind).toBe('reroute_task')
      expect(Math.abs(Date.parse(next!.dueAt!) - (startedAt + 9 * DAY))).toBeLessThan(2000)
      expect(fake.of('rerouteSdrTask')).toHaveLength(0)

      await env.sleep('25 hours')
      const [reroute] = fake.of('rerouteSdrTask')
      expect(reroute).toBeDefined()
      expect(Math.abs(reroute!.at - (startedAt + 9 * DAY))).toBeLessThan(2000)
      const taskId = (await handle.query(getJourneyState)).tasks[0]!.taskId
      expect(reroute!.input).toMatchObject({ taskId, reroute: 1, exclude: ['sdr-1'] })
      // The second owner gets the policy's full task window again.
      expect(Date.parse(reroute!.input.dueAt) - Date.parse(reroute!.input.at)).toBe(48 * HOUR)
      const moved = await handle.query(getJourneyState)
      expect(moved.ownerId).toBe('sdr-2')
      expect(moved.tasks).toEqual([
        expect.objectContaining({
          kind: 'first_contact',
          status: 'open',
          assigneeId: 'sdr-2',
          reroutes: 1,
          previousAssigneeIds: ['sdr-1'],
          dueAt: reroute!.input.dueAt,
        }),
      ])
      expect(moved.nextStep).toMatchObject({ kind: 'escalate_task', dueAt: reroute!.input.dueAt })
      expect((await handle.describe()).typedSearchAttributes.get(OWNER)).toBe('sdr-2')
      expect(fake.of('escalateSdrTask')).toHaveLength(0)

      // maxReroutes is 1 by default: the second miss goes to the manager.
      await env.sleep('2 days')
      expect(fake.of('rerouteSdrTask')).toHaveLength(1)
      const [escalation] = fake.of('escalateSdrTask')
      expect(escalation?.input.taskId).toBe(taskId)
      expect(Math.abs(escalation!.at - (startedAt + 11 * DAY))).toBeLessThan(2000)
      const state = await handle.query(getJourneyState)
      expect(state.tasks.map((t) => `${t.kind}:${t.status}:${t.assigneeId}`)).toEqual([
        'first_contact:escalated:sdr-2',
        'escalation:open:manager-1',
      ])
      await recordHistory(handle, 'lead-journey', 'sla-reroute-then-escalation')
    })
  })

  it('skips everyone who had the lead this cycle, and escalates at once when nobody else is eligible', async () => {
    await withJourney(
      { policy: { maxReroutes: 3 }, reroute: pool('sdr-1', 'sdr-2') },
      async ({ handle, fake, startedAt }) => {
        await env.sleep('12 days')
        expect(fake.of('rerouteSdrTask').map((c) => [c.input.reroute, c.input.exclude])).toEqual([
          [1, ['sdr-1']],
          [2, ['sdr-1', 'sdr-2']],
        ])
        // The second attempt found nobody and escalated in the same step, not two days later.
        const [escalation] = fake.of('escalateSdrTask')
        expect(Math.abs(escalation!.at - (startedAt + 11 * DAY))).toBeLessThan(2000)
        const state = await handle.query(getJourneyState)
        expect(state.tasks.map((t) => `${t.kind}:${t.status}:${t.assigneeId}`)).toEqual([
          'first_contact:escalated:sdr-2',
          'escalation:open:manager-1',
        ])
      },
    )
  })

  it('escalates straight to the manager when the policy allows no re-route', async () => {
    await withJourney(
      { policy: { maxReroutes: 0 }, reroute: pool('sdr-1', 'sdr-2') },
      async ({ fake, startedAt }) => {
        await env.sleep('10 days')
        expect(fake.of('rerouteSdrTask')).toHaveLength(0)
        const [escalation] = fake.of('escalateSdrTask')
        expect(Math.abs(escalation!.at - (startedAt + 9 * DAY))).toBeLessThan(2000)
      },
    )
  })

  it('a task completed as contacted while the re-route ran settles the attempt: no re-route, no escalation', async () => {
    await withJourney(
      { reroute: () => ({ outcome: 'task_done', taskOutcome: 'contacted' }) },
      async ({ handle, fake }) => {
        await env.sleep('12 days')
        expect(fake.of('rerouteSdrTask')).toHaveLength(1)
        expect(fake.of('escalateSdrTask')).toHaveLength(0)
        const state = await handle.query(getJourneyState)
        expect(state.stage).toBe('Contacted')
        expect(state.tasks.map((t) => `${t.kind}:${t.status}:${t.outcome}`)).toEqual([
          'first_contact:done:contacted',
        ])
      },
    )
  })
})
