import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { signPayload } from '../../../connectors/sdk/signatures.js'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'

/*
 * The event connector end to end: signed JSON in (signed exactly as a sender does, over
 * the bytes sent), governed leads and engagements out, through the real app and PostgreSQL.
 */
const SECRET = 'events-webhook-secret-0123456789'
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config: testConfig({ EVENTS_WEBHOOK_SECRET: SECRET }), db: database.db })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

const REGISTRATIONS = '/webhooks/events/registrations'
const ATTENDANCE = '/webhooks/events/attendance'

const person = (n = 1, extra: Record<string, unknown> = {}) => ({
  id: `reg-${n}`,
  email: `attendee${n}@example.in`,
  firstName: 'Kavya',
  lastName: `Menon${n}`,
  company: 'Menon Logistics',
  title: 'Head of Sales',
  country: 'IN',
  ...extra,
})
const registration = (n = 1, extra: Record<string, unknown> = {}) => ({
  eventId: 'zoom-8841',
  eventName: 'Revenue Ops Summit 2026',
  provider: 'zoom',
  campaign: 'RevOps Summit',
  occurredAt: '2026-11-20T09:00:00.000Z',
  registrant: person(n),
  ...extra,
})
const attendance = (n = 1, extra: Record<string, unknown> = {}) => ({
  eventId: 'zoom-8841',
  eventName: 'Revenue Ops Summit 2026',
  provider: 'zoom',
  occurredAt: '2026-11-24T11:00:00.000Z',
  attendee: person(n),
  attendance: {
    joinedAt: '2026-11-24T10:00:00.000Z',
    leftAt: '2026-11-24T10:55:00.000Z',
    durationMinutes: 55,
  },
  ...extra,
})

/** Posts a body signed as the sender would: over the exact bytes, with EVENTS_WEBHOOK_SECRET. */
function post(
  path: string,
  body: unknown,
  options: { secret?: string; at?: Date; signature?: string | null; raw?: string } = {},
) {
  const raw = options.raw ?? JSON.stringify(body)
  const signature =
    options.signature === undefined
      ? signPayload(options.secret ?? SECRET, raw, options.at ?? new Date())
      : options.signature
  return app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-leadwire-signature': signature }),
    },
    payload: raw,
  })
}

const counts = async () => ({
  leads: await database.db.lead.count(),
  activities: await database.db.activity.count(),
  deliveries: await database.db.inboundDelivery.count(),
  outbox: await database.db.outboxEvent.count(),
})
const delivery = (key: string) =>
  database.db.inboundDelivery.findUniqueOrThrow({
    where: { connectorId_deliveryKey: { connectorId: 'events', deliveryKey: key } },
  })

interface Outcome {
  ok: boolean
  leadId: string
  outcome: string
  replayed: boolean
}

describe('event registrations', () => {
  it('make a governed lead attributed to the event, whose journey will start', async () => {
    const res = await post(
      REGISTRATIONS,
      registration(1, {
        registrant: person(1, {
          consent: { granted: true, text: 'Email me about events', textVersion: 'ev-2' },
        }),
      }),
    )
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<Outcome>()
    expect(body).toMatchObject({ ok: true, outcome: 'created', replayed: false })
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: body.leadId } })
    expect(lead).toMatchObject({
      channel: 'event',
      email: 'attendee1@example.in',
      firstName: 'Kavya',
      lastName: 'Menon1',
      company: 'Menon Logistics',
      country: 'IN',
      createdBy: 'connector:events',
    })
    const touch = await database.db.touch.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(touch).toMatchObject({
      channel: 'event',
      source: 'zoom',
      medium: 'event',
      campaign: 'RevOps Summit',
    })
    const consent = await database.db.consentRecord.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(consent).toMatchObject({
      source: 'event:zoom:zoom-8841',
      textVersion: 'ev-2',
      text: 'Email me about events',
    })
    const raw = await database.db.rawCapture.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(raw.payload).toMatchObject({ eventId: 'zoom-8841', registrant: { id: 'reg-1' } })
    const registered = await database.db.activity.findFirstOrThrow({
      where: { leadId: lead.id, kind: 'event_registered' },
    })
    expect(registered.subject).toBe('Registered for Revenue Ops Summit 2026')
    const outbox = await database.db.outboxEvent.findMany({ where: { aggregateId: lead.id } })
    expect(outbox.map((e) => e.topic)).toEqual(['lead.captured'])
    expect(await delivery('reg:zoom-8841:reg-1')).toMatchObject({ outcome: 'lead_created', leadId: lead.id })
  })

  it('use the event name as the campaign when none is named', async () => {
    const { campaign: _c, provider: _p, ...plain } = registration(2)
    const res = await post(REGISTRATIONS, plain)
    const touch = await database.db.touch.findFirstOrThrow({ where: { leadId: res.json<Outcome>().leadId } })
    expect(touch).toMatchObject({ source: 'event', medium: 'event', campaign: 'Revenue Ops Summit 2026' })
  })

  it('link a known person to their lead instead of starting a second journey', async () => {
    const first = (await post(REGISTRATIONS, registration(1))).json<Outcome>()
    const other = await post(
      REGISTRATIONS,
      registration(1, { eventId: 'webex-17', eventName: 'Forecasting 101', provider: 'webex' }),
    )
    expect(other.json<Outcome>()).toMatchObject({ ok: true, outcome: 'duplicate', leadId: first.leadId })
    expect(await database.db.outboxEvent.count({ where: { topic: 'lead.captured' } })).toBe(1)
  })

  it('capture a replayed registration once (in turn and at once), counting the duplicates', async () => {
    const answers = [await post(REGISTRATIONS, registration(3)), await post(REGISTRATIONS, registration(3))]
    answers.push(...(await Promise.all([1, 2, 3].map(() => post(REGISTRATIONS, registration(3))))))
    expect(answers.map((a) => a.statusCode)).toEqual(Array(5).fill(200))
    expect(new Set(answers.map((a) => a.json<Outcome>().leadId)).size).toBe(1)
    expect(answers.filter((a) => a.json<Outcome>().replayed)).toHaveLength(4)
    expect(await counts()).toEqual({ leads: 1, activities: 1, deliveries: 1, outbox: 1 })
    expect((await delivery('reg:zoom-8841:reg-3')).duplicates).toBe(4)
  })
})

describe('event attendance', () => {
  it('raises a registered person’s score, goes on their timeline and tells their journey', async () => {
    const { leadId } = (await post(REGISTRATIONS, registration(1))).json<Outcome>()
    const before = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    const res = await post(ATTENDANCE, attendance(1))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<Outcome>()).toMatchObject({ ok: true, outcome: 'engaged', leadId, replayed: false })
    const after = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(after.score).toBeGreaterThan(before.score)
    expect(after.engagement).toMatchObject({ eventAttended: 1 })
    const attended = await database.db.activity.findFirstOrThrow({
      where: { leadId, kind: 'event_attended' },
    })
    expect(attended).toMatchObject({
      subject: 'Attended Revenue Ops Summit 2026',
      occurredAt: new Date('2026-11-24T10:00:00.000Z'),
    })
    expect(attended.details).toMatchObject({ eventId: 'zoom-8841', durationMinutes: 55 })
    const topics = (await database.db.outboxEvent.findMany({ where: { aggregateId: leadId } })).map(
      (e) => e.topic,
    )
    expect(topics.sort()).toEqual(['lead.captured', 'lead.engaged'])

    // Sent again: the same answer, no second activity, no second point.
    const again = await Promise.all([1, 2].map(() => post(ATTENDANCE, attendance(1))))
    for (const a of again) expect(a.json<Outcome>()).toMatchObject({ leadId, replayed: true })
    expect(await database.db.activity.count({ where: { kind: 'event_attended' } })).toBe(1)
    expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).score).toBe(after.score)
    expect((await delivery('att:zoom-8841:reg-1')).duplicates).toBe(2)
  })

  it('makes an attendee nobody registered a lead, with the attendance on its timeline', async () => {
    const res = await post(ATTENDANCE, attendance(7))
    expect(res.json<Outcome>()).toMatchObject({ ok: true, outcome: 'created', replayed: false })
    const { leadId } = res.json<Outcome>()
    expect(await database.db.activity.count({ where: { leadId, kind: 'event_attended' } })).toBe(1)
    // A redelivery after the lead exists takes the known-person path: still the same lead, nothing new.
    const replay = await post(ATTENDANCE, attendance(7))
    expect(replay.json<Outcome>()).toMatchObject({ leadId, outcome: 'created', replayed: true })
    expect(await counts()).toMatchObject({ leads: 1, activities: 1, deliveries: 1, outbox: 1 })
  })
})

describe('refusals', () => {
  it('refuse a missing, wrong, stale or tampered signature with 401 and store nothing', async () => {
    const body = JSON.stringify(registration(1))
    const refusals = [
      await post(REGISTRATIONS, null, { raw: body, signature: null }),
      await post(REGISTRATIONS, null, { raw: body, secret: 'some-other-secret-0123456789' }),
      await post(REGISTRATIONS, null, { raw: body, at: new Date(Date.now() - 10 * 60 * 1000) }),
      await post(REGISTRATIONS, null, { raw: body, signature: 't=abc,v1=zz' }),
      await post(REGISTRATIONS, null, {
        raw: body.replace('Kavya', 'Mallory'),
        signature: signPayload(SECRET, body, new Date()),
      }),
      await post(ATTENDANCE, null, { raw: JSON.stringify(attendance(1)), signature: null }),
      // Unsigned and not even JSON: the signature is checked first.
      await post(REGISTRATIONS, null, { raw: '{nope', signature: null }),
    ]
    for (const res of refusals) {
      expect(res.statusCode, res.body).toBe(401)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    expect(refusals[2]!.json<{ detail: string }>().detail).toContain('300 s')
    expect(await counts()).toEqual({ leads: 0, activities: 0, deliveries: 0, outbox: 0 })
  })

  it('answer unreadable JSON with 400 and schema breaks with 422 and pointers', async () => {
    const badJson = await post(REGISTRATIONS, null, { raw: '{"eventId": ' })
    expect(badJson.statusCode).toBe(400)
    expect(badJson.json()).toMatchObject({ code: 'malformed_request' })

    const { email: _e, ...noEmail } = person(1)
    const missing = await post(
      REGISTRATIONS,
      registration(1, { registrant: noEmail, occurredAt: 'yesterday' }),
    )
    expect(missing.statusCode).toBe(422)
    expect(missing.headers['content-type']).toContain('application/problem+json')
    const pointers = missing.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)
    expect(pointers).toContain('/body/registrant/email')
    expect(pointers).toContain('/body/occurredAt')

    const unknown = await post(ATTENDANCE, attendance(1, { attendee: person(1, { shoeSize: 44 }) }))
    expect(unknown.statusCode).toBe(422)
    expect(JSON.stringify(unknown.json())).toContain('/body/attendee/shoeSize')

    const noAttendee = await post(ATTENDANCE, registration(1))
    expect(noAttendee.statusCode).toBe(422)
    expect(JSON.stringify(noAttendee.json())).toContain('/body/attendee')
    expect(await counts()).toEqual({ leads: 0, activities: 0, deliveries: 0, outbox: 0 })
  })

  it('point a field the pipeline refuses at the registrant', async () => {
    const res = await post(REGISTRATIONS, registration(1, { registrant: person(1, { phone: '12' }) }))
    expect(res.statusCode, res.body).toBe(422)
    expect(JSON.stringify(res.json())).toContain('/body/registrant/phone')
    expect(await counts()).toEqual({ leads: 0, activities: 0, deliveries: 0, outbox: 0 })
  })
})

describe('batches', () => {
  it('capture the good items, report the bad ones, each its own delivery', async () => {
    const { email: _e, ...noEmail } = person(2)
    const items = [
      registration(1),
      registration(2, { registrant: noEmail }),
      registration(3),
      registration(4, { registrant: person(4, { phone: '12' }) }),
    ]
    const res = await post(REGISTRATIONS, { items })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<{
      accepted: number
      refused: number
      results: (Outcome & { index: number; status?: number; errors?: { pointer: string }[] })[]
    }>()
    expect(body).toMatchObject({ accepted: 2, refused: 2 })
    expect(body.results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
      [3, false],
    ])
    expect(body.results[1]).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(body.results[1]!.errors!.map((e) => e.pointer)).toContain('/body/items/1/registrant/email')
    expect(body.results[3]!.errors!.map((e) => e.pointer)).toContain('/body/items/3/registrant/phone')
    expect(await counts()).toMatchObject({ leads: 2, deliveries: 2, outbox: 2 })

    // The sender retries the whole batch: the good items are replays, nothing new is written.
    const retry = await post(REGISTRATIONS, { items })
    expect(retry.json<{ results: Outcome[] }>().results.filter((r) => r.replayed)).toHaveLength(2)
    expect(await counts()).toMatchObject({ leads: 2, deliveries: 2, outbox: 2 })
  })

  it('take attendance in batches too, and refuse an empty or oversized batch as a whole', async () => {
    await post(REGISTRATIONS, registration(1))
    const res = await post(ATTENDANCE, { items: [attendance(1), attendance(5), 'not an object'] })
    const body = res.json<{ results: Outcome[] }>()
    expect(body.results.map((r) => r.outcome ?? 'refused')).toEqual(['engaged', 'created', 'refused'])
    expect((await post(ATTENDANCE, { items: [] })).statusCode).toBe(422)
    expect((await post(ATTENDANCE, { items: Array(101).fill(attendance(1)) })).statusCode).toBe(422)
  })
})

it('is enabled, and its webhooks are in the API description', async () => {
  const res = await app.inject({ method: 'GET', url: '/v1/connectors/events' })
  expect(res.json()).toMatchObject({ enabled: true })
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' })
  expect(doc.statusCode).toBe(200)
  const paths = doc.json<{ paths: Record<string, { post?: { requestBody?: unknown } }> }>().paths
  expect(JSON.stringify(paths[REGISTRATIONS]?.post?.requestBody)).toContain('EventRegistration')
  expect(JSON.stringify(paths[ATTENDANCE]?.post?.requestBody)).toContain('attendee')
})
