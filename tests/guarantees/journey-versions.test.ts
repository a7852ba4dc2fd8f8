import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker'
import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leadJourneyId } from '../../workflows/lead-journey.messages.js'
import { JOURNEY_VERSION } from '../../workflows/search-attributes.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import {
  startTestWorker,
  testTemporalClient,
  uniqueTaskQueue,
  workflowBundle,
  type TestWorker,
} from '../support/temporal.js'
import { createJourneyNamespace } from '../workflows/support/namespace.js'

/*
 * Proof that journeys are versioned in flight (issue 10, item 7), on real parts: PostgreSQL,
 * the Temporal dev server (a namespace of this test's own, so the counts are exact), real
 * workers with their real activities and relay, and the API. Journeys start on version 1 (the
 * frozen copy in tests/workflows/fixtures), version 2 is deployed while they run, then version
 * 3 (today's code); every set completes correctly, GET /v1/journeys/counts reports how many
 * run on each version at every step, and every history, old and new, replays on today's code.
 */

const V1_ENTRY = fileURLToPath(new URL('../workflows/fixtures/lead-journey-v1.workflow.ts', import.meta.url))
const V2_ENTRY = fileURLToPath(new URL('../workflows/fixtures/lead-journey-v2.workflow.ts', import.meta.url))

type Counts = { running: number; byVersion: { version: string; running: number }[] }
type Journey = { stage: string; version?: string; source: string; score: number }

let database: TestDatabase
let app: FastifyInstance
let worker: TestWorker | undefined
let config: ReturnType<typeof testConfig>
const taskQueue = uniqueTaskQueue('journey-versions')
const figures: Record<string, unknown> = { counts: [] as unknown[] }

beforeAll(async () => {
  const namespace = await createJourneyNamespace('journey-versions')
  config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_NAMESPACE: namespace })
  figures['namespace'] = namespace
  database = await createTestDatabase()
  app = await buildTestApp({ config, db: database.db })
}, 60_000)
afterAll(async () => {
  await mkdir('test-results/guarantees', { recursive: true })
  await writeFile('test-results/guarantees/journey-versions.json', `${JSON.stringify(figures, null, 2)}\n`)
  await app?.close()
  await worker?.stop()
  await database?.drop()
})

async function api<T>(method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300)
  return res.json<T>()
}

/** A lead without marketing consent: its journey waits a week for first contact, so it runs until ended. */
async function capture(name: string): Promise<string> {
  const { id } = await api<{ id: string }>('POST', '/v1/leads', {
    channel: 'web_form',
    firstName: name,
    email: `${name.toLowerCase()}@customer-${uuidv7().slice(-6)}.in`,
    country: 'IN',
  })
  return id
}

/** The deploy: the running workers stop and workers with `bundle` take the task queue. */
async function deploy(bundle: { code: string }) {
  await worker?.stop()
  worker = await startTestWorker({
    config,
    db: database.db,
    databaseUrl: database.url,
    taskQueue,
    workflowBundle: bundle,
  })
}

const byVersion = (c: Counts) => Object.fromEntries(c.byVersion.map((v) => [v.version, v.running]))

/** Waits for the API's counts (visibility trails by a moment), then keeps them as a figure. */
async function countsAre(step: string, expected: Record<string, number>) {
  await expect
    .poll(async () => byVersion(await api<Counts>('GET', '/v1/journeys/counts')), {
      timeout: 30_000,
      interval: 250,
    })
    .toEqual(expected)
  const counts = await api<Counts>('GET', '/v1/journeys/counts')
  expect(counts.running).toBe(Object.values(expected).reduce((a, b) => a + b, 0))
  ;(figures['counts'] as unknown[]).push({ step, running: counts.running, byVersion: byVersion(counts) })
}

const journey = (leadId: string) => api<Journey>('GET', `/v1/leads/${leadId}/journey`)
const engage = (leadId: string) => api('POST', `/v1/leads/${leadId}/engagement`, { event: 'emailReply' })

describe('journeys versioned in flight', () => {
  it('journeys started on version 1 and 2 keep running through two deploys, complete correctly, and are counted per version', async () => {
    const bundle = (workflowsPath: string) =>
      bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') })
    const [v1Bundle, v2Bundle] = [await bundle(V1_ENTRY), await bundle(V2_ENTRY)]

    // Version 1 is live: two leads start their journeys on it.
    await deploy(v1Bundle)
    const v1a = await capture('Anand')
    const v1b = await capture('Bhavna')
    await countsAre('version 1 live', { '1': 2 })

    // Version 2 is deployed while they wait. New leads start on it; a version-1 journey moves
    // to version 2 at its next event (a reply here), carrying the event over.
    await deploy(v2Bundle)
    const v2a = await capture('Chitra')
    const v2b = await capture('Dev')
    await engage(v1a)
    await countsAre('version 2 deployed, one version-1 journey upgraded', { '1': 1, '2': 3 })
    expect(await journey(v1a)).toMatchObject({ source: 'workflow', version: '2', stage: 'Contacted' })

    // Version 3 (today's code) is deployed. Version-2 journeys replay on it and stay version 2
    // (they have not reached its new step); the last version-1 journey upgrades straight to 3.
    await deploy(await workflowBundle())
    const v3a = await capture('Esha')
    const v3b = await capture('Farid')
    await countsAre('version 3 deployed', { '1': 1, '2': 3, '3': 2 })
    await engage(v1b)
    await countsAre('the last version-1 journey upgraded', { '2': 3, '3': 3 })
    expect(await journey(v1b)).toMatchObject({ source: 'workflow', version: '3', stage: 'Contacted' })
    expect(await journey(v2a)).toMatchObject({ source: 'workflow', version: '2', stage: 'New' })
    expect(await journey(v3a)).toMatchObject({ source: 'workflow', version: '3', stage: 'New' })

    // Every journey, whatever code it started on, takes a command on today's code and completes.
    const sets = { startedOnV1: [v1a, v1b], startedOnV2: [v2a, v2b], startedOnV3: [v3a, v3b] }
    const all = Object.values(sets).flat()
    for (const leadId of all)
      await api('POST', `/v1/leads/${leadId}/disqualify`, { reason: 'proof of versioned journeys' })
    const { client, connection, codec } = testTemporalClient(config, database.db)
    try {
      const outcomes: Record<string, { stage: string; version: string | undefined; status: string }[]> = {}
      for (const [set, leads] of Object.entries(sets)) {
        outcomes[set] = []
        for (const leadId of leads) {
          const handle = client.workflow.getHandle(leadJourneyId(leadId))
          const result = (await handle.result()) as { leadId: string; stage: string }
          expect(result).toMatchObject({ leadId, stage: 'Disqualified' })
          const row = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
          expect(row).toMatchObject({ status: 'DISQUALIFIED', journeyStage: 'Disqualified' })
          const description = await handle.describe()
          outcomes[set].push({
            stage: result.stage,
            version: description.typedSearchAttributes.get(JOURNEY_VERSION),
            status: description.status.name,
          })
        }
      }
      // The version each finished on: the one it ran last (version 1 ran nothing to the end).
      expect(outcomes).toEqual({
        startedOnV1: [
          { stage: 'Disqualified', version: '2', status: 'COMPLETED' },
          { stage: 'Disqualified', version: '3', status: 'COMPLETED' },
        ],
        startedOnV2: [
          { stage: 'Disqualified', version: '2', status: 'COMPLETED' },
          { stage: 'Disqualified', version: '2', status: 'COMPLETED' },
        ],
        startedOnV3: [
          { stage: 'Disqualified', version: '3', status: 'COMPLETED' },
          { stage: 'Disqualified', version: '3', status: 'COMPLETED' },
        ],
      })
      figures['completed'] = outcomes
      await countsAre('all completed', {})

      // Every run's history (the version-1 runs, the runs started on version 2 and finished on
      // version 3, the version-3 ones) replays on today's code.
      await expect
        .poll(async () => (await client.workflow.count(`TaskQueue = '${taskQueue}'`)).count, {
          timeout: 15_000,
        })
        .toBe(all.length + 2)
      const replays = Worker.runReplayHistories(
        { workflowBundle: await workflowBundle(), dataConverter: { payloadCodecs: [codec] } },
        client.workflow.list({ query: `TaskQueue = '${taskQueue}'` }).intoHistories(),
      )
      const replayed: { workflowId: string; error: string | null }[] = []
      for await (const r of replays)
        replayed.push({ workflowId: r.workflowId, error: r.error?.message ?? null })
      expect(replayed.filter((r) => r.error !== null)).toEqual([])
      expect(replayed).toHaveLength(all.length + 2)
      figures['historiesReplayed'] = { runs: replayed.length, failures: 0 }
    } finally {
      await connection.close()
    }
  }, 180_000)
})
