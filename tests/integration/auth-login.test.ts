import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'
import { LOGIN_WINDOW_MS, PER_ADDRESS_FACTOR, sweepLoginFailures } from '../../security/login-throttle.js'
import { hashToken, subjectHash } from '../../security/secret-tokens.js'
import { useTestApp } from '../support/app.js'
import { ANONYMOUS, TEST_ADMIN_ID } from '../support/auth.js'
import { testConfig } from '../support/config.js'
import { expectProblem } from '../support/problem.js'

/*
 * Signing in on a real PostgreSQL: the session cookie and token, who-am-I, one answer for
 * every bad credential, the brute-force throttle (per email and per address, checked before
 * the password), logout, idle and absolute expiry, the same-origin rule for cookie writes,
 * and changing one's password. Every write leaves its audit row.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const config = testConfig()
const PASSWORD = 'correct horse battery staple'
const HOST = 'console.leadwire.test'

async function createPerson(email: string, role = 'sdr', password = PASSWORD): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/users',
    payload: { name: 'Ravi Kumar', email, role, password },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

const login = (email: string, password: string, remoteAddress = '198.51.100.7') =>
  ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    headers: { ...ANONYMOUS },
    remoteAddress,
  })

interface LoginBody {
  token: string
  expiresAt: string
  user: { id: string; name: string; email: string; role: string }
}

function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'lw_session')
  expect(cookie).toBeDefined()
  return cookie!.value
}

/** A request as the console makes it: the cookie, from the console's own origin. */
const asConsole = (cookie: string, extra: Record<string, string> = {}) => ({
  cookie: `lw_session=${cookie}`,
  host: HOST,
  origin: `https://${HOST}`,
  ...extra,
})

const auditOf = (entityId: string, action?: string) =>
  ctx.database.db.auditEvent.findMany({
    where: { entityId, ...(action ? { action } : {}) },
    orderBy: { id: 'asc' },
  })

describe('login', () => {
  it('sets a working HttpOnly cookie, returns a Bearer token, and records the sign-in', async () => {
    const id = await createPerson('ravi@example.in')
    const res = await login('Ravi@Example.in', PASSWORD)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<LoginBody>()
    expect(body.token).toMatch(/^lws_/)
    expect(body.user).toEqual({ id, name: 'Ravi Kumar', email: 'ravi@example.in', role: 'sdr' })
    expect(res.headers['cache-control']).toBe('no-store')

    const cookie = res.cookies.find((c) => c.name === 'lw_session')!
    expect(cookie.value).toBe(body.token)
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' })
    expect(cookie.maxAge).toBe(config.SESSION_TTL_HOURS * 3600)
    const ttl = Date.parse(body.expiresAt) - Date.now()
    expect(ttl).toBeGreaterThan(config.SESSION_TTL_HOURS * 3_600_000 - 60_000)
    expect(ttl).toBeLessThanOrEqual(config.SESSION_TTL_HOURS * 3_600_000)

    // The session is stored by hash only.
    const session = await ctx.database.db.userSession.findFirstOrThrow({ where: { userId: id } })
    expect(session.tokenHash).toBe(hashToken(body.token))

    const viaCookie = await ctx.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: asConsole(body.token),
    })
    expect(viaCookie.statusCode, viaCookie.body).toBe(200)
    const me = viaCookie.json<{
      user: { id: string; lastLoginAt: string | null }
      role: { name: string; title: string }
      permissions: Record<string, string[]>
      fieldRules: Record<string, Record<string, string>>
      credential: { kind: string; id: string }
    }>()
    expect(me.user.id).toBe(id)
    expect(me.user.lastLoginAt).not.toBeNull()
    expect(me.role.name).toBe('sdr')
    expect(me.permissions['lead']).toEqual(['read', 'create', 'update'])
    expect(me.permissions['user']).toEqual(['read'])
    expect(me.permissions['role']).toBeUndefined()
    expect(me.fieldRules['account']).toEqual({ annualRevenue: 'hidden', gstin: 'read_only' })
    expect(me.credential).toEqual({ kind: 'session', id: session.id, scopes: [] })

    const viaBearer = await ctx.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    })
    expect(viaBearer.statusCode).toBe(200)

    const [audit] = await auditOf(id, 'login')
    expect(audit).toMatchObject({
      entity: 'user',
      actorId: `user:${id}`,
      requestId: res.headers['x-request-id'],
    })
  })

  it('answers a wrong password, an unknown email and a deactivated user with the same 401', async () => {
    const id = await createPerson('meera@example.in')
    const wrong = expectProblem(
      await login('meera@example.in', 'not the password at all'),
      401,
      'unauthorized',
    )
    const unknown = expectProblem(await login('nobody@example.in', PASSWORD), 401, 'unauthorized')
    expect(unknown.detail).toBe(wrong.detail)

    await ctx.app.inject({ method: 'PATCH', url: `/v1/users/${id}`, payload: { isActive: false } })
    const inactive = expectProblem(await login('meera@example.in', PASSWORD), 401, 'unauthorized')
    expect(inactive.detail).toBe(wrong.detail)
    expect(await ctx.database.db.userSession.count()).toBe(0)
  })

  it('a user without a password cannot sign in', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { name: 'Web forms', email: 'forms@example.in', role: 'marketing' },
    })
    expect(res.json<{ hasPassword: boolean }>().hasPassword).toBe(false)
    expectProblem(await login('forms@example.in', ''), 422, 'validation_failed')
    expectProblem(await login('forms@example.in', PASSWORD), 401, 'unauthorized')
  })
})

describe('brute force', () => {
  it('refuses the sixth attempt for one email within the window, even with the right password', async () => {
    await createPerson('target@example.in')
    for (let i = 0; i < config.LOGIN_MAX_FAILURES; i++)
      expectProblem(await login('target@example.in', `guess number ${i} wrong`), 401, 'unauthorized')
    const failures = await ctx.database.db.loginFailure.findMany()
    expect(failures).toHaveLength(config.LOGIN_MAX_FAILURES)
    // Neither the email nor the password is stored: a hash of the email names the subject.
    expect(failures.every((f) => f.subjectHash === subjectHash('target@example.in'))).toBe(true)

    const throttled = await login('target@example.in', PASSWORD)
    expectProblem(throttled, 429, 'rate_limited')
    const retryAfter = Number(throttled.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(LOGIN_WINDOW_MS / 1000 - 30)
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_WINDOW_MS / 1000)
    expect(await ctx.database.db.userSession.count()).toBe(0)
    // Another email from the same address is not affected.
    await createPerson('other@example.in')
    expect((await login('other@example.in', PASSWORD)).statusCode).toBe(200)

    // Retry-After counts down to when the oldest counted failure leaves the window.
    await ctx.database.db.loginFailure.updateMany({ data: { at: new Date(Date.now() - 10 * 60_000) } })
    const later = await login('target@example.in', PASSWORD)
    expectProblem(later, 429, 'rate_limited')
    const left = Number(later.headers['retry-after'])
    expect(left).toBeGreaterThan(5 * 60 - 30)
    expect(left).toBeLessThanOrEqual(5 * 60)

    // Once the failures have left the window, the right password works again.
    await ctx.database.db.loginFailure.updateMany({
      data: { at: new Date(Date.now() - LOGIN_WINDOW_MS - 1000) },
    })
    expect((await login('target@example.in', PASSWORD)).statusCode).toBe(200)
  })

  it('throttles unknown emails exactly like known ones', async () => {
    for (let i = 0; i < config.LOGIN_MAX_FAILURES; i++)
      expectProblem(await login('ghost@example.in', 'wrong password here'), 401, 'unauthorized')
    expectProblem(await login('ghost@example.in', 'wrong password here'), 429, 'rate_limited')
  })

  it('a success does not wipe the failures before it', async () => {
    await createPerson('lucky@example.in')
    for (let i = 0; i < config.LOGIN_MAX_FAILURES - 1; i++)
      expectProblem(await login('lucky@example.in', 'wrong password here'), 401, 'unauthorized')
    expect((await login('lucky@example.in', PASSWORD)).statusCode).toBe(200)
    expectProblem(await login('lucky@example.in', 'wrong password here'), 401, 'unauthorized')
    expectProblem(await login('lucky@example.in', PASSWORD), 429, 'rate_limited')
  })

  it('a burst of parallel guesses lets no more than the limit through to the password check', async () => {
    await createPerson('burst@example.in')
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login('burst@example.in', `parallel guess ${i}`)),
    )
    const codes = results.map((r) => r.statusCode)
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(config.LOGIN_MAX_FAILURES)
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(12 - config.LOGIN_MAX_FAILURES)
  })

  it('limits one address across many emails (password spraying)', async () => {
    await createPerson('sprayed@example.in')
    const spray = '203.0.113.9'
    const now = Date.now()
    await ctx.database.db.loginFailure.createMany({
      data: Array.from({ length: config.LOGIN_MAX_FAILURES * PER_ADDRESS_FACTOR }, (_, i) => ({
        subjectHash: subjectHash(`victim${i}@example.in`),
        ip: spray,
        at: new Date(now - 60_000 + i),
      })),
    })
    const throttled = await login('sprayed@example.in', PASSWORD, spray)
    expectProblem(throttled, 429, 'rate_limited')
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(13 * 60)
    expect((await login('sprayed@example.in', PASSWORD, '198.51.100.50')).statusCode).toBe(200)
  })

  it('sweeps failures older than a day', async () => {
    const now = new Date()
    await ctx.database.db.loginFailure.createMany({
      data: [
        { subjectHash: 'old', ip: '192.0.2.1', at: new Date(now.getTime() - 25 * 3_600_000) },
        { subjectHash: 'recent', ip: '192.0.2.1', at: new Date(now.getTime() - 3_600_000) },
      ],
    })
    expect(await sweepLoginFailures(ctx.database.db, now)).toBe(1)
    expect((await ctx.database.db.loginFailure.findMany()).map((f) => f.subjectHash)).toEqual(['recent'])
  })
})

describe('sessions', () => {
  it('logout revokes the session and clears the cookie', async () => {
    const id = await createPerson('leaving@example.in')
    const token = sessionCookie(await login('leaving@example.in', PASSWORD))
    const out = await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: asConsole(token) })
    expect(out.statusCode, out.body).toBe(204)
    const cleared = out.cookies.find((c) => c.name === 'lw_session')!
    expect(cleared.value).toBe('')
    expect(cleared.expires!.getTime()).toBeLessThan(Date.now())

    const after = await ctx.app.inject({ method: 'GET', url: '/v1/auth/me', headers: asConsole(token) })
    expectProblem(after, 401, 'unauthorized')
    const [audit] = await auditOf(id, 'logout')
    expect(audit).toMatchObject({ actorId: `user:${id}`, requestId: out.headers['x-request-id'] })
  })

  it('a session idle too long, or past its expiry, is refused', async () => {
    await createPerson('idle@example.in')
    const idle = sessionCookie(await login('idle@example.in', PASSWORD))
    const expired = sessionCookie(await login('idle@example.in', PASSWORD))
    const me = (token: string) =>
      ctx.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${token}` } })
    expect((await me(idle)).statusCode).toBe(200)

    await ctx.database.db.userSession.update({
      where: { tokenHash: hashToken(idle) },
      data: { lastSeenAt: new Date(Date.now() - (config.SESSION_IDLE_MINUTES + 1) * 60_000) },
    })
    expectProblem(await me(idle), 401, 'unauthorized')

    await ctx.database.db.userSession.update({
      where: { tokenHash: hashToken(expired) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    })
    expectProblem(await me(expired), 401, 'unauthorized')
  })

  it('a cookie write from another origin is refused; from the console it works', async () => {
    await createPerson('csrf@example.in')
    const token = sessionCookie(await login('csrf@example.in', PASSWORD))
    const payload = { scopes: ['lead:read'], name: 'from a page' }
    const evil = await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      payload,
      headers: asConsole(token, { origin: 'https://evil.example' }),
    })
    expectProblem(evil, 403, 'forbidden')
    const crossSite = await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      payload,
      headers: asConsole(token, { 'sec-fetch-site': 'cross-site' }),
    })
    expectProblem(crossSite, 403, 'forbidden')
    expect(await ctx.database.db.apiKey.count({ where: { name: 'from a page' } })).toBe(0)

    const same = await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      payload,
      headers: asConsole(token),
    })
    expect(same.statusCode, same.body).toBe(201)
  })
})

describe('changing one’s password', () => {
  it('needs the current password, ends the other sessions, and is audited without the hash', async () => {
    const id = await createPerson('change@example.in')
    const mine = sessionCookie(await login('change@example.in', PASSWORD))
    const other = sessionCookie(await login('change@example.in', PASSWORD))
    const change = (body: object, token = mine) =>
      ctx.app.inject({ method: 'POST', url: '/v1/auth/password', payload: body, headers: asConsole(token) })

    const wrong = expectProblem(
      await change({ currentPassword: 'not my password', newPassword: 'a brand new passphrase' }),
      422,
      'rule_violation',
    )
    expect(wrong.errors?.[0]?.pointer).toBe('/body/currentPassword')
    const short = expectProblem(
      await change({ currentPassword: PASSWORD, newPassword: 'short' }),
      422,
      'rule_violation',
    )
    expect(short.errors?.[0]?.pointer).toBe('/body/newPassword')
    const isEmail = expectProblem(
      await change({ currentPassword: PASSWORD, newPassword: 'Change@Example.in' }),
      422,
      'rule_violation',
    )
    expect(isEmail.errors?.[0]?.message).toMatch(/email/)

    const ok = await change({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })
    expect(ok.statusCode, ok.body).toBe(204)
    const me = (token: string) =>
      ctx.app.inject({ method: 'GET', url: '/v1/auth/me', headers: asConsole(token) })
    expect((await me(mine)).statusCode).toBe(200)
    expectProblem(await me(other), 401, 'unauthorized')
    expectProblem(await login('change@example.in', PASSWORD), 401, 'unauthorized')
    expect((await login('change@example.in', 'a brand new passphrase')).statusCode).toBe(200)

    const [audit] = await auditOf(id, 'password_change')
    expect(audit).toMatchObject({
      entity: 'user',
      actorId: `user:${id}`,
      requestId: ok.headers['x-request-id'],
      changes: { password: { from: '(set)', to: '(changed)' } },
    })
    const user = await ctx.database.db.user.findUniqueOrThrow({ where: { id } })
    const everything = JSON.stringify(
      (await ctx.database.db.auditEvent.findMany({ where: { entityId: id } })).map((e) => e.changes),
    )
    expect(everything).not.toContain(user.passwordHash!)
    expect(everything).not.toContain('argon2')
  })

  it('is refused with an API key', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/password',
      payload: { currentPassword: 'whatever it is', newPassword: 'a brand new passphrase' },
    })
    expectProblem(res, 403, 'forbidden')
    const me = await ctx.app.inject({ method: 'GET', url: '/v1/auth/me' })
    expect(me.json<{ credential: { kind: string }; user: { id: string } }>()).toMatchObject({
      credential: { kind: 'api_key' },
      user: { id: TEST_ADMIN_ID },
    })
  })
})
