import { fileURLToPath } from 'node:url'
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../../platform/process/child-process.js'
import {
  engagementRecorded,
  getJourneyState,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
} from '../../workflows/lead-journey.messages.js'
import { JOURNEY_VERSION, STAGE } from '../../workflows/search-attributes.js'
import { uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase } from '../support/database.js'
import { useDevServer } from './support/dev-server.js'
import { fakeActivities } from './support/fake-activities.js'

/*
 * A deploy in flight, on the real dev server: journeys started by version 1 keep running
 * when workers switch to version 2 (their history replays on the legacy branch behind
 * patched()), and each moves to version 2 at its next signal through continue-as-new,
 * with the signal carried over.
 */

const server = useDevServer()

const V1_ENTRY = fileURLToPath(new URL('./fixtures/lead-journey-v1.workflow.ts', import.meta.url))

describe('leadJourney versioning', () => {
  it('journeys started on version 1 survive the deploy of version 2 and upgrade at their next signal', async () => {
    const taskQueue = uniqueTaskQueue('versions')
    const leadIds = ['01a20c45-0000-7000-8000-00000000bb01', '01a20c45-0000-7000-8000-00000000bb02']
    const v1Bundle = await bundleWorkflowCode({ workflowsPath: V1_ENTRY, logger: new DefaultLogger('WARN') })
    const v1 = fakeActivities()
    const worker1 = await Worker.create({
      connection: server.native,
      taskQueue,
      workflowBundle: v1Bundle,
      activities: v1.activities,
    })
    const handles = await worker1.runUntil(async () => {
      const started = await Promise.all(
        leadIds.map((leadId) =>
          server.client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
            workflowId: leadJourneyId(leadId),
            taskQueue,
            args: [{ leadId }],
          }),
        ),
      )
      await waitFor(
        async () => v1.of('recordJourneyStarted').length === 2,
        15_000,
        'both v1 journeys to start',
      )
      return started
    })
    for (const h of handles) expect((await h.describe()).typedSearchAttributes.get(JOURNEY_VERSION)).toBe('1')

    // The deploy: version 2's workers take over the task queue.
    const v2 = fakeActivities()
    const worker2 = await Worker.create({
      connection: server.native,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: v2.activities,
    })
    try {
      await worker2.runUntil(async () => {
        const [upgraded, waiting] = handles as [(typeof handles)[0], (typeof handles)[0]]
        const firstRun = (await upgraded.describe()).runId
        await upgraded.signal(engagementRecorded, {
          event: 'emailOpen',
          activityId: '00000000-0000-7000-8000-00000000e0b1',
          occurredAt: new Date().toISOString(),
          score: 42,
        })
        await waitFor(
          async () => (await upgraded.describe()).typedSearchAttributes.get(JOURNEY_VERSION) === '2',
          20_000,
          'the signalled journey to run version 2',
        )
        const description = await upgraded.describe()
        expect(description.runId).not.toBe(firstRun)
        await waitFor(
          async () => (await upgraded.query(getJourneyState)).stage === 'Nurturing',
          15_000,
          'nurturing',
        )
        const state = await upgraded.query(getJourneyState)
        // The signal that woke it was carried into version 2 and applied there.
        expect(state).toMatchObject({ version: '2', score: 42, stage: 'Nurturing' })
        expect(description.typedSearchAttributes.get(STAGE)).toBeDefined()
        expect(v2.of('sendNurtureMessage').map((c) => c.input.stepId)).toEqual(['welcome'])

        // The other version-1 journey replays on the new code and keeps waiting, unharmed.
        expect((await waiting.describe()).status.name).toBe('RUNNING')
        await waiting.query(getJourneyState).catch(() => undefined)
        expect((await waiting.describe()).typedSearchAttributes.get(JOURNEY_VERSION)).toBe('1')

        // Counts per version, as operators see them (visibility is eventually consistent).
        const count = async (version: string) =>
          (
            await server.client.workflow.count(
              `TaskQueue = '${taskQueue}' AND JourneyVersion = '${version}' AND ExecutionStatus = 'Running'`,
            )
          ).count
        await waitFor(
          async () => (await count('1')) === 1 && (await count('2')) === 1,
          15_000,
          'one journey on each version',
        )
        // The API's rollout view groups every running journey by version and by stage.
        const database = await createTestDatabase() // the caller's credential is checked there
        const app = await buildTestApp({ config: testConfig(), db: database.db })
        try {
          const res = await app.inject({ method: 'GET', url: '/v1/journeys/counts' })
          expect(res.statusCode, res.body).toBe(200)
          const counts = res.json<{ running: number; byVersion: { version: string; running: number }[] }>()
          const on = (v: string) => counts.byVersion.find((g) => g.version === v)?.running ?? 0
          expect(on('1')).toBeGreaterThanOrEqual(1)
          expect(on('2')).toBeGreaterThanOrEqual(1)
          expect(counts.byVersion.reduce((n, g) => n + g.running, 0)).toBe(counts.running)
        } finally {
          await app.close()
          await database.drop()
        }
      })
    } finally {
      await Promise.all(handles.map((h) => h.terminate('test over').catch(() => undefined)))
    }
  }, 90_000)
})
