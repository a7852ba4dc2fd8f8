import { randomUUID } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'
import { LEAD_CHANNELS } from '../../domain/lead/lead-capture.js'
import { buildTestApp, useTestApp } from '../support/app.js'
import { truncateAll } from '../support/database.js'
import { testConfig } from '../support/config.js'

/*
 * The leads API against the real app, a real PostgreSQL and a real Temporal dev server.
 * No worker or relay runs here: captured leads keep journey status PENDING.
 * Every capture goes through the governed ingestion path (ingestion/pipeline.ts): it needs an
 * email or a phone, text is stored in canonical form, and a known email makes a duplicate.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

// The domain rules' own sentences (domain/lead/validate.rules.ts).
const CONTACT_REQUIRED = 'An email address or a phone number is required to follow up on this lead.'
const EMAIL_INVALID = 'The email address is not valid: check for typos such as a missing "@" or domain.'
const PHONE_INVALID =
  'The phone number is not valid: check the digits and include the country code (for example +91).'

const ctx = useTestApp({ truncateAfterEach: true })

interface ProblemJson {
  type: string
  title: string
  status: number
  detail?: string
  instance: string
  code: string
  errors?: { pointer: string; message: string }[]
}

/** Checks the RFC 9457 envelope and returns the body. */
function expectProblem(res: LightMyRequestResponse, status: number, code: string): ProblemJson {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const body = res.json<ProblemJson>()
  expect(body.type).toBe(`urn:leadwire:problem:${code}`)
  expect(body.status).toBe(status)
  expect(body.code).toBe(code)
  expect(body.title).toEqual(expect.any(String))
  expect(body.title.length).toBeGreaterThan(0)
  // The instance is the request id, also sent back as a header.
  expect(body.instance).toEqual(expect.any(String))
  expect(body.instance).toBe(res.headers['x-request-id'])
  return body
}

async function expectNothingWritten() {
  expect(await ctx.database.db.lead.count()).toBe(0)
  expect(await ctx.database.db.outboxEvent.count()).toBe(0)
}

function postJson(payload: unknown, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: '/v1/leads', payload: payload as object, headers })
}

function postRaw(payload: string, contentType: string, target: FastifyInstance = ctx.app) {
  return target.inject({
    method: 'POST',
    url: '/v1/leads',
    payload,
    headers: { 'content-type': contentType },
  })
}

interface Captured {
  id: string
  status: string
  outcome: 'created' | 'duplicate' | 'quarantined'
  duplicateOf: string | null
  score: number
  ownerId: string | null
  queue: string | null
  createdAt: string
  replayed: boolean
  journey: { workflowId: string; status: string }
}

async function capture(body: Record<string, unknown>): Promise<Captured> {
  const res = await postJson(body)
  expect(res.statusCode, res.body).toBe(202)
  return res.json<Captured>()
}

describe('POST /v1/leads refuses bad input and writes nothing', () => {
  it('malformed JSON -> 400 malformed_request', async () => {
    const res = await postRaw('{"firstName": "Asha",', 'application/json')
    const problem = expectProblem(res, 400, 'malformed_request')
    expect(problem.detail).toBe('The body is not valid JSON.')
    await expectNothingWritten()
  })

  it('an empty body sent as JSON -> 400 malformed_request', async () => {
    const res = await postRaw('', 'application/json')
    const problem = expectProblem(res, 400, 'malformed_request')
    expect(problem.detail).toBe('The JSON body is empty.')
    await expectNothingWritten()
  })

  it('a content type it does not parse (application/xml) -> 415 unsupported_media_type', async () => {
    const res = await postRaw('<lead><firstName>Asha</firstName></lead>', 'application/xml')
    const problem = expectProblem(res, 415, 'unsupported_media_type')
    expect(problem.detail).toContain('application/xml')
    await expectNothingWritten()
  })

  it('text/plain writes nothing and answers with a 4xx problem', async () => {
    const res = await postRaw('firstName=Asha', 'text/plain')
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.statusCode).toBeLessThan(500)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    await expectNothingWritten()
  })

  it('text/plain -> 415 unsupported_media_type', async () => {
    const res = await postRaw('{"firstName":"Asha","email":"asha@example.in"}', 'text/plain')
    const problem = expectProblem(res, 415, 'unsupported_media_type')
    expect(problem.detail).toContain('text/plain')
    await expectNothingWritten()
  })

  it('a body over BODY_LIMIT_BYTES -> 413 payload_too_large', async () => {
    // A valid capture whose size comes from `need` (maxLength 2000), so only its size is wrong.
    const need = (length: number) =>
      'We want WhatsApp and web form leads routed to the right rep within minutes. '
        .repeat(30)
        .slice(0, length)
    const lead = (needLength: number) =>
      JSON.stringify({
        firstName: 'Asha',
        lastName: 'Rao',
        email: 'asha@example.in',
        company: 'Acme Industrial Supplies',
        need: need(needLength),
      })
    const fits = lead(1800)
    const tooBig = lead(2000)
    expect(Buffer.byteLength(fits)).toBeLessThan(2048)
    expect(Buffer.byteLength(tooBig)).toBeGreaterThan(2048)

    // The oversized body is a good capture under the default limit...
    expect((await postRaw(tooBig, 'application/json')).statusCode).toBe(202)
    await truncateAll(ctx.database.db)

    const small = await buildTestApp({
      config: testConfig({ BODY_LIMIT_BYTES: '2048' }),
      db: ctx.database.db,
    })
    try {
      // ...just under the limit is fine...
      const ok = await postRaw(fits, 'application/json', small)
      expect(ok.statusCode, ok.body).toBe(202)
      expect(ok.json<Captured>().outcome).toBe('created')
      await truncateAll(ctx.database.db)
      // ...and over it is refused on size alone.
      const res = await postRaw(tooBig, 'application/json', small)
      const problem = expectProblem(res, 413, 'payload_too_large')
      expect(problem.detail).toBe('The request body is larger than this server accepts.')
      await expectNothingWritten()
    } finally {
      await small.close()
    }
  })

  it('a field of the wrong type -> 422 with pointer /body/firstName', async () => {
    const res = await postJson({ firstName: 5 })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body/firstName', message: 'must be string' }])
    await expectNothingWritten()
  })

  it('does not coerce JSON types: "phone": 5551234 is refused, not stringified', async () => {
    const res = await postJson({ phone: 5551234 })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/body/phone'])
    await expectNothingWritten()
  })

  it('an unknown field -> 422 with pointer /body/<field>', async () => {
    const res = await postJson({ firstName: 'Asha', email: 'asha@example.in', favouriteColour: 'teal' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body/favouriteColour', message: 'is not a known field' }])
    await expectNothingWritten()
  })

  it('an invalid email -> 422 with pointer /body/email (refused by the domain rule)', async () => {
    // The schema no longer checks the email format: ingestion's validation does.
    const res = await postJson({ firstName: 'Asha', email: 'asha-at-example' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body/email', message: EMAIL_INVALID }])
    expect(problem.detail).toBe(EMAIL_INVALID)
    await expectNothingWritten()
  })

  it('neither an email nor a phone -> 422 with pointer /body/email', async () => {
    const res = await postJson({ firstName: 'Asha', lastName: 'Rao', company: 'Acme' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body/email', message: CONTACT_REQUIRED }])
    expect(problem.detail).toBe(CONTACT_REQUIRED)
    await expectNothingWritten()
  })

  it('an invalid phone -> 422 with pointer /body/phone', async () => {
    const res = await postJson({ firstName: 'Asha', phone: '+12' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body/phone', message: PHONE_INVALID }])
    await expectNothingWritten()
  })

  it('an unknown channel -> 422 listing the allowed values', async () => {
    const res = await postJson({ firstName: 'Asha', email: 'asha@example.in', channel: 'fax' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toHaveLength(1)
    expect(problem.errors?.[0]?.pointer).toBe('/body/channel')
    expect(problem.errors?.[0]?.message).toContain(LEAD_CHANNELS.join(', '))
    await expectNothingWritten()
  })

  it('an empty name -> 422 (minLength)', async () => {
    const res = await postJson({ firstName: '', email: 'asha@example.in' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/body/firstName'])
    await expectNothingWritten()
  })

  it('reports every bad field at once, in two stages: schema first, then the domain rules', async () => {
    // The schema stage reports all of its fields together. The email is no longer a schema
    // format, so "nope" is not among them: the capture never reaches the domain rules.
    const res = await postJson({ firstName: 5, email: 'nope', channel: 'fax', shoeSize: 44 })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(
      ['/body/channel', '/body/firstName', '/body/shoeSize'].sort(),
    )
    await expectNothingWritten()

    // With the schema satisfied, the same email is refused, and the domain rules also report
    // every bad field of theirs together.
    const domain = await postJson({ firstName: 'Asha', email: 'nope', phone: '+12' })
    const refused = expectProblem(domain, 422, 'validation_failed')
    expect(refused.errors).toEqual([
      { pointer: '/body/email', message: EMAIL_INVALID },
      { pointer: '/body/phone', message: PHONE_INVALID },
    ])
    await expectNothingWritten()
  })

  it.each([
    ['null', 'null'],
    ['an array', '[{"firstName":"Asha"}]'],
    ['a string', '"Asha"'],
    ['a number', '42'],
  ])('a JSON body that is %s -> 422 with pointer /body', async (_what, payload) => {
    const res = await postRaw(payload, 'application/json')
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body', message: 'must be object' }])
    await expectNothingWritten()
  })

  it('a NUL character in a field writes nothing and leaks no database error', async () => {
    const res = await postJson({ firstName: 'As\u0000ha', email: 'asha@example.in' })
    expect(res.statusCode).not.toBe(202)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).not.toMatch(/0x00|invalid byte sequence|prisma|postgres/i)
    await expectNothingWritten()
  })

  it('a NUL character in a field -> 422 with a pointer to it', async () => {
    const res = await postJson({ firstName: 'As\u0000ha', email: 'asha@example.in' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/body/firstName'])
    await expectNothingWritten()
  })

  it('an injection-looking phone is refused as an invalid phone, and nothing is written', async () => {
    const res = await postJson({ email: "o'brien@example.com", phone: "'; DELETE FROM outbox_event; --" })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body/phone', message: PHONE_INVALID }])
    await expectNothingWritten()
  })
})

describe('POST /v1/leads stores good input', () => {
  it('answers 202 with a Location and writes exactly one lead and one lead.captured event', async () => {
    const res = await postJson(
      {
        firstName: 'Asha',
        lastName: 'Rao',
        email: 'asha@example.in',
        phone: '+91 98765 43210',
        company: 'Acme',
        channel: 'web_form',
      },
      { 'x-request-id': 'req-leads-1' },
    )
    expect(res.statusCode, res.body).toBe(202)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const body = res.json<Captured>()
    expect(body.id).toMatch(UUID)
    expect(res.headers['location']).toBe(`/v1/leads/${body.id}`)
    expect(res.headers['idempotent-replayed']).toBe('false')

    expect(await ctx.database.db.lead.count()).toBe(1)
    const lead = await ctx.database.db.lead.findUniqueOrThrow({ where: { id: body.id } })
    expect(body).toEqual({
      id: body.id,
      status: 'NEW',
      outcome: 'created',
      duplicateOf: null,
      score: lead.score,
      ownerId: null,
      queue: 'unassigned',
      createdAt: expect.stringMatching(ISO_MS),
      replayed: false,
      journey: { workflowId: `lead/${body.id}`, status: 'PENDING' },
    })
    expect(Number.isInteger(body.score)).toBe(true)
    expect(lead).toMatchObject({
      status: 'NEW',
      channel: 'web_form',
      firstName: 'Asha',
      lastName: 'Rao',
      email: 'asha@example.in',
      emailDomain: 'example.in',
      // Stored as E.164.
      phone: '+919876543210',
      phoneCountry: 'IN',
      company: 'Acme',
      ownerId: null,
      queue: 'unassigned',
      isDuplicate: false,
      duplicateOfId: null,
      validationStatus: 'valid',
      createdBy: 'user:test-admin',
      updatedBy: 'user:test-admin',
      journeyStartedAt: null,
    })

    const events = await ctx.database.db.outboxEvent.findMany()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      topic: 'lead.captured',
      aggregateId: body.id,
      payload: { leadId: body.id },
      requestId: 'req-leads-1',
      attempts: 0,
      dispatchedAt: null,
    })
    // Ids only in the event: no personal data.
    expect(events[0]?.payload).toEqual({ leadId: body.id })
  })

  it('answers with the createdAt the stored lead has, not the capture time', async () => {
    const body = await capture({ email: 'late@example.in', receivedAt: '2026-01-01T09:00:00Z' })
    const lead = await ctx.database.db.lead.findUniqueOrThrow({ where: { id: body.id } })
    expect(body.createdAt).toBe(lead.createdAt.toISOString())
  })

  it('a second capture with the same email is a duplicate: linked, never a second journey', async () => {
    const first = await capture({ firstName: 'Asha', email: 'asha@example.in', channel: 'web_form' })
    expect(first.outcome).toBe('created')

    const res = await postJson({ firstName: 'Asha', email: 'ASHA@example.in ', channel: 'whatsapp' })
    expect(res.statusCode, res.body).toBe(202)
    const second = res.json<Captured>()
    expect(second.id).toMatch(UUID)
    expect(second.id).not.toBe(first.id)
    expect(res.headers['location']).toBe(`/v1/leads/${second.id}`)
    const master = await ctx.database.db.lead.findUniqueOrThrow({ where: { id: first.id } })
    expect(second).toEqual({
      id: second.id,
      status: 'NEW',
      outcome: 'duplicate',
      duplicateOf: first.id,
      // The master's score after this capture.
      score: master.score,
      ownerId: null,
      queue: 'unassigned',
      createdAt: expect.stringMatching(ISO_MS),
      replayed: false,
      journey: { workflowId: `lead/${second.id}`, status: 'NONE' },
    })

    // Both rows are kept; the repeat is linked to its master.
    expect(await ctx.database.db.lead.count()).toBe(2)
    expect(await ctx.database.db.lead.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      email: 'asha@example.in',
      isDuplicate: true,
      duplicateOfId: first.id,
      duplicateReason: { kind: 'email', key: 'email:asha@example.in' },
    })
    expect(master).toMatchObject({ isDuplicate: false, duplicateOfId: null })

    // Only the master's capture started a journey.
    const events = await ctx.database.db.outboxEvent.findMany()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      topic: 'lead.captured',
      aggregateId: first.id,
      payload: { leadId: first.id },
    })

    const read = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${second.id}` })
    expect(read.statusCode, read.body).toBe(200)
    expect(read.json()).toMatchObject({
      isDuplicate: true,
      duplicateOfId: first.id,
      journey: { workflowId: `lead/${second.id}`, status: 'NONE' },
    })
  })

  it("defaults the channel to 'api'", async () => {
    const { id } = await capture({ email: 'someone@example.com' })
    expect((await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })).channel).toBe('api')
  })

  it('accepts a phone without an email', async () => {
    const { id, outcome } = await capture({ firstName: 'Asha', phone: '098765 43210' })
    expect(outcome).toBe('created')
    expect(await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({
      email: null,
      phone: '+919876543210',
      phoneCountry: 'IN',
    })
  })

  it('accepts every declared channel', async () => {
    for (const channel of LEAD_CHANNELS) {
      const res = await capture({ firstName: `via ${channel}`, email: `via-${channel}@example.in`, channel })
      expect(res.outcome, channel).toBe('created')
      expect((await ctx.database.db.lead.findUniqueOrThrow({ where: { id: res.id } })).channel).toBe(channel)
    }
    expect(await ctx.database.db.lead.count()).toBe(LEAD_CHANNELS.length)
    expect(await ctx.database.db.outboxEvent.count()).toBe(LEAD_CHANNELS.length)
  })

  it.each([
    [
      'Latin with diacritics and an emoji, as sent',
      { firstName: 'Zo\u00eb 😀', lastName: '\u00d1\u00fa\u00f1ez-\u00c7elik' },
      { firstName: 'Zo\u00eb 😀', lastName: '\u00d1\u00fa\u00f1ez-\u00c7elik' },
    ],
    [
      'Devanagari, as sent',
      { firstName: 'अनिका', lastName: 'शर्मा' },
      { firstName: 'अनिका', lastName: 'शर्मा' },
    ],
    [
      'Japanese, as sent',
      { firstName: '山田', lastName: '太郎', company: '株式会社テスト' },
      { firstName: '山田', lastName: '太郎', company: '株式会社テスト' },
    ],
    [
      'decomposed (NFD) characters as their NFC equivalent',
      { firstName: 'Zoe\u0308', lastName: 'Zo\u00eb' },
      { firstName: 'Zo\u00eb', lastName: 'Zo\u00eb' },
    ],
    [
      'right-to-left text and zero-width joiners, as sent',
      { firstName: 'مريم', lastName: '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}' },
      { firstName: 'مريم', lastName: '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}' },
    ],
  ])('stores %s (canonical form)', async (_what, fields, canonical) => {
    // The expectations are themselves NFC: what the normaliser must produce.
    for (const value of Object.values(canonical)) expect(value).toBe(value.normalize('NFC'))
    const { id, outcome } = await capture({ ...fields, email: 'person@example.in' })
    expect(outcome).toBe('created')
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}` })
    expect(read.statusCode, read.body).toBe(200)
    const got = read.json<Record<string, unknown>>()
    const stored = await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })
    for (const [key, value] of Object.entries(canonical)) {
      expect(got[key], key).toBe(value)
      expect(Buffer.from(String(got[key]), 'utf8').equals(Buffer.from(value, 'utf8')), key).toBe(true)
      expect(stored[key as keyof typeof stored], key).toBe(value)
    }
  })

  it('keeps zero-width joiners: the family emoji is stored as one ZWJ sequence', async () => {
    const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}'
    const { id } = await capture({ firstName: 'Maryam', lastName: family, email: 'maryam@example.in' })
    const stored = await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })
    expect([...(stored.lastName ?? '')].map((ch) => ch.codePointAt(0))).toEqual([
      0x1f469, 0x200d, 0x1f469, 0x200d, 0x1f467,
    ])
  })

  it('trims, collapses whitespace and capitalises names typed in one case', async () => {
    const { id } = await capture({
      firstName: '  asha   ',
      lastName: 'VAN DER BERG',
      company: '  Acme \t  Pvt   Ltd ',
      email: ' Asha@Example.IN ',
    })
    expect(await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({
      firstName: 'Asha',
      lastName: 'van der Berg',
      company: 'Acme Pvt Ltd',
      email: 'asha@example.in',
    })
  })

  it('stores injection-looking strings as plain text and the lead table survives', async () => {
    // A clean lead first, so there is an outbox event the injected DELETE could have removed.
    const clean = await capture({ firstName: 'Asha', email: 'asha@example.in' })
    const fields = {
      firstName: "Robert'); DROP TABLE lead;--",
      lastName: '" OR 1=1; --',
      company: '<script>alert("x")</script>',
      need: "'; DELETE FROM outbox_event; --",
      email: "o'brien@example.com",
    }
    const captured = await capture(fields)
    // Injection plus a placeholder address scores 65 >= 50: stored, but quarantined for review,
    // with no journey and no owner.
    expect(captured).toMatchObject({
      outcome: 'quarantined',
      duplicateOf: null,
      ownerId: null,
      queue: 'spam-review',
      journey: { workflowId: `lead/${captured.id}`, status: 'NONE' },
    })
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${captured.id}` })
    expect(read.statusCode, read.body).toBe(200)
    const got = read.json<Record<string, unknown>>()
    // Stored as given, except that the all-capitals last name is re-cased like any name.
    expect(got).toMatchObject({
      ...fields,
      lastName: '" Or 1=1; --',
      validationStatus: 'quarantined',
      journey: { status: 'NONE' },
    })
    // The injection raises the spam score and is explained.
    expect(got['spam']).toEqual({
      score: 65,
      signals: [
        expect.objectContaining({ code: 'test_email', weight: 25 }),
        {
          code: 'injection',
          weight: 35,
          detail:
            'The first name, last name, company and need contain code (SQL, script or template syntax) rather than plain text.',
        },
        expect.objectContaining({ code: 'all_caps_name', weight: 5 }),
      ],
    })

    // The tables are still there with both rows, and the outbox kept the clean lead's event
    // (a quarantined lead adds none).
    const [table] = await ctx.database.db.$queryRaw<
      { name: string | null }[]
    >`SELECT to_regclass('public.lead')::text AS name`
    expect(table?.name).toBe('lead')
    expect(await ctx.database.db.lead.count()).toBe(2)
    const events = await ctx.database.db.outboxEvent.findMany()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ topic: 'lead.captured', aggregateId: clean.id })
  })

  it('accepts names at the 200-character limit and refuses 201', async () => {
    const { id } = await capture({ firstName: 'a'.repeat(200), email: 'long@example.in' })
    const stored = await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })
    // Typed in one case, so capitalised; over 100 characters, so kept with a warning.
    expect(stored.firstName).toBe(`A${'a'.repeat(199)}`)
    expect(stored.validationStatus).toBe('warnings')
    await truncateAll(ctx.database.db)
    const res = await postJson({ firstName: 'a'.repeat(201), email: 'long@example.in' })
    expect(expectProblem(res, 422, 'validation_failed').errors?.map((e) => e.pointer)).toEqual([
      '/body/firstName',
    ])
    await expectNothingWritten()
  })

  it('gives every lead its own id and event', async () => {
    const leads = await Promise.all(
      Array.from({ length: 10 }, (_, i) => capture({ firstName: `Lead ${i}`, email: `lead${i}@example.in` })),
    )
    expect(leads.map((l) => l.outcome)).toEqual(Array(10).fill('created'))
    expect(new Set(leads.map((l) => l.id)).size).toBe(10)
    expect(await ctx.database.db.lead.count()).toBe(10)
    const events = await ctx.database.db.outboxEvent.findMany({ orderBy: { id: 'asc' } })
    expect(events).toHaveLength(10)
    expect(new Set(events.map((e) => e.aggregateId))).toEqual(new Set(leads.map((l) => l.id)))
    for (const e of events) {
      expect(e.topic).toBe('lead.captured')
      expect(e.payload).toEqual({ leadId: e.aggregateId })
    }
  })
})

describe('GET /v1/leads/:id', () => {
  it('returns the lead with its explanations and its journey still PENDING (no relay runs)', async () => {
    const captured = await capture({
      firstName: 'Asha',
      email: 'asha@example.in',
      channel: 'whatsapp',
    })
    const { id } = captured
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}` })
    expect(res.statusCode, res.body).toBe(200)
    const db = ctx.database.db
    const row = await db.lead.findUniqueOrThrow({ where: { id } })
    const touch = await db.touch.findFirstOrThrow({ where: { leadId: id } })
    const firstTouch = {
      channel: 'whatsapp',
      source: 'whatsapp',
      medium: 'messaging',
      campaign: null,
      term: null,
      content: null,
      referrer: null,
      landingPage: null,
      occurredAt: touch.occurredAt.toISOString(),
    }
    expect(res.json()).toEqual({
      id,
      status: 'NEW',
      channel: 'whatsapp',
      firstName: 'Asha',
      lastName: null,
      email: 'asha@example.in',
      phone: null,
      company: null,
      title: null,
      companyDomain: 'example.in',
      country: null,
      score: captured.score,
      ownerId: null,
      queue: 'unassigned',
      isDuplicate: false,
      duplicateOfId: null,
      validationStatus: 'valid',
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      emailDomain: 'example.in',
      phoneCountry: null,
      website: null,
      industry: null,
      companySize: null,
      annualRevenue: null,
      currency: null,
      state: null,
      city: null,
      territoryId: null,
      budget: null,
      authority: null,
      need: null,
      timeline: null,
      externalIds: {},
      consent: {
        status: 'unknown',
        channels: [],
        at: null,
        source: null,
        textVersion: null,
        dnd: false,
        optInAt: null,
        optOutAt: null,
        optOutReason: null,
      },
      scoring: {
        score: captured.score,
        ruleVersion: row.scoreRuleVersion,
        explanation: row.scoreExplanation,
        breakdown: row.scoreBreakdown,
        engagement: {},
      },
      spam: { score: 0, signals: [] },
      validationIssues: [],
      assignment: {
        ownerId: null,
        queue: 'unassigned',
        assignedAt: row.assignedAt?.toISOString(),
        reason: row.assignmentReason,
      },
      attribution: { firstTouch, lastTouch: firstTouch, touches: 1 },
      duplicates: [],
      possibleDuplicates: [],
      duplicateReason: null,
      createdBy: 'user:test-admin',
      updatedBy: 'user:test-admin',
      journey: { workflowId: `lead/${id}`, status: 'PENDING' },
    })
    expect(row.score).toBe(captured.score)
    expect(row.scoreRuleVersion).toEqual(expect.any(Number))
    expect(row.scoreExplanation).toEqual(expect.any(String))
    expect(row.assignedAt).toEqual(expect.any(Date))
    expect(row.assignmentReason).toEqual(expect.any(String))
  })

  it('answers 404 not_found for a lead that does not exist', async () => {
    const id = randomUUID()
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}` })
    const problem = expectProblem(res, 404, 'not_found')
    expect(problem.detail).toContain(id)
  })

  it('answers 400 with pointer /params/id for an id that is not a UUID', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/leads/not-a-uuid' })
    const problem = expectProblem(res, 400, 'malformed_request')
    expect(problem.errors).toHaveLength(1)
    expect(problem.errors?.[0]?.pointer).toBe('/params/id')
    expect(problem.errors?.[0]?.message).toMatch(/uuid/)
  })

  it('refuses an injection-looking id at validation, before any query', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v1/leads/${encodeURIComponent("1' OR '1'='1")}`,
    })
    expect(expectProblem(res, 400, 'malformed_request').errors?.[0]?.pointer).toBe('/params/id')
  })
})

describe('GET /v1/leads', () => {
  it('lists captured leads, newest first', async () => {
    const a = await capture({ firstName: 'Asha', email: 'asha@example.in' })
    const b = await capture({ firstName: 'Meera', email: 'meera@example.in' })
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/leads' })
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>()
    expect(page.items.map((l) => l.id)).toEqual([b.id, a.id])
    expect(page.nextCursor).toBeNull()
  })

  it('refuses limit=0 -> 400 with pointer /querystring/limit', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/leads?limit=0' })
    const problem = expectProblem(res, 400, 'malformed_request')
    expect(problem.errors).toEqual([{ pointer: '/querystring/limit', message: 'must be >= 1' }])
  })
})

describe('PATCH /v1/leads/:id', () => {
  it('refuses an empty patch -> 422 (minProperties) and changes nothing', async () => {
    const { id } = await capture({ firstName: 'Asha', email: 'asha@example.in' })
    const before = await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })
    const res = await ctx.app.inject({ method: 'PATCH', url: `/v1/leads/${id}`, payload: {} })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body', message: 'must NOT have fewer than 1 properties' }])
    expect(await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })).toEqual(before)
  })
})

describe('POST /v1/leads/:id/merge', () => {
  it('answers 404 not_found when the leads do not exist, and writes nothing', async () => {
    const masterId = randomUUID()
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/leads/${masterId}/merge`,
      payload: { duplicateId: randomUUID() },
    })
    const problem = expectProblem(res, 404, 'not_found')
    expect(problem.detail).toBe(`lead ${masterId} does not exist`)
    await expectNothingWritten()
  })
})

describe('unknown routes', () => {
  it('answers 404 problem+json naming the route, without the query string', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v2/leads?secret=1' })
    const problem = expectProblem(res, 404, 'not_found')
    expect(problem.detail).toBe('No route GET /v2/leads')
  })

  it('answers 404 problem+json for a method the route does not have', async () => {
    const res = await ctx.app.inject({ method: 'DELETE', url: '/v1/leads' })
    const problem = expectProblem(res, 404, 'not_found')
    expect(problem.detail).toBe('No route DELETE /v1/leads')
    await expectNothingWritten()
  })
})

describe('list query strings', () => {
  it('refuses a NUL character in a search with a 400, not a database error', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/leads?q=a%00b' })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/querystring/q' })])
  })
})
