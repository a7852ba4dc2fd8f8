import { mkdir, writeFile } from 'node:fs/promises'
import { Client } from '@temporalio/client'
import type { Payload } from '@temporalio/common'
import { temporal } from '@temporalio/proto'
import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { waitFor } from '../../platform/process/child-process.js'
import { createPayloadCodec, isEncrypted } from '../../platform/temporal/payload-codec.js'
import { buildTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startTestWorker, testTemporalClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'

/*
 * Guarantee 5: erasure reaches workflow history. A person's journey carries their words into
 * Temporal (the SDR's qualification notes, with their name, email and phone); every payload
 * is encrypted under the person's key (payload_key), so the server only ever holds
 * ciphertext. Erasure destroys the key: afterwards the history fetched from the server cannot
 * be decoded by anyone, a byte search of the server's histories and of every database column
 * finds none of their identifiers, the journey is terminated, and reports count the same.
 */

const UI_ORIGIN = 'http://temporal-ui.example.test'
const taskQueue = uniqueTaskQueue('erasure-history')
const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_CODEC_ORIGINS: UI_ORIGIN })

const PERSON = {
  firstName: 'Zenobia',
  lastName: 'Quillfeather',
  email: 'Zenobia.Quillfeather@quill-ventures.in',
  phone: '+91 98201 55501',
}
const NEEDLES = ['zenobia.quillfeather@quill-ventures.in', '9820155501', 'quillfeather']

let database: TestDatabase
let worker: TestWorker
let app: FastifyInstance
let client: ReturnType<typeof testTemporalClient>
/** A client without the codec: what anyone with access to the Temporal server sees. */
let raw: Client

beforeAll(async () => {
  database = await createTestDatabase()
  worker = await startTestWorker({ config, db: database.db, databaseUrl: database.url, taskQueue })
  app = await buildTestApp({ config, db: database.db })
  client = testTemporalClient(config, database.db)
  raw = new Client({ connection: client.connection, namespace: config.TEMPORAL_NAMESPACE })
  // Never quiet: the test runs at any hour.
  await database.db.ruleSet.create({
    data: {
      id: uuidv7(),
      kind: 'journey',
      version: 2,
      status: 'active',
      definition: { quietHours: { start: '00:00', end: '00:00', weekendsQuiet: false } },
      createdBy: 'test',
    },
  })
})
afterAll(async () => {
  await app?.close()
  await worker?.stop()
  await client?.connection.close()
  await database?.drop()
})

async function post(url: string, payload: object, status = 200) {
  const res = await app.inject({ method: 'POST', url, payload })
  expect(res.statusCode, res.body).toBe(status)
  return res.json<Record<string, unknown>>()
}

async function stage(leadId: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/v1/leads/${leadId}/journey` })
  return res.statusCode === 200 ? res.json<{ stage: string }>().stage : `HTTP ${res.statusCode}`
}

/** A person captured, engaged into qualification and qualified with the SDR's notes: a running journey. */
async function journeyOf(person: typeof PERSON, company: string): Promise<string> {
  const { id } = (await post(
    '/v1/leads',
    {
      channel: 'web_form',
      ...person,
      company,
      title: 'VP Sales',
      industry: 'software',
      companySize: '201-500',
      country: 'IN',
      consent: { granted: true, channels: ['email'], source: 'web_form:demo', textVersion: 'v3' },
    },
    202,
  )) as { id: string }
  await waitFor(async () => (await stage(id)) === 'Nurturing', 20_000, 'the journey to start')
  await post(`/v1/leads/${id}/engagement`, { event: 'emailReply' })
  for (let i = 0; i < 10 && (await stage(id)) !== 'Qualification'; i++)
    await post(`/v1/leads/${id}/engagement`, { event: 'call' })
  await waitFor(async () => (await stage(id)) === 'Qualification', 20_000, 'qualification')
  const said = `${person.firstName} ${person.lastName} (${person.email}, ${person.phone})`
  await post(`/v1/leads/${id}/qualification`, {
    framework: 'BANT',
    criteria: {
      budget: { status: 'confirmed', amount: 1500000, currency: 'INR', note: `${said} confirmed the budget` },
      authority: { status: 'confirmed', role: 'decision_maker' },
      need: { status: 'confirmed', note: `${said} needs it by March` },
      timeline: { status: 'partial', targetDate: '2031-03-01' },
    },
  })
  return id
}

/**
 * Every payload in a history that application code wrote, found by shape (metadata + data)
 * wherever the event keeps it. Search attributes are left out (the server must index them,
 * so no codec touches them: they hold stage, score, owner id and version, never a person),
 * and so are the SDK's patch markers (a patch id).
 */
function payloadsIn(node: unknown, found: Payload[] = []): Payload[] {
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return found
  const o = node as Record<string, unknown>
  if (o['markerName'] === 'core_patch') return found
  if (o['metadata'] && typeof o['metadata'] === 'object' && ArrayBuffer.isView(o['data']))
    found.push(o as Payload)
  else for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes') payloadsIn(v, found)
  return found
}

/** Bytes of the person's identifiers in clear in a buffer (each occurrence × its length). */
function clearBytes(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1').toLowerCase()
  let total = 0
  for (const needle of NEEDLES) total += (text.split(needle).length - 1) * needle.length
  return total
}

/** The journey's history as the Temporal server returns it, with its payloads, raw and decoded. */
async function history(leadId: string) {
  const h = await raw.workflow.getHandle(`lead/${leadId}`).fetchHistory()
  const bytes = temporal.api.history.v1.History.encode(h).finish()
  const payloads = payloadsIn(h.events)
  // A fresh codec: no cached key, so it reads the key table as any new process would.
  const codec = createPayloadCodec(database.db, config).codec
  const decoded = await Promise.all(payloads.map((p) => codec.tryDecode(p).catch(() => null)))
  const readable = decoded.filter((p): p is Payload => p !== null)
  return {
    events: h.events?.length ?? 0,
    bytes,
    payloads,
    encrypted: payloads.filter(isEncrypted).length,
    decodable: readable.length,
    clearBytesRaw: clearBytes(bytes),
    clearBytesDecoded: readable.reduce((n, p) => n + clearBytes(p.data ?? new Uint8Array()), 0),
  }
}

/** Rows of every text and JSON column of every table that hold one of the identifiers. */
async function databaseRowsNaming(): Promise<{ table: string; column: string; rows: number }[]> {
  const columns = await database.db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public'
       AND (data_type IN ('text', 'character varying', 'json', 'jsonb', 'character', 'bytea')
            OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))`
  const found = []
  for (const { table_name: table, column_name: column } of columns) {
    const cast = column === 'wrapped_key' ? `encode("${column}", 'escape')` : `"${column}"::text`
    const [row] = await database.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE ${cast} ILIKE ANY($1::text[])`,
      NEEDLES.map((n) => `%${n}%`),
    )
    if (row!.n > 0) found.push({ table, column, rows: row!.n })
  }
  return found
}

async function reports() {
  const funnel = await app.inject({ method: 'GET', url: '/v1/reports/funnel' })
  const attribution = await app.inject({ method: 'GET', url: '/v1/reports/attribution' })
  expect(funnel.statusCode, funnel.body).toBe(200)
  return { funnel: funnel.json(), attribution: attribution.json() }
}

const asJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
})
async function decodeThroughEndpoint(payloads: Payload[], headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/codec/decode',
    headers: { 'x-namespace': 'default', ...headers },
    payload: { payloads: payloads.map(asJson) },
  })
}
const clearIn = (body: { payloads: { data: string }[] }) =>
  body.payloads.reduce((n, p) => n + clearBytes(Buffer.from(p.data, 'base64')), 0)

it('after erasure the person’s workflow history cannot be decoded and names them nowhere, in Temporal or PostgreSQL', async () => {
  const leadId = await journeyOf(PERSON, 'Quill Ventures')
  const otherId = await journeyOf(
    { firstName: 'Ravi', lastName: 'Menon', email: 'ravi.menon@menon-labs.in', phone: '+91 98450 77777' },
    'Menon Labs',
  )

  // Before: the server holds ciphertext only, yet the history does carry the person.
  const before = await history(leadId)
  expect(before.payloads.length).toBeGreaterThan(10)
  expect(before.encrypted).toBe(before.payloads.length)
  expect(before.clearBytesRaw).toBe(0)
  expect(before.decodable).toBe(before.payloads.length)
  expect(before.clearBytesDecoded).toBeGreaterThan(0)
  const reportsBefore = await reports()

  // The codec endpoint decodes for those who may read the lead, and nobody else.
  const admin = await decodeThroughEndpoint(before.payloads)
  expect(admin.statusCode, admin.body).toBe(200)
  expect(clearIn(admin.json())).toBe(before.clearBytesDecoded)
  const stranger = await decodeThroughEndpoint(
    before.payloads,
    (await userWithRole(database.db, 'sdr')).headers,
  )
  expect(stranger.statusCode, stranger.body).toBe(200)
  expect(clearIn(stranger.json())).toBe(0)
  expect(stranger.json()).toEqual({ payloads: before.payloads.map(asJson) })
  const noJourneyRead = await decodeThroughEndpoint(
    before.payloads,
    (await userWithRole(database.db, 'support')).headers,
  )
  expect(noJourneyRead.statusCode).toBe(403)

  const erased = await post('/v1/privacy/erasures', { email: PERSON.email })
  expect(erased['destroyedPayloadKeys']).toContain(`lead:${leadId}`)
  expect((erased['deleted'] as Record<string, number>)['payloadKeys']).toBe(1)

  // The journey is stopped, and its history is noise to everyone, the operator included.
  // Read from the server itself: the SDK's describe() decodes the memo, which no key opens now.
  const status = async () =>
    (
      await raw.workflowService.describeWorkflowExecution({
        namespace: config.TEMPORAL_NAMESPACE,
        execution: { workflowId: `lead/${leadId}` },
      })
    ).workflowExecutionInfo?.status
  await waitFor(
    async () =>
      (await status()) === temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
    20_000,
    'the journey to be terminated',
  )
  const after = await history(leadId)
  expect(after.events).toBeGreaterThanOrEqual(before.events)
  expect(after.decodable).toBe(0)
  expect(after.clearBytesRaw).toBe(0)
  const adminAfter = await decodeThroughEndpoint(after.payloads)
  expect(adminAfter.json()).toEqual({ payloads: after.payloads.map(asJson) })
  // The search attributes and memo the server indexes name nobody either.
  const listed = await raw.workflowService.listWorkflowExecutions({
    namespace: config.TEMPORAL_NAMESPACE,
    query: `WorkflowId = 'lead/${leadId}'`,
  })
  expect(listed.executions).toHaveLength(1)
  const indexed = temporal.api.workflow.v1.WorkflowExecutionInfo.encode(listed.executions[0]!).finish()
  expect(clearBytes(indexed)).toBe(0)

  // PostgreSQL: no column of any table names them; the key itself is gone.
  expect(await databaseRowsNaming()).toEqual([])
  expect(
    await database.db.payloadKey.findUniqueOrThrow({ where: { subject: `lead:${leadId}` } }),
  ).toMatchObject({ wrappedKey: null, destroyedAt: expect.any(Date) })

  // Someone else's journey is untouched, and the reports count what they counted.
  const other = await history(otherId)
  expect(other.decodable).toBe(other.payloads.length)
  expect(await reports()).toEqual(reportsBefore)
  // The lead's page still answers; its journey's state is simply gone with the key.
  const page = await app.inject({ method: 'GET', url: `/v1/leads/${leadId}` })
  expect(page.statusCode, page.body).toBe(200)

  await mkdir('test-results/guarantees', { recursive: true })
  await writeFile(
    'test-results/guarantees/erasure-through-history.json',
    JSON.stringify(
      {
        historyEvents: after.events,
        payloadsInHistory: after.payloads.length,
        encryptedPayloads: after.encrypted,
        decodableBeforeErasure: before.decodable,
        clearPersonalBytesInDecodedHistoryBeforeErasure: before.clearBytesDecoded,
        clearPersonalBytesOnServerBeforeErasure: before.clearBytesRaw,
        decodableAfterErasure: after.decodable,
        clearPersonalBytesOnServerAfterErasure: after.clearBytesRaw,
        databaseColumnsNamingThePersonAfterErasure: 0,
      },
      null,
      2,
    ),
  )
})
