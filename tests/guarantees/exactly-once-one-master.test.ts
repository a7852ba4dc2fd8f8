import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { deliverMail } from '../../connectors/email/deliver.js'
import { readMessage } from '../../connectors/email/message.js'
import { createImportService } from '../../connectors/import/services.js'
import type { ConnectorContext } from '../../connectors/sdk/connector.js'
import { signPayload } from '../../connectors/sdk/signatures.js'
import { handleWhatsAppMessage } from '../../connectors/whatsapp/inbound.js'
import type * as Persist from '../../ingestion/persist.js'
import { createPrisma, type Db } from '../../platform/database/prisma.js'
import { partnerWithKey, postSigned } from '../connectors/partner-api/partner-helpers.js'
import { BASE, TOKEN, postTwilio, voiceParams } from '../connectors/twilio/twilio-helpers.js'
import { incoming } from '../connectors/whatsapp/fake-socket.js'
import { createForm, SITE } from '../connectors/web-form/form-helpers.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { silentLog } from '../support/temporal.js'
import { writeFigures } from './exactly-once-support.js'

/*
 * One person, one master lead, whatever arrives at once: different deliveries of the same
 * person on different channels (a web form, a partner lead, a WhatsApp message, a call, an
 * ad form, an event registration, an API capture, a mail, an import row) give exactly one
 * master; every other capture is a duplicate linked to it, every interaction lands on it,
 * and only the master starts a journey.
 *
 * What makes it hold is PostgreSQL, not the pipeline's look-up before it writes: the
 * primary key of lead_match_key. The first test forces the race that look-up cannot see
 * (the second capture reads before the first commits) and shows the key turn the loser
 * into a duplicate through the pipeline's CaptureRaceError retry, counted here by wrapping
 * persistCapture (nothing else about it changes).
 */

const races = vi.hoisted(() => ({ count: 0 }))
vi.mock('../../ingestion/persist.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Persist>()
  return {
    ...actual,
    persistCapture: async (...args: Parameters<typeof actual.persistCapture>) => {
      try {
        return await actual.persistCapture(...args)
      } catch (err) {
        if (err instanceof actual.CaptureRaceError) races.count++
        throw err
      }
    },
  }
})

const EVENTS_SECRET = 'one-master-events-secret-0123456789'
const GOOGLE_KEY = 'one-master-google-key'
let database: TestDatabase
let apiDb: Db
let app: FastifyInstance
let importDir: string
let partnerKey: string
const figures: Record<string, unknown> = {}

const config = () =>
  testConfig({
    PUBLIC_BASE_URL: BASE,
    TWILIO_AUTH_TOKEN: TOKEN,
    EVENTS_WEBHOOK_SECRET: EVENTS_SECRET,
    GOOGLE_ADS_WEBHOOK_KEY: GOOGLE_KEY,
    WHATSAPP_ENABLED: 'true',
    IMAP_HOST: '127.0.0.1',
    IMAP_USER: 'leads',
    IMAP_PASSWORD: 'unused: the mails are handed to the per-message handler',
    IMPORT_DIR: importDir,
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
  })

beforeAll(async () => {
  importDir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-test-import-'))
  database = await createTestDatabase()
  apiDb = createPrisma(database.url, config().DATABASE_POOL_MAX)
  app = await buildTestApp({ config: config(), db: apiDb })
  await createForm(app, { rateLimitPerMinute: 10_000 })
  partnerKey = (await partnerWithKey(app, { id: 'acme', rateLimitPerMinute: 100_000 })).key
})
afterAll(async () => {
  if (Object.keys(figures).length > 0) await writeFigures('oneMaster', figures)
  await app?.close()
  await apiDb?.$disconnect()
  await database?.drop()
  if (importDir) await rm(importDir, { recursive: true, force: true })
})

const db = () => database.db

interface Person {
  n: number
  first: string
  last: string
  company: string
  email: string
  /** E.164. */
  phone: string
}

const NAMES: [string, string, string][] = [
  ['Aarav', 'Bhatt', 'Bhatt Ceramics'],
  ['Ishita', 'Chawla', 'Chawla Logistics'],
  ['Kabir', 'Dutta', 'Dutta Pharma'],
  ['Naina', 'Eapen', 'Eapen Spices'],
  ['Rohan', 'Fernandes', 'Fernandes Marine'],
  ['Tara', 'Ghosh', 'Ghosh Textiles'],
  ['Vikram', 'Hegde', 'Hegde Motors'],
]

function person(n: number): Person {
  const [first, last, company] = NAMES[n % NAMES.length]!
  return {
    n,
    first,
    last,
    company,
    email: `${first.toLowerCase()}.${last.toLowerCase()}.${n}@${last.toLowerCase()}-co.example.in`,
    phone: `+9198450${String(30000 + n).padStart(5, '0')}`,
  }
}

/** One channel's delivery of a person, through the channel's real entry point. */
type Send = (p: Person) => Promise<unknown>

const ok = (res: { statusCode: number; body: string }) => {
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res
}

const channels: Record<string, Send> = {
  'web form': async (p) =>
    ok(
      await app.inject({
        method: 'POST',
        url: '/f/pricing',
        headers: { 'content-type': 'application/json', origin: SITE },
        payload: JSON.stringify({
          your_name: `${p.first} ${p.last}`,
          work_email: p.email,
          mobile: p.phone,
          org: p.company,
          agree: 'yes',
          submission_id: `sub-${p.n}`,
        }),
      }),
    ),
  'partner API': async (p) =>
    ok(
      await postSigned(app, {
        key: partnerKey,
        at: new Date(),
        idempotencyKey: `order-${p.n}`,
        body: { firstName: p.first, lastName: p.last, email: p.email, phone: p.phone, company: p.company },
      }),
    ),
  WhatsApp: async (p) => {
    const outcome = await handleWhatsAppMessage(
      app.services.connectors.context('whatsapp'),
      incoming({
        id: `3AONEMASTER${p.n}`,
        from: `${p.phone.slice(1)}@s.whatsapp.net`,
        pushName: `${p.first} ${p.last}`,
        text: 'Is the catalogue price negotiable?',
      }),
    )
    expect(outcome.handled).toBe(true)
    return outcome
  },
  'Twilio call': async (p) =>
    ok(
      await postTwilio(
        app,
        '/webhooks/twilio/voice',
        voiceParams(`CA${String(p.n).padStart(32, 'a')}`, p.phone, { FromCountry: 'IN' }),
      ),
    ),
  'Google Ads lead form': async (p) =>
    ok(
      await app.inject({
        method: 'POST',
        url: '/webhooks/google-ads/leads',
        payload: {
          lead_id: `gads-one-${p.n}`,
          api_version: '1.0',
          form_id: 4242,
          campaign_id: 777001,
          google_key: GOOGLE_KEY,
          user_column_data: [
            { column_id: 'FULL_NAME', string_value: `${p.first} ${p.last}` },
            { column_id: 'EMAIL', string_value: p.email },
            { column_id: 'PHONE_NUMBER', string_value: p.phone },
            { column_id: 'COMPANY_NAME', string_value: p.company },
          ],
        },
      }),
    ),
  'event registration': async (p) => {
    const raw = JSON.stringify({
      eventId: 'webinar-one-master',
      eventName: 'Export Finance Clinic',
      provider: 'zoom',
      occurredAt: '2026-11-20T09:00:00.000Z',
      registrant: {
        id: `reg-${p.n}`,
        email: p.email,
        phone: p.phone,
        firstName: p.first,
        lastName: p.last,
        company: p.company,
        country: 'IN',
      },
    })
    return ok(
      await app.inject({
        method: 'POST',
        url: '/webhooks/events/registrations',
        headers: {
          'content-type': 'application/json',
          'x-leadwire-signature': signPayload(EVENTS_SECRET, raw, new Date()),
        },
        payload: raw,
      }),
    )
  },
  'POST /v1/leads': async (p) =>
    ok(
      await app.inject({
        method: 'POST',
        url: '/v1/leads',
        headers: { 'idempotency-key': `api-${p.n}` },
        payload: {
          firstName: p.first,
          lastName: p.last,
          email: p.email,
          phone: p.phone,
          company: p.company,
          country: 'IN',
        },
      }),
    ),
  email: async (p) => {
    const ctx: ConnectorContext = app.services.connectors.context('email')
    const source = [
      `From: ${p.first} ${p.last} <${p.email}>`,
      'To: sales@acme.example',
      `Subject: Enquiry from ${p.company}`,
      `Message-ID: <one-master-${p.n}@${p.last.toLowerCase()}-co.example.in>`,
      'Date: Mon, 02 Mar 2026 10:00:00 +0530',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello,',
      '',
      'Please send your price list.',
      '',
      `Regards,\r\n${p.first}\r\nMobile: ${p.phone}`,
      '',
    ].join('\r\n')
    const ref = { user: 'leads', host: '127.0.0.1', mailbox: 'INBOX', uidValidity: '1', uid: p.n + 1 }
    const outcome = await deliverMail(ctx, ref, await readMessage(Buffer.from(source)), new Date())
    expect(outcome.kind).not.toBe('skipped')
    return outcome
  },
}

/** Every lead row of a person (a capture keeps its own email and phone, master or not). */
async function leadsOf(p: Person) {
  return db().lead.findMany({
    where: { OR: [{ email: p.email }, { phone: p.phone }] },
    select: { id: true, isDuplicate: true, duplicateOfId: true, channel: true },
  })
}

/** What the database says about one person: one master, everything else pointing at it. */
async function expectOneMaster(p: Person): Promise<{ masterId: string; duplicates: number }> {
  const rows = await leadsOf(p)
  const masters = rows.filter((r) => !r.isDuplicate)
  expect(masters, `${p.email}: ${JSON.stringify(rows)}`).toHaveLength(1)
  const masterId = masters[0]!.id
  for (const r of rows.filter((row) => row.isDuplicate)) expect(r.duplicateOfId).toBe(masterId)
  // The constraint's own rows: both of the person's keys belong to the master.
  const keys = await db().leadMatchKey.findMany({
    where: { key: { in: [`email:${p.email}`, `phone:${p.phone}`] } },
    orderBy: { key: 'asc' },
  })
  expect(keys.map((k) => [k.key, k.leadId])).toEqual([
    [`email:${p.email}`, masterId],
    [`phone:${p.phone}`, masterId],
  ])
  // Only the master starts a journey.
  const starts = await db().outboxEvent.findMany({
    where: { topic: 'lead.captured', aggregateId: { in: rows.map((r) => r.id) } },
  })
  expect(starts.map((s) => s.aggregateId)).toEqual([masterId])
  return { masterId, duplicates: rows.length - 1 }
}

/** Backends of this database waiting for a lock. */
async function lockWaiters(): Promise<number> {
  const [row] = await db().$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock'`
  return Number(row!.n)
}

describe('two deliveries of one person at once give one master, enforced by the database', () => {
  it('the race a look-up cannot see: the second capture read before the first committed, and the key made it a duplicate', async () => {
    const p: Person = {
      n: 100,
      first: 'Zoya',
      last: 'Irani',
      company: 'Irani Glassworks',
      email: 'zoya.irani@irani-glass.example.in',
      phone: '+919845039100',
    }
    // Holds the first capture's transaction open after it claimed the person's keys (its
    // journey event is the last thing it writes), for as long as this test says.
    const gate = new pg.Client({ connectionString: database.url })
    await gate.connect()
    try {
      await gate.query('BEGIN')
      await gate.query('LOCK TABLE outbox_event IN EXCLUSIVE MODE')
      const before = races.count
      const first = channels['web form']!(p)
      await expect.poll(lockWaiters, { timeout: 10_000, interval: 20 }).toBe(1)
      // The second capture's look-up runs now and finds nobody: the first has not committed.
      const second = channels['partner API']!(p)
      await expect.poll(lockWaiters, { timeout: 10_000, interval: 20 }).toBe(2)
      await gate.query('COMMIT')
      const [a, b] = (await Promise.all([first, second])) as { json<T>(): T }[]

      expect(a!.json<{ leadId: string }>().leadId).toBeDefined()
      const partner = b!.json<{ id: string; outcome: string; duplicateOf: string | null }>()
      const { masterId } = await expectOneMaster(p)
      expect(a!.json<{ leadId: string }>().leadId).toBe(masterId)
      expect(partner).toMatchObject({ outcome: 'duplicate', duplicateOf: masterId })
      // The second capture lost the key to the first and ran again: the CaptureRaceError path.
      expect(races.count - before).toBe(1)
      figures['forcedRace'] = {
        deliveries: 2,
        mastersCreated: 1,
        duplicatesLinked: (await leadsOf(p)).length - 1,
        captureRacesCaughtByTheKey: races.count - before,
      }

      // And the key itself refuses a second owner, whatever code tries.
      await expect(
        db()
          .$executeRaw`INSERT INTO lead_match_key (key, lead_id) VALUES (${`email:${p.email}`}, ${partner.id}::uuid)`,
      ).rejects.toThrow(/lead_match_key_pkey|unique|duplicate key/i)
    } finally {
      await gate.query('ROLLBACK').catch(() => undefined)
      await gate.end()
    }
  })

  it('every channel at once, for several people: one master each, all else linked to it', async () => {
    const people = Array.from({ length: 6 }, (_, i) => person(i))
    const csv = [
      'Name,Email,Mobile,Company',
      ...people.map((p) => `${p.first} ${p.last},${p.email},${p.phone},${p.company}`),
    ].join('\r\n')
    const jobs = createImportService({ db: apiDb, config: config(), log: silentLog })
    try {
      const upload = await jobs.upload(Readable.from([csv]), { fileName: 'expo.csv', format: 'csv' })
      const before = races.count
      const sends = people.flatMap((p) => Object.values(channels).map((send) => send(p)))
      const [run] = await Promise.all([jobs.run(upload.job.id, { defaults: { country: 'IN' } }), ...sends])
      expect(run.status).toBe('completed')
      expect(run.counts.failed).toBe(0)

      let duplicates = 0
      const engagements = []
      for (const p of people) {
        const one = await expectOneMaster(p)
        duplicates += one.duplicates
        // Every delivery of the person is in the ledger against the master (the API's capture
        // is in idempotency_key instead): 7 channels + the import row.
        const ledger = await db().inboundDelivery.findMany({ where: { leadId: one.masterId } })
        expect(ledger).toHaveLength(Object.keys(channels).length - 1 + 1)
        // The master is the one capture that created: in the ledger unless the API's capture won.
        const master = await db().lead.findUniqueOrThrow({ where: { id: one.masterId } })
        const created = ledger.filter((r) => r.outcome === 'lead_created')
        expect(created).toHaveLength(master.createdBy.startsWith('connector:') ? 1 : 0)
        engagements.push(ledger.filter((r) => r.outcome === 'activity').length)
      }
      const deliveries = people.length * (Object.keys(channels).length + 1)
      figures['everyChannelAtOnce'] = {
        people: people.length,
        channelsPerPerson: [...Object.keys(channels), 'import row'],
        deliveriesSent: deliveries,
        mastersCreated: people.length,
        duplicatesLinked: duplicates,
        interactionsOnTheMaster: engagements.reduce((a, b) => a + b, 0),
        journeysStarted: people.length,
        captureRacesCaughtByTheKey: races.count - before,
      }
    } finally {
      await jobs.close()
    }
  })
})
