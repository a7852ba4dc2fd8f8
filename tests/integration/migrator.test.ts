import { createHash } from 'node:crypto'
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH, Migrator } from '../../platform/database/migrator.js'

/*
 * The offline migrator drives Prisma's wasm schema engine; re-run on every Prisma upgrade.
 * It works on a copy of prisma/ and an empty database, never on the template.
 */
let dir: string
let databaseUrl: string
let admin: pg.Client
const database = `migrator_${Date.now()}`

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'leadwire-migrator-'))
  await cp(DEFAULT_SCHEMA_PATH, path.join(dir, 'schema.prisma'))
  await cp(DEFAULT_MIGRATIONS_DIR, path.join(dir, 'migrations'), { recursive: true })
  const template = new URL(inject('templateDatabaseUrl'))
  template.pathname = '/postgres'
  admin = new pg.Client({ connectionString: template.toString() })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${database}"`)
  template.pathname = `/${database}`
  databaseUrl = template.toString()
})

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
  await admin.end()
  await rm(dir, { recursive: true, force: true })
})

async function withMigrator<T>(work: (m: Migrator) => Promise<T>): Promise<T> {
  const migrator = await Migrator.open({
    databaseUrl,
    schemaPath: path.join(dir, 'schema.prisma'),
    migrationsDir: path.join(dir, 'migrations'),
  })
  try {
    return await work(migrator)
  } finally {
    await migrator.close()
  }
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

describe('offline migrations through the wasm schema engine', () => {
  it('applies the committed migrations to an empty database, with the outbox trigger', async () => {
    const committed = (await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })).filter((d) =>
      d.isDirectory(),
    )
    const applied = await withMigrator((m) => m.deploy())
    expect(applied).toEqual(committed.map((d) => d.name).sort())
    const triggers = await query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgname = 'outbox_event_notify'`,
    )
    expect(triggers).toHaveLength(1)
    expect(await withMigrator((m) => m.deploy())).toEqual([])
  })

  it('creates a migration from a schema change, applies it and records it as Prisma does', async () => {
    const schemaFile = path.join(dir, 'schema.prisma')
    await writeFile(
      schemaFile,
      (await readFile(schemaFile, 'utf-8')) +
        '\nmodel MigratorProbe {\n  id   Int    @id\n  note String\n\n  @@map("migrator_probe")\n}\n',
    )
    const name = await withMigrator((m) => m.createMigration('add_migrator_probe', { apply: true }))
    expect(name).toMatch(/^\d{14}_add_migrator_probe$/)
    const sql = await readFile(path.join(dir, 'migrations', name!, 'migration.sql'), 'utf-8')
    expect(sql).toContain('CREATE TABLE "migrator_probe"')

    await query(`INSERT INTO migrator_probe (id, note) VALUES (1, 'it exists')`)
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name',
    )
    const probe = rows.find((r) => r.migration_name === name)
    // `prisma migrate deploy` on a connected machine compares this checksum: it must be sha256 of the file.
    expect(probe?.checksum).toBe(createHash('sha256').update(sql).digest('hex'))
    expect(probe?.finished_at).not.toBeNull()

    const status = await withMigrator((m) => m.status())
    expect(status.failedMigrationNames).toEqual([])
    expect(status.editedMigrationNames).toEqual([])
    expect(await withMigrator((m) => m.createMigration('nothing_changed', { apply: true }))).toBeNull()
  })

  it('refuses names that are not snake_case', async () => {
    await expect(withMigrator((m) => m.createMigration('Bad Name', { apply: false }))).rejects.toThrow(
      /snake_case/,
    )
  })
})
