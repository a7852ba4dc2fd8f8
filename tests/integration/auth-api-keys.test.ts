import { describe, expect, it } from 'vitest'
import { hashToken } from '../../security/secret-tokens.js'
import { useTestApp } from '../support/app.js'
import { keyFor, TEST_ADMIN_ID, userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * API keys on a real PostgreSQL: the secret shown once and never again, stored by hash,
 * last use recorded, scopes that narrow and never exceed the role (nor the maker), revoke,
 * rotation with a grace period, own keys only for non-admins, and a deactivated user's
 * keys dead at once. Every write leaves an audit row with actor, request id and changes.
 */

const ctx = useTestApp({ truncateAfterEach: true })

interface KeyBody {
  id: string
  key?: string
  prefix: string
  name: string
  userId: string
  scopes: string[]
  status: string
  lastUsedAt: string | null
  expiresAt: string | null
  revokedAt: string | null
  replacesId: string | null
  [field: string]: unknown
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

async function createKey(body: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url: '/v1/api-keys', payload: body, headers })
}

async function newKey(
  body: object,
  headers: Record<string, string> = {},
): Promise<KeyBody & { key: string }> {
  const res = await createKey(body, headers)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<KeyBody & { key: string }>()
}

const listLeads = (key: string) => ctx.app.inject({ method: 'GET', url: '/v1/leads', headers: bearer(key) })

const auditOf = (entityId: string) =>
  ctx.database.db.auditEvent.findMany({ where: { entity: 'api_key', entityId }, orderBy: { id: 'asc' } })

describe('creating and listing keys', () => {
  it('shows the key once, stores only its hash, and never lists the secret', async () => {
    const res = await createKey({ name: 'crm sync', scopes: ['lead:read'] })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['cache-control']).toBe('no-store')
    const created = res.json<KeyBody & { key: string }>()
    expect(created.key).toMatch(/^lwk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/)
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true)
    expect(created).toMatchObject({
      name: 'crm sync',
      userId: TEST_ADMIN_ID,
      scopes: ['lead:read'],
      status: 'active',
    })

    const row = await ctx.database.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })
    expect(row.keyHash).toBe(hashToken(created.key))
    expect(JSON.stringify(row)).not.toContain(created.key)

    const list = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' })
    expect(list.statusCode, list.body).toBe(200)
    expect(list.body).not.toContain(created.key)
    expect(list.body).not.toContain(row.keyHash)
    const listed = list.json<{ items: KeyBody[] }>().items.find((k) => k.id === created.id)!
    expect(listed).not.toHaveProperty('key')
    expect(listed).not.toHaveProperty('keyHash')
    expect(listed.prefix).toBe(created.prefix)

    const [audit] = await auditOf(created.id)
    expect(audit).toMatchObject({
      action: 'create',
      actorId: `user:${TEST_ADMIN_ID}`,
      requestId: res.headers['x-request-id'],
    })
    expect(audit!.changes).toMatchObject({
      name: { from: null, to: 'crm sync' },
      scopes: { from: null, to: ['lead:read'] },
      userId: { from: null, to: TEST_ADMIN_ID },
    })
    expect(JSON.stringify(audit!.changes)).not.toContain(created.key.slice(13))
    expect(JSON.stringify(audit!.changes)).not.toContain(row.keyHash)
  })

  it('a key works, records its last use, and its scopes narrow what it may do', async () => {
    const { id, key } = await newKey({ name: 'reader', scopes: ['lead:read'] })
    expect((await listLeads(key)).statusCode).toBe(200)
    const used = await ctx.database.db.apiKey.findUniqueOrThrow({ where: { id } })
    expect(used.lastUsedAt).not.toBeNull()
    expect(Date.now() - used.lastUsedAt!.getTime()).toBeLessThan(60_000)

    const write = await ctx.app.inject({
      method: 'POST',
      url: '/v1/leads',
      payload: { firstName: 'Asha', email: 'asha@example.in' },
      headers: bearer(key),
    })
    expectProblem(write, 403, 'forbidden')
  })

  it('refuses scopes that are not valid or that the user’s role does not allow', async () => {
    const sdr = await userWithRole(ctx.database.db, 'sdr')
    const invalid = expectProblem(
      await createKey({ name: 'x', scopes: ['lead:fly'] }, sdr.headers),
      422,
      'rule_violation',
    )
    expect(invalid.errors).toEqual([
      { pointer: '/body/scopes/0', message: expect.stringMatching(/lead:fly/) },
    ])

    const beyond = expectProblem(
      await createKey({ name: 'x', scopes: ['lead:read', 'user:create', 'lead:delete'] }, sdr.headers),
      422,
      'rule_violation',
    )
    expect(beyond.detail).toContain('user:create, lead:delete')
    expect(beyond.errors?.map((e) => e.pointer)).toEqual(['/body/scopes/1', '/body/scopes/2'])

    // "lead:*" is whatever the role may do with leads.
    const wild = await newKey({ name: 'all lead actions', scopes: ['lead:*'] }, sdr.headers)
    expect(wild.userId).toBe(sdr.id)
    expect(await ctx.database.db.apiKey.count({ where: { userId: sdr.id } })).toBe(2)
  })

  it('a key never allows more than the credential that made it', async () => {
    const sdr = await userWithRole(ctx.database.db, 'sdr')
    const narrow = await keyFor(ctx.database.db, sdr.id, ['lead:read'])
    const wider = expectProblem(await createKey({ name: 'wider', scopes: [] }, narrow), 403, 'forbidden')
    expect(wider.detail).toContain('lead:create')
    expect((await createKey({ name: 'same', scopes: ['lead:read'] }, narrow)).statusCode).toBe(201)
  })

  it('a key for someone else needs api_key:create, and an active user', async () => {
    const sdr = await userWithRole(ctx.database.db, 'sdr')
    const other = await userWithRole(ctx.database.db, 'sdr')
    expectProblem(await createKey({ name: 'x', scopes: [], userId: other.id }, sdr.headers), 403, 'forbidden')
    const made = await newKey({ name: 'for sdr', scopes: ['lead:read'], userId: other.id })
    expect(made.userId).toBe(other.id)
    expect((await listLeads(made.key)).statusCode).toBe(200)

    expectProblem(await createKey({ name: 'x', scopes: [], userId: 'nobody' }), 422, 'rule_violation')
    await ctx.database.db.user.update({ where: { id: other.id }, data: { isActive: false } })
    expectProblem(await createKey({ name: 'x', scopes: [], userId: other.id }), 422, 'rule_violation')
    const past = expectProblem(
      await createKey({ name: 'x', scopes: [], expiresAt: '2020-01-01T00:00:00Z' }),
      422,
      'rule_violation',
    )
    expect(past.errors?.[0]?.pointer).toBe('/body/expiresAt')
  })

  it('a non-admin sees, revokes and rotates only their own keys', async () => {
    const sdr = await userWithRole(ctx.database.db, 'sdr')
    const own = await newKey({ name: 'mine', scopes: ['lead:read'] }, sdr.headers)
    const admins = await newKey({ name: 'admin key', scopes: ['lead:read'] })

    const list = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers: sdr.headers })
    const ids = list.json<{ items: KeyBody[] }>().items.map((k) => k.id)
    expect(ids).toContain(own.id)
    expect(ids).not.toContain(admins.id)
    const filtered = await ctx.app.inject({
      method: 'GET',
      url: `/v1/api-keys?userId=${TEST_ADMIN_ID}`,
      headers: sdr.headers,
    })
    expect(filtered.json<{ items: KeyBody[] }>().items).toEqual([])

    const revoke = (id: string) =>
      ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${id}/revoke`, headers: sdr.headers })
    expectProblem(await revoke(admins.id), 404, 'not_found')
    const rotate = await ctx.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${admins.id}/rotate`,
      payload: {},
      headers: sdr.headers,
    })
    expectProblem(rotate, 404, 'not_found')
    expect((await revoke(own.id)).statusCode).toBe(200)

    // The admin sees everyone's.
    const all = await ctx.app.inject({ method: 'GET', url: `/v1/api-keys?userId=${sdr.id}` })
    expect(all.json<{ items: KeyBody[] }>().items.map((k) => k.id)).toContain(own.id)
  })
})

describe('revoking and rotating', () => {
  it('a revoked key is refused at once, and the revocation is audited', async () => {
    const { id, key } = await newKey({ name: 'short-lived', scopes: [] })
    expect((await listLeads(key)).statusCode).toBe(200)
    const res = await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${id}/revoke` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<KeyBody>()).toMatchObject({ status: 'revoked', revokedBy: `user:${TEST_ADMIN_ID}` })
    expectProblem(await listLeads(key), 401, 'unauthorized')
    expectProblem(await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${id}/revoke` }), 409, 'conflict')

    const audit = (await auditOf(id)).find((e) => e.action === 'revoke')!
    expect(audit).toMatchObject({ actorId: `user:${TEST_ADMIN_ID}`, requestId: res.headers['x-request-id'] })
    expect(audit.changes).toMatchObject({ revokedAt: { from: null, to: expect.any(String) } })
  })

  it('rotation gives a new key; both work during the grace period, then only the new one', async () => {
    const old = await newKey({ name: 'webhook relay', scopes: ['lead:read', 'lead:create'] })
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/api-keys/${old.id}/rotate`,
      payload: { graceHours: 2 },
    })
    expect(res.statusCode, res.body).toBe(201)
    const rotated = res.json<KeyBody & { key: string; replaced: KeyBody }>()
    expect(rotated.key).not.toBe(old.key)
    expect(rotated).toMatchObject({
      name: 'webhook relay',
      userId: TEST_ADMIN_ID,
      scopes: ['lead:read', 'lead:create'],
      replacesId: old.id,
      status: 'active',
    })
    const graceEnds = Date.parse(rotated.replaced.expiresAt!)
    expect(Math.abs(graceEnds - (Date.now() + 2 * 3_600_000))).toBeLessThan(60_000)

    expect((await listLeads(old.key)).statusCode).toBe(200)
    expect((await listLeads(rotated.key)).statusCode).toBe(200)

    await ctx.database.db.apiKey.update({
      where: { id: old.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    })
    expectProblem(await listLeads(old.key), 401, 'unauthorized')
    expect((await listLeads(rotated.key)).statusCode).toBe(200)
    expectProblem(
      await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${old.id}/rotate`, payload: {} }),
      409,
      'conflict',
    )

    const onNew = (await auditOf(rotated.id)).find((e) => e.action === 'rotate')!
    expect(onNew).toMatchObject({ actorId: `user:${TEST_ADMIN_ID}`, requestId: res.headers['x-request-id'] })
    expect(onNew.changes).toMatchObject({ replacesId: { from: null, to: old.id } })
    const onOld = (await auditOf(old.id)).find((e) => e.action === 'rotate')!
    expect(onOld.changes).toMatchObject({
      expiresAt: { from: null, to: rotated.replaced.expiresAt },
      replacedBy: { from: null, to: rotated.id },
    })
    expect(JSON.stringify([onNew.changes, onOld.changes])).not.toContain(rotated.key)
  })

  it('the default grace is 24 hours and at most 720', async () => {
    const old = await newKey({ name: 'k', scopes: [] })
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/api-keys/${old.id}/rotate`,
        payload: { graceHours: 721 },
      }),
      422,
      'validation_failed',
    )
    // No body at all is the defaults.
    const res = await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${old.id}/rotate` })
    expect(res.statusCode, res.body).toBe(201)
    const graceEnds = Date.parse(res.json<{ replaced: KeyBody }>().replaced.expiresAt!)
    expect(Math.abs(graceEnds - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000)
  })

  it('deactivating a user kills their keys and sessions at once', async () => {
    const sdr = await userWithRole(ctx.database.db, 'sdr')
    const key = await newKey({ name: 'sdr tool', scopes: ['lead:read'] }, sdr.headers)
    expect((await listLeads(key.key)).statusCode).toBe(200)
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/users/${sdr.id}`,
      payload: { isActive: false },
    })
    expect(res.statusCode, res.body).toBe(200)
    expectProblem(await listLeads(key.key), 401, 'unauthorized')
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/auth/me', headers: sdr.headers }),
      401,
      'unauthorized',
    )

    const revoked = await ctx.database.db.apiKey.findMany({ where: { userId: sdr.id } })
    expect(revoked.every((k) => k.revokedAt !== null && k.revokedBy === `user:${TEST_ADMIN_ID}`)).toBe(true)
    const audit = (await auditOf(key.id)).find((e) => e.action === 'revoke')!
    expect(audit).toMatchObject({ actorId: `user:${TEST_ADMIN_ID}`, requestId: res.headers['x-request-id'] })
    expect(audit.changes).toMatchObject({ reason: { from: null, to: 'user deactivated' } })
  })
})
