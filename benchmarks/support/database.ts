import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../platform/database/embedded-postgres.js'
import { migrateDeploy } from '../../platform/database/migrator.js'
import { createLogger } from '../../platform/logger.js'
import { freePort } from '../../platform/process/child-process.js'
import type { Cleanup } from './cleanup.js'
import { insertSeedChunk, seedLead } from './seed-data.js'
import { elapsed } from './stats.js'

export interface BenchDatabase {
  url: string
  embedded: boolean
}

/**
 * DATABASE_URL when set (it must be a disposable database: the benchmark writes a million rows
 * into it); otherwise a fresh embedded PostgreSQL in a temp folder, durable (fsync on, like
 * production), removed at the end.
 */
export async function provisionDatabase(cleanup: Cleanup): Promise<BenchDatabase> {
  const external = process.env['DATABASE_URL']
  if (external) {
    console.warn(
      'DATABASE_URL is set: benchmarking against it. It must be a DISPOSABLE database: ' +
        'the benchmark adds its seed leads and every lead it captures.',
    )
    await migrateDeploy(external)
    return { url: external, embedded: false }
  }
  const started = performance.now()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-bench-'))
  cleanup.add('remove the temp folder', () => rm(dir, { recursive: true, force: true }))
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_PRETTY: false }, { name: 'bench' })
  const postgres = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    port: await freePort(),
    database: 'leadwire_bench',
    log,
    durable: true,
  })
  cleanup.add('stop PostgreSQL', () => postgres.stop())
  const applied = await migrateDeploy(postgres.url)
  console.log(`embedded PostgreSQL ready in ${dir} (${applied.length} migrations, ${elapsed(started)})`)
  return { url: postgres.url, embedded: true }
}

const CHUNK = 100_000

/**
 * Brings the seeded population up to `target` leads (seed numbers 1..target): on a reused
 * DATABASE_URL only the missing ones are written. Then VACUUM (ANALYZE) and CHECKPOINT, so the
 * measured runs do not pay for autovacuum of a million fresh rows or the seed's dirty pages.
 */
export async function seedLeads(url: string, target: number): Promise<{ seconds: number; total: number }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const started = performance.now()
    // Session settings only: more memory for the GIN pending-list merges and the vacuum.
    await client.query(`SET work_mem = '256MB'`)
    await client.query(`SET maintenance_work_mem = '1GB'`)
    const existing = Number(
      (await client.query<{ n: string }>(`SELECT count(*) AS n FROM lead WHERE created_by = 'seed'`)).rows[0]
        ?.n,
    )
    if (existing < target) {
      console.log(
        `seeding leads ${existing + 1}..${target} (set-based, ${CHUNK.toLocaleString()} per statement)`,
      )
      for (let from = existing + 1; from <= target; from += CHUNK) {
        const to = Math.min(target, from + CHUNK - 1)
        await insertSeedChunk(client, from, to, target)
        process.stdout.write(`  ${to.toLocaleString()} leads  ${elapsed(started)}\n`)
      }
    } else {
      console.log(`${existing.toLocaleString()} seed leads already present`)
    }
    // The load and the lookups address seeded people through seedLead(n): it must match the rows.
    for (const n of [1, Math.ceil(target / 2), target]) {
      const expected = seedLead(n)
      const row = (
        await client.query<{ phone: string; fuzzy_key: string }>(
          'SELECT phone, fuzzy_key FROM lead WHERE email = $1',
          [expected.email],
        )
      ).rows[0]
      if (row?.phone !== expected.phone || row.fuzzy_key !== expected.fuzzyKey)
        throw new Error(`seed lead ${n} in the database differs from seedLead(${n}): ${JSON.stringify(row)}`)
    }
    const inserted = performance.now()
    await client.query('VACUUM (ANALYZE) lead, lead_match_key')
    await client.query('CHECKPOINT').catch(() => undefined) // needs superuser or pg_checkpoint
    const seconds = (performance.now() - started) / 1000
    const total = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM lead')).rows[0]?.n)
    console.log(
      `seeded in ${((inserted - started) / 1000).toFixed(1)} s, vacuum + analyze + checkpoint ` +
        `${((performance.now() - inserted) / 1000).toFixed(1)} s; lead holds ${total.toLocaleString()} rows`,
    )
    return { seconds, total }
  } finally {
    await client.end()
  }
}

export interface ServerInfo {
  version: string
  settings: Record<string, string>
  leadsTotal: number
}

export async function serverInfo(pool: pg.Pool): Promise<ServerInfo> {
  const version = (await pool.query<{ version: string }>('SELECT version()')).rows[0]?.version ?? '?'
  const names = ['shared_buffers', 'fsync', 'synchronous_commit', 'wal_level', 'max_wal_size']
  const settings = Object.fromEntries(
    (
      await pool.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, current_setting(name) AS setting, unit FROM pg_settings WHERE name = ANY($1)`,
        [names],
      )
    ).rows.map((r) => [r.name, r.setting]),
  )
  const leadsTotal = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM lead')).rows[0]?.n)
  return { version, settings, leadsTotal }
}
