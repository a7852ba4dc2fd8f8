/*
 * `npm run bench:ingest`: ingestion throughput and latency over HTTP against a database that
 * already holds 1,000,000 leads, next to the bare database ceiling (single-row INSERT + COMMIT
 * on the same server and pool size), and duplicate-lookup latency at that size. It prints
 * figures and the targets beside them; it is not a test and does not fail on a missed target.
 *
 *   SEED_LEADS=1000000  leads in the database before the load (SEED_LEADS=50000 for a quick try)
 *   CONNECTIONS=16      concurrent HTTP connections, and concurrent loops in the baseline
 *   DURATION=20         seconds of each measured run (after WARMUP=3 s of discarded load)
 *   POOL=10             database pool of the API and of the baseline (DATABASE_POOL_MAX)
 *   LOOKUPS=2000        duplicate lookups of each kind
 *   DATABASE_URL        a DISPOSABLE database to use; unset: a fresh embedded PostgreSQL (fsync on)
 */
import os from 'node:os'
import pg from 'pg'
import { startApiProcess, type ApiProcess } from './support/api-process.js'
import { runBaseline, type BaselineResult } from './support/baseline.js'
import { runBenchmark, type Cleanup } from './support/cleanup.js'
import { CpuMeter, postmasterOf, type CpuUsage } from './support/cpu.js'
import { provisionDatabase, seedLeads, serverInfo } from './support/database.js'
import { measureLookups, type LookupResult } from './support/dedupe-lookups.js'
import { runLoad, type LoadResult } from './support/http-load.js'
import { newApiKey } from '../security/secret-tokens.js'
import { PayloadGenerator } from './support/payloads.js'
import { ms, rate } from './support/stats.js'
import { intEnv } from './support/env.js'

const TARGETS = { leadsPerSecond: 1000, p99Ms: 50, ratio: 0.5, exactLookupP95Ms: 5 }

const settings = {
  seedLeads: intEnv('SEED_LEADS', 1_000_000),
  connections: intEnv('CONNECTIONS', 16),
  duration: intEnv('DURATION', 20),
  warmup: intEnv('WARMUP', 3),
  pool: intEnv('POOL', intEnv('DATABASE_POOL_MAX', 10)),
  lookups: intEnv('LOOKUPS', 2000),
}

interface Ingestion {
  load: LoadResult
  /** Lead rows the run wrote (counted in the database), per outcome. */
  rows: { total: number; duplicates: number; quarantined: number }
  leadsPerSecond: number
  cpu: CpuUsage
  /** Machine busy share in the second before the load (other processes, autovacuum...). */
  busyBefore: number | undefined
  apiOutput: string
}

/** A web-to-lead integration's key (scope lead:create), as production callers send one. */
async function integrationKey(admin: pg.Pool): Promise<string> {
  const key = newApiKey()
  await admin.query(
    `INSERT INTO app_user (id, name, email, role, updated_at)
     VALUES ('bench-integration', 'Bench integration', 'bench-integration@leadwire.invalid', 'admin', now())
     ON CONFLICT (id) DO NOTHING`,
  )
  await admin.query(
    `INSERT INTO api_key (id, prefix, key_hash, name, user_id, scopes, created_by)
     VALUES (gen_random_uuid(), $1, $2, 'bench', 'bench-integration', '{lead:create}', 'bench')`,
    [key.prefix, key.hash],
  )
  return key.key
}

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec))
const check = (ok: boolean) => (ok ? 'ok' : 'MISSED')
const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(0)}%`)
const cores = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2))

async function measureIngestion(
  api: ApiProcess,
  admin: pg.Pool,
  meter: CpuMeter,
  payloads: PayloadGenerator,
): Promise<Ingestion> {
  console.log(`warm-up: ${settings.warmup} s of load (discarded)`)
  const headers = { authorization: `Bearer ${await integrationKey(admin)}` }
  await runLoad({
    url: api.url,
    connections: settings.connections,
    duration: settings.warmup,
    payloads,
    headers,
  })
  await sleep(500) // let the warm-up's last transactions commit before the count starts
  const since = (await admin.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]?.now
  const idle = meter.snapshot()
  await sleep(1000)
  const before = meter.since(idle).machineBusy
  if (before !== undefined && before > 0.15)
    console.warn(
      `warning: the machine was already ${(before * 100).toFixed(0)}% busy before the load ` +
        '(other processes): the figures below will be lower than this machine can do',
    )
  console.log(`load: ${settings.connections} connections for ${settings.duration} s`)
  const cpuStart = meter.snapshot()
  const load = await runLoad({
    url: api.url,
    connections: settings.connections,
    duration: settings.duration,
    payloads,
    headers,
  })
  const cpu = meter.since(cpuStart)
  const until = (await admin.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]?.now
  await sleep(500) // requests cut off at the end still commit: counted only if they started in time
  const counted = (
    await admin.query<{ total: string; duplicates: string; quarantined: string }>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE is_duplicate) AS duplicates,
              count(*) FILTER (WHERE validation_status = 'quarantined') AS quarantined
         FROM lead WHERE created_at >= $1 AND created_at < $2 AND created_by NOT IN ('seed', 'baseline')`,
      [since, until],
    )
  ).rows[0]
  const rows = {
    total: Number(counted?.total ?? 0),
    duplicates: Number(counted?.duplicates ?? 0),
    quarantined: Number(counted?.quarantined ?? 0),
  }
  return {
    load,
    rows,
    leadsPerSecond: rows.total / load.seconds,
    cpu,
    busyBefore: before,
    apiOutput: api.output(),
  }
}

function printReport(input: {
  serverVersion: string
  serverSettings: Record<string, string>
  embedded: boolean
  seed: { seconds: number; total: number }
  leadsAtStart: number
  ingestion: Ingestion | undefined
  ingestionError: string | undefined
  baseline: BaselineResult & { cpu: CpuUsage }
  lookups: LookupResult
  payloads: PayloadGenerator
}) {
  const { ingestion, baseline, lookups } = input
  const cpus = os.cpus()
  const s = input.serverSettings
  const line = (label: string, text: string) => console.log(`${label.padEnd(22)}${text}`)

  console.log('\n=== Leadwire ingestion benchmark ===')
  line(
    'machine',
    `${cpus.length} CPUs (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ` +
      `${os.type()} ${os.release()}, node ${process.version}`,
  )
  line('postgres', input.serverVersion)
  line(
    '',
    `${input.embedded ? 'embedded, fresh' : 'DATABASE_URL'}; fsync ${s['fsync']}, synchronous_commit ` +
      `${s['synchronous_commit']}, shared_buffers ${s['shared_buffers']}, max_wal_size ${s['max_wal_size']}`,
  )
  line(
    'setup',
    `${input.leadsAtStart.toLocaleString()} leads before the load (seeding took ${input.seed.seconds.toFixed(0)} s); ` +
      `pool ${settings.pool}, ${settings.connections} connections, ${settings.duration} s runs ` +
      `after ${settings.warmup} s warm-up`,
  )
  console.log('')

  if (ingestion) {
    const { load, rows } = ingestion
    const statuses = Object.entries(load.statuses)
      .map(([code, n]) => `${code}: ${n}`)
      .join(', ')
    line('HTTP responses', `${statuses || 'none'}; socket errors ${load.errors}, timeouts ${load.timeouts}`)
    line(
      'capture outcomes',
      `${Object.entries(load.outcomes)
        .map(([k, n]) => `${k} ${n}`)
        .join(
          ', ',
        )}; rows written ${rows.total} (duplicates ${rows.duplicates}, quarantined ${rows.quarantined})`,
    )
    const m = input.payloads.mix
    line(
      'payload mix',
      `${m.total} generated (warm-up included); repeats: ${m.repeatOfRun} of this run's emails, ${m.repeatOfSeedEmail} seeded emails, ` +
        `${m.repeatOfSeedPhone} seeded phones (${pct((m.repeatOfRun + m.repeatOfSeedEmail + m.repeatOfSeedPhone) / m.total)})`,
    )
    line(
      'HTTP latency (2xx)',
      `p50 ${ms(load.latency.p50)}  p90 ${ms(load.latency.p90)}  p99 ${ms(load.latency.p99)}  max ${ms(load.latency.max)}` +
        `  (autocannon: p50 ${load.autocannon.p50} ms, p97.5 ${load.autocannon.p97_5} ms, p99 ${load.autocannon.p99} ms)`,
    )
    line(
      'CPU during load',
      `machine ${pct(ingestion.cpu.machineBusy)} busy (${pct(ingestion.busyBefore)} just before); ` +
        `cores used: API ${cores(ingestion.cpu.api)}, ` +
        `PostgreSQL ${cores(ingestion.cpu.postgres)}, load generator ${cores(ingestion.cpu.bench)}`,
    )
    for (const e of load.errorBodies) line(`first ${e.status} body`, e.body)
    if (load.errorBodies.length > 0) {
      const logged = ingestion.apiOutput.trim().split('\n').slice(-5).join('\n')
      if (logged) console.log(`API log (last lines):\n${logged}`)
    }
  }
  line(
    'CPU during baseline',
    `machine ${pct(baseline.cpu.machineBusy)} busy; cores used: PostgreSQL ${cores(baseline.cpu.postgres)}, ` +
      `benchmark process ${cores(baseline.cpu.bench)}`,
  )
  if (baseline.failures > 0) line('baseline failures', `${baseline.failures}: ${baseline.firstError ?? ''}`)
  console.log('')

  const ratio = ingestion ? ingestion.leadsPerSecond / baseline.perSecond : Number.NaN
  const row = (label: string, figure: string, latency: string, target: string) =>
    console.log(`${label.padEnd(22)}${figure.padEnd(16)}${latency.padEnd(40)}${target}`)
  row('', 'rate', 'latency', 'target')
  if (ingestion) {
    const l = ingestion.load.latency
    const ok = ingestion.leadsPerSecond >= TARGETS.leadsPerSecond && l.p99 <= TARGETS.p99Ms
    row(
      'ingestion over HTTP',
      `${rate(ingestion.leadsPerSecond)} leads/s`,
      `p50 ${ms(l.p50)}  p99 ${ms(l.p99)}`,
      `>= ${TARGETS.leadsPerSecond}/s, p99 <= ${TARGETS.p99Ms} ms  ${check(ok)}`,
    )
    row('', `${rate(ingestion.load.ok / ingestion.load.seconds)} 2xx req/s`, '', '')
  } else {
    row('ingestion over HTTP', 'n/a', input.ingestionError ?? '', `>= ${TARGETS.leadsPerSecond}/s  MISSED`)
  }
  row(
    'bare INSERT+COMMIT',
    `${rate(baseline.perSecond)} rows/s`,
    `p50 ${ms(baseline.latency.p50)}  p99 ${ms(baseline.latency.p99)}`,
    '',
  )
  row(
    'ratio',
    Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a',
    'ingestion leads/s / baseline rows/s',
    `>= ${TARGETS.ratio}  ${check(ratio >= TARGETS.ratio)}`,
  )
  const lk = (x: LookupResult['exact']) => `p50 ${ms(x.p50)}  p95 ${ms(x.p95)}  p99 ${ms(x.p99)}`
  row(
    'exact dedupe lookup',
    `${lookups.exact.found}/${lookups.exact.count} hit`,
    lk(lookups.exact),
    `p95 <= ${TARGETS.exactLookupP95Ms} ms  ${check(lookups.exact.p95 <= TARGETS.exactLookupP95Ms)}`,
  )
  row('fuzzy dedupe lookup', `${lookups.fuzzy.found}/${lookups.fuzzy.count} hit`, lk(lookups.fuzzy), '')
  console.log(`${''.padEnd(22)}one fuzzy plan: ${lookups.fuzzyPlan}`)
  if (lookups.fuzzy.count < settings.lookups || lookups.exact.count < settings.lookups)
    console.log(`${''.padEnd(22)}(a kind that ran out of its 60 s budget reports the lookups it made)`)
  console.log(
    `\n(at ${input.leadsAtStart.toLocaleString()} leads; lookups: one at a time on one connection, server time ` +
      'plus a loopback round trip; fuzzy = one typo in "first last|company", threshold 0.6)',
  )
}

async function main(cleanup: Cleanup): Promise<number> {
  console.log(
    `Leadwire ingestion benchmark: ${settings.seedLeads.toLocaleString()} seed leads, ${settings.connections} ` +
      `connections, ${settings.duration} s, pool ${settings.pool}`,
  )
  const database = await provisionDatabase(cleanup)
  const seed = await seedLeads(database.url, settings.seedLeads)
  const admin = new pg.Pool({ connectionString: database.url, max: 2 })
  cleanup.add('close the admin pool', () => admin.end())
  const info = await serverInfo(admin)
  const backendPid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid
  const postmaster = database.embedded && backendPid ? postmasterOf(backendPid) : undefined
  // Same payloads on every fresh database; on a reused one, earlier runs' captures would turn
  // this run's "new" people into repeats, so the stream starts elsewhere.
  const earlierCaptures = Number(
    (
      await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM lead WHERE created_by NOT IN ('seed', 'baseline')`,
      )
    ).rows[0]?.n,
  )
  const payloads = new PayloadGenerator(settings.seedLeads, 42 + earlierCaptures)
  if (earlierCaptures > 0)
    console.log(`${earlierCaptures} leads from earlier runs: payload seed ${42 + earlierCaptures}`)

  let ingestion: Ingestion | undefined
  let ingestionError: string | undefined
  let api: ApiProcess | undefined
  try {
    console.log('starting the API (node --import tsx api/server.ts)')
    api = await startApiProcess({ databaseUrl: database.url, poolMax: settings.pool })
    const running = api
    cleanup.add('stop the API', () => running.stop())
    ingestion = await measureIngestion(api, admin, new CpuMeter(api.pid, postmaster), payloads)
  } catch (err) {
    ingestionError = (err as Error).message.split('\n')[0]
    console.error(`ingestion over HTTP could not be measured: ${(err as Error).message}`)
  } finally {
    await api?.stop() // the baseline gets the machine to itself
  }

  console.log(`baseline: single-row INSERT + COMMIT, ${settings.connections} loops, pool ${settings.pool}`)
  const meter = new CpuMeter(undefined, postmaster)
  const cpuStart = meter.snapshot()
  const baselineRun = await runBaseline({
    url: database.url,
    poolMax: settings.pool,
    connections: settings.connections,
    duration: settings.duration,
  })
  const baseline = { ...baselineRun, cpu: meter.since(cpuStart) }

  console.log(`duplicate lookups: ${settings.lookups} exact, ${settings.lookups} fuzzy`)
  const lookups = await measureLookups(database.url, settings.seedLeads, settings.lookups)

  printReport({
    serverVersion: info.version,
    serverSettings: info.settings,
    embedded: database.embedded,
    seed,
    leadsAtStart: info.leadsTotal,
    ingestion,
    ingestionError,
    baseline,
    lookups,
    payloads,
  })
  // A run that could not measure ingestion (API down, nothing accepted) is a failed run;
  // missed targets are not.
  return ingestion && ingestion.load.ok > 0 ? 0 : 1
}

await runBenchmark(main)
