/*
 * `npm run bench:import`: bulk import throughput, end to end (file read → every row through
 * the governed pipeline's batch path → committed), with dedupe inside the file and against
 * the database, next to the bare ceiling measured in the same run on the same server: the
 * same file read by the same reader and written as-is with multi-row INSERTs into a scratch
 * table. It prints figures and the target beside them; it is not a test.
 *
 *   ROWS=100000        rows in the generated file (ROWS=1000000 for the memory check)
 *   SEED_LEADS=10000   leads in the database before the import (some rows name them)
 *   BATCH=1000         rows per transaction
 *   POOL=4             database connections of the import
 *   DATABASE_URL       a DISPOSABLE database to use; unset: a fresh embedded PostgreSQL (fsync on)
 */
import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createImportService } from '../connectors/import/services.js'
import { loadConfig } from '../platform/config.js'
import { createPrisma } from '../platform/database/prisma.js'
import { createLogger } from '../platform/logger.js'
import { runBenchmark, type Cleanup } from './support/cleanup.js'
import { provisionDatabase, seedLeads, serverInfo } from './support/database.js'
import { runImportBaseline } from './support/import-baseline.js'
import { IMPORT_HEADERS, writeImportFile } from './support/import-file.js'
import { elapsed } from './support/stats.js'
import { intEnv } from './support/env.js'

const TARGET_ROWS_PER_SECOND = 5000

const settings = {
  rows: intEnv('ROWS', 100_000),
  seedLeads: intEnv('SEED_LEADS', 10_000),
  batch: intEnv('BATCH', 1000),
  pool: intEnv('POOL', 4),
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
const line = (label: string, text: string) => console.log(`${label.padEnd(24)}${text}`)

async function main(cleanup: Cleanup): Promise<number> {
  const database = await provisionDatabase(cleanup)
  await seedLeads(database.url, settings.seedLeads)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-import-bench-'))
  cleanup.add('remove the import folder', () => rm(dir, { recursive: true, force: true }))

  const file = path.join(dir, 'leads.csv')
  let started = performance.now()
  const generated = await writeImportFile(file, {
    rows: settings.rows,
    inFileDuplicates: 0.05,
    databaseMatches: 0.05,
    invalid: 0.01,
    seeded: settings.seedLeads,
  })
  console.log(
    `generated ${generated.rows.toLocaleString()} rows (${mb(generated.bytes)}) in ${elapsed(started)}`,
  )

  const config = loadConfig({
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: String(settings.pool),
    IMPORT_DIR: path.join(dir, 'imports'),
    LOG_LEVEL: 'warn',
  })
  const db = createPrisma(database.url, settings.pool)
  cleanup.add('close the database pool', () => db.$disconnect())
  const jobs = createImportService({
    db,
    config,
    log: createLogger(config, { name: 'bench-import' }),
    batchSize: settings.batch,
  })
  const uploaded = await jobs.upload(createReadStream(file), { fileName: 'leads.csv', format: 'csv' })
  const leadsBefore = await db.lead.count()

  // Peak resident memory while the import runs (the file is never held in memory).
  let peakRss = process.memoryUsage.rss()
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50)
  let lastReport = 0
  started = performance.now()
  const job = await jobs.run(
    uploaded.job.id,
    { defaults: { campaign: 'bench', source: 'bench', country: 'IN' } },
    (p) => {
      const now = performance.now()
      if (now - lastReport < 2000) return
      lastReport = now
      const secs = (now - started) / 1000
      console.log(
        `  ${p.processedRows.toLocaleString()} rows  ${(p.processedRows / secs).toFixed(0)} rows/s  ` +
          `rss ${mb(process.memoryUsage.rss())}`,
      )
    },
  )
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  if (job.status !== 'completed') throw new Error(`the import ended ${job.status}: ${job.error ?? ''}`)

  const admin = new pg.Pool({ connectionString: database.url, max: 1 })
  cleanup.add('close the admin pool', () => admin.end())
  const written = (
    await admin.query<{ leads: string; duplicates: string; outbox: string }>(
      `SELECT count(*) AS leads, count(*) FILTER (WHERE is_duplicate) AS duplicates,
              (SELECT count(*) FROM outbox_event WHERE topic = 'lead.captured'
                  AND aggregate_id IN (SELECT id::text FROM lead WHERE channel = 'import' AND created_by = 'connector:import')) AS outbox
         FROM lead WHERE created_by = 'connector:import'`,
    )
  ).rows[0]!
  const info = await serverInfo(admin)

  console.log('baseline: the same file, bare multi-row INSERTs into a scratch table')
  const baseline = await runImportBaseline({
    url: database.url,
    file,
    columns: IMPORT_HEADERS.length,
    batch: settings.batch,
  })

  const rate = settings.rows / seconds
  const cpus = os.cpus()
  console.log('\n=== Leadwire bulk import benchmark ===')
  line(
    'machine',
    `${cpus.length} CPUs (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, node ${process.version}`,
  )
  line('postgres', info.version.split(' on ')[0] ?? info.version)
  line(
    '',
    `${database.embedded ? 'embedded, fresh' : 'DATABASE_URL'}; fsync ${info.settings['fsync']}, synchronous_commit ${info.settings['synchronous_commit']}`,
  )
  line(
    'setup',
    `${leadsBefore.toLocaleString()} leads before; file ${settings.rows.toLocaleString()} rows, ${mb(generated.bytes)}: ` +
      `${generated.expected.new.toLocaleString()} new people, ${generated.expected.inFile.toLocaleString()} repeats within the file, ` +
      `${generated.expected.database.toLocaleString()} people already in the database, ${generated.expected.invalid.toLocaleString()} unusable; ` +
      `batches of ${settings.batch}, pool ${settings.pool}`,
  )
  console.log('')
  line(
    'import',
    `${rate.toFixed(0)} rows/s (${settings.rows.toLocaleString()} rows in ${seconds.toFixed(1)} s, file read → committed, dedupe included)` +
      `   target ≥ ${TARGET_ROWS_PER_SECOND}: ${rate >= TARGET_ROWS_PER_SECOND ? 'ok' : 'MISSED'}`,
  )
  line(
    'outcome',
    `created ${job.counts.created.toLocaleString()}, duplicates in file ${job.counts.duplicatesInFile.toLocaleString()}, ` +
      `duplicates of database leads ${job.counts.duplicatesInDb.toLocaleString()}, quarantined ${job.counts.quarantined.toLocaleString()}, ` +
      `row errors ${job.counts.failed.toLocaleString()}`,
  )
  line(
    'written',
    `${Number(written.leads).toLocaleString()} lead rows (${Number(written.duplicates).toLocaleString()} linked duplicates), ` +
      `${Number(written.outbox).toLocaleString()} journeys queued (outbox lead.captured)`,
  )
  line('memory', `peak RSS ${mb(peakRss)} during the import`)
  line(
    'baseline',
    `${baseline.perSecond.toFixed(0)} rows/s (bare multi-row INSERT of the same rows, ${baseline.seconds.toFixed(1)} s)`,
  )
  line('ratio', `${(rate / baseline.perSecond).toFixed(2)} of the bare INSERT ceiling`)
  return 0
}

await runBenchmark(main)
