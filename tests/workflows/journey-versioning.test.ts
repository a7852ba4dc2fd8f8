import { fileURLToPath } from 'node:url'
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker'
import { describe, expect, it } from 'vitest'
import type { SlaReroute, SlaRerouteResult } from '../../crm/lead-reroute.js'
import { waitFor } from '../../platform/process/child-process.js'
import {
  getJourneyState,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
} from '../../workflows/lead-journey.messages.js'
import { JOURNEY_VERSION, OWNER } from '../../workflows/search-attributes.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { useDevServer } from './support/dev-server.js'
import { fakeActivities } from './support/fake-activities.js'
import { recordHistory } from './support/time-skipping.js'

/*
 * Version 3 deployed in flight, on the real dev server: a journey started by version 2 (the
 * frozen copy in fixtures/) that is waiting on its owner's first-contact task when the workers
 * switch takes the re-route when the task falls overdue, and counts itself as version 3 from
 * then on. (Versions 1 to 3 with real activities and the API's counts: tests/guarantees/journey-versions.test.ts.)
 */

const server = useDevServer()

const V2_ENTRY = fileURLToPath(new URL('./fixtures/lead-journey-v2.workflow.ts', import.meta.url))

const toSecondOwner = (input: SlaReroute): SlaRerouteResult => ({
  outcome: 'rerouted',
  fromId: 'sdr-1',
  toId: 'sdr-2',
  dueAt: input.dueAt,
  ruleVersion: 1,
})

describe('leadJourney version 2 to 3 in flight', () => {
  it('a version-2 journey waiting on its first-contact task re-routes it under version 3 and records JourneyVersion 3', async () => {
    const taskQueue = uniqueTaskQueue('v2-to-v3')
    const leadId = '01a20c45-0000-7000-8000-00000000cc01'
    // Seconds, not days: the task opens 1.8 s after the start and is due 10.8 s after that,
    // time enough for the deploy to happen in between.
    const fake = fakeActivities({
      context: { channels: { email: false, whatsapp: false } },
      policy: { firstContactWithinHours: 0.0005, taskDueHours: 0.003 },
      reroute: toSecondOwner,
    })
    const v2Bundle = await bundleWorkflowCode({ workflowsPath: V2_ENTRY, logger: new DefaultLogger('WARN') })
    const v2 = await Worker.create({
      connection: server.native,
      taskQueue,
      workflowBundle: v2Bundle,
      activities: fake.activities,
    })
    const handle = await v2.runUntil(async () => {
      const started = await server.client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
        workflowId: leadJourneyId(leadId),
        taskQueue,
        args: [{ leadId }],
      })
      await waitFor(
        async () => (await started.query(getJourneyState)).tasks.length === 1,
        15_000,
        'the version-2 journey to open its first-contact task',
      )
      return started
    })
    try {
      expect((await handle.describe()).typedSearchAttributes.get(JOURNEY_VERSION)).toBe('2')
      expect(fake.of('rerouteSdrTask')).toHaveLength(0)
      expect(fake.of('escalateSdrTask')).toHaveLength(0)

      // The deploy: version 3's workers take over the task queue.
      const v3 = await Worker.create({
        connection: server.native,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: fake.activities,
      })
      await v3.runUntil(async () => {
        await waitFor(
          async () => fake.of('rerouteSdrTask').length === 1,
          30_000,
          'the overdue task to be re-routed',
        )
        await waitFor(
          async () => (await handle.describe()).typedSearchAttributes.get(JOURNEY_VERSION) === '3',
          15_000,
          'the journey to count itself as version 3',
        )
        const state = await handle.query(getJourneyState)
        expect(state).toMatchObject({ version: '3', ownerId: 'sdr-2', stage: 'New' })
        expect(state.tasks).toEqual([
          expect.objectContaining({
            kind: 'first_contact',
            status: 'open',
            assigneeId: 'sdr-2',
            reroutes: 1,
          }),
        ])
        expect(fake.of('rerouteSdrTask')[0]!.input).toMatchObject({ reroute: 1, exclude: ['sdr-1'] })
        expect(fake.of('escalateSdrTask')).toHaveLength(0)
        expect((await handle.describe()).typedSearchAttributes.get(OWNER)).toBe('sdr-2')
        await recordHistory(handle, 'lead-journey', 'v2-rerouted-on-v3')
      })
    } finally {
      await handle.terminate('test over').catch(() => undefined)
    }
  }, 90_000)
})
