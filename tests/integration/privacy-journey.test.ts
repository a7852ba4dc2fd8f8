import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { waitFor } from '../../platform/process/child-process.js'
import { leadJourneyId } from '../../workflows/lead-journey.messages.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startTestWorker, testTemporalClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'

/*
 * Erasure reaches the person's running journey: the `lead.erased` outbox event, written in
 * the erasure's transaction, is relayed to Temporal and terminates the workflow, so nothing
 * acts on the erased person any more (no message, no task). Real parts: PostgreSQL, the
 * Temporal dev server, a worker with its relay, the API.
 */

let database: TestDatabase
let worker: TestWorker
let app: FastifyInstance
const taskQueue = uniqueTaskQueue('privacy-journey')
const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue })

beforeAll(async () => {
  database = await createTestDatabase()
  worker = await startTestWorker({ config, db: database.db, databaseUrl: database.url, taskQueue })
  app = await buildTestApp({ config, db: database.db })
})
afterAll(async () => {
  await app?.close()
  await worker?.stop()
  await database?.drop()
})

it('terminates the erased lead’s journey through the outbox', async () => {
  const captured = await app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: {
      channel: 'web_form',
      firstName: 'Farah',
      lastName: 'Quraishi',
      email: 'farah.q@example.in',
      company: 'Example Labs',
      consent: { granted: true, channels: ['email'], source: 'web_form:demo' },
    },
  })
  expect(captured.statusCode, captured.body).toBe(202)
  const leadId = captured.json<{ id: string }>().id
  const temporal = testTemporalClient(config, database.db)
  try {
    const handle = temporal.client.workflow.getHandle(leadJourneyId(leadId))
    const status = async () => (await handle.describe().catch(() => null))?.status.name
    await waitFor(async () => (await status()) === 'RUNNING', 20_000, 'the journey to start')

    const erased = await app.inject({ method: 'POST', url: '/v1/privacy/erasures', payload: { leadId } })
    expect(erased.statusCode, erased.body).toBe(200)

    await waitFor(async () => (await status()) === 'TERMINATED', 20_000, 'the journey to be terminated')
    const outbox = await database.db.outboxEvent.findFirstOrThrow({
      where: { topic: 'lead.erased', aggregateId: leadId },
    })
    await waitFor(
      async () =>
        (await database.db.outboxEvent.findUniqueOrThrow({ where: { id: outbox.id } })).dispatchedAt !== null,
      10_000,
      'the erasure event to be marked dispatched',
    )

    // Erasing again: the journey has ended, and the relay takes that as done.
    const again = await app.inject({ method: 'POST', url: '/v1/privacy/erasures', payload: { leadId } })
    expect(again.statusCode, again.body).toBe(200)
    await waitFor(
      async () =>
        (await database.db.outboxEvent.count({
          where: { topic: 'lead.erased', aggregateId: leadId, dispatchedAt: null },
        })) === 0,
      10_000,
      'the second erasure event to be dispatched without error',
    )
    expect(
      await database.db.outboxEvent.count({ where: { topic: 'lead.erased', lastError: { not: null } } }),
    ).toBe(0)
  } finally {
    await temporal.connection.close()
  }
})
