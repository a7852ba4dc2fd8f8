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
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

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
  createdAt: string
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
    const res = await postRaw('{"firstName":"Asha"}', 'text/plain')
    const problem = expectProblem(res, 415, 'unsupported_media_type')
    expect(problem.detail).toContain('text/plain')
    await expectNothingWritten()
  })

  it('a body over BODY_LIMIT_BYTES -> 413 payload_too_large', async () => {
    const small = await buildTestApp({
      config: testConfig({ BODY_LIMIT_BYTES: '2048' }),
      db: ctx.database.db,
    })
    try {
      // Just under the limit is fine...
      const fits = JSON.stringify({ firstName: 'x'.repeat(150), company: 'y'.repeat(250) })
      expect(Buffer.byteLength(fits)).toBeLessThan(2048)
      expect((await postRaw(fits, 'application/json', small)).statusCode).toBe(202)
      await truncateAll(ctx.database.db)
      // ...one over it is not, even though it is valid JSON.
      const body = JSON.stringify({ firstName: 'Asha', company: 'z'.repeat(2100) })
      expect(Buffer.byteLength(body)).toBeGreaterThan(2048)
      const res = await postRaw(body, 'application/json', small)
      expectProblem(res, 413, 'payload_too_large')
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
    const res = await postJson({ firstName: 'Asha', favouriteColour: 'teal' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toEqual([{ pointer: '/body/favouriteColour', message: 'is not a known field' }])
    await expectNothingWritten()
  })

  it('an invalid email -> 422 with pointer /body/email', async () => {
    const res = await postJson({ firstName: 'Asha', email: 'asha-at-example' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toHaveLength(1)
    expect(problem.errors?.[0]?.pointer).toBe('/body/email')
    expect(problem.errors?.[0]?.message).toMatch(/email/)
    await expectNothingWritten()
  })

  it('an unknown channel -> 422 listing the allowed values', async () => {
    const res = await postJson({ firstName: 'Asha', channel: 'fax' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors).toHaveLength(1)
    expect(problem.errors?.[0]?.pointer).toBe('/body/channel')
    expect(problem.errors?.[0]?.message).toContain(LEAD_CHANNELS.join(', '))
    await expectNothingWritten()
  })

  it('an empty name -> 422 (minLength)', async () => {
    const res = await postJson({ firstName: '' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/body/firstName'])
    await expectNothingWritten()
  })

  it('reports every bad field at once', async () => {
    const res = await postJson({ firstName: 5, email: 'nope', channel: 'fax', shoeSize: 44 })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(
      ['/body/channel', '/body/email', '/body/firstName', '/body/shoeSize'].sort(),
    )
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
    const res = await postJson({ firstName: 'As\u0000ha' })
    expect(res.statusCode).not.toBe(202)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).not.toMatch(/0x00|invalid byte sequence|prisma|postgres/i)
    await expectNothingWritten()
  })

  it('a NUL character in a field -> 422 with a pointer to it', async () => {
    const res = await postJson({ firstName: 'As\u0000ha' })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/body/firstName'])
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
    expect(body).toEqual({
      id: body.id,
      status: 'NEW',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      journey: { workflowId: `lead/${body.id}`, status: 'PENDING' },
    })

    expect(await ctx.database.db.lead.count()).toBe(1)
    const lead = await ctx.database.db.lead.findUniqueOrThrow({ where: { id: body.id } })
    expect(lead).toMatchObject({
      status: 'NEW',
      channel: 'web_form',
      firstName: 'Asha',
      lastName: 'Rao',
      email: 'asha@example.in',
      phone: '+91 98765 43210',
      company: 'Acme',
      createdBy: 'api:anonymous',
      updatedBy: 'api:anonymous',
      journeyStartedAt: null,
    })
    expect(lead.createdAt.toISOString()).toBe(body.createdAt)

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

  it("defaults the channel to 'api'", async () => {
    const { id } = await capture({ email: 'someone@example.com' })
    expect((await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })).channel).toBe('api')
  })

  it('accepts every declared channel', async () => {
    for (const channel of LEAD_CHANNELS) {
      const { id } = await capture({ firstName: `via ${channel}`, channel })
      expect((await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })).channel).toBe(channel)
    }
    expect(await ctx.database.db.lead.count()).toBe(LEAD_CHANNELS.length)
    expect(await ctx.database.db.outboxEvent.count()).toBe(LEAD_CHANNELS.length)
  })

  it.each([
    ['Latin with diacritics and an emoji', { firstName: 'Zoë 😀', lastName: 'Ñúñez-Çelik' }],
    ['Devanagari', { firstName: 'अनिका', lastName: 'शर्मा' }],
    ['Japanese', { firstName: '山田', lastName: '太郎', company: '株式会社テスト' }],
    ['decomposed (NFD) characters, not normalised', { firstName: 'Zoe\u0308', lastName: 'Zo\u00eb' }],
    ['right-to-left and zero-width joiners', { firstName: 'مريم', lastName: '👩‍👩‍👧' }],
  ])('stores %s byte-for-byte', async (_what, fields) => {
    const { id } = await capture(fields)
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}` })
    expect(read.statusCode, read.body).toBe(200)
    const got = read.json<Record<string, unknown>>()
    const stored = await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })
    for (const [key, value] of Object.entries(fields)) {
      expect(got[key], key).toBe(value)
      expect(Buffer.from(String(got[key]), 'utf8').equals(Buffer.from(value, 'utf8')), key).toBe(true)
      expect(stored[key as keyof typeof stored], key).toBe(value)
    }
  })

  it('stores injection-looking strings as plain text and the lead table survives', async () => {
    const fields = {
      firstName: "Robert'); DROP TABLE lead;--",
      lastName: '" OR 1=1; --',
      company: '<script>alert("x")</script>',
      phone: "'; DELETE FROM outbox_event; --",
      email: "o'brien@example.com",
    }
    const { id } = await capture(fields)
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}` })
    expect(read.statusCode, read.body).toBe(200)
    expect(read.json()).toMatchObject(fields)

    // The table is still there, with exactly this row, and the outbox kept its event.
    const [table] = await ctx.database.db.$queryRaw<
      { name: string | null }[]
    >`SELECT to_regclass('public.lead')::text AS name`
    expect(table?.name).toBe('lead')
    expect(await ctx.database.db.lead.count()).toBe(1)
    expect(await ctx.database.db.outboxEvent.count()).toBe(1)
  })

  it('accepts names at the 200-character limit and refuses 201', async () => {
    const { id } = await capture({ firstName: 'a'.repeat(200) })
    expect((await ctx.database.db.lead.findUniqueOrThrow({ where: { id } })).firstName).toHaveLength(200)
    await truncateAll(ctx.database.db)
    const res = await postJson({ firstName: 'a'.repeat(201) })
    expect(expectProblem(res, 422, 'validation_failed').errors?.map((e) => e.pointer)).toEqual([
      '/body/firstName',
    ])
    await expectNothingWritten()
  })

  it('gives every lead its own id and event', async () => {
    const leads = await Promise.all(Array.from({ length: 10 }, (_, i) => capture({ firstName: `Lead ${i}` })))
    expect(new Set(leads.map((l) => l.id)).size).toBe(10)
    expect(await ctx.database.db.lead.count()).toBe(10)
    const events = await ctx.database.db.outboxEvent.findMany({ orderBy: { id: 'asc' } })
    expect(events).toHaveLength(10)
    expect(new Set(events.map((e) => e.aggregateId))).toEqual(new Set(leads.map((l) => l.id)))
    for (const e of events) expect(e.payload).toEqual({ leadId: e.aggregateId })
  })
})

describe('GET /v1/leads/:id', () => {
  it('returns the lead with its journey still PENDING (no relay runs)', async () => {
    const { id, createdAt } = await capture({
      firstName: 'Asha',
      email: 'asha@example.in',
      channel: 'whatsapp',
    })
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      id,
      status: 'NEW',
      channel: 'whatsapp',
      firstName: 'Asha',
      lastName: null,
      email: 'asha@example.in',
      phone: null,
      company: null,
      createdAt,
      updatedAt: expect.any(String),
      createdBy: 'api:anonymous',
      updatedBy: 'api:anonymous',
      journey: { workflowId: `lead/${id}`, status: 'PENDING' },
    })
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
