import { openJourneyTask } from '../../crm/tasks.js'
import type { Client } from '@temporalio/client'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../platform/config.js'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { OutboxRelay, relaySettings } from '../../ingestion/outbox/relay.js'
import { freePort, waitFor } from '../../platform/process/child-process.js'
import { startTemporalDevServer, type DevServer } from '../../platform/temporal/dev-server.js'
import { JOURNEY_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'
import {
  silentLog,
  startTestWorker,
  testTemporalClient,
  uniqueTaskQueue,
  type TestWorker,
} from '../support/temporal.js'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.drop()
})
afterEach(async () => {
  await truncateAll(database.db)
})

/** A relay on this file's database, handing events to `client` on the config's task queue. */
function relayFor(config: Config, client: Client): OutboxRelay {
  return new OutboxRelay({
    ...relaySettings(config),
    db: database.db,
    databaseUrl: database.url,
    dispatch: { temporal: client, taskQueue: config.TEMPORAL_TASK_QUEUE },
    log: silentLog,
  })
}

async function postLead(app: FastifyInstance, body: Record<string, unknown>, requestId?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: body,
    headers: requestId ? { 'x-request-id': requestId } : {},
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string; journey: { workflowId: string; status: string } }>()
}

describe('a lead posted to the API starts its journey through the outbox', () => {
  it('stores the lead, relays the event and the journey runs its first activity', async () => {
    const taskQueue = uniqueTaskQueue('slice')
    const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue })
    const worker = await startTestWorker({ config, db: database.db, databaseUrl: database.url, taskQueue })
    const app = await buildTestApp({ config, db: database.db })
    try {
      const lead = await postLead(
        app,
        { firstName: 'Asha', email: 'asha@example.in', channel: 'web_form' },
        'req-slice-1',
      )
      expect(lead.journey).toEqual({ workflowId: `lead/${lead.id}`, status: 'PENDING' })

      // The journey's activity marks the lead: proof the workflow really ran on the worker.
      await waitFor(
        async () =>
          (await database.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).journeyStartedAt !== null,
        15_000,
        'the journey to record its start',
      )
      const read = await app.inject({ method: 'GET', url: `/v1/leads/${lead.id}` })
      expect(read.statusCode).toBe(200)
      expect(read.json()).toMatchObject({
        id: lead.id,
        channel: 'web_form',
        firstName: 'Asha',
        createdBy: 'user:test-admin',
        journey: { workflowId: `lead/${lead.id}`, status: 'RUNNING', stage: 'New' },
      })

      const event = await database.db.outboxEvent.findFirstOrThrow({ where: { aggregateId: lead.id } })
      expect(event.dispatchedAt).not.toBeNull()
      expect(event.requestId).toBe('req-slice-1')
      const { client } = testTemporalClient(config, database.db)
      const description = await client.workflow.getHandle(`lead/${lead.id}`).describe()
      expect(description.memo).toEqual({ requestId: 'req-slice-1' })
      expect(description.taskQueue).toBe(taskQueue)
    } finally {
      await app.close()
      await worker.stop()
    }
  })

  it("a merge ends the duplicate's journey; unlinking it again starts a fresh one", async () => {
    const taskQueue = uniqueTaskQueue('merge')
    const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue })
    const worker = await startTestWorker({ config, db: database.db, databaseUrl: database.url, taskQueue })
    const app = await buildTestApp({ config, db: database.db })
    const { client, connection } = testTemporalClient(config, database.db)
    const status = async (id: string) =>
      (await client.workflow.getHandle(`lead/${id}`).describe()).status.name
    try {
      const a = await postLead(app, { email: 'keep@merge.example' })
      const b = await postLead(app, { phone: '+91 90000 55555' })
      await waitFor(
        async () => (await database.db.lead.count({ where: { journeyStartedAt: null } })) === 0,
        15_000,
        'both journeys to run',
      )
      const open = await openJourneyTask(database.db, {
        leadId: b.id,
        workflowId: `lead/${b.id}`,
        kind: 'first_contact',
        cycle: 1,
        attempt: 1,
        dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      })
      const merged = await app.inject({
        method: 'POST',
        url: `/v1/leads/${a.id}/merge`,
        payload: { duplicateId: b.id },
      })
      expect(merged.statusCode, merged.body).toBe(200)
      await waitFor(
        async () => (await status(b.id)) === 'CANCELLED',
        15_000,
        "the duplicate's journey to be cancelled",
      )
      expect(await status(a.id)).toBe('RUNNING')
      // Its open task closed with it: it no longer waits in an SDR's inbox.
      expect(await database.db.task.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({
        status: 'done',
        outcome: 'merged',
      })
      const firstRun = (await client.workflow.getHandle(`lead/${b.id}`).describe()).runId

      const unlinked = await app.inject({ method: 'POST', url: `/v1/leads/${b.id}/not-duplicate` })
      expect(unlinked.statusCode).toBe(200)
      await waitFor(
        async () => (await status(b.id)) === 'RUNNING',
        15_000,
        'a new journey for the unlinked lead',
      )
      expect((await client.workflow.getHandle(`lead/${b.id}`).describe()).runId).not.toBe(firstRun)
      await Promise.all(
        [a.id, b.id].map((id) => client.workflow.getHandle(`lead/${id}`).terminate('test done')),
      )
    } finally {
      await app.close()
      await connection.close()
      await worker.stop()
    }
  })

  it('wakes on NOTIFY: a new lead is relayed at once, not at the next poll', async () => {
    const taskQueue = uniqueTaskQueue('notify')
    // A poll interval of a minute: only the outbox trigger's NOTIFY can explain a quick hand-over.
    const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, OUTBOX_POLL_INTERVAL_MS: '60000' })
    const { client, connection } = testTemporalClient(config, database.db)
    const relay = relayFor(config, client)
    const app = await buildTestApp({ config, db: database.db })
    await relay.start()
    try {
      await new Promise((r) => setTimeout(r, 200)) // the relay's first (empty) round is over
      const lead = await postLead(app, { email: 'notify@relay.example' })
      const t0 = Date.now()
      await waitFor(
        async () =>
          (await database.db.outboxEvent.findFirstOrThrow({ where: { aggregateId: lead.id } }))
            .dispatchedAt !== null,
        5_000,
        'the relay to wake on NOTIFY',
      )
      expect(Date.now() - t0).toBeLessThan(5_000)
      await client.workflow.getHandle(`lead/${lead.id}`).terminate('test done')

      // The LISTEN session dies (a database restart, a failover): the relay opens a new one.
      const killed = await database.db.$queryRaw<{ killed: boolean }[]>`
        SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN outbox_event'`
      expect(killed).toEqual([{ killed: true }])
      await waitFor(async () => !relay.listening, 5_000, 'the relay to notice its LISTEN session is gone')
      await waitFor(async () => relay.listening, 10_000, 'the relay to listen again')
      const after = await postLead(app, { email: 'relisten@relay.example' })
      await waitFor(
        async () =>
          (await database.db.outboxEvent.findFirstOrThrow({ where: { aggregateId: after.id } }))
            .dispatchedAt !== null,
        5_000,
        'the relay to wake on NOTIFY after re-listening',
      )
      await client.workflow.getHandle(`lead/${after.id}`).terminate('test done')
    } finally {
      await relay.stop()
      await app.close()
      await connection.close()
    }
  })

  it('accepts leads while Temporal is down and starts each journey exactly once when it is back', async () => {
    const port = await freePort()
    const address = `127.0.0.1:${port}`
    const taskQueue = uniqueTaskQueue('outage')
    // Only this test's relay hands events over: the worker's own relay is off, so the
    // counts below cannot be taken by a second relay racing it.
    const config = testConfig({
      TEMPORAL_TASK_QUEUE: taskQueue,
      OUTBOX_MAX_BACKOFF_MS: '200',
      OUTBOX_DISPATCH_TIMEOUT_MS: '1000',
      OUTBOX_RELAY_ENABLED: 'false',
    })
    const { client, connection } = testTemporalClient(config, database.db, address)
    const relay = relayFor(config, client)
    const app = await buildTestApp({ config, db: database.db, temporalAddress: address })
    let server: DevServer | undefined
    let worker: TestWorker | undefined
    try {
      // Temporal is down: the API still takes leads, and says it is not ready.
      const leads = await Promise.all(
        [1, 2, 3].map((i) => postLead(app, { firstName: `Down ${i}`, email: `down${i}@outage.example` })),
      )
      const ready = await app.inject({ method: 'GET', url: '/ready' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({
        status: 'not_ready',
        checks: { postgres: { status: 'up' }, temporal: { status: 'down' } },
      })

      const failedRound = await relay.runOnce()
      expect(failedRound).toEqual({ claimed: 3, dispatched: 0, failed: 3 })
      const waiting = await database.db.outboxEvent.findMany()
      expect(waiting).toHaveLength(3)
      for (const event of waiting) {
        expect(event.dispatchedAt).toBeNull()
        expect(event.attempts).toBe(1)
        expect(event.lastError).toBeTruthy()
      }

      // Temporal comes back on the same address.
      server = await startTemporalDevServer({
        cliPath: inject('temporalCliPath') || undefined,
        port,
        namespace: config.TEMPORAL_NAMESPACE,
        searchAttributes: JOURNEY_SEARCH_ATTRIBUTES,
        log: silentLog,
      })
      worker = await startTestWorker({
        config,
        db: database.db,
        databaseUrl: database.url,
        taskQueue,
        address,
      })
      await waitFor(
        async () => {
          await relay.runOnce()
          return (await database.db.outboxEvent.count({ where: { dispatchedAt: null } })) === 0
        },
        20_000,
        'the relay to hand every waiting lead to Temporal',
      )
      await waitFor(
        async () => (await database.db.lead.count({ where: { journeyStartedAt: null } })) === 0,
        15_000,
        'every journey to run',
      )
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200)

      // A relay that crashed after starting a journey but before marking the event runs it again:
      // the same journey is found, no second one starts.
      const runIds = await Promise.all(
        leads.map(async (l) => (await client.workflow.getHandle(`lead/${l.id}`).describe()).runId),
      )
      await database.db.outboxEvent.updateMany({ data: { dispatchedAt: null, availableAt: new Date(0) } })
      expect(await relay.runOnce()).toEqual({ claimed: 3, dispatched: 3, failed: 0 })
      for (const [i, lead] of leads.entries()) {
        const handle = client.workflow.getHandle(`lead/${lead.id}`)
        expect((await handle.describe()).runId).toBe(runIds[i])
      }
      await waitFor(
        async () =>
          (await client.workflow.count(`WorkflowType = 'leadJourney' AND TaskQueue = '${taskQueue}'`))
            .count === 3,
        10_000,
        'visibility to list the journeys',
      )
    } finally {
      await app.close()
      await worker?.stop()
      await connection.close()
      await server?.stop()
    }
  })

  it('lets several relays drain the outbox side by side without starting a journey twice', async () => {
    const taskQueue = uniqueTaskQueue('relays')
    const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, OUTBOX_BATCH_SIZE: '7' })
    const app = await buildTestApp({ config, db: database.db })
    const { client, connection } = testTemporalClient(config, database.db)
    const relays = [1, 2, 3].map(() => relayFor(config, client))
    try {
      const leads = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          postLead(app, { firstName: `Lead ${i}`, email: `lead${i}@relays.example` }),
        ),
      )
      let dispatched = 0
      for (;;) {
        const rounds = await Promise.all(relays.map((r) => r.runOnce()))
        const claimed = rounds.reduce((n, r) => n + r.claimed, 0)
        dispatched += rounds.reduce((n, r) => n + r.dispatched, 0)
        if (claimed === 0) break
      }
      // Each event claimed by exactly one relay: 40 dispatches for 40 leads, not more.
      expect(dispatched).toBe(40)
      expect(await database.db.outboxEvent.count({ where: { attempts: { not: 1 } } })).toBe(0)
      await waitFor(
        async () => (await client.workflow.count(`TaskQueue = '${taskQueue}'`)).count === leads.length,
        10_000,
        'visibility to list 40 journeys',
      )
      // Terminate: no worker polls this queue, nothing else should outlive the test.
      await Promise.all(leads.map((l) => client.workflow.getHandle(`lead/${l.id}`).terminate('test done')))
    } finally {
      await app.close()
      await connection.close()
    }
  })
})
