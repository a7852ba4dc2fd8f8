import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'

/*
 * POST /webhooks/sendgrid/events end to end: batches signed the way SendGrid signs them (ECDSA
 * P-256 over timestamp + raw body, with a key pair made here; the public key configured as
 * SendGrid shows it, base64 DER), verified with SendGrid's own library, applied through the
 * intake on leads captured by the real pipeline, against PostgreSQL.
 */
const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
const BASE_URL = 'https://hub.example.in'
const SENT_AT = 1_773_130_000 // unix seconds: Tuesday 10 March 2026, 08:06 UTC

let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({
    config: testConfig({
      SENDGRID_WEBHOOK_PUBLIC_KEY: PUBLIC_KEY,
      PUBLIC_BASE_URL: BASE_URL,
      LINK_SIGNING_SECRET: 'event-webhook-test-link-signing-secret-0001',
    }),
    db: database.db,
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

/** A lead captured through the API with email consent, as a journey would have emailed it. */
async function capturedLead(email = 'meera.iyer@example.co.in'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: {
      channel: 'web_form',
      firstName: 'Meera',
      lastName: 'Iyer',
      email,
      company: 'Iyer Exports',
      country: 'IN',
      consent: { granted: true, source: 'web_form:demo', textVersion: 'v3', channels: ['email'] },
    },
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string }>().id
}

/** A sent email's outbound_message row, as sendNurtureMessage leaves it. */
async function sentMessage(leadId: string, status = 'sent'): Promise<string> {
  const id = uuidv7()
  await database.db.outboundMessage.create({
    data: {
      id,
      dedupeKey: `${leadId}/email/default-nurture/1/welcome`,
      leadId,
      channel: 'email',
      sequenceId: 'default-nurture',
      stepId: 'welcome',
      template: 'nurture-welcome',
      status,
      attempts: 1,
      ...(status === 'sent' ? { provider: 'sendgrid', providerMessageId: 'sg-1', sentAt: new Date() } : {}),
    },
  })
  return id
}

let eventCounter = 0
/** One SendGrid event with our custom args (they come back as top-level fields). */
function sgEvent(event: string, leadId: string | null, extra: Record<string, unknown> = {}) {
  eventCounter += 1
  return {
    email: 'meera.iyer@example.co.in',
    timestamp: SENT_AT + eventCounter,
    event,
    sg_event_id: `ZXZlbnQt${eventCounter}-${event}`,
    sg_message_id: 'sg-1.recvd-7b9c8d-2xkqv-1-67C1E3A4-5.0',
    'smtp-id': '<sg-1@ismtpd0001p1iad2.sendgrid.net>',
    ...(leadId ? { leadId, messageKey: `${leadId}/email/default-nurture/1/welcome` } : {}),
    ...extra,
  }
}

/** SendGrid's serialisation: one event per line, CRLF-terminated. */
const serialise = (events: unknown[]) => `${JSON.stringify(events).split('},{').join('},\r\n{')}\r\n`

function sign(body: string, timestamp: string, key: KeyObject = keys.privateKey): string {
  return createSign('sha256')
    .update(timestamp + body)
    .sign(key)
    .toString('base64')
}

function post(
  body: string,
  options: { timestamp?: string; signature?: string | null; target?: FastifyInstance } = {},
) {
  const timestamp = options.timestamp ?? String(SENT_AT + 60)
  const signature = options.signature === undefined ? sign(body, timestamp) : options.signature
  return (options.target ?? app).inject({
    method: 'POST',
    url: '/webhooks/sendgrid/events',
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-timestamp': timestamp,
      ...(signature === null ? {} : { 'x-twilio-email-event-webhook-signature': signature }),
    },
  })
}
const postEvents = (events: unknown[]) => post(serialise(events))

const counts = async () => ({
  activities: await database.db.activity.count(),
  consentRecords: await database.db.consentRecord.count(),
  deliveries: await database.db.inboundDelivery.count(),
  outbox: await database.db.outboxEvent.count(),
})
const topics = async (leadId: string) =>
  (await database.db.outboxEvent.findMany({ where: { aggregateId: leadId }, orderBy: { id: 'asc' } })).map(
    (e) => e.topic,
  )

describe('SendGrid Event Webhook: engagement', () => {
  it('turns an open and a click into engagement on the lead: timeline, score and a journey signal each', async () => {
    const leadId = await capturedLead()
    const messageId = await sentMessage(leadId)
    const before = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    const open = sgEvent('open', leadId, { messageId, useragent: 'Mozilla/5.0', ip: '203.0.113.9' })
    const click = sgEvent('click', leadId, { messageId, url: 'https://example.com/pricing' })

    const res = await postEvents([open, click])

    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ received: 2, applied: 2, duplicates: 0, ignored: 0 })
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead.engagement).toEqual({ emailOpen: 1, emailClick: 1 })
    expect(lead.score).toBeGreaterThan(before.score)
    expect(lead.lastEngagedAt).toEqual(new Date(click.timestamp * 1000))
    const timeline = await database.db.activity.findMany({
      where: { leadId, kind: { in: ['email_open', 'email_click'] } },
      orderBy: { occurredAt: 'asc' },
    })
    expect(timeline).toMatchObject([
      {
        kind: 'email_open',
        direction: 'inbound',
        occurredAt: new Date(open.timestamp * 1000),
        actorId: 'connector:sendgrid',
        details: { event: 'emailOpen', messageId, providerMessageId: 'sg-1' },
      },
      {
        kind: 'email_click',
        details: { event: 'emailClick', url: 'https://example.com/pricing', messageId },
      },
    ])
    expect(await topics(leadId)).toEqual(['lead.captured', 'lead.engaged', 'lead.engaged'])
    const delivery = await database.db.inboundDelivery.findUniqueOrThrow({
      where: { connectorId_deliveryKey: { connectorId: 'sendgrid', deliveryKey: `sg:${open.sg_event_id}` } },
    })
    expect(delivery).toMatchObject({ outcome: 'activity', leadId, duplicates: 0 })
  })

  it('applies a retried batch once: every event counted as a duplicate, nothing written again', async () => {
    const leadId = await capturedLead()
    const batch = serialise([
      sgEvent('open', leadId),
      sgEvent('click', leadId, { url: 'https://example.com/a' }),
    ])
    expect((await post(batch)).json()).toMatchObject({ applied: 2, duplicates: 0 })
    const after = await counts()

    // SendGrid's retry of the same batch, signed again at another time.
    const retry = await post(batch, { timestamp: String(SENT_AT + 3600) })

    expect(retry.statusCode).toBe(200)
    expect(retry.json()).toEqual({ received: 2, applied: 0, duplicates: 2, ignored: 0 })
    expect(await counts()).toEqual(after)
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead.engagement).toEqual({ emailOpen: 1, emailClick: 1 })
    const deliveries = await database.db.inboundDelivery.findMany({ where: { connectorId: 'sendgrid' } })
    expect(deliveries.map((d) => d.duplicates)).toEqual([1, 1])
  })

  it('matches an event without our custom args by address, and ignores what it cannot tie to a lead', async () => {
    const leadId = await capturedLead('asha.rao@example.in')
    const byEmail = sgEvent('open', null, { email: 'Asha.Rao@Example.in' })
    const stranger = sgEvent('open', null, { email: 'nobody@example.org' })
    const goneLead = sgEvent('open', uuidv7())
    const noId = { ...sgEvent('open', leadId), sg_event_id: undefined }
    const machine = sgEvent('open', leadId, { sg_machine_open: true })
    const ownLink = sgEvent('click', leadId, { url: `${BASE_URL}/u/some.token` })

    const res = await postEvents([byEmail, stranger, goneLead, noId, machine, ownLink, 'junk'])

    expect(res.json()).toEqual({ received: 7, applied: 1, duplicates: 0, ignored: 6 })
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead.engagement).toEqual({ emailOpen: 1 })
    expect(await database.db.inboundDelivery.count()).toBe(1)
  })
})

describe('SendGrid Event Webhook: consent', () => {
  it.each([
    ['unsubscribe', 'sendgrid:unsubscribe'],
    ['spamreport', 'sendgrid:spamreport'],
    ['group_unsubscribe', 'sendgrid:group_unsubscribe'],
  ])('withdraws email consent on %s and tells the journey', async (event, source) => {
    const leadId = await capturedLead()
    const before = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(before.consentStatus).toBe('granted')
    const withdrawal = sgEvent(event, leadId)

    const res = await postEvents([withdrawal])

    expect(res.json()).toEqual({ received: 1, applied: 1, duplicates: 0, ignored: 0 })
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead).toMatchObject({
      consentStatus: 'withdrawn',
      optOutAt: new Date(withdrawal.timestamp * 1000),
    })
    const records = await database.db.consentRecord.findMany({ where: { leadId }, orderBy: { id: 'asc' } })
    expect(records.map((r) => [r.status, r.source, r.recordedBy])).toEqual([
      ['granted', 'web_form:demo', expect.any(String)],
      ['withdrawn', source, 'connector:sendgrid'],
    ])
    const signal = await database.db.outboxEvent.findFirstOrThrow({
      where: { aggregateId: leadId, topic: 'lead.contactability_changed' },
    })
    expect(signal.payload).toMatchObject({ leadId, email: false, reason: 'opted_out' })

    // The same event again: counted, no second consent record or signal.
    expect((await postEvents([withdrawal])).json()).toMatchObject({ applied: 0, duplicates: 1 })
    expect(await database.db.consentRecord.count({ where: { leadId } })).toBe(2)
    expect(await topics(leadId)).toEqual(['lead.captured', 'lead.contactability_changed'])
  })
})

describe('SendGrid Event Webhook: delivery', () => {
  it('puts a bounce on the timeline and marks the sent message bounced, without touching consent', async () => {
    const leadId = await capturedLead()
    const messageId = await sentMessage(leadId)
    const bounce = sgEvent('bounce', leadId, {
      messageId,
      type: 'bounce',
      status: '5.1.1',
      reason: '550 5.1.1 <meera.iyer@example.co.in>: user unknown',
      bounce_classification: 'Invalid Address',
    })

    const res = await postEvents([bounce])

    expect(res.json()).toEqual({ received: 1, applied: 1, duplicates: 0, ignored: 0 })
    const activity = await database.db.activity.findFirstOrThrow({ where: { leadId, kind: 'email_bounced' } })
    expect(activity).toMatchObject({
      direction: 'internal',
      subject: 'Email bounced',
      actorId: 'connector:sendgrid',
      occurredAt: new Date(bounce.timestamp * 1000),
      details: {
        bounceType: 'bounce',
        status: '5.1.1',
        classification: 'Invalid Address',
        reason: '550 5.1.1 <[address]>: user unknown',
        messageId,
      },
    })
    expect(await database.db.outboundMessage.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({
      status: 'bounced',
      lastError: 'bounced (5.1.1)',
    })
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead.consentStatus).toBe('granted')
    expect(await topics(leadId)).toEqual(['lead.captured'])
    expect((await postEvents([bounce])).json()).toMatchObject({ applied: 0, duplicates: 1 })
    expect(await database.db.activity.count({ where: { kind: 'email_bounced' } })).toBe(1)
  })

  it('settles an unconfirmed send as sent when SendGrid reports it processed; deferrals change nothing', async () => {
    const leadId = await capturedLead()
    const messageId = await sentMessage(leadId, 'unconfirmed')
    const activitiesBefore = await database.db.activity.count()

    const deferred = await postEvents([sgEvent('deferred', leadId, { messageId, attempt: '1' })])
    expect(deferred.json()).toMatchObject({ applied: 1 })
    expect(await database.db.outboundMessage.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({
      status: 'unconfirmed',
    })

    const processed = sgEvent('processed', leadId, { messageId })
    const res = await postEvents([processed, sgEvent('delivered', leadId, { messageId })])

    expect(res.json()).toEqual({ received: 2, applied: 2, duplicates: 0, ignored: 0 })
    expect(await database.db.outboundMessage.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({
      status: 'sent',
      providerMessageId: 'sg-1',
      sentAt: new Date(processed.timestamp * 1000),
      lastError: null,
    })
    expect(await database.db.activity.count()).toBe(activitiesBefore)
    expect(await topics(leadId)).toEqual(['lead.captured'])
  })
})

describe('SendGrid Event Webhook: refusals', () => {
  it('refuses a batch not signed with the configured key, a tampered one and an unsigned one: 401, nothing stored', async () => {
    const leadId = await capturedLead()
    const before = await counts()
    const body = serialise([sgEvent('unsubscribe', leadId), sgEvent('open', leadId)])
    const timestamp = String(SENT_AT + 60)
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey

    const answers = [
      await post(body, { signature: sign(body, timestamp, otherKey), timestamp }),
      await post(body.replace('unsubscribe', 'open'), { signature: sign(body, timestamp), timestamp }),
      await post(body, { signature: sign(body, timestamp), timestamp: String(SENT_AT + 61) }),
      await post(body, { signature: null }),
      await post(body, { signature: 'not-a-signature' }),
    ]

    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code: 'unauthorized' })
    }
    expect(await counts()).toEqual(before)
    expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).consentStatus).toBe(
      'granted',
    )
  })

  it('answers a signed body that is not a JSON array of events with 400, storing nothing', async () => {
    const leadId = await capturedLead()
    const before = await counts()
    for (const body of ['[{"event":"open",', JSON.stringify(sgEvent('open', leadId)), '']) {
      const res = await post(body)
      expect(res.statusCode, body).toBe(400)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code: 'malformed_request' })
    }
    expect(await counts()).toEqual(before)
  })

  it('answers 503 not_ready while no verification key is configured, storing nothing', async () => {
    const unconfigured = await buildTestApp({ config: testConfig(), db: database.db })
    try {
      const leadId = await capturedLead()
      const before = await counts()
      const res = await post(serialise([sgEvent('open', leadId)]), { target: unconfigured })
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ code: 'not_ready' })
      expect(await counts()).toEqual(before)
    } finally {
      await unconfigured.close()
    }
  })
})
