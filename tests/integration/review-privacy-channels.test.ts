import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'
import { createForm, SITE } from '../connectors/web-form/form-helpers.js'
import { partnerWithKey, postSigned } from '../connectors/partner-api/partner-helpers.js'
import { BASE, FALLBACK, postTwilio, sid, TOKEN, voiceParams } from '../connectors/twilio/twilio-helpers.js'

/*
 * Review: a person who reached us through the public web form, a partner's API, a phone call
 * and a CSV import, and whom a user looked up in a lead export, is erased; no column of any
 * table (nor the stored import file) may still hold their email, phone or unusual last name.
 */

const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 5_000)
let database: TestDatabase
let app: FastifyInstance
let dir: string

beforeAll(async () => {
  database = await createTestDatabase()
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-review-privacy-'))
  app = await buildTestApp({
    config: testConfig({
      TWILIO_AUTH_TOKEN: TOKEN,
      PUBLIC_BASE_URL: BASE,
      TWILIO_FALLBACK_NUMBER: FALLBACK,
      IMPORT_DIR: dir,
    }),
    db: database.db,
    clock: () => NOW,
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
  if (dir) await rm(dir, { recursive: true, force: true })
})
afterEach(async () => truncateAll(database.db))

const EMAIL = 'zoravar.khandelwalji@kestrel-mills.in'
const PHONE_E164 = '+919845012345'
const NEEDLES = [EMAIL, '9845012345', 'khandelwalji']

async function scan(): Promise<{ table: string; column: string; rows: number }[]> {
  const columns = await database.db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public'
       AND (data_type IN ('text', 'character varying', 'json', 'jsonb', 'character')
            OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))`
  const found: { table: string; column: string; rows: number }[] = []
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await database.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE ANY($1::text[])`,
      NEEDLES.map((n) => `%${n}%`),
    )
    if (row!.n > 0) found.push({ table, column, rows: row!.n })
  }
  return found.sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`))
}

async function webForm() {
  await createForm(app)
  const res = await app.inject({
    method: 'POST',
    url: '/f/pricing',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: SITE,
      accept: 'application/json',
    },
    payload: new URLSearchParams({
      your_name: 'Zoravar Khandelwalji',
      work_email: EMAIL,
      mobile: '+91 98450 12345',
      org: 'Kestrel Mills',
      agree: 'yes',
      consent_text_version: 'consent-2026-01',
      website_url: '',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring-pricing',
      referrer: `https://mail.example.org/?to=${encodeURIComponent(EMAIL)}`,
      landing_page: `${SITE}/pricing?email=${encodeURIComponent(EMAIL)}`,
      submission_id: '7d4e3c1a-0b8f-4c2e-9a51-3f0d2b6c9e11',
    }).toString(),
  })
  expect(res.statusCode, res.body).toBe(201)
}

async function partner() {
  const { key } = await partnerWithKey(app, { id: 'acme' })
  const res = await postSigned(app, {
    key,
    body: {
      partnerLeadId: 'pl-1001',
      firstName: 'Zoravar',
      lastName: 'Khandelwalji',
      email: EMAIL,
      phone: PHONE_E164,
      company: 'Kestrel Mills',
      need: 'Wants a demo next week',
    },
    idempotencyKey: 'order-7781',
    at: NOW,
  })
  expect(res.statusCode, res.body).toBe(202)
}

async function call() {
  const callSid = sid('CA')
  const voice = await postTwilio(
    app,
    '/webhooks/twilio/voice',
    voiceParams(callSid, PHONE_E164, { FromCountry: 'IN' }),
  )
  expect(voice.statusCode, voice.body).toBe(200)
  const status = await postTwilio(app, '/webhooks/twilio/status', {
    ...voiceParams(callSid, PHONE_E164),
    CallStatus: 'completed',
    CallDuration: '42',
  })
  expect(status.statusCode, status.body).toBe(200)
  const recordingSid = sid('RE')
  const rec = await postTwilio(app, '/webhooks/twilio/recording', {
    AccountSid: 'AC00000000000000000000000000000001',
    CallSid: callSid,
    RecordingSid: recordingSid,
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${recordingSid}`,
    RecordingDuration: '17',
    RecordingStatus: 'completed',
  })
  expect(rec.statusCode, rec.body).toBe(200)
}

async function csvImport() {
  const csv = [
    'Name,Email,Mobile,Company Name,City',
    `Zoravar Khandelwalji,${EMAIL},9845012345,Kestrel Mills,Pune`,
    'Meena Iyer,meena@lotus.example.in,+91 98450 99999,Lotus Foods,Bengaluru',
  ].join('\r\n')
  const up = await app.inject({
    method: 'POST',
    url: `/v1/imports?fileName=expo.csv`,
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  })
  expect(up.statusCode, up.body).toBe(201)
  const id = up.json<{ job: { id: string } }>().job.id
  const run = await app.inject({
    method: 'POST',
    url: `/v1/imports/${id}/run`,
    payload: { defaults: { campaign: 'expo', source: 'expo', country: 'IN' } },
  })
  expect(run.statusCode, run.body).toBe(202)
  for (let i = 0; i < 600; i++) {
    const job = (await app.inject({ method: 'GET', url: `/v1/imports/${id}` })).json<{ status: string }>()
    if (job.status !== 'running') return id
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('import did not finish')
}

/** Captures the person through every channel, looks them up in an export, erases them. */
async function captureLookUpAndErase(): Promise<{ importJobId: string }> {
  await webForm()
  await partner()
  await call()
  const importJobId = await csvImport()
  // A user looks the person up before the erasure request arrives.
  const lookup = await app.inject({
    method: 'GET',
    url: `/v1/exports/leads?format=json&q=${encodeURIComponent(EMAIL)}`,
  })
  expect(lookup.statusCode, lookup.body).toBe(200)
  expect(await database.db.lead.count({ where: { email: EMAIL } })).toBeGreaterThanOrEqual(2)

  const res = await app.inject({ method: 'POST', url: '/v1/privacy/erasures', payload: { email: EMAIL } })
  expect(res.statusCode, res.body).toBe(200)
  return { importJobId }
}

it('leaves no trace of a person captured by web form, partner API, phone call and CSV import', async () => {
  await captureLookUpAndErase()
  expect.soft(await scan()).toEqual([])
  const audits = await database.db.auditEvent.findMany({ where: { entity: 'export' } })
  expect.soft(JSON.stringify(audits.map((a) => a.changes)).toLowerCase()).not.toContain(EMAIL)
})

// Kept apart from the database scan: the stored import file is connectors/import's to remove.
it('leaves no trace of the person in the stored CSV import file', async () => {
  const { importJobId } = await captureLookUpAndErase()
  const job = await database.db.importJob.findUniqueOrThrow({ where: { id: importJobId } })
  const stored = await readFile(job.filePath, 'utf8').catch(() => '')
  expect(stored.toLowerCase(), 'the uploaded import file still holds the person').not.toContain(EMAIL)
})
