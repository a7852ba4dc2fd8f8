import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiServices } from '../../api/api-services.js'
import { buildApp } from '../../api/app.js'
import { createLogger } from '../../platform/logger.js'
import { hashPassword } from '../../security/passwords.js'
import { TEST_ADMIN_KEY } from '../support/auth.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { silentLog, testTemporalClient } from '../support/temporal.js'

/*
 * What the API writes to its log while people sign in and integrations call it: requests
 * by method and route, never a password, a key, a session token, or a person's details.
 */
let database: TestDatabase
let app: FastifyInstance
const lines: string[] = []

const PASSWORD = 'correct horse battery staple'
const EMAIL = 'meera.iyer@leadwire.test'

beforeAll(async () => {
  database = await createTestDatabase()
  const config = testConfig()
  const temporal = testTemporalClient(config, database.db)
  const logger = createLogger(
    { LOG_LEVEL: 'info', LOG_PRETTY: false },
    { name: 'api' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    }),
  )
  app = await buildApp({
    services: createApiServices({ config, db: database.db, temporal, log: silentLog }),
    logger,
  })
  app.addHook('onClose', async () => temporal.connection.close())
  await app.ready()
  await database.db.user.create({
    data: {
      id: 'meera',
      name: 'Meera Iyer',
      email: EMAIL,
      role: 'sales_manager',
      passwordHash: await hashPassword(PASSWORD),
    },
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})

describe('request logs', () => {
  it('name no password, credential, token or email', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: EMAIL, password: PASSWORD },
    })
    expect(login.statusCode, login.body).toBe(200)
    const token = login.json<{ token: string }>().token
    const wrong = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: EMAIL, password: `${PASSWORD}!` },
    })
    expect(wrong.statusCode).toBe(401)
    const filtered = await app.inject({
      method: 'GET',
      url: `/v1/leads?q=${encodeURIComponent(EMAIL)}`,
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    })
    expect(filtered.statusCode, filtered.body).toBe(200)
    const withSession = await app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { cookie: `lw_session=${token}` },
    })
    expect(withSession.statusCode, withSession.body).toBe(200)
    const unsubscribe = await app.inject({ method: 'GET', url: '/u/not-a-real-signed-token-value' })
    expect(unsubscribe.statusCode).toBe(400)

    const logged = lines.join('')
    // Requests are logged, by method and route pattern.
    const entries = lines.map((l) => JSON.parse(l) as { msg?: string; req?: { route?: string } })
    expect(entries.some((e) => e.msg === 'incoming request' && e.req?.route === '/v1/auth/login')).toBe(true)
    expect(entries.some((e) => e.req?.route === '/u/:token')).toBe(true)
    for (const secret of [
      PASSWORD,
      TEST_ADMIN_KEY,
      token,
      EMAIL,
      encodeURIComponent(EMAIL),
      'not-a-real-signed',
    ])
      expect(logged).not.toContain(secret)
  })
})
