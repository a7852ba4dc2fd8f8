import { createSign, generateKeyPairSync } from 'node:crypto'
import type { Client } from '@temporalio/client'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signPayload } from '../../connectors/sdk/signatures.js'
import { createPrisma, type Db } from '../../platform/database/prisma.js'
import { partnerWithKey, postSigned } from '../connectors/partner-api/partner-helpers.js'
import { BASE, TOKEN, postTwilio, voiceParams } from '../connectors/twilio/twilio-helpers.js'
import { createForm, SITE } from '../connectors/web-form/form-helpers.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startTestWorker, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'
import {
  delta,
  engagementSignals,
  journeyInTemporal,
  journeyStarts,
  ledgerRow,
  snapshot,
  storm,
  STORM,
  writeFigures,
  type ChannelFigures,
} from './exactly-once-support.js'

/*
 * Exactly-once intake on every webhook channel and on POST /v1/leads: the same delivery,
 * signed as its sender signs it, sent 100 times at once through the real app, gives one lead
 * (or one timeline entry on a known lead), one journey start, and 99 duplicates counted in
 * the ledger. The journeys run on a real worker against Temporal, started by its relay, so
 * "one journey" is checked where it lives. The API has its own pool, as it has its own
 * process in production; the worker uses the test database's.
 */

const EVENTS_SECRET = 'exactly-once-events-secret-0123456789'
const GOOGLE_KEY = 'exactly-once-google-key'
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const config = testConfig({
  TEMPORAL_TASK_QUEUE: uniqueTaskQueue('exactly-once'),
  PUBLIC_BASE_URL: BASE,
  TWILIO_AUTH_TOKEN: TOKEN,
  EVENTS_WEBHOOK_SECRET: EVENTS_SECRET,
  GOOGLE_ADS_WEBHOOK_KEY: GOOGLE_KEY,
  SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey
    .export({ type: 'spki', format: 'der' })
    .toString('base64'),
  LINK_SIGNING_SECRET: 'exactly-once-link-signing-secret-000001',
  // A storm of retries is what this proves; the per-caller limits are other tests' business.
  RATE_LIMIT_PER_MINUTE: '100000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
})

let database: TestDatabase
let apiDb: Db
let worker: TestWorker
let app: FastifyInstance
let temporal: Client
const figures: ChannelFigures[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  apiDb = createPrisma(database.url, config.DATABASE_POOL_MAX)
  worker = await startTestWorker({
    config,
    db: database.db,
    databaseUrl: database.url,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  })
  app = await buildTestApp({ config, db: apiDb })
  temporal = app.services.temporal
})
afterAll(async () => {
  if (figures.length > 0) {
    await writeFigures('channels', Object.fromEntries(figures.map((f) => [f.channel, f])))
  }
  await app?.close()
  await worker?.stop()
  await apiDb?.$disconnect()
  await database?.drop()
})

const db = () => database.db
const statuses = (answers: LightMyRequestResponse[]) => answers.map((a) => a.statusCode)
const leadIdByEmail = async (email: string) => (await db().lead.findFirstOrThrow({ where: { email } })).id

interface NewLeadProof {
  channel: string
  entryPoint: string
  connectorId: string
  deliveryKey: string
  send: () => Promise<LightMyRequestResponse>
  status: number
  leadOf: () => Promise<string>
}

/** The storm for a delivery that makes a new lead: 1 lead, 1 journey, 99 duplicates. */
async function proveNewLead(p: NewLeadProof): Promise<string> {
  const before = await snapshot(db())
  const answers = await storm(p.send)
  expect(statuses(answers)).toEqual(Array(STORM).fill(p.status))
  const after = await snapshot(db())
  const leadId = await p.leadOf()

  expect(delta(before, after)).toEqual({
    leads: 1,
    masters: 1,
    captured: 1,
    deliveries: 1,
    duplicates: STORM - 1,
    replays: 0,
  })
  const row = await ledgerRow(db(), p.connectorId, p.deliveryKey)
  expect(row).toMatchObject({ outcome: 'lead_created', leadId, duplicates: STORM - 1 })
  expect(await journeyStarts(db(), leadId)).toBe(1)
  const inTemporal = await journeyInTemporal(temporal, leadId)
  figures.push({
    channel: p.channel,
    entryPoint: p.entryPoint,
    deliveryKey: p.deliveryKey,
    deliveriesSent: STORM,
    accepted: answers.filter((a) => a.statusCode < 300).length,
    leadsCreated: after.leads - before.leads,
    activitiesCreated: 0,
    journeysStarted: await journeyStarts(db(), leadId),
    journeysInTemporal: inTemporal,
    duplicatesRecorded: row.duplicates,
  })
  return leadId
}

interface KnownLeadProof extends Omit<NewLeadProof, 'leadOf'> {
  leadId: string
  /** The ledger's outcome for this kind of delivery. */
  outcome: string
}

/** The storm for a delivery about a known lead: 1 timeline entry, 1 journey signal, no lead, 99 duplicates. */
async function proveActivity(p: KnownLeadProof): Promise<void> {
  const before = await snapshot(db())
  const answers = await storm(p.send)
  expect(statuses(answers)).toEqual(Array(STORM).fill(p.status))
  const after = await snapshot(db())

  expect(delta(before, after)).toEqual({
    leads: 0,
    masters: 0,
    captured: 0,
    deliveries: 1,
    duplicates: STORM - 1,
    replays: 0,
  })
  const row = await ledgerRow(db(), p.connectorId, p.deliveryKey)
  expect(row).toMatchObject({ outcome: p.outcome, leadId: p.leadId, duplicates: STORM - 1 })
  const activity = await db().activity.findUniqueOrThrow({
    where: { dedupeKey: `delivery/${p.connectorId}/${p.deliveryKey}` },
  })
  expect(activity.leadId).toBe(p.leadId)
  expect(row.activityId).toBe(activity.id)
  // The journey hears of it once: one lead.engaged for the one activity.
  expect(await engagementSignals(db(), activity.id)).toBe(1)
  // The journey may log its own entries meanwhile (an email sent): only this delivery's kind is counted.
  expect(await db().activity.count({ where: { leadId: p.leadId, kind: activity.kind } })).toBe(1)
  figures.push({
    channel: p.channel,
    entryPoint: p.entryPoint,
    deliveryKey: p.deliveryKey,
    deliveriesSent: STORM,
    accepted: answers.filter((a) => a.statusCode < 300).length,
    leadsCreated: 0,
    activitiesCreated: 1,
    journeysStarted: 0,
    journeysInTemporal: null,
    duplicatesRecorded: row.duplicates,
  })
}

/** A known person, captured through the API (their journey starts like any other). */
async function knownLead(
  name: [string, string],
  company: string,
  email: string,
  phone: string,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: {
      channel: 'web_form',
      firstName: name[0],
      lastName: name[1],
      email,
      phone,
      company,
      country: 'IN',
      consent: { granted: true, source: 'web_form:demo', textVersion: 'v3', channels: ['email'] },
    },
  })
  expect(res.statusCode, res.body).toBe(202)
  expect(res.json()).toMatchObject({ outcome: 'created' })
  return res.json<{ id: string }>().id
}

describe('the same delivery sent 100 times at once is taken once', () => {
  it('web form: one submission id', async () => {
    await createForm(app, { rateLimitPerMinute: 10_000 })
    const body = JSON.stringify({
      your_name: 'Asha Devi Rao',
      work_email: 'asha.rao@raotextiles.example.in',
      mobile: '+91 98765 43210',
      org: 'Rao Textiles',
      agree: 'yes',
      submission_id: '7d4e3c1a-0b8f-4c2e-9a51-3f0d2b6c9e11',
    })
    await proveNewLead({
      channel: 'web form',
      entryPoint: 'POST /f/pricing (JSON, from an allowed origin)',
      connectorId: 'web-form',
      deliveryKey: 'pricing:7d4e3c1a-0b8f-4c2e-9a51-3f0d2b6c9e11',
      send: () =>
        app.inject({
          method: 'POST',
          url: '/f/pricing',
          headers: { 'content-type': 'application/json', origin: SITE },
          payload: body,
        }),
      status: 201,
      leadOf: () => leadIdByEmail('asha.rao@raotextiles.example.in'),
    })
  })

  it('partner API: one Idempotency-Key, HMAC-signed', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme', rateLimitPerMinute: 100_000 })
    const lead = {
      partnerLeadId: 'pl-1001',
      firstName: 'Kavya',
      lastName: 'Menon',
      email: 'kavya.menon@menon-textiles.example.in',
      phone: '+919812345678',
      company: 'Menon Textiles',
    }
    const at = new Date()
    await proveNewLead({
      channel: 'partner API',
      entryPoint: 'POST /partner/v1/leads (Bearer key + X-Leadwire-Signature)',
      connectorId: 'partner-api',
      deliveryKey: 'acme:order-7781',
      send: () => postSigned(app, { key, body: lead, idempotencyKey: 'order-7781', at }),
      status: 202,
      leadOf: () => leadIdByEmail('kavya.menon@menon-textiles.example.in'),
    })
  })

  const registration = {
    eventId: 'zoom-8841',
    eventName: 'Revenue Ops Summit 2026',
    provider: 'zoom',
    campaign: 'RevOps Summit',
    occurredAt: '2026-11-20T09:00:00.000Z',
    registrant: {
      id: 'reg-77',
      email: 'gita.menon@menon-logistics.example.in',
      firstName: 'Gita',
      lastName: 'Menon',
      company: 'Menon Logistics',
      country: 'IN',
    },
  }
  const postEvent = (path: string, raw: string, at: Date) =>
    app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/json',
        'x-leadwire-signature': signPayload(EVENTS_SECRET, raw, at),
      },
      payload: raw,
    })

  it('events: one registration (event id + registrant id), HMAC-signed', async () => {
    const raw = JSON.stringify(registration)
    const at = new Date()
    const leadId = await proveNewLead({
      channel: 'events: registration',
      entryPoint: 'POST /webhooks/events/registrations (X-Leadwire-Signature)',
      connectorId: 'events',
      deliveryKey: 'reg:zoom-8841:reg-77',
      send: () => postEvent('/webhooks/events/registrations', raw, at),
      status: 200,
      leadOf: () => leadIdByEmail('gita.menon@menon-logistics.example.in'),
    })
    // The registration is on the new lead's timeline once.
    expect(await db().activity.count({ where: { leadId, kind: 'event_registered' } })).toBe(1)
  })

  it('events: one attendance of the registered (known) person', async () => {
    const leadId = await leadIdByEmail('gita.menon@menon-logistics.example.in')
    const raw = JSON.stringify({
      eventId: 'zoom-8841',
      eventName: 'Revenue Ops Summit 2026',
      provider: 'zoom',
      occurredAt: '2026-11-24T11:00:00.000Z',
      attendee: registration.registrant,
      attendance: {
        joinedAt: '2026-11-24T10:00:00.000Z',
        leftAt: '2026-11-24T10:55:00.000Z',
        durationMinutes: 55,
      },
    })
    const at = new Date()
    await proveActivity({
      channel: 'events: attendance (known lead)',
      entryPoint: 'POST /webhooks/events/attendance (X-Leadwire-Signature)',
      connectorId: 'events',
      deliveryKey: 'att:zoom-8841:reg-77',
      send: () => postEvent('/webhooks/events/attendance', raw, at),
      status: 200,
      leadId,
      outcome: 'activity',
    })
  })

  it('Twilio: one CallSid from an unknown caller, signed as Twilio signs it', async () => {
    const callSid = 'CA0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7'
    const leadId = await proveNewLead({
      channel: 'Twilio call (unknown caller)',
      entryPoint: 'POST /webhooks/twilio/voice (X-Twilio-Signature)',
      connectorId: 'twilio',
      deliveryKey: `call:${callSid}`,
      send: () => postTwilio(app, '/webhooks/twilio/voice', voiceParams(callSid, '+919822012345')),
      status: 200,
      leadOf: async () => (await db().lead.findFirstOrThrow({ where: { phone: '+919822012345' } })).id,
    })
    expect(await db().activity.count({ where: { leadId, kind: 'call' } })).toBe(1)
  })

  it('Twilio: one CallSid from a known caller, then its missed-call status', async () => {
    const leadId = await knownLead(
      ['Ravi', 'Kumar'],
      'Indus Labs',
      'ravi.kumar@indus-labs.example.in',
      '+919876500001',
    )
    const callSid = 'CA1f2a3b4c5d6e7f8091a2b3c4d5e6f708'
    await proveActivity({
      channel: 'Twilio call (known caller)',
      entryPoint: 'POST /webhooks/twilio/voice (X-Twilio-Signature)',
      connectorId: 'twilio',
      deliveryKey: `call:${callSid}`,
      send: () => postTwilio(app, '/webhooks/twilio/voice', voiceParams(callSid, '+919876500001')),
      status: 200,
      leadId,
      outcome: 'activity',
    })

    // Nobody answered: the status callback, retried 100 times at once, opens one call-back task.
    const status = { CallSid: callSid, CallStatus: 'no-answer', CallDuration: '0', From: '+919876500001' }
    const before = await snapshot(db())
    const answers = await storm(() => postTwilio(app, '/webhooks/twilio/status', status))
    expect(statuses(answers)).toEqual(Array(STORM).fill(200))
    expect(delta(before, await snapshot(db()))).toMatchObject({
      leads: 0,
      deliveries: 1,
      duplicates: STORM - 1,
    })
    const tasks = await db().task.findMany({ where: { dedupeKey: `missed-call:${callSid}` } })
    expect(tasks).toHaveLength(1)
    // The status goes onto the call's own entry: still one call on the lead's timeline.
    expect(await db().activity.count({ where: { leadId, kind: 'call' } })).toBe(1)
    const row = await ledgerRow(db(), 'twilio', `status:${callSid}:no-answer`)
    expect(row.duplicates).toBe(STORM - 1)
    figures.push({
      channel: 'Twilio call status (missed call, known lead)',
      entryPoint: 'POST /webhooks/twilio/status (X-Twilio-Signature)',
      deliveryKey: `status:${callSid}:no-answer`,
      deliveriesSent: STORM,
      accepted: answers.filter((a) => a.statusCode < 300).length,
      leadsCreated: 0,
      activitiesCreated: 0,
      tasksCreated: tasks.length,
      journeysStarted: 0,
      journeysInTemporal: null,
      duplicatesRecorded: row.duplicates,
    })
  })

  it('Google Ads lead form: one lead_id', async () => {
    const payload = {
      lead_id: 'gads-lead-storm-1',
      api_version: '1.0',
      form_id: 4242,
      campaign_id: 777001,
      google_key: GOOGLE_KEY,
      user_column_data: [
        { column_id: 'FULL_NAME', string_value: 'Meera Iyer' },
        { column_id: 'EMAIL', string_value: 'meera.iyer@iyer-exports.example.in' },
        { column_id: 'PHONE_NUMBER', string_value: '+919876501234' },
      ],
    }
    await proveNewLead({
      channel: 'Google Ads lead form',
      entryPoint: 'POST /webhooks/google-ads/leads (google_key)',
      connectorId: 'google-ads',
      deliveryKey: 'gads-lead-storm-1',
      send: () => app.inject({ method: 'POST', url: '/webhooks/google-ads/leads', payload }),
      status: 200,
      leadOf: () => leadIdByEmail('meera.iyer@iyer-exports.example.in'),
    })
  })

  it('SendGrid: one sg_event_id (an open) on a known lead, ECDSA-signed', async () => {
    const leadId = await knownLead(
      ['Farhan', 'Qureshi'],
      'Qureshi Foods',
      'farhan@qureshi-foods.example.in',
      '+919811122233',
    )
    const events = [
      {
        email: 'farhan@qureshi-foods.example.in',
        timestamp: 1_773_130_001,
        event: 'open',
        sg_event_id: 'ZXhhY3RseS1vbmNlLW9wZW4',
        sg_message_id: 'sg-1.recvd-7b9c8d-2xkqv-1-67C1E3A4-5.0',
        leadId,
        messageKey: `${leadId}/email/default-nurture/1/welcome`,
      },
    ]
    const body = `${JSON.stringify(events)}\r\n`
    const timestamp = '1773130060'
    const signature = createSign('sha256')
      .update(timestamp + body)
      .sign(sendgridKeys.privateKey)
      .toString('base64')
    await proveActivity({
      channel: 'SendGrid event (known lead)',
      entryPoint: 'POST /webhooks/sendgrid/events (ECDSA signature)',
      connectorId: 'sendgrid',
      deliveryKey: 'sg:ZXhhY3RseS1vbmNlLW9wZW4',
      send: () =>
        app.inject({
          method: 'POST',
          url: '/webhooks/sendgrid/events',
          headers: {
            'content-type': 'application/json',
            'x-twilio-email-event-webhook-timestamp': timestamp,
            'x-twilio-email-event-webhook-signature': signature,
          },
          payload: body,
        }),
      status: 200,
      leadId,
      outcome: 'activity',
    })
  })

  it('POST /v1/leads: one Idempotency-Key (99 replays counted on idempotency_key)', async () => {
    const payload = {
      firstName: 'Omkar',
      lastName: 'Patil',
      email: 'omkar@patil-agro.example.in',
      phone: '+919822099887',
      company: 'Patil Agro',
      country: 'IN',
    }
    const before = await snapshot(db())
    const answers = await storm(() =>
      app.inject({
        method: 'POST',
        url: '/v1/leads',
        headers: { 'idempotency-key': 'crm-sync-42' },
        payload,
      }),
    )
    expect(statuses(answers)).toEqual(Array(STORM).fill(202))
    const after = await snapshot(db())
    const leadId = await leadIdByEmail('omkar@patil-agro.example.in')
    expect(new Set(answers.map((a) => a.json<{ id: string }>().id))).toEqual(new Set([leadId]))
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(STORM - 1)
    expect(delta(before, after)).toEqual({
      leads: 1,
      masters: 1,
      captured: 1,
      deliveries: 0,
      duplicates: 0,
      replays: STORM - 1,
    })
    const key = await db().idempotencyKey.findFirstOrThrow({ where: { key: 'crm-sync-42' } })
    expect(key.replays).toBe(STORM - 1)
    expect(key.lastReplayAt).not.toBeNull()
    expect(await journeyStarts(db(), leadId)).toBe(1)
    figures.push({
      channel: 'POST /v1/leads (Idempotency-Key)',
      entryPoint: 'POST /v1/leads (API key)',
      deliveryKey: `${key.scope} / crm-sync-42`,
      deliveriesSent: STORM,
      accepted: answers.filter((a) => a.statusCode < 300).length,
      leadsCreated: after.leads - before.leads,
      activitiesCreated: 0,
      journeysStarted: await journeyStarts(db(), leadId),
      journeysInTemporal: await journeyInTemporal(temporal, leadId),
      duplicatesRecorded: key.replays,
    })
  })

  it('Temporal holds exactly one journey per master lead, and no other', async () => {
    const masters = await db().lead.count({ where: { isDuplicate: false } })
    expect(masters).toBe(await db().outboxEvent.count({ where: { topic: 'lead.captured' } }))
    const query = `WorkflowType = 'leadJourney' AND TaskQueue = '${config.TEMPORAL_TASK_QUEUE}'`
    await expect
      .poll(async () => (await temporal.workflow.count(query)).count, { timeout: 30_000, interval: 200 })
      .toBe(masters)
  })
})
