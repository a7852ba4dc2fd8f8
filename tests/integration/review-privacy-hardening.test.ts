import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { ANONYMOUS } from '../support/auth.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/*
 * Review: a caller without a valid credential spends the anonymous budget of its address,
 * whatever it puts in Authorization (each made-up key costs a database look-up).
 */
let database: TestDatabase
let app: FastifyInstance
const PER_ADDRESS = 2

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({
    config: testConfig({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(PER_ADDRESS) }),
    db: database.db,
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})

describe('anonymous budget', () => {
  it('counts requests with a made-up credential against the address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < PER_ADDRESS + 5; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/accounts',
        headers: { ...ANONYMOUS, authorization: `Bearer lwk_guess${i.toString().padStart(40, '0')}` },
        remoteAddress: '192.0.2.50',
      })
      statuses.push(res.statusCode)
    }
    expect(statuses, 'credential guessing is never throttled').toContain(429)
  })
})
