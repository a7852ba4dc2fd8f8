import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { expectProblem } from '../../support/problem.js'
import { partnerWithKey, postSigned } from './partner-helpers.js'

/*
 * POST /partner/v1/leads end to end: a partner's signed request in, a governed lead out,
 * through the real app and PostgreSQL. The app's clock is pinned a few seconds into a
 * minute, so the rate-limit window cannot roll over mid-test and signatures are made at
 * exactly "now" (or 301 s away from it, for the stale ones).
 */
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 5_000)
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config: testConfig(), db: database.db, clock: () => NOW })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

const lead = (overrides: Record<string, unknown> = {}) => ({
  partnerLeadId: 'pl-1001',
  firstName: 'Kavya',
  lastName: 'Menon',
  email: 'kavya.menon@example.in',
  phone: '+919812345678',
  company: 'Menon Textiles',
  attribution: { source: 'google', medium: 'cpc', campaign: 'diwali-referrals' },
  ...overrides,
})
const counts = async () => ({
  leads: await database.db.lead.count(),
  deliveries: await database.db.inboundDelivery.count(),
})

describe('partner API: a signed request becomes a governed lead', () => {
  it('captures the lead with channel partner_api, the partner as its source, its raw capture and its journey event', async () => {
    const { key, keyId } = await partnerWithKey(app, { id: 'acme' })
    const res = await postSigned(app, { key, body: lead(), idempotencyKey: 'order-7781', at: NOW })
    expect(res.statusCode, res.body).toBe(202)
    expect(res.headers['idempotency-replayed']).toBe('false')
    const answer = res.json<{
      id: string
      outcome: string
      duplicateOf: null
      replayed: boolean
      partnerId: string
    }>()
    expect(answer).toEqual({
      id: answer.id,
      outcome: 'created',
      duplicateOf: null,
      replayed: false,
      partnerId: 'acme',
    })

    const row = await database.db.lead.findUniqueOrThrow({ where: { id: answer.id } })
    expect(row).toMatchObject({
      channel: 'partner_api',
      firstName: 'Kavya',
      email: 'kavya.menon@example.in',
      phone: '+919812345678',
      externalIds: { partner_api: 'pl-1001' },
      createdBy: 'connector:partner-api',
    })
    // Whatever the body says, the partner is the source; its campaign is kept.
    const touch = await database.db.touch.findFirstOrThrow({ where: { leadId: answer.id } })
    expect(touch).toMatchObject({ source: 'partner:acme', medium: 'partner', campaign: 'diwali-referrals' })
    const raw = await database.db.rawCapture.findFirstOrThrow({ where: { leadId: answer.id } })
    expect(raw.payload).toMatchObject({ partnerLeadId: 'pl-1001', email: 'kavya.menon@example.in' })
    const outbox = await database.db.outboxEvent.findMany({ where: { aggregateId: answer.id } })
    expect(outbox.map((e) => e.topic)).toEqual(['lead.captured'])
    const delivery = await database.db.inboundDelivery.findUniqueOrThrow({
      where: { connectorId_deliveryKey: { connectorId: 'partner-api', deliveryKey: 'acme:order-7781' } },
    })
    expect(delivery).toMatchObject({ outcome: 'lead_created', leadId: answer.id, duplicates: 0 })
    expect(delivery.requestHash).toMatch(/^[0-9a-f]{64}$/)
    const usedKey = await database.db.partnerKey.findUniqueOrThrow({ where: { id: keyId } })
    expect(usedKey.lastUsedAt).toEqual(NOW)
  })

  it("stamps a partner's own attribution source and takes the campaign from a utm-tagged landing page", async () => {
    const { key } = await partnerWithKey(app, { id: 'leadhub', attributionSource: 'LeadHub' })
    const res = await postSigned(app, {
      key,
      body: lead({
        attribution: { landingPage: 'https://example.in/offer?utm_campaign=q4-push&utm_source=x' },
      }),
      idempotencyKey: 'lh-1',
      at: NOW,
    })
    expect(res.statusCode, res.body).toBe(202)
    const touch = await database.db.touch.findFirstOrThrow({
      where: { leadId: res.json<{ id: string }>().id },
    })
    expect(touch).toMatchObject({ source: 'leadhub', medium: 'partner', campaign: 'q4-push' })
  })

  it('links a known person to their lead (outcome duplicate) without a second journey', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    const first = (await postSigned(app, { key, body: lead(), idempotencyKey: 'a-1', at: NOW })).json<{
      id: string
    }>()
    const second = await postSigned(app, {
      key,
      body: lead({ partnerLeadId: 'pl-1002' }),
      idempotencyKey: 'a-2',
      at: NOW,
    })
    expect(second.json()).toMatchObject({ outcome: 'duplicate', duplicateOf: first.id, replayed: false })
    expect(await database.db.outboxEvent.count()).toBe(1)
  })
})

describe('partner API: Idempotency-Key', () => {
  it('answers the same request sent 10 times at once with one lead and 9 recorded duplicates', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        postSigned(app, { key, body: lead(), idempotencyKey: 'storm-1', at: NOW }),
      ),
    )
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(202))
    expect(new Set(answers.map((a) => a.json<{ id: string }>().id)).size).toBe(1)
    const replays = answers.filter((a) => a.json<{ replayed: boolean }>().replayed)
    expect(replays).toHaveLength(9)
    expect(replays.every((a) => a.headers['idempotency-replayed'] === 'true')).toBe(true)
    expect(await counts()).toEqual({ leads: 1, deliveries: 1 })
    expect(await database.db.outboxEvent.count()).toBe(1)
    const delivery = await database.db.inboundDelivery.findFirstOrThrow()
    expect(delivery.duplicates).toBe(9)
  })

  it('refuses the same key with another body (422) and writes nothing more', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    expect((await postSigned(app, { key, body: lead(), idempotencyKey: 'k-1', at: NOW })).statusCode).toBe(
      202,
    )
    const other = await postSigned(app, {
      key,
      body: lead({ email: 'someone.else@example.in', phone: '+919800000001' }),
      idempotencyKey: 'k-1',
      at: NOW,
    })
    const problem = expectProblem(other, 422, 'rule_violation')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/headers/idempotency-key'])
    expect(await counts()).toEqual({ leads: 1, deliveries: 1 })
  })

  it("keeps two partners' keys apart: the same Idempotency-Key from each is two deliveries", async () => {
    const a = await partnerWithKey(app, { id: 'acme' })
    const b = await partnerWithKey(app, { id: 'bolt' })
    await postSigned(app, { key: a.key, body: lead(), idempotencyKey: 'shared-1', at: NOW })
    const fromB = await postSigned(app, {
      key: b.key,
      body: lead({
        firstName: 'Arjun',
        lastName: 'Pillai',
        company: 'Pillai Spices',
        email: 'arjun.pillai@example.in',
        phone: '+919800000002',
      }),
      idempotencyKey: 'shared-1',
      at: NOW,
    })
    expect(fromB.json()).toMatchObject({ outcome: 'created', replayed: false, partnerId: 'bolt' })
    expect(await counts()).toEqual({ leads: 2, deliveries: 2 })
  })

  it('requires an Idempotency-Key of 1-200 safe characters (400)', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    const missing = expectProblem(
      await postSigned(app, { key, body: lead(), at: NOW }),
      400,
      'malformed_request',
    )
    expect(missing.errors?.map((e) => e.pointer)).toContain('/headers/idempotency-key')
    for (const bad of ['has space', 'x'.repeat(201), 'ключ']) {
      expectProblem(
        await postSigned(app, { key, body: lead(), idempotencyKey: bad, at: NOW }),
        400,
        'malformed_request',
      )
    }
    expect(await counts()).toEqual({ leads: 0, deliveries: 0 })
  })
})

describe('partner API: refused before anything is stored', () => {
  it('answers a missing, malformed or unknown key with 401', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    const unknown = key.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))
    expectProblem(
      await postSigned(app, {
        key,
        body: lead(),
        idempotencyKey: 'x-1',
        at: NOW,
        headers: { authorization: undefined },
      }),
      401,
      'unauthorized',
    )
    expectProblem(
      await postSigned(app, { key: unknown, body: lead(), idempotencyKey: 'x-2', at: NOW }),
      401,
      'unauthorized',
    )
    expectProblem(
      await postSigned(app, { key: 'not-a-key', body: lead(), idempotencyKey: 'x-3', at: NOW }),
      401,
      'unauthorized',
    )
    expectProblem(
      await postSigned(app, {
        key,
        body: lead(),
        idempotencyKey: 'x-4',
        at: NOW,
        headers: { authorization: `Basic ${key}` },
      }),
      401,
      'unauthorized',
    )
    expect(await counts()).toEqual({ leads: 0, deliveries: 0 })
  })

  it('answers a revoked key or an inactive partner with 403', async () => {
    const acme = await partnerWithKey(app, { id: 'acme' })
    const revoke = await app.inject({ method: 'POST', url: `/v1/partners/acme/keys/${acme.keyId}/revoke` })
    expect(revoke.statusCode, revoke.body).toBe(200)
    const revoked = expectProblem(
      await postSigned(app, { key: acme.key, body: lead(), idempotencyKey: 'r-1', at: NOW }),
      403,
      'forbidden',
    )
    expect(revoked.detail).toContain('revoked')

    const bolt = await partnerWithKey(app, { id: 'bolt' })
    const off = await app.inject({ method: 'PATCH', url: '/v1/partners/bolt', payload: { isActive: false } })
    expect(off.statusCode, off.body).toBe(200)
    expectProblem(
      await postSigned(app, { key: bolt.key, body: lead(), idempotencyKey: 'r-2', at: NOW }),
      403,
      'forbidden',
    )
    expect(await counts()).toEqual({ leads: 0, deliveries: 0 })

    // Switched back on, the partner's key works again.
    await app.inject({ method: 'PATCH', url: '/v1/partners/bolt', payload: { isActive: true } })
    expect(
      (await postSigned(app, { key: bolt.key, body: lead(), idempotencyKey: 'r-3', at: NOW })).statusCode,
    ).toBe(202)
  })

  it('answers a missing, wrong, altered or stale signature with 401', async () => {
    const acme = await partnerWithKey(app, { id: 'acme' })
    const other = await partnerWithKey(app, { id: 'bolt' })
    const body = lead()
    const cases = [
      { headers: { 'x-leadwire-signature': undefined }, reason: 'missing' },
      { headers: { 'x-leadwire-signature': 'sha256=abc' }, reason: 'not `t=' },
      // Signed with another partner's key.
      {
        headers: {
          'x-leadwire-signature': (
            await import('../../../connectors/partner-api/client-signing.js')
          ).signPartnerRequest(other.key, JSON.stringify(body), NOW)['x-leadwire-signature'],
        },
        reason: 'does not match',
      },
      // The body changed after signing (a different email, same length or not).
      { sendInstead: JSON.stringify(lead({ email: 'attacker@example.in' })), reason: 'does not match' },
      { at: new Date(NOW.getTime() - 301_000), reason: 'more than 300 s' },
      { at: new Date(NOW.getTime() + 301_000), reason: 'more than 300 s' },
    ]
    for (const [i, c] of cases.entries()) {
      const res = await postSigned(app, {
        key: acme.key,
        body,
        idempotencyKey: `sig-${i}`,
        at: c.at ?? NOW,
        ...(c.headers ? { headers: c.headers } : {}),
        ...(c.sendInstead ? { sendInstead: c.sendInstead } : {}),
      })
      expect(expectProblem(res, 401, 'unauthorized').detail, `case ${i}`).toContain(c.reason)
    }
    // Within the tolerance, a clock 299 s off is accepted.
    const skewed = await postSigned(app, {
      key: acme.key,
      body,
      idempotencyKey: 'sig-ok',
      at: new Date(NOW.getTime() - 299_000),
    })
    expect(skewed.statusCode, skewed.body).toBe(202)
    expect(await counts()).toEqual({ leads: 1, deliveries: 1 })
  })

  it('limits each partner to its requests per minute: the 4th of 3 is a 429 with Retry-After', async () => {
    const slow = await partnerWithKey(app, { id: 'slow', rateLimitPerMinute: 3 })
    const fast = await partnerWithKey(app, { id: 'fast' })
    for (let i = 1; i <= 3; i++) {
      const ok = await postSigned(app, {
        key: slow.key,
        body: lead({ email: `p${i}@example.in`, phone: `+91980000000${i}` }),
        idempotencyKey: `rl-${i}`,
        at: NOW,
      })
      expect(ok.statusCode, ok.body).toBe(202)
    }
    const fourth = await postSigned(app, {
      key: slow.key,
      body: lead({ email: 'p4@example.in', phone: '+919800000004' }),
      idempotencyKey: 'rl-4',
      at: NOW,
    })
    expectProblem(fourth, 429, 'rate_limited')
    // The window started 5 s before NOW: 55 s left.
    expect(fourth.headers['retry-after']).toBe('55')
    expect(await counts()).toEqual({ leads: 3, deliveries: 3 })
    // Another partner has its own budget.
    expect(
      (await postSigned(app, { key: fast.key, body: lead(), idempotencyKey: 'rl-1', at: NOW })).statusCode,
    ).toBe(202)
  })
})

describe('partner API: malformed requests', () => {
  it('answers a body that is not JSON with 400 and stores nothing', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    const res = await postSigned(app, {
      key,
      body: '{"email": "kavya@example.in",',
      idempotencyKey: 'm-1',
      at: NOW,
    })
    expect(expectProblem(res, 400, 'malformed_request').detail).toContain('not valid JSON')
    const empty = await postSigned(app, { key, body: '', idempotencyKey: 'm-2', at: NOW })
    expectProblem(empty, 400, 'malformed_request')
    expect(await counts()).toEqual({ leads: 0, deliveries: 0 })
  })

  it('answers an invalid email with 422 and the /body/email pointer', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    const res = await postSigned(app, {
      key,
      body: lead({ email: 'kavya.at.example' }),
      idempotencyKey: 'm-3',
      at: NOW,
    })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer)).toContain('/body/email')
    expect(await counts()).toEqual({ leads: 0, deliveries: 0 })
  })

  it('answers unknown fields (a channel of its own) and wrong types with 422 field pointers', async () => {
    const { key } = await partnerWithKey(app, { id: 'acme' })
    const res = await postSigned(app, {
      key,
      body: lead({ channel: 'web_form', annualRevenue: 'lots' }),
      idempotencyKey: 'm-4',
      at: NOW,
    })
    const problem = expectProblem(res, 422, 'validation_failed')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/body/channel', '/body/annualRevenue']),
    )
    const notObject = await postSigned(app, { key, body: '[1,2]', idempotencyKey: 'm-5', at: NOW })
    expectProblem(notObject, 422, 'validation_failed')
    expect(await counts()).toEqual({ leads: 0, deliveries: 0 })
  })

  it('stores only the sha256 of the key it checks against', async () => {
    const { key, keyId } = await partnerWithKey(app, { id: 'acme' })
    const row = await database.db.partnerKey.findUniqueOrThrow({ where: { id: keyId } })
    expect(row.keyHash).toBe(createHash('sha256').update(key).digest('hex'))
  })
})
