import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { expectProblem } from '../../support/problem.js'
import { BASE_URL, createForm, rowCounts, SITE, WORDING } from './form-helpers.js'

/*
 * Form submissions from the raw browser post (urlencoded) or a JSON caller to a governed
 * lead, through the real app and PostgreSQL: consent evidence with its wording, the
 * campaign touch, the journey's outbox event, and the form's defences (origin allow-list,
 * rate limit, honeypot) and exactly-once intake. The clock is pinned so a rate-limit
 * window or a minute bucket never turns over mid-test.
 */
const NOW = new Date('2026-03-02T10:15:20.000Z')
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({
    config: testConfig({ PUBLIC_BASE_URL: BASE_URL }),
    db: database.db,
    clock: () => NOW,
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

const fields = (overrides: Record<string, string> = {}) => ({
  your_name: 'Asha Devi Rao',
  work_email: 'asha.rao@raotextiles.example.in',
  mobile: '+91 98765 43210',
  org: 'Rao Textiles',
  agree: 'yes',
  consent_text_version: 'consent-2026-01',
  website_url: '',
  utm_source: 'newsletter',
  utm_medium: 'email',
  utm_campaign: 'spring-pricing',
  referrer: 'https://mail.example.org/',
  landing_page: `${SITE}/pricing?utm_source=newsletter`,
  submission_id: '7d4e3c1a-0b8f-4c2e-9a51-3f0d2b6c9e11',
  ...overrides,
})

/** What a browser sends for the plain form: urlencoded, from the host site. */
const postForm = (body: Record<string, string>, extra: Partial<InjectOptions> = {}) =>
  app.inject({
    method: 'POST',
    url: '/f/pricing',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: SITE,
      accept: BROWSER_ACCEPT,
      ...(extra.headers as Record<string, string> | undefined),
    },
    payload: new URLSearchParams(body).toString(),
    ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}),
  })

/** What the embed script sends: the same urlencoded body, asking for JSON. */
const postFetch = (body: Record<string, string>, headers: Record<string, string> = {}) =>
  postForm(body, { headers: { accept: 'application/json', ...headers } })

const postJson = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/f/pricing',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  })

describe('web form submissions', () => {
  it('turns a plain browser post into a governed lead with consent evidence, a campaign touch and a journey', async () => {
    await createForm(app)
    const res = await postForm(fields())
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('Thanks, we will call you within a day.')
    expect(res.headers['access-control-allow-origin']).toBe(SITE)

    const db = database.db
    const lead = await db.lead.findFirstOrThrow()
    expect(lead).toMatchObject({
      channel: 'web_form',
      firstName: 'Asha',
      lastName: 'Devi Rao',
      email: 'asha.rao@raotextiles.example.in',
      phone: '+919876543210',
      createdBy: 'connector:web-form',
      consentStatus: 'granted',
    })
    expect(lead.externalIds).toEqual({ web_form: '7d4e3c1a-0b8f-4c2e-9a51-3f0d2b6c9e11' })
    const raw = await db.rawCapture.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(raw.payload).toMatchObject({ formId: 'pricing', fields: { org: 'Rao Textiles', agree: 'yes' } })
    const consent = await db.consentRecord.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(consent).toMatchObject({
      status: 'granted',
      source: 'web_form:pricing',
      text: WORDING,
      textVersion: 'consent-2026-01',
      channels: ['email', 'whatsapp'],
      recordedBy: 'connector:web-form',
    })
    const touch = await db.touch.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(touch).toMatchObject({
      channel: 'web_form',
      source: 'newsletter',
      medium: 'email',
      campaign: 'spring-pricing',
      referrer: 'https://mail.example.org/',
      landingPage: `${SITE}/pricing?utm_source=newsletter`,
    })
    const outbox = await db.outboxEvent.findMany({ where: { aggregateId: lead.id } })
    expect(outbox.map((e) => e.topic)).toEqual(['lead.captured'])
    const delivery = await db.inboundDelivery.findUniqueOrThrow({
      where: {
        connectorId_deliveryKey: {
          connectorId: 'web-form',
          deliveryKey: 'pricing:7d4e3c1a-0b8f-4c2e-9a51-3f0d2b6c9e11',
        },
      },
    })
    expect(delivery).toMatchObject({ outcome: 'lead_created', leadId: lead.id, duplicates: 0 })
  })

  it('answers a JSON caller with JSON and keys the submission by its Idempotency-Key', async () => {
    await createForm(app)
    const res = await postJson(
      {
        your_name: 'Vikram Nair',
        work_email: 'vikram@nairlogistics.example.in',
        agree: true,
        utm_campaign: 'q1',
      },
      { 'idempotency-key': 'api-sub-0001' },
    )
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json<{ ok: boolean; message: string; leadId: string }>()
    expect(body).toEqual({ ok: true, message: 'Thanks, we will call you within a day.', leadId: body.leadId })
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: body.leadId } })
    expect(lead).toMatchObject({ firstName: 'Vikram', lastName: 'Nair', consentStatus: 'granted' })
    // No utm_source of its own: the form's default source and medium, the submitted campaign.
    expect(await database.db.touch.findFirstOrThrow({ where: { leadId: lead.id } })).toMatchObject({
      source: 'website',
      medium: 'form',
      campaign: 'q1',
    })
    expect(await database.db.inboundDelivery.count({ where: { deliveryKey: 'pricing:api-sub-0001' } })).toBe(
      1,
    )
  })

  it("sends a plain browser post on to the form's redirect URL", async () => {
    await createForm(app, { redirectUrl: `${SITE}/thank-you` })
    const res = await postForm(fields())
    expect(res.statusCode).toBe(303)
    expect(res.headers['location']).toBe(`${SITE}/thank-you`)
    expect(await database.db.lead.count()).toBe(1)
  })

  it('captures a replayed submission id once: 1 lead, 2 recorded duplicates, the same answer each time', async () => {
    await createForm(app)
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await postFetch(fields()))
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201])
    expect(new Set(answers.map((a) => a.body)).size).toBe(1)
    expect(await rowCounts(database.db)).toEqual({ leads: 1, raw: 1, consent: 1, deliveries: 1, outbox: 1 })
    const delivery = await database.db.inboundDelivery.findFirstOrThrow()
    expect(delivery.duplicates).toBe(2)
    expect((await app.inject({ method: 'GET', url: '/v1/connectors/web-form' })).json()).toMatchObject({
      deliveries: 1,
      duplicateDeliveries: 2,
    })
  })

  it('treats the same fields posted twice in a minute without a submission id as one submission', async () => {
    await createForm(app)
    const plain = fields({ submission_id: '' })
    expect((await postForm(plain)).statusCode).toBe(200)
    expect((await postForm(plain)).statusCode).toBe(200)
    expect(await database.db.lead.count()).toBe(1)
    const delivery = await database.db.inboundDelivery.findFirstOrThrow()
    expect(delivery.deliveryKey).toMatch(/^pricing:sha256:[0-9a-f]{64}$/)
    expect(delivery.duplicates).toBe(1)
  })

  it('records an unticked consent box as consent declined', async () => {
    await createForm(app)
    const { agree: _agree, ...unticked } = fields()
    expect((await postFetch(unticked)).statusCode).toBe(201)
    const consent = await database.db.consentRecord.findFirstOrThrow()
    expect(consent).toMatchObject({ status: 'denied', text: WORDING })
  })
})

describe('bots and abuse', () => {
  it('quarantines a honeypot fill and answers it exactly like a person', async () => {
    await createForm(app)
    const person = await postFetch(fields({ submission_id: 'person-1' }))
    const bot = await postFetch(
      fields({
        submission_id: 'bot-1',
        your_name: 'Bot Account',
        work_email: 'offers@bulkmail.example.com',
        mobile: '+91 91234 56789',
        website_url: 'http://cheap-seo.example',
      }),
    )
    expect(bot.statusCode).toBe(person.statusCode)
    expect(bot.headers['content-type']).toBe(person.headers['content-type'])
    const personBody = person.json<Record<string, unknown>>()
    const botBody = bot.json<Record<string, unknown>>()
    expect(Object.keys(botBody).sort()).toEqual(Object.keys(personBody).sort())
    expect(botBody['message']).toBe(personBody['message'])
    const quarantined = await database.db.lead.findUniqueOrThrow({ where: { id: String(botBody['leadId']) } })
    expect(quarantined.queue).toBe('spam-review')
    expect(quarantined.spamSignals).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'honeypot' })]),
    )
    expect(await database.db.outboxEvent.count({ where: { aggregateId: quarantined.id } })).toBe(0)
    expect(
      await database.db.inboundDelivery.findFirstOrThrow({ where: { deliveryKey: 'pricing:bot-1' } }),
    ).toMatchObject({ outcome: 'lead_quarantined' })
  })

  it('answers a honeypot fill with invalid data like a success too, storing nothing', async () => {
    await createForm(app)
    const bot = await postForm(fields({ work_email: 'not-an-email', mobile: '', website_url: 'x' }))
    expect(bot.statusCode).toBe(200)
    expect(bot.body).toContain('Thanks, we will call you within a day.')
    expect(await rowCounts(database.db)).toEqual({ leads: 0, raw: 0, consent: 0, deliveries: 0, outbox: 0 })
  })

  it('rate-limits submissions per form and IP address: 429 with Retry-After after the limit', async () => {
    await createForm(app, { rateLimitPerMinute: 3 })
    for (let i = 0; i < 3; i++) {
      const ok = await postFetch(fields({ submission_id: `rl-${i}`, work_email: `p${i}@example.in` }))
      expect(ok.statusCode, ok.body).toBe(201)
    }
    const refused = await postFetch(fields({ submission_id: 'rl-3', work_email: 'p3@example.in' }))
    expectProblem(refused, 429, 'rate_limited')
    expect(Number(refused.headers['retry-after'])).toBe(40)
    expect(await database.db.lead.count()).toBe(3)
    const windows = await database.db.rateLimitWindow.findMany()
    expect(windows.map((w) => w.bucket)).toEqual([expect.stringMatching(/^form:pricing:[0-9a-f]{24}$/)])
    const elsewhere = await postForm(fields({ submission_id: 'rl-4', work_email: 'p4@example.in' }), {
      remoteAddress: '203.0.113.9',
      headers: { accept: 'application/json' },
    })
    expect(elsewhere.statusCode).toBe(201)
  })

  it("allows the form's origins and its hosted page, answering CORS for that origin only", async () => {
    await createForm(app)
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/f/pricing',
      headers: { origin: SITE, 'access-control-request-method': 'POST' },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe(SITE)
    expect(preflight.headers['access-control-allow-methods']).toBe('POST')
    expect(String(preflight.headers['vary'])).toContain('Origin')
    const hosted = await postFetch(fields(), { origin: BASE_URL })
    expect(hosted.statusCode).toBe(201)
    expect(hosted.headers['access-control-allow-origin']).toBe(BASE_URL)
    // A server-side caller sends no Origin: not a browser page, not subject to CORS.
    const server = await postJson(
      { work_email: 'ops@example.in', agree: true },
      { 'idempotency-key': 'srv-1' },
    )
    expect(server.statusCode).toBe(201)
    expect(server.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses a post or preflight from any other origin with 403, storing nothing', async () => {
    await createForm(app)
    for (const origin of [
      'https://evil.example',
      `${SITE}.evil.example`,
      'null',
      'http://www.acme-tools.example',
    ]) {
      const res = await postFetch(fields(), { origin })
      expectProblem(res, 403, 'forbidden')
      expect(res.headers['access-control-allow-origin']).toBeUndefined()
    }
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/f/pricing',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expectProblem(preflight, 403, 'forbidden')
    expect(await rowCounts(database.db)).toEqual({ leads: 0, raw: 0, consent: 0, deliveries: 0, outbox: 0 })
  })
})

describe('bad submissions', () => {
  it('answers unreadable and malformed bodies with 400/415/422 problem+json, storing nothing', async () => {
    await createForm(app)
    const post = (payload: string, type: string) =>
      app.inject({ method: 'POST', url: '/f/pricing', headers: { 'content-type': type }, payload })
    expectProblem(await post('{"work_email": ', 'application/json'), 400, 'malformed_request')
    expectProblem(await post('["a@example.in"]', 'application/json'), 422, 'validation_failed')
    const nested = expectProblem(
      await post('{"work_email": {"value": "a@example.in"}}', 'application/json'),
      422,
      'validation_failed',
    )
    expect(JSON.stringify(nested.errors)).toContain('/body/work_email')
    expectProblem(
      await post('work_email=a%00b%40example.in', 'application/x-www-form-urlencoded'),
      422,
      'validation_failed',
    )
    expectProblem(await post('work_email=a@example.in', 'text/plain'), 415, 'unsupported_media_type')
    expect(await rowCounts(database.db)).toEqual({ leads: 0, raw: 0, consent: 0, deliveries: 0, outbox: 0 })
  })

  it("points the pipeline's refusals at the form's own field names", async () => {
    await createForm(app)
    const bad = expectProblem(
      await postFetch(fields({ work_email: 'asha.rao@', mobile: '' })),
      422,
      'validation_failed',
    )
    expect(bad.errors?.map((e) => e.pointer)).toContain('/body/work_email')
    // The plain form's post gets the same problem (the embed script shows it next to the box).
    const plain = expectProblem(
      await postForm(fields({ work_email: 'asha.rao@', mobile: '' })),
      422,
      'validation_failed',
    )
    expect(plain.errors?.map((e) => e.pointer)).toContain('/body/work_email')
    const nothing = expectProblem(await postFetch({ your_name: 'Asha' }), 422, 'validation_failed')
    expect(nothing.errors?.map((e) => e.pointer)).toContain('/body/work_email')
    expect(await rowCounts(database.db)).toEqual({ leads: 0, raw: 0, consent: 0, deliveries: 0, outbox: 0 })
  })

  it('answers 404 problem+json for an unknown or inactive form, storing nothing', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/f/nope',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@example.in"}',
    })
    expectProblem(unknown, 404, 'not_found')
    await createForm(app)
    await app.inject({ method: 'PATCH', url: '/v1/forms/pricing', payload: { isActive: false } })
    expectProblem(await postFetch(fields()), 404, 'not_found')
    expect(await rowCounts(database.db)).toEqual({ leads: 0, raw: 0, consent: 0, deliveries: 0, outbox: 0 })
  })
})
