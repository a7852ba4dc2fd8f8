/*
 * `npm run bench:journeys`: how fast the outbox relay starts journeys, next to how fast the
 * same Temporal server starts an empty workflow in the same run (the limit: the local dev
 * server persists to SQLite, so the two are compared rather than guessed), and the worker's
 * memory with OPEN_JOURNEYS journeys waiting on timers. It prints figures and the targets
 * beside them; it is not a test and does not fail on a missed target.
 *
 *   1. PostgreSQL (embedded, fsync on; or DATABASE_URL) and a Temporal dev server on free
 *      ports, persisting to SQLite in a leadwire-bench-* temp folder, journey search
 *      attributes registered. Everything is stopped and removed on exit, Ctrl-C included.
 *   2. Baseline: JOURNEYS starts of an empty workflow type nobody serves, BATCH in flight.
 *   3. JOURNEYS leads + outbox events written in one transaction, then the project's
 *      OutboxRelay (in this process, no worker running) timed until every event is dispatched.
 *   4. The real worker process (`node --import tsx platform/worker.ts`, its own relay, emails
 *      simulated) takes those journeys plus new ones, OPEN_JOURNEYS in all, to their first
 *      wait (lead recorded as Nurturing, welcome email settled); its RSS is sampled every
 *      500 ms during the ramp and HOLD seconds after.
 *
 *   JOURNEYS=2000        empty workflows in the baseline, and journeys the relay starts in part 3
 *   OPEN_JOURNEYS=10000  journeys the worker holds open in part 4 (part 3's included)
 *   BATCH=100            relay batch size (OUTBOX_BATCH_SIZE) = concurrent starts in the baseline
 *   WORKER_MAX_CACHED_WORKFLOWS=1000  the worker's sticky workflow cache
 *   SECOND_CACHE=0       e.g. 100: then a second worker with that cache takes OPEN_JOURNEYS new journeys
 *   HOLD=20              seconds of memory sampling once every journey waits
 *   WORKER_BUNDLE=startup  `startup`: the worker bundles its workflows at start (docker-compose);
 *                        `prebuilt`: WORKFLOW_BUNDLE_PATH to a bundle built first (npm run build)
 *   DATABASE_URL         a DISPOSABLE database to use; unset: a fresh embedded PostgreSQL
 *
 * The leads get a time zone where it is about 13:00 (journey-seed.ts), so the welcome email
 * is due and sent (simulated) in every run, whatever the hour.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Client } from '@temporalio/client'
import pg from 'pg'
import { loadConfig } from '../platform/config.js'
import { createLogger } from '../platform/logger.js'
import { createTemporalClient } from '../platform/temporal/connection.js'
import { createPayloadCodec } from '../platform/temporal/payload-codec.js'
import { createPrisma } from '../platform/database/prisma.js'
import { runBenchmark, type Cleanup } from './support/cleanup.js'
import { CpuMeter, postmasterOf, type CpuUsage } from './support/cpu.js'
import { provisionDatabase, serverInfo } from './support/database.js'
import { runRamp, type RampResult } from './support/journey-ramp.js'
import { measureRelay, type RelayResult } from './support/journey-relay.js'
import { seedJourneyLeads } from './support/journey-seed.js'
import { startBenchTemporal, startEmptyWorkflows, type StartsResult } from './support/journey-temporal.js'
import { mib } from './support/journey-worker-process.js'
import { elapsed, ms, rate } from './support/stats.js'
import { intEnv } from './support/env.js'

const TARGETS = { ratio: 0.8, peakRssBytes: 2 ** 30 }

const batch = intEnv('BATCH', intEnv('OUTBOX_BATCH_SIZE', 100))
const config = loadConfig({ ...process.env, OUTBOX_BATCH_SIZE: String(batch) })
const settings = {
  journeys: intEnv('JOURNEYS', 2000),
  openJourneys: intEnv('OPEN_JOURNEYS', 10_000),
  batch,
  cache: config.WORKER_MAX_CACHED_WORKFLOWS,
  secondCache: intEnv('SECOND_CACHE', 0, 0),
  hold: intEnv('HOLD', 20),
  bundle: process.env['WORKER_BUNDLE'] || 'startup',
}
if (settings.bundle !== 'startup' && settings.bundle !== 'prebuilt')
  throw new Error(`WORKER_BUNDLE must be startup or prebuilt (got "${settings.bundle}")`)
if (settings.openJourneys < settings.journeys) {
  console.warn(
    `OPEN_JOURNEYS (${settings.openJourneys}) < JOURNEYS: the worker takes the ${settings.journeys} journeys part 3 started`,
  )
  settings.openJourneys = settings.journeys
}

const check = (ok: boolean) => (ok ? 'ok' : 'MISSED')
const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(0)}%`)
const cores = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2))
const firstLine = (err: unknown) => ((err as Error).message ?? String(err)).split('\n')[0] ?? ''
const n = (x: number) => x.toLocaleString('en-US')

/** Builds the workflow bundle as `npm run build` does: fails fast when the workflow code does not compile. */
async function buildBundle(dir: string): Promise<{ file: string; kib: number; seconds: number }> {
  const started = performance.now()
  try {
    const [{ bundleWorkflowCode, DefaultLogger }, { WORKFLOWS_ENTRY }] = await Promise.all([
      import('@temporalio/worker'),
      import('../platform/worker-runtime.js'),
    ])
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_ENTRY,
      logger: new DefaultLogger('WARN'),
    })
    const file = path.join(dir, 'workflow-bundle.js')
    await writeFile(file, code)
    return { file, kib: code.length / 1024, seconds: (performance.now() - started) / 1000 }
  } catch (err) {
    throw new Error(
      `the worker's code does not load or its workflow bundle does not build (nothing was measured): ` +
        `${(err as Error).message}`,
      { cause: err },
    )
  }
}

interface Phase<T> {
  result: T | undefined
  error: string | undefined
  cpu?: CpuUsage
}

/** The run's teardown, once main has started: phases read whether Ctrl-C stopped them. */
let activeCleanup: Cleanup | undefined

async function phase<T>(what: string, run: () => Promise<T>, meter?: CpuMeter): Promise<Phase<T>> {
  const start = meter?.snapshot()
  try {
    const result = await run()
    return { result, error: undefined, ...(meter && start ? { cpu: meter.since(start) } : {}) }
  } catch (err) {
    // After Ctrl-C the teardown pulls the services away: that is no finding.
    if (!activeCleanup?.signalled) console.error(`${what} could not be measured: ${(err as Error).message}`)
    return { result: undefined, error: firstLine(err) }
  }
}

function printRamp(label: string, ramp: RampResult) {
  const line = (l: string, text: string) => console.log(`${l.padEnd(24)}${text}`)
  const r = ramp.rss
  line(
    label,
    `${n(ramp.target)} journeys to their first wait in ${ramp.seconds.toFixed(1)} s from spawn ` +
      `(start-up ${ramp.startupSeconds.toFixed(1)} s, then ${rate(ramp.steadyPerSecond)} journeys/s); ` +
      `WORKER_MAX_CACHED_WORKFLOWS ${ramp.maxCachedWorkflows}`,
  )
  line(
    '  worker RSS',
    `at first journey ${mib(r.atFirstJourney)}, ramp peak ${mib(r.peakRamp)}, all waiting ${mib(r.atAllWaiting)}; ` +
      `hold min ${mib(r.minHold)} max ${mib(r.peakHold)}, settled ${mib(r.settled)}; VmHWM ${mib(r.highWaterMark)}` +
      ` (${r.samples.length} samples; at the peak: ${r.peakBreakdown})`,
  )
  line(
    '  RSS by journeys done',
    r.byWaiting.map((b) => `${n(b.waiting)}: ${mib(b.rss)}`).join(', ') +
      ` (journeys past their first step; the cache keeps at most ${n(ramp.maxCachedWorkflows)})`,
  )
  line(
    '  CPU during ramp',
    `machine ${pct(ramp.cpu.worker.machineBusy)} busy; cores used: worker ${cores(ramp.cpu.worker.api)}, ` +
      `Temporal ${cores(ramp.cpu.temporal.api)}, PostgreSQL ${cores(ramp.cpu.worker.postgres)}`,
  )
  const logged = ramp.workerOutput.trim().split('\n').filter(Boolean)
  if (logged.length > 0) {
    line('  worker warnings', `${logged.length} line(s) logged at warn or above; the last ones:`)
    for (const l of logged.slice(-5)) console.log(`    ${l.slice(0, 300)}`)
  }
}

async function main(cleanup: Cleanup): Promise<number> {
  activeCleanup = cleanup
  const runStarted = performance.now()
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_PRETTY: false }, { name: 'bench' })
  console.log(
    `Leadwire journey benchmark: ${n(settings.journeys)} journeys through the relay, ${n(settings.openJourneys)} ` +
      `open journeys in the worker, batch ${settings.batch}, cache ${settings.cache}`,
  )
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-bench-'))
  cleanup.add('remove the Temporal temp folder', () => rm(dir, { recursive: true, force: true }))

  console.log('building the workflow bundle (npm run build)')
  const bundle = await buildBundle(dir)
  console.log(`  ${bundle.kib.toFixed(0)} KiB in ${bundle.seconds.toFixed(1)} s`)

  const database = await provisionDatabase(cleanup)
  const admin = new pg.Pool({ connectionString: database.url, max: 4 })
  cleanup.add('close the admin pool', () => admin.end())
  const info = await serverInfo(admin)
  const backendPid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid
  const postmaster = database.embedded && backendPid ? postmasterOf(backendPid) : undefined

  const t = performance.now()
  const temporal = await startBenchTemporal(cleanup, config, dir, log)
  console.log(
    `Temporal dev server ready at ${temporal.address} (${elapsed(t)}), SQLite file ${temporal.dbFile}`,
  )
  // Journeys go through the payload codec as in production (a key per lead, made at its start);
  // the empty-workflow baseline does not, so the ratio includes the codec's cost.
  const codecDb = createPrisma(database.url, 4)
  cleanup.add('close the codec pool', () => codecDb.$disconnect())
  const { client, connection } = createTemporalClient(
    { ...config, address: temporal.address },
    createPayloadCodec(codecDb, config).codec,
  )
  cleanup.add('close the Temporal client', () => connection.close())
  const plain = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE })
  const runId = randomBytes(4).toString('hex')
  const meter = new CpuMeter(temporal.pid, postmaster)

  // 2. The limit: empty workflows, after a short warm-up (connection, namespace caches).
  await startEmptyWorkflows(plain, {
    count: Math.min(200, settings.journeys),
    concurrency: settings.batch,
    runId,
    taskQueue: `bench-empty-${runId}`,
    prefix: 'bench-warmup',
  })
  const idle = meter.snapshot()
  await new Promise((r) => setTimeout(r, 1000))
  const busyBefore = meter.since(idle).machineBusy
  if (busyBefore !== undefined && busyBefore > 0.15)
    console.warn(
      `warning: the machine was already ${pct(busyBefore)} busy before the baseline (other processes): ` +
        'every figure below will be lower than this machine can do',
    )
  console.log(`baseline: ${n(settings.journeys)} empty workflow starts, ${settings.batch} in flight`)
  const baseline = await phase(
    'the empty-workflow baseline',
    () =>
      startEmptyWorkflows(plain, {
        count: settings.journeys,
        concurrency: settings.batch,
        runId,
        taskQueue: `bench-empty-${runId}`,
        prefix: 'bench-empty',
      }),
    meter,
  )
  if (baseline.result) console.log(`  ${rate(baseline.result.perSecond)} starts/s`)

  // 3. Journeys through the relay, no worker running: they wait on the task queue for part 4.
  const since = (await admin.query<{ now: Date }>('SELECT now() AS now')).rows[0]?.now ?? new Date()
  const seeded = await seedJourneyLeads(admin, 1, settings.journeys)
  console.log(
    `seeded ${n(seeded.count)} leads + outbox events in one transaction (${seeded.seconds.toFixed(1)} s, ` +
      `time zone ${seeded.timeZone}); relay: batch ${settings.batch}, in this process`,
  )
  const relay = await phase(
    'the relay',
    () =>
      measureRelay({
        config,
        databaseUrl: database.url,
        temporal: client,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        admin,
        events: seeded,
      }),
    meter,
  )
  if (relay.result) console.log(`  ${rate(relay.result.perSecond)} journeys started/s`)

  // 4. The worker takes them, and the rest its own relay starts, to their first wait.
  const rest = settings.openJourneys - settings.journeys
  if (rest > 0) {
    const more = await seedJourneyLeads(admin, settings.journeys + 1, rest)
    console.log(`seeded ${n(more.count)} more leads + outbox events (${more.seconds.toFixed(1)} s)`)
  }
  const worker = {
    databaseUrl: database.url,
    temporalAddress: temporal.address,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    batchSize: settings.batch,
    bundlePath: settings.bundle === 'prebuilt' ? bundle.file : undefined,
  }
  console.log(
    `worker: node --import tsx platform/worker.ts (cache ${settings.cache}, workflow bundle: ${settings.bundle}), ` +
      `${n(settings.openJourneys)} journeys to their first wait`,
  )
  const ramp = await phase('the worker ramp', () =>
    runRamp({
      cleanup,
      admin,
      since,
      target: settings.openJourneys,
      worker,
      maxCachedWorkflows: settings.cache,
      holdSeconds: settings.hold,
      postmasterPid: postmaster,
      temporalPid: temporal.pid,
    }),
  )

  let second: Phase<RampResult> | undefined
  if (settings.secondCache > 0) {
    const since2 = (await admin.query<{ now: Date }>('SELECT now() AS now')).rows[0]?.now ?? new Date()
    await seedJourneyLeads(admin, settings.openJourneys + 1, settings.openJourneys)
    console.log(
      `second worker: cache ${settings.secondCache}, ${n(settings.openJourneys)} new journeys ` +
        `(${n(2 * settings.openJourneys)} open on the server)`,
    )
    second = await phase('the second worker ramp', () =>
      runRamp({
        cleanup,
        admin,
        since: since2,
        target: settings.openJourneys,
        worker,
        maxCachedWorkflows: settings.secondCache,
        holdSeconds: settings.hold,
        postmasterPid: postmaster,
        temporalPid: temporal.pid,
      }),
    )
  }

  if (cleanup.signalled) return 1
  printReport({
    info,
    embedded: database.embedded,
    temporalVersion: temporal.version,
    baseline,
    relay,
    ramp,
    second,
    busyBefore,
    seconds: (performance.now() - runStarted) / 1000,
  })
  return baseline.result && relay.result && ramp.result ? 0 : 1
}

function printReport(input: {
  info: Awaited<ReturnType<typeof serverInfo>>
  embedded: boolean
  temporalVersion: string
  baseline: Phase<StartsResult>
  relay: Phase<RelayResult>
  ramp: Phase<RampResult>
  second: Phase<RampResult> | undefined
  busyBefore: number | undefined
  seconds: number
}) {
  const { baseline, relay, ramp, second } = input
  const cpus = os.cpus()
  const s = input.info.settings
  const line = (label: string, text: string) => console.log(`${label.padEnd(24)}${text}`)

  console.log('\n=== Leadwire journey benchmark ===')
  line(
    'machine',
    `${cpus.length} CPUs (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ` +
      `${os.type()} ${os.release()}, node ${process.version}`,
  )
  line('postgres', input.info.version)
  line(
    '',
    `${input.embedded ? 'embedded, fresh' : 'DATABASE_URL'}; fsync ${s['fsync']}, synchronous_commit ${s['synchronous_commit']}`,
  )
  line(
    'temporal',
    `${input.temporalVersion}; dev server (start-dev), SQLite file, namespace ${config.TEMPORAL_NAMESPACE}`,
  )
  line(
    'setup',
    `${n(settings.journeys)} journeys via the relay (batch ${settings.batch}, OUTBOX_DISPATCH_TIMEOUT_MS ` +
      `${config.OUTBOX_DISPATCH_TIMEOUT_MS}), ${n(settings.openJourneys)} open in the worker; run took ` +
      `${(input.seconds / 60).toFixed(1)} min; machine ${pct(input.busyBefore)} busy just before the baseline`,
  )
  console.log('')
  const cpuLine = (label: string, cpu: CpuUsage | undefined) => {
    if (cpu)
      line(
        label,
        `machine ${pct(cpu.machineBusy)} busy; cores used: Temporal ${cores(cpu.api)}, ` +
          `PostgreSQL ${cores(cpu.postgres)}, benchmark process ${cores(cpu.bench)}`,
      )
  }
  if (baseline.result) {
    const b = baseline.result
    line(
      'empty starts',
      `${n(b.count)} in ${b.seconds.toFixed(1)} s; latency p50 ${ms(b.latency.p50)}  p90 ${ms(b.latency.p90)}  ` +
        `p99 ${ms(b.latency.p99)}  max ${ms(b.latency.max)}` +
        (b.failures ? `; ${b.failures} failed: ${b.firstError ?? ''}` : ''),
    )
    cpuLine('  CPU', baseline.cpu)
  }
  if (relay.result) {
    const r = relay.result
    const rd = r.rounds
    line(
      'relay',
      `${n(r.events)} journeys started in ${r.seconds.toFixed(1)} s, ${rd.count} rounds of ~${rate(rd.batch.mean)} events; ` +
        `${r.retried} events retried (max attempts ${r.maxAttempts})`,
    )
    line(
      '  per round (mean/p90)',
      `claim ${ms(rd.claimMs.mean)}/${ms(rd.claimMs.p90)}, the batch's starts ${ms(rd.dispatchMs.mean)}/${ms(rd.dispatchMs.p90)}, ` +
        `mark ${ms(rd.markMs.mean)}/${ms(rd.markMs.p90)}, to next claim ${ms(rd.gapMs.mean)}/${ms(rd.gapMs.p90)}`,
    )
    if (baseline.result) {
      const perBatch = (settings.batch / baseline.result.perSecond) * 1000
      line(
        '',
        `(the baseline does ${settings.batch} starts per ${ms(perBatch)} with a pool that never waits for a batch's slowest start)`,
      )
    }
    cpuLine('  CPU', relay.cpu)
    for (const w of r.warnings.slice(-3)) line('  relay warning', w.slice(0, 300))
  }
  if (ramp.result) printRamp('worker', ramp.result)
  if (second?.result) printRamp('second worker', second.result)
  console.log('')

  const row = (label: string, figure: string, detail: string, target: string) =>
    console.log(`${label.padEnd(38)}${figure.padEnd(12)}${detail.padEnd(56)}${target}`)
  row('measure', 'figure', '', 'target')
  row(
    'empty-workflow starts',
    baseline.result ? `${rate(baseline.result.perSecond)}/s` : 'n/a',
    baseline.result
      ? `${n(baseline.result.count)} starts, ${settings.batch} in flight`
      : (baseline.error ?? ''),
    '(the limit)',
  )
  row(
    'journeys started via relay',
    relay.result ? `${rate(relay.result.perSecond)}/s` : 'n/a',
    relay.result ? `${n(relay.result.events)} outbox events, batch ${settings.batch}` : (relay.error ?? ''),
    '',
  )
  const ratio =
    baseline.result && relay.result ? relay.result.perSecond / baseline.result.perSecond : Number.NaN
  row(
    'ratio',
    Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a',
    'relay starts/s / empty starts/s',
    `>= ${TARGETS.ratio}  ${check(ratio >= TARGETS.ratio)}`,
  )
  const rampRows = (label: string, p: Phase<RampResult>) => {
    const r = p.result
    row(
      `${label}: to first wait`,
      r ? `${r.seconds.toFixed(1)} s` : 'n/a',
      r
        ? `${n(r.target)} journeys, ${rate(r.target / r.seconds)}/s from spawn (${rate(r.steadyPerSecond)}/s after start-up)`
        : (p.error ?? ''),
      '',
    )
    if (!r) return
    const peak = Math.max(r.rss.peakRamp, r.rss.peakHold, r.rss.highWaterMark)
    row(
      `${label}: peak RSS`,
      mib(peak),
      `WORKER_MAX_CACHED_WORKFLOWS ${r.maxCachedWorkflows}`,
      `< 1024 MiB  ${check(peak < TARGETS.peakRssBytes)}`,
    )
    row(
      `${label}: settled RSS`,
      mib(r.rss.settled),
      `${settings.hold} s after all ${n(r.target)} wait on timers`,
      `< 1024 MiB  ${check(r.rss.settled < TARGETS.peakRssBytes)}`,
    )
  }
  rampRows('worker', ramp)
  if (second) rampRows(`worker (cache ${settings.secondCache})`, second)
  console.log(
    `\n(peak RSS = the higher of the 500 ms samples and the kernel's VmHWM of the worker process; ` +
      `${os.cpus().length} cores shared by PostgreSQL, Temporal, the worker and this process)`,
  )
}

/**
 * Cleanup.onSignals, except that a second signal within a second is the same Ctrl-C again:
 * under `npm run` the terminal's SIGINT reaches this process directly and, when it does not
 * confirm within 30 ms (a busy event loop), tsx relays it once more. Exiting on that one
 * would skip the teardown (temp folders left; the exit guard only SIGKILLs the servers).
 */
await runBenchmark(main)
