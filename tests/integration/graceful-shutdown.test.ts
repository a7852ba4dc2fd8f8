import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiServices } from '../../api/api-services.js'
import { buildApp } from '../../api/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { silentLog, testTemporalClient } from '../support/temporal.js'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.drop()
})

describe('API shutdown', () => {
  it('finishes in-flight requests, refuses new ones, then closes', async () => {
    const config = testConfig()
    const temporal = testTemporalClient(config, database.db)
    const app = await buildApp({
      services: createApiServices({ config, db: database.db, temporal, log: silentLog }),
      logger: silentLog,
    })
    // A request that is still working when the shutdown begins.
    app.get('/test/slow', { config: { access: 'public' } }, async () => {
      await new Promise((r) => setTimeout(r, 600))
      return { finished: true }
    })
    const address = await app.listen({ host: '127.0.0.1', port: 0 })
    const inFlight = fetch(`${address}/test/slow`)
    await new Promise((r) => setTimeout(r, 100))

    const closing = app.close()
    const late = await fetch(`${address}/health`).then(
      (res) => res.status,
      () => 'refused' as const,
    )
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ finished: true })
    // Once closing, a new request gets 503 (return503OnClosing) or no connection at all.
    expect([503, 'refused']).toContain(late)
    await closing
    await temporal.connection.close()
    await expect(fetch(`${address}/health`)).rejects.toThrow()
  })
})
