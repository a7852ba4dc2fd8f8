import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createApiServices } from '../../api/api-services.js'
import { buildApp } from '../../api/app.js'
import type { Connector } from '../../connectors/sdk/connector.js'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/database/prisma.js'
import { testConfig } from './config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from './database.js'
import { silentLog, testTemporalClient } from './temporal.js'
import { withTestCredential } from './auth.js'

/** The real app (every plugin and route), for `inject`. Close it when the test ends. */
export async function buildTestApp(options: {
  config: Config
  db: Db
  temporalAddress?: string
  /** Replaces the built-in connectors (a test registers its own). */
  connectors?: readonly Connector[]
  clock?: () => Date
}): Promise<FastifyInstance> {
  const temporal = testTemporalClient(options.config, options.db, options.temporalAddress)
  const app = await buildApp({
    services: createApiServices({ ...options, temporal, log: silentLog }),
    logger: silentLog,
  })
  app.addHook('onClose', async () => temporal.connection.close())
  await app.ready()
  // Every inject carries the test admin's key unless the test chose a caller (tests/support/auth.ts).
  const inject = app.inject.bind(app)
  const injectWithCredential = async (opts: InjectOptions | string) =>
    inject(await withTestCredential(options.db, opts))
  app.inject = injectWithCredential as typeof app.inject
  return app
}

/**
 * A test file's own database and app, created before its tests and dropped after them.
 * Read `.app` and `.database` inside tests (they are set by the beforeAll hook).
 */
export function useTestApp(options: { truncateAfterEach?: boolean; config?: Record<string, string> } = {}): {
  app: FastifyInstance
  database: TestDatabase
} {
  const ctx = {} as { app: FastifyInstance; database: TestDatabase }
  beforeAll(async () => {
    ctx.database = await createTestDatabase()
    ctx.app = await buildTestApp({ config: testConfig(options.config), db: ctx.database.db })
  })
  afterAll(async () => {
    await ctx.app?.close()
    await ctx.database?.drop()
  })
  if (options.truncateAfterEach) afterEach(async () => truncateAll(ctx.database.db))
  return ctx
}
