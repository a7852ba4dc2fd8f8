import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createPrisma, type Db } from '../../platform/database/prisma.js'
import { seedTestAdmin } from './auth.js'

export interface TestDatabase {
  url: string
  db: Db
  drop(): Promise<void>
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * A fresh database cloned from the migrated template: each test file gets its own, so
 * files run in parallel without seeing each other's rows. Nothing is mocked.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const templateUrl = inject('templateDatabaseUrl')
  const template = new URL(templateUrl).pathname.slice(1)
  const name = `test_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') })
  await admin.connect()
  try {
    // Two files cloning at the same instant can see each other on the template: retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
        break
      } catch (err) {
        if (attempt > 20 || !String((err as Error).message).includes('being accessed by other users'))
          throw err
        await new Promise((r) => setTimeout(r, 100))
      }
    }
  } finally {
    await admin.end()
  }
  const url = withDatabase(templateUrl, name)
  const db = createPrisma(url, 5)
  return {
    url,
    db,
    async drop() {
      await db.$disconnect()
      const c = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await c.end()
    },
  }
}

/**
 * Empties every application table (between tests in one file). A worker or relay from the
 * previous test may still be writing; TRUNCATE then takes its locks in a different order
 * and PostgreSQL breaks the deadlock by aborting one side, so a deadlock here is retried.
 */
export async function truncateAll(db: Db): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.$executeRawUnsafe(`DO $$ BEGIN
        EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
                   FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations');
      END $$`)
      await seedTestAdmin(db)
      return
    } catch (err) {
      if (attempt >= 10 || !String((err as Error).message).includes('40P01')) throw err
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)))
    }
  }
}
