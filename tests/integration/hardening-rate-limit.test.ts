import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { ANONYMOUS, keyFor, TEST_ADMIN_ID } from '../support/auth.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { hashPassword } from '../../security/passwords.js'
import { expectProblem } from '../support/problem.js'

/*
 * Request budgets per caller: an API key's requests count against that key, anonymous
 * ones against the client address. Small limits, so the (N+1)th request is the refused one.
 */
let database: TestDatabase
let app: FastifyInstance

const PER_KEY = 3
const PER_ADDRESS = 2

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({
    config: testConfig({
      RATE_LIMIT_PER_MINUTE: String(PER_KEY),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(PER_ADDRESS),
    }),
    db: database.db,
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})

const asKey = (headers: { authorization: string }, remoteAddress = '192.0.2.10') =>
  app.inject({ method: 'GET', url: '/v1/accounts', headers, remoteAddress })
// A public route that answers 404 for an unknown form: cheap, and counted like any other.
// An unsubscribe link with a token that is not ours: public, no credential, refused with 400.
// (Forms, webhooks and the partner API have their own limits and are left out of this one.)
const anonymous = (remoteAddress: string) =>
  app.inject({ method: 'GET', url: '/u/not-a-real-token', headers: { ...ANONYMOUS }, remoteAddress })

describe('rate limits', () => {
  it("refuses a key's request over its budget with 429 and Retry-After; other keys go on", async () => {
    const first = await keyFor(database.db, TEST_ADMIN_ID)
    const second = await keyFor(database.db, TEST_ADMIN_ID)
    for (let i = 0; i < PER_KEY; i++) {
      const res = await asKey(first)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.headers['x-ratelimit-limit']).toBe(String(PER_KEY))
    }
    const refused = await asKey(first)
    const problem = expectProblem(refused, 429, 'rate_limited')
    expect(problem.detail).toMatch(/at most 3 a minute/)
    const retryAfter = Number(refused.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    // The budget is the key's, wherever it calls from.
    expectProblem(await asKey(first, '198.51.100.7'), 429, 'rate_limited')
    // Another key of the same user has its own budget, and so has an anonymous caller.
    expect((await asKey(second)).statusCode).toBe(200)
    expect((await anonymous('192.0.2.10')).statusCode).toBe(400)
  })

  it("counts a console user's sessions together, apart from their API keys", async () => {
    const password = 'a long enough password'
    await database.db.user.create({
      data: {
        id: 'meera',
        name: 'Meera Iyer',
        email: 'meera@leadwire.test',
        role: 'admin',
        passwordHash: await hashPassword(password),
      },
    })
    const login = async (remoteAddress: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { ...ANONYMOUS },
        payload: { email: 'meera@leadwire.test', password },
        remoteAddress,
      })
      expect(res.statusCode, res.body).toBe(200)
      return { authorization: `Bearer ${res.json<{ token: string }>().token}` }
    }
    const laptop = await login('192.0.2.21')
    const phone = await login('192.0.2.22')
    for (let i = 0; i < PER_KEY; i++) expect((await asKey(i % 2 ? phone : laptop)).statusCode).toBe(200)
    expectProblem(await asKey(laptop), 429, 'rate_limited')
    expectProblem(await asKey(phone), 429, 'rate_limited')
    expect((await asKey(await keyFor(database.db, 'meera'))).statusCode).toBe(200)
  })

  it('limits anonymous callers per address', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) expect((await anonymous('203.0.113.1')).statusCode).toBe(400)
    const refused = await anonymous('203.0.113.1')
    expectProblem(refused, 429, 'rate_limited')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect((await anonymous('203.0.113.2')).statusCode).toBe(400)
  })

  it('never throttles the health and readiness probes', async () => {
    for (let i = 0; i < PER_ADDRESS + 3; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/health',
        headers: { ...ANONYMOUS },
        remoteAddress: '203.0.113.50',
      })
      expect(res.statusCode).toBe(200)
    }
  })
})
