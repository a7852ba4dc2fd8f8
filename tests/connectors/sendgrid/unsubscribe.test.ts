import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createNurtureActivities, type NurtureSend } from '../../../activities/nurture.activities.js'
import { NOT_CONNECTED_WHATSAPP } from '../../../activities/whatsapp-sender.js'
import { createSendGridTransport } from '../../../connectors/sendgrid/transport.js'
import { createUnsubscribeLinks } from '../../../connectors/sendgrid/unsubscribe-links.js'
import { signUnsubscribeToken } from '../../../platform/link-signing.js'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { startSendGridStandIn, type SendGridStandIn } from '../../support/sendgrid-stand-in.js'

/*
 * The unsubscribe link from end to end: a journey email sent by sendNurtureMessage through
 * SendGrid's library to the loopback stand-in carries the link (footer and RFC 8058 headers);
 * the API serves the page behind it and records the withdrawal once, on real PostgreSQL.
 */
const SECRET = 'unsubscribe-test-link-signing-secret-0001'
const BASE_URL = 'https://hub.example.in'
const config = testConfig({ LINK_SIGNING_SECRET: SECRET, PUBLIC_BASE_URL: BASE_URL })
/** Tuesday 10 March 2026, 11:30 in Kolkata: inside sending hours. */
const DAYTIME = new Date('2026-03-10T06:00:00.000Z')

let database: TestDatabase
let app: FastifyInstance
let sendgrid: SendGridStandIn

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config, db: database.db })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
beforeEach(async () => {
  sendgrid = await startSendGridStandIn()
})
afterEach(async () => {
  await sendgrid?.close()
  await truncateAll(database.db)
})

async function capturedLead(
  email = 'meera.iyer@example.co.in',
  name: [string, string, string] = ['Meera', 'Iyer', 'Iyer Exports'],
): Promise<string> {
  const [firstName, lastName, company] = name
  const res = await app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: {
      channel: 'web_form',
      firstName,
      lastName,
      email,
      company,
      country: 'IN',
      consent: { granted: true, source: 'web_form:demo', textVersion: 'v3', channels: ['email'] },
    },
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string }>().id
}

/** sendNurtureMessage as the worker builds it: SendGrid transport plus signed unsubscribe links. */
const send = (input: NurtureSend) =>
  createNurtureActivities({
    db: database.db,
    email: createSendGridTransport({ apiKey: 'SG.test-key', baseUrl: sendgrid.url }),
    emailFrom: { email: 'hello@leadwire.test', name: 'Leadwire' },
    whatsapp: NOT_CONNECTED_WHATSAPP,
    unsubscribe: createUnsubscribeLinks(config),
    clock: () => DAYTIME,
  }).sendNurtureMessage(input)

const step = (leadId: string, overrides: Partial<NurtureSend> = {}): NurtureSend => ({
  leadId,
  sequenceId: 'default-nurture',
  cycle: 1,
  stepId: 'welcome',
  channel: 'email',
  template: 'nurture-welcome',
  zones: ['Asia/Kolkata'],
  quietHours: { start: '20:00', end: '09:00', weekendsQuiet: false },
  ...overrides,
})

type MailBody = {
  subject?: string
  content?: { type: string; value: string }[]
  headers: Record<string, string>
  custom_args: Record<string, string>
  template_id?: string
  personalizations: { dynamic_template_data?: Record<string, unknown> }[]
}

/** Sends the welcome email and returns the unsubscribe URL it carries. */
async function emailedLink(leadId: string): Promise<{ url: string; body: MailBody }> {
  const outcome = await send(step(leadId))
  expect(outcome.status).toBe('sent')
  const body = sendgrid.requests.at(-1)!.body as MailBody
  const header = body.headers['List-Unsubscribe']!
  const url = /^<(.+)>$/.exec(header)![1]!
  return { url, body }
}

const pathOf = (url: string) => url.slice(BASE_URL.length)
const oneClick = (path: string) =>
  app.inject({
    method: 'POST',
    url: path,
    payload: 'List-Unsubscribe=One-Click',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
const counts = async () => ({
  consentRecords: await database.db.consentRecord.count(),
  deliveries: await database.db.inboundDelivery.count(),
  outbox: await database.db.outboxEvent.count(),
})

describe('the unsubscribe link in journey emails', () => {
  it('is in the footer, in the HTML part and in the RFC 8058 headers of every marketing email', async () => {
    const leadId = await capturedLead()
    const { url, body } = await emailedLink(leadId)
    const message = await database.db.outboundMessage.findFirstOrThrow({ where: { leadId } })

    expect(url.startsWith(`${BASE_URL}/u/`)).toBe(true)
    expect(body.headers).toEqual({
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
    expect(body.subject).toBe('Thanks for your interest')
    const [text, html] = body.content!
    expect(text).toMatchObject({ type: 'text/plain' })
    expect(text!.value).toMatch(/^Hi Meera,\n\n/)
    expect(text!.value.endsWith(`unsubscribe here: ${url}`)).toBe(true)
    expect(html).toMatchObject({ type: 'text/html' })
    expect(html!.value).toContain(`<a href="${url}" clicktracking="off">unsubscribe here</a>`)
    expect(body.custom_args).toMatchObject({ leadId, messageId: message.id })
  })

  it('is handed to a SendGrid dynamic template as unsubscribeUrl, with no content of ours', async () => {
    const leadId = await capturedLead()
    const template = 'd-0123456789abcdef0123456789abcdef'

    expect((await send(step(leadId, { template }))).status).toBe('sent')

    const body = sendgrid.requests[0]!.body as MailBody
    expect(body.template_id).toBe(template)
    expect(body.content).toBeUndefined()
    expect(body.subject).toBeUndefined()
    const unsubscribeUrl = body.personalizations[0]!.dynamic_template_data!['unsubscribeUrl']
    expect(body.headers['List-Unsubscribe']).toBe(`<${String(unsubscribeUrl)}>`)
    expect(body.personalizations[0]!.dynamic_template_data).toMatchObject({
      firstName: 'Meera',
      company: 'Iyer Exports',
    })
  })
})

describe('GET /u/:token', () => {
  it('asks before doing anything, naming the address masked', async () => {
    const leadId = await capturedLead()
    const { url } = await emailedLink(leadId)
    const before = await counts()

    const res = await app.inject({ method: 'GET', url: pathOf(url) })

    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.body).toContain('Unsubscribe <strong>m***@example.co.in</strong> from our marketing email?')
    expect(res.body).toContain('<form method="post">')
    expect(res.body).not.toContain('meera.iyer')
    expect(await counts()).toEqual(before)
    expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).consentStatus).toBe(
      'granted',
    )
  })
})

describe('POST /u/:token', () => {
  it('withdraws email consent once (one-click), tells the journey, and stops the next email', async () => {
    const leadId = await capturedLead()
    const { url } = await emailedLink(leadId)
    const message = await database.db.outboundMessage.findFirstOrThrow({ where: { leadId } })

    const res = await oneClick(pathOf(url))

    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('m***@example.co.in will no longer receive our marketing email')
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead).toMatchObject({ consentStatus: 'withdrawn', optOutReason: 'unsubscribe link' })
    const withdrawal = await database.db.consentRecord.findFirstOrThrow({
      where: { leadId, status: 'withdrawn' },
    })
    expect(withdrawal).toMatchObject({ source: 'email:unsubscribe-link', recordedBy: 'connector:sendgrid' })
    const signal = await database.db.outboxEvent.findFirstOrThrow({
      where: { aggregateId: leadId, topic: 'lead.contactability_changed' },
    })
    expect(signal.payload).toMatchObject({ email: false, reason: 'opted_out' })
    const delivery = await database.db.inboundDelivery.findFirstOrThrow({
      where: { connectorId: 'sendgrid' },
    })
    expect(delivery).toMatchObject({ outcome: 'consent', leadId, duplicates: 0 })
    expect(delivery.deliveryKey).toMatch(/^unsub:[0-9a-f]{64}$/)
    expect(JSON.stringify(delivery.result)).not.toContain(url)
    expect(message.id).toBeTruthy()

    // Clicked again (or the mail client retried): the same page, nothing new recorded.
    const after = await counts()
    const again = await oneClick(pathOf(url))
    expect(again.statusCode).toBe(200)
    expect(again.body).toBe(res.body)
    expect(await counts()).toEqual(after)
    expect(
      (await database.db.inboundDelivery.findFirstOrThrow({ where: { connectorId: 'sendgrid' } })).duplicates,
    ).toBe(1)

    // The journey's next email is not sent.
    const next = await send(step(leadId, { stepId: 'value', template: 'nurture-value' }))
    expect(next).toMatchObject({ status: 'skipped', reason: 'opted_out', stopSequence: true })
    expect(sendgrid.requests).toHaveLength(1)
  })

  it('accepts the page form and a multipart one-click post alike', async () => {
    const first = await capturedLead('asha.rao@example.in', ['Asha', 'Rao', 'Rao Textiles'])
    const second = await capturedLead('kavya.menon@example.in', ['Kavya', 'Menon', 'Menon Spices'])
    const links = createUnsubscribeLinks(config)

    const form = await app.inject({
      method: 'POST',
      url: pathOf(links({ leadId: first }).url),
      payload: { 'List-Unsubscribe': 'One-Click' },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    const boundary = '----leadwire-test'
    const multipart = await app.inject({
      method: 'POST',
      url: pathOf(links({ leadId: second }).url),
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    })
    const empty = await app.inject({
      method: 'POST',
      url: pathOf(links({ leadId: first, messageId: uuidv7() }).url),
    })

    expect([form.statusCode, multipart.statusCode, empty.statusCode]).toEqual([200, 200, 200])
    const leads = await database.db.lead.findMany({ where: { id: { in: [first, second] } } })
    expect(leads.map((l) => [l.duplicateOfId, l.consentStatus])).toEqual([
      [null, 'withdrawn'],
      [null, 'withdrawn'],
    ])
  })

  it('refuses a tampered or foreign token with a 400 page, and stores nothing', async () => {
    const leadId = await capturedLead()
    const { url } = await emailedLink(leadId)
    const before = await counts()
    const [payload, mac] = pathOf(url).slice('/u/'.length).split('.')
    const otherLead = Buffer.concat([Buffer.of(1), Buffer.from(uuidv7().replace(/-/g, ''), 'hex')]).toString(
      'base64url',
    )
    const tampered = [
      `/u/${otherLead}.${mac}`,
      `/u/${payload}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`,
      `/u/${signUnsubscribeToken('another-secret-another-secret-another', { leadId, channel: 'email' })}`,
      '/u/not-a-token',
    ]

    for (const path of tampered) {
      for (const res of [await app.inject({ method: 'GET', url: path }), await oneClick(path)]) {
        expect(res.statusCode, path).toBe(400)
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
        expect(res.body).toContain('This link does not work')
      }
    }
    expect(await counts()).toEqual(before)
    expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).consentStatus).toBe(
      'granted',
    )
  })

  it('answers 404 for a valid link to a lead that no longer exists', async () => {
    const path = pathOf(createUnsubscribeLinks(config)({ leadId: uuidv7() }).url)
    expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(404)
    const res = await oneClick(path)
    expect(res.statusCode).toBe(404)
    expect(res.body).toContain('Nothing to unsubscribe')
    expect(await counts()).toEqual({ consentRecords: 0, deliveries: 0, outbox: 0 })
  })
})
