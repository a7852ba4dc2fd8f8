import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signPayload } from '../../connectors/sdk/signatures.js'
import { waitFor } from '../../platform/process/child-process.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startTestWorker, testTemporalClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'
import { partnerWithKey, postSigned } from './partner-api/partner-helpers.js'
import {
  BASE as TWILIO_BASE,
  TOKEN as TWILIO_TOKEN,
  postTwilio,
  sid,
  voiceParams,
} from './twilio/twilio-helpers.js'
import { SITE, createForm } from './web-form/form-helpers.js'

/*
 * Every inbound webhook channel end to end, on the real stack: a raw payload as the channel
 * sends it → the connector → the governed pipeline → the outbox → the relay → a journey
 * workflow running on a real worker against the Temporal server. The channel suites prove
 * each connector's rules; this proves none of them stops short of a journey. (The IMAP and
 * WhatsApp listeners feed the same intake; their suites check the outbox event.)
 */

const EVENTS_SECRET = 'events-e2e-secret-0123456789abcdef'
const GOOGLE_KEY = 'google-e2e-key'

let database: TestDatabase
let worker: TestWorker
let app: FastifyInstance
let temporal: ReturnType<typeof testTemporalClient>
const config = testConfig({
  TEMPORAL_TASK_QUEUE: uniqueTaskQueue('channels'),
  PUBLIC_BASE_URL: TWILIO_BASE,
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  EVENTS_WEBHOOK_SECRET: EVENTS_SECRET,
  GOOGLE_ADS_WEBHOOK_KEY: GOOGLE_KEY,
})

beforeAll(async () => {
  database = await createTestDatabase()
  worker = await startTestWorker({
    config,
    db: database.db,
    databaseUrl: database.url,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  })
  app = await buildTestApp({ config, db: database.db })
  temporal = testTemporalClient(config, database.db)
})
afterAll(async () => {
  await temporal?.connection.close()
  await app?.close()
  await worker?.stop()
  await database?.drop()
})

/** Sends one channel's payload and returns the id of the lead it created. */
type Channel = [name: string, send: () => Promise<string>]

const channels: Channel[] = [
  [
    'web form',
    async () => {
      await createForm(app)
      const res = await app.inject({
        method: 'POST',
        url: '/f/pricing',
        headers: { 'content-type': 'application/json', origin: SITE },
        payload: JSON.stringify({
          your_name: 'Ritu Sharma',
          work_email: 'ritu@sharma-tools.in',
          mobile: '98110 22334',
          org: 'Sharma Tools',
          agree: 'yes',
        }),
      })
      expect(res.statusCode, res.body).toBeLessThan(300)
      return leadIdByEmail('ritu@sharma-tools.in')
    },
  ],
  [
    'partner API',
    async () => {
      const { key } = await partnerWithKey(app, { id: 'e2e-partner' })
      const res = await postSigned(app, {
        key,
        at: new Date(),
        idempotencyKey: 'e2e-partner-1',
        body: {
          firstName: 'Farhan',
          lastName: 'Qureshi',
          email: 'farhan@qureshi.in',
          company: 'Qureshi Foods',
        },
      })
      expect(res.statusCode, res.body).toBeLessThan(300)
      return leadIdByEmail('farhan@qureshi.in')
    },
  ],
  [
    'webinar registration',
    async () => {
      const raw = JSON.stringify({
        eventId: 'zoom-e2e',
        eventName: 'Pipeline Clinic',
        provider: 'zoom',
        campaign: 'Pipeline Clinic',
        occurredAt: '2026-11-20T09:00:00.000Z',
        registrant: { id: 'reg-e2e', email: 'gita@menon-logistics.in', firstName: 'Gita', lastName: 'Menon' },
      })
      const res = await app.inject({
        method: 'POST',
        url: '/webhooks/events/registrations',
        headers: {
          'content-type': 'application/json',
          'x-leadwire-signature': signPayload(EVENTS_SECRET, raw, new Date()),
        },
        payload: raw,
      })
      expect(res.statusCode, res.body).toBeLessThan(300)
      return leadIdByEmail('gita@menon-logistics.in')
    },
  ],
  [
    'Twilio call',
    async () => {
      const res = await postTwilio(app, '/webhooks/twilio/voice', voiceParams(sid('CA'), '+919822012345'))
      expect(res.statusCode, res.body).toBe(200)
      const lead = await database.db.lead.findFirstOrThrow({ where: { phone: '+919822012345' } })
      return lead.id
    },
  ],
  [
    'Google Ads lead form',
    async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/webhooks/google-ads/leads',
        payload: {
          lead_id: 'gads-e2e-1',
          api_version: '1.0',
          form_id: 4242,
          campaign_id: 777001,
          google_key: GOOGLE_KEY,
          user_column_data: [
            { column_id: 'FULL_NAME', string_value: 'Meera Iyer' },
            { column_id: 'EMAIL', string_value: 'meera@iyer-exports.in' },
          ],
        },
      })
      expect(res.statusCode, res.body).toBeLessThan(300)
      return leadIdByEmail('meera@iyer-exports.in')
    },
  ],
  [
    'CSV import',
    async () => {
      const csv = 'Name,Email,Mobile,Company\nOmkar Patil,omkar@patil-agro.in,9822099887,Patil Agro\n'
      const up = await app.inject({
        method: 'POST',
        url: '/v1/imports?fileName=e2e.csv',
        headers: { 'content-type': 'text/csv' },
        payload: csv,
      })
      expect(up.statusCode, up.body).toBe(201)
      const id = up.json<{ job: { id: string } }>().job.id
      const run = await app.inject({ method: 'POST', url: `/v1/imports/${id}/run`, payload: {} })
      expect(run.statusCode, run.body).toBe(202)
      await waitFor(
        async () => (await database.db.lead.count({ where: { email: 'omkar@patil-agro.in' } })) === 1,
        15_000,
        'the import to write its row',
      )
      return leadIdByEmail('omkar@patil-agro.in')
    },
  ],
]

async function leadIdByEmail(email: string): Promise<string> {
  return (await database.db.lead.findFirstOrThrow({ where: { email } })).id
}

describe('every inbound channel starts a governed lead’s journey on the real worker', () => {
  it.each(channels)('%s', async (_name, send) => {
    const leadId = await send()
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    // Governed: scored, placed, and its capture kept as received.
    expect(lead.score).toBeGreaterThanOrEqual(0)
    expect(lead.queue ?? lead.ownerId).not.toBeNull()
    expect(await database.db.rawCapture.count({ where: { leadId } })).toBe(1)

    // The journey's first activity stamps the lead: the workflow really ran on the worker.
    await waitFor(
      async () =>
        (await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).journeyStartedAt !== null,
      20_000,
      `the journey of lead ${leadId} to start`,
    )
    const described = await temporal.client.workflow.getHandle(`lead/${leadId}`).describe()
    expect(described.type).toBe('leadJourney')
    expect(described.status.name).toBe('RUNNING')
  })
})
