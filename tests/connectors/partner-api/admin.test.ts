import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { expectProblem } from '../../support/problem.js'
import { partnerWithKey, postSigned } from './partner-helpers.js'

/*
 * The partners admin API (/v1/partners) against the real app and PostgreSQL: partners,
 * their keys (shown once, stored as a sha256), revocation, and what a partner looks like
 * once it has used a key. The clock is a variable the tests move.
 */
let now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 5_000)
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config: testConfig(), db: database.db, clock: () => now })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000)

describe('partners admin API', () => {
  it('pages the list with a cursor and filters it by text and activity', async () => {
    for (const id of ['alpha', 'bravo', 'charlie'])
      await app.inject({ method: 'POST', url: '/v1/partners', payload: { id, name: `Partner ${id}` } })
    await app.inject({ method: 'PATCH', url: '/v1/partners/bravo', payload: { isActive: false } })
    const ids = (res: { json: () => unknown }) =>
      (res.json() as { items: { id: string }[] }).items.map((p) => p.id)
    const first = await app.inject({ method: 'GET', url: '/v1/partners?limit=2' })
    expect(ids(first)).toEqual(['alpha', 'bravo'])
    const cursor = first.json<{ nextCursor: string }>().nextCursor
    const second = await app.inject({ method: 'GET', url: `/v1/partners?limit=2&cursor=${cursor}` })
    expect(ids(second)).toEqual(['charlie'])
    expect(second.json()).toMatchObject({ nextCursor: null })
    expect(ids(await app.inject({ method: 'GET', url: '/v1/partners?isActive=false' }))).toEqual(['bravo'])
    expect(ids(await app.inject({ method: 'GET', url: '/v1/partners?q=CHAR' }))).toEqual(['charlie'])
  })

  it('registers a partner with defaults and refuses a taken id or name (409)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/partners',
      payload: { id: 'acme', name: 'Acme Referrals' },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['location']).toBe('/v1/partners/acme')
    expect(res.json()).toMatchObject({
      id: 'acme',
      name: 'Acme Referrals',
      isActive: true,
      rateLimitPerMinute: 120,
      attributionSource: 'partner:acme',
      createdBy: 'user:test-admin',
      updatedBy: 'user:test-admin',
      keys: [],
    })
    const sameId = await app.inject({
      method: 'POST',
      url: '/v1/partners',
      payload: { id: 'acme', name: 'Other' },
    })
    expectProblem(sameId, 409, 'conflict')
    const sameName = await app.inject({
      method: 'POST',
      url: '/v1/partners',
      payload: { id: 'acme-2', name: 'Acme Referrals' },
    })
    expectProblem(sameName, 409, 'conflict')
    expect(await database.db.partner.count()).toBe(1)
  })

  it('refuses an id that is not a lower-case slug and unknown fields (422)', async () => {
    for (const payload of [
      { id: 'Acme', name: 'A' },
      { id: 'a', name: 'A' },
      { id: 'acme corp', name: 'A' },
      { id: 'acme', name: 'A', isAdmin: true },
      { id: 'acme', name: 'A', rateLimitPerMinute: 0 },
    ]) {
      expectProblem(
        await app.inject({ method: 'POST', url: '/v1/partners', payload }),
        422,
        'validation_failed',
      )
    }
    expect(await database.db.partner.count()).toBe(0)
  })

  it('shows a key once at creation, stores only its sha256, and never lists it again', async () => {
    await app.inject({ method: 'POST', url: '/v1/partners', payload: { id: 'acme', name: 'Acme' } })
    const issued = await app.inject({
      method: 'POST',
      url: '/v1/partners/acme/keys',
      payload: { label: 'production' },
    })
    expect(issued.statusCode, issued.body).toBe(201)
    const { id, key, label, createdAt } = issued.json<{
      id: string
      key: string
      label: string
      createdAt: string
    }>()
    expect(key).toMatch(/^lwp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    expect(key.slice(4, 16)).toBe(id)
    expect(label).toBe('production')
    expect(createdAt).toBe(now.toISOString())

    const row = await database.db.partnerKey.findUniqueOrThrow({ where: { id } })
    expect(row).toMatchObject({ partnerId: 'acme', keyHash: sha256(key), createdBy: 'user:test-admin' })
    expect(JSON.stringify(row)).not.toContain(key)

    const detail = await app.inject({ method: 'GET', url: '/v1/partners/acme' })
    expect(detail.statusCode).toBe(200)
    expect(detail.json()).toMatchObject({
      keys: [{ id, label: 'production', lastUsedAt: null, revokedAt: null, revokedBy: null }],
    })
    const list = await app.inject({ method: 'GET', url: '/v1/partners' })
    expect(list.json()).toMatchObject({ items: [{ id: 'acme', activeKeys: 1 }] })
    for (const res of [detail, list]) {
      expect(res.body).not.toContain(key)
      expect(res.body).not.toContain(sha256(key))
      expect(res.body).not.toContain('keyHash')
    }

    // A second key (rotation), without a body: a different key.
    const second = await app.inject({ method: 'POST', url: '/v1/partners/acme/keys' })
    expect(second.statusCode, second.body).toBe(201)
    expect(second.json<{ key: string; label: null }>()).toMatchObject({ label: null })
    expect(second.json<{ key: string }>().key).not.toBe(key)
  })

  it('edits a partner, and answers unknown partners and keys with 404', async () => {
    await app.inject({ method: 'POST', url: '/v1/partners', payload: { id: 'acme', name: 'Acme' } })
    const patched = await app.inject({
      method: 'PATCH',
      url: '/v1/partners/acme',
      payload: { name: 'Acme Partners', rateLimitPerMinute: 30, isActive: false },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json()).toMatchObject({ name: 'Acme Partners', rateLimitPerMinute: 30, isActive: false })
    expectProblem(
      await app.inject({ method: 'PATCH', url: '/v1/partners/acme', payload: {} }),
      422,
      'validation_failed',
    )
    expectProblem(
      await app.inject({ method: 'PATCH', url: '/v1/partners/nobody', payload: { isActive: true } }),
      404,
      'not_found',
    )
    expectProblem(await app.inject({ method: 'GET', url: '/v1/partners/nobody' }), 404, 'not_found')
    expectProblem(
      await app.inject({ method: 'POST', url: '/v1/partners/nobody/keys', payload: {} }),
      404,
      'not_found',
    )
    expectProblem(
      await app.inject({ method: 'POST', url: '/v1/partners/acme/keys/0123456789ab/revoke' }),
      404,
      'not_found',
    )
  })

  it('revokes a key once: a second revoke keeps the first time and actor', async () => {
    const { keyId } = await partnerWithKey(app, { id: 'acme' })
    const first = await app.inject({ method: 'POST', url: `/v1/partners/acme/keys/${keyId}/revoke` })
    expect(first.json()).toMatchObject({
      id: keyId,
      revokedAt: now.toISOString(),
      revokedBy: 'user:test-admin',
    })
    const before = now
    now = later(90)
    const again = await app.inject({ method: 'POST', url: `/v1/partners/acme/keys/${keyId}/revoke` })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ revokedAt: before.toISOString() })
    const list = await app.inject({ method: 'GET', url: '/v1/partners' })
    expect(list.json()).toMatchObject({ items: [{ id: 'acme', activeKeys: 0 }] })
  })

  it('records when a key was last used, at most once a minute', async () => {
    const { key, keyId } = await partnerWithKey(app, { id: 'acme' })
    const send = async (i: number) => {
      const res = await postSigned(app, {
        key,
        body: { email: `person${i}@example.in` },
        idempotencyKey: `use-${i}`,
        at: now,
      })
      expect(res.statusCode, res.body).toBe(202)
      const keys = (await app.inject({ method: 'GET', url: '/v1/partners/acme' })).json<{
        keys: { id: string; lastUsedAt: string | null }[]
      }>().keys
      return keys.find((k) => k.id === keyId)?.lastUsedAt
    }
    const firstUse = now.toISOString()
    expect(await send(1)).toBe(firstUse)
    now = later(30)
    expect(await send(2)).toBe(firstUse)
    now = later(31)
    expect(await send(3)).toBe(now.toISOString())
  })

  it('is listed as an enabled connector and documented in the OpenAPI description', async () => {
    const connector = await app.inject({ method: 'GET', url: '/v1/connectors/partner-api' })
    expect(connector.json()).toMatchObject({
      configured: true,
      enabled: true,
      channel: 'partner_api',
      deliveryKey: 'partner id + Idempotency-Key',
    })
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags?: string[] }>>
    }>()
    expect(doc.paths['/partner/v1/leads']?.['post']?.tags).toEqual(['partners'])
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/partners', '/v1/partners/{id}', '/v1/partners/{id}/keys/{keyId}/revoke']),
    )
  })
})
