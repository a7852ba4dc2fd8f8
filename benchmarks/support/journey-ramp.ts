import type pg from 'pg'
import type { Cleanup } from './cleanup.js'
import { CpuMeter, type CpuUsage } from './cpu.js'
import { BENCH_CREATED_BY } from './journey-seed.js'
import { mib, RssSampler, startWorkerProcess, type RssSample } from './journey-worker-process.js'

/*
 * One worker process taking `target` journeys (started by the outbox relay: the benchmark's
 * earlier relay run, and the worker's own relay) to their first wait, then idling on their
 * timers while its memory is sampled.
 *
 * A journey has reached its first wait when its lead shows journey_started_at and
 * journey_stage = 'Nurturing' (the journey's first activities: context loaded, start and
 * stage recorded) and its welcome email (due at once) is settled in outbound_message; the
 * journey then sleeps on a timer until the next step, a day later.
 */

export interface RampOptions {
  cleanup: Cleanup
  admin: pg.Pool
  /** Leads created since then by the benchmark are this ramp's cohort. */
  since: Date
  target: number
  worker: Omit<Parameters<typeof startWorkerProcess>[0], 'maxCachedWorkflows'>
  maxCachedWorkflows: number
  /** Seconds to keep sampling once every journey waits. */
  holdSeconds: number
  postmasterPid: number | undefined
  temporalPid: number | undefined
  /** Fails the run when no journey makes progress for this long. */
  stallMs?: number
}

export interface RampResult {
  target: number
  maxCachedWorkflows: number
  /** Spawn until every journey waits (worker start-up included). */
  seconds: number
  /** Spawn until the first journey recorded its start. */
  startupSeconds: number
  /** Journeys per second from the first recorded start to the last first wait. */
  steadyPerSecond: number
  counts: Counts
  rss: {
    atFirstJourney: number
    peakRamp: number
    atAllWaiting: number
    peakHold: number
    minHold: number
    settled: number
    /** The worker's VmHWM: the peak the kernel saw, between samples too. */
    highWaterMark: number
    processes: number
    /** The process tree at the highest sample. */
    peakBreakdown: string
    /** RSS as the count of waiting journeys passed checkpoints (the cache size, a quarter, half, all). */
    byWaiting: { waiting: number; rss: number }[]
    samples: RssSample[]
  }
  cpu: { worker: CpuUsage; temporal: CpuUsage }
  workerOutput: string
}

interface Counts {
  started: number
  nurturing: number
  firstSends: number
  dispatched: number
}

async function countProgress(admin: pg.Pool, since: Date): Promise<Counts> {
  const [leads, sends, outbox] = await Promise.all([
    admin.query<{ started: number; nurturing: number }>(
      `SELECT count(*) FILTER (WHERE journey_started_at IS NOT NULL)::int AS started,
              count(*) FILTER (WHERE journey_started_at IS NOT NULL AND journey_stage = 'Nurturing')::int AS nurturing
         FROM lead WHERE created_at >= $1 AND created_by = $2`,
      [since, BENCH_CREATED_BY],
    ),
    admin.query<{ n: number }>(
      `SELECT count(DISTINCT m.lead_id)::int AS n
         FROM outbound_message m JOIN lead l ON l.id = m.lead_id
        WHERE m.created_at >= $1 AND l.created_at >= $1 AND l.created_by = $2
          AND m.status NOT IN ('pending', 'sending')`,
      [since, BENCH_CREATED_BY],
    ),
    admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_event
        WHERE created_at >= $1 AND topic = 'lead.captured' AND dispatched_at IS NOT NULL`,
      [since],
    ),
  ])
  return {
    started: leads.rows[0]?.started ?? 0,
    nurturing: leads.rows[0]?.nurturing ?? 0,
    firstSends: sends.rows[0]?.n ?? 0,
    dispatched: outbox.rows[0]?.n ?? 0,
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function runRamp(options: RampOptions): Promise<RampResult> {
  const { admin, since, target } = options
  const worker = startWorkerProcess({ ...options.worker, maxCachedWorkflows: options.maxCachedWorkflows })
  options.cleanup.add('stop the worker', () => worker.stop())
  const sampler = new RssSampler(worker.pid, 500)
  const workerCpu = new CpuMeter(worker.pid, options.postmasterPid)
  const temporalCpu = new CpuMeter(options.temporalPid, undefined)
  const cpuStart = { worker: workerCpu.snapshot(), temporal: temporalCpu.snapshot() }
  const stallMs = options.stallMs ?? 120_000
  const lastOutput = () => {
    const lines = worker.output().trim().split('\n').filter(Boolean)
    return lines.length ? `; its last output:\n${lines.slice(-30).join('\n')}` : ' (it wrote nothing)'
  }
  const died = () => {
    const exit = worker.exit()
    if (exit === undefined) return
    throw new Error(
      `the worker process exited (${exit}) ${(sampler.elapsedMs / 1000).toFixed(1)} s after it was spawned` +
        lastOutput(),
    )
  }
  try {
    let counts: Counts = { started: 0, nurturing: 0, firstSends: 0, dispatched: 0 }
    let firstJourneyMs: number | undefined
    let rssAtFirst = 0
    let lastChange = performance.now()
    let lastPrint = 0
    const checkpoints = [
      ...new Set([options.maxCachedWorkflows, target / 4, target / 2, target].map(Math.round)),
    ]
      .filter((c) => c > 0 && c <= target)
      .sort((a, b) => a - b)
    const byWaiting: { waiting: number; rss: number }[] = []
    const key = (c: Counts) => `${c.started}/${c.nurturing}/${c.firstSends}/${c.dispatched}`
    for (;;) {
      await sleep(500)
      if (options.cleanup.signalled) throw new Error('interrupted')
      died()
      const next = await countProgress(admin, since)
      if (key(next) !== key(counts)) lastChange = performance.now()
      counts = next
      if (firstJourneyMs === undefined && counts.started > 0) {
        firstJourneyMs = sampler.elapsedMs
        rssAtFirst = sampler.current
      }
      for (const c of checkpoints)
        if (counts.firstSends >= c && !byWaiting.some((b) => b.waiting === c))
          byWaiting.push({ waiting: c, rss: sampler.current })
      const done = counts.nurturing >= target && counts.firstSends >= target
      if (done || sampler.elapsedMs - lastPrint >= 5000) {
        lastPrint = sampler.elapsedMs
        console.log(
          `  ${(sampler.elapsedMs / 1000).toFixed(1).padStart(6)} s  dispatched ${counts.dispatched.toLocaleString()}` +
            `  started ${counts.started.toLocaleString()}  nurturing ${counts.nurturing.toLocaleString()}` +
            `  first email ${counts.firstSends.toLocaleString()} / ${target.toLocaleString()}` +
            `  worker RSS ${mib(sampler.current)}`,
        )
      }
      if (done) break
      if (performance.now() - lastChange > stallMs)
        throw new Error(
          `no journey made progress for ${stallMs / 1000} s (${key(counts)} started/nurturing/first email/dispatched ` +
            `of ${target})` +
            (counts.nurturing >= target
              ? ': all are Nurturing, but not every first email settled (is a journey policy active whose ' +
                'first step is not due at once?)'
              : '') +
            lastOutput(),
        )
    }
    const rampMs = sampler.elapsedMs
    sampler.sample()
    const atAllWaiting = sampler.current
    const peakRamp = sampler.peak()
    const cpu = { worker: workerCpu.since(cpuStart.worker), temporal: temporalCpu.since(cpuStart.temporal) }
    console.log(`  every journey waits on a timer: sampling the worker for ${options.holdSeconds} s more`)
    const holdFrom = sampler.elapsedMs
    await sleep(options.holdSeconds * 1000)
    died()
    sampler.sample()
    const hold = sampler.samples.filter((s) => s.at >= holdFrom)
    const first = firstJourneyMs ?? rampMs
    return {
      target,
      maxCachedWorkflows: options.maxCachedWorkflows,
      seconds: rampMs / 1000,
      startupSeconds: first / 1000,
      steadyPerSecond: target / Math.max(0.001, (rampMs - first) / 1000),
      counts,
      rss: {
        atFirstJourney: rssAtFirst,
        peakRamp,
        atAllWaiting,
        peakHold: hold.reduce((m, s) => Math.max(m, s.rss), 0),
        minHold: hold.reduce((m, s) => Math.min(m, s.rss), Number.POSITIVE_INFINITY),
        settled: sampler.current,
        highWaterMark: sampler.highWaterMark,
        processes: sampler.processes,
        peakBreakdown: sampler.peakBreakdown,
        byWaiting,
        samples: sampler.samples,
      },
      cpu,
      workerOutput: worker.output(),
    }
  } finally {
    sampler.stop()
    await worker.stop()
  }
}
