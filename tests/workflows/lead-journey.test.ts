import { mkdir, writeFile } from 'node:fs/promises'
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js'
import { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Activities } from '../../activities/index.js'
import {
  getJourneyState,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
} from '../../workflows/lead-journey.messages.js'
import { silentLog, uniqueTaskQueue, workflowBundle } from '../support/temporal.js'
import { registerSearchAttributes } from '../../platform/temporal/register-search-attributes.js'
import { installTemporalRuntime } from '../../platform/temporal/runtime.js'
import { JOURNEY_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js'

const HISTORIES = new URL('../replay/histories/lead-journey/', import.meta.url)

let env: TestWorkflowEnvironment

beforeAll(async () => {
  installTemporalRuntime(silentLog)
  // The time-skipping server from the project-local install: tests never download anything.
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
  })
  await registerSearchAttributes(env.connection, env.namespace ?? 'default', JOURNEY_SEARCH_ATTRIBUTES)
})
afterAll(async () => {
  await env?.teardown()
})

/** Activity stand-ins typed against the real factory, recording each call. */
function recordingActivities() {
  const calls: Parameters<Activities['recordJourneyStarted']>[0][] = []
  const activities: Pick<Activities, 'recordJourneyStarted'> = {
    async recordJourneyStarted(input) {
      calls.push(input)
      return { recorded: calls.length === 1 }
    },
  }
  return { calls, activities }
}

describe('leadJourney on the time-skipping server', () => {
  it('records its start once and keeps waiting through a month without losing state', async () => {
    const taskQueue = uniqueTaskQueue('journey')
    const { calls, activities } = recordingActivities()
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities,
    })
    const leadId = '01a20c45-0000-7000-8000-000000000001'
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
        workflowId: leadJourneyId(leadId),
        taskQueue,
        args: [{ leadId }],
      })
      await env.sleep('30 days')
      const state = await handle.query(getJourneyState)
      expect(state).toMatchObject({ leadId, stage: 'New' })
      expect(calls).toEqual([{ leadId, startedAt: state.startedAt }])
      expect((await handle.describe()).status.name).toBe('RUNNING')

      // Kept as a replay fixture: tests/replay fails if a code change breaks this history.
      if (process.env['RECORD_HISTORIES'] === '1') {
        await mkdir(HISTORIES, { recursive: true })
        const history = await handle.fetchHistory()
        await writeFile(new URL('started-and-waiting.json', HISTORIES), historyToJSON(history) + '\n')
      }
      await handle.terminate('test done')
    })
  })
})
