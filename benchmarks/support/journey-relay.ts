import { Writable } from 'node:stream'
import type { Client } from '@temporalio/client'
import type pg from 'pg'
import { pino } from 'pino'
import { OutboxRelay, relaySettings } from '../../ingestion/outbox/relay.js'
import type { Config } from '../../platform/config.js'
import { createPrisma, type Db } from '../../platform/database/prisma.js'
import type { SeededEvents } from './journey-seed.js'
import { summarise, type Latency } from './stats.js'

/*
 * The project's OutboxRelay, as the worker runs it (relaySettings(config), LISTEN/NOTIFY,
 * claim-dispatch-mark rounds), in this process, timed from start() until the last of the
 * seeded events has dispatched_at set. Its database client is wrapped to time the claim
 * query and the mark, so a round splits into claim / dispatch (the batch's starts) / mark.
 */

interface Span {
  start: number
  end: number
  rows: number
}

/** Times `$queryRaw` (the claim: the relay's only raw query) and outboxEvent.updateMany (the mark). */
function instrument(db: Db, claims: Span[], marks: Span[]): Db {
  const timed =
    (fn: (...args: unknown[]) => PromiseLike<unknown>, into: Span[], rows: (r: unknown) => number) =>
    async (...args: unknown[]) => {
      const start = performance.now()
      const result = await fn(...args)
      into.push({ start, end: performance.now(), rows: rows(result) })
      return result
    }
  const bind = (target: object, prop: string | symbol) => {
    const value = Reflect.get(target, prop) as unknown
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
  }
  const outbox = new Proxy(db.outboxEvent, {
    get: (target, prop) =>
      prop === 'updateMany'
        ? timed(target.updateMany.bind(target) as never, marks, (r) => (r as { count: number }).count)
        : bind(target, prop),
  })
  return new Proxy(db, {
    get: (target, prop) => {
      if (prop === '$queryRaw')
        return timed(target.$queryRaw.bind(target) as never, claims, (r) => (r as unknown[]).length)
      if (prop === 'outboxEvent') return outbox
      return bind(target, prop)
    },
  })
}

export interface RelayRounds {
  /** Rounds that claimed at least one event. */
  count: number
  claimMs: Latency
  /** From the claim's answer to the mark: the batch's starts, in parallel (the slowest one). */
  dispatchMs: Latency
  markMs: Latency
  /** From a mark's answer to the next claim (the loop, waits for NOTIFY/poll). */
  gapMs: Latency
  /** Events per round. */
  batch: Latency
}

export interface RelayResult {
  events: number
  seconds: number
  perSecond: number
  rounds: RelayRounds
  /** Events that needed more than one attempt (a dispatch failed or timed out). */
  retried: number
  maxAttempts: number
  /** Warnings the relay logged (failed dispatches), last ones. */
  warnings: string[]
}

function roundsOf(claims: Span[], marks: Span[]): RelayRounds {
  const real = claims.filter((c) => c.rows > 0)
  const claimMs: number[] = []
  const dispatchMs: number[] = []
  const markMs: number[] = []
  const gapMs: number[] = []
  real.forEach((claim, i) => {
    const nextClaim = real[i + 1]?.start ?? Number.POSITIVE_INFINITY
    const mark = marks.find((m) => m.start >= claim.end && m.start < nextClaim)
    claimMs.push(claim.end - claim.start)
    if (!mark) return
    dispatchMs.push(mark.start - claim.end)
    markMs.push(mark.end - mark.start)
    if (Number.isFinite(nextClaim)) gapMs.push(nextClaim - mark.end)
  })
  return {
    count: real.length,
    claimMs: summarise(claimMs),
    dispatchMs: summarise(dispatchMs),
    markMs: summarise(markMs),
    gapMs: summarise(gapMs),
    batch: summarise(real.map((c) => c.rows)),
  }
}

/** A pino logger that keeps the relay's warnings (failed dispatches) instead of printing each. */
function collectingLogger(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString().trim())
      if (lines.length > 20) lines.shift()
      done()
    },
  })
  return pino({ level: 'warn', base: { component: 'outbox-relay' } }, sink)
}

export async function measureRelay(options: {
  config: Config
  databaseUrl: string
  temporal: Client
  taskQueue: string
  admin: pg.Pool
  events: SeededEvents
  /** Fails the run when no event is dispatched for this long. */
  stallMs?: number
}): Promise<RelayResult> {
  const { config, admin, events } = options
  const claims: Span[] = []
  const marks: Span[] = []
  const warnings: string[] = []
  const prisma = createPrisma(options.databaseUrl, config.DATABASE_POOL_MAX)
  try {
    // Open the pool and load the client before the clock starts, as a running worker has.
    await prisma.$queryRaw`SELECT 1`
    const relay = new OutboxRelay({
      db: instrument(prisma, claims, marks),
      databaseUrl: options.databaseUrl,
      dispatch: { temporal: options.temporal, taskQueue: options.taskQueue },
      log: collectingLogger(warnings),
      ...relaySettings(config),
    })
    const startedAt = Date.now()
    const started = performance.now()
    await relay.start()
    let pending = events.count
    let lastChange = performance.now()
    let lastPrint = performance.now()
    let last: Date | null = null
    try {
      while (pending > 0) {
        await new Promise((r) => setTimeout(r, 100))
        const row = (
          await admin.query<{ pending: number; last: Date | null }>(
            `SELECT count(*) FILTER (WHERE dispatched_at IS NULL)::int AS pending, max(dispatched_at) AS last
               FROM outbox_event WHERE id BETWEEN $1 AND $2`,
            [events.lo, events.hi],
          )
        ).rows[0]
        const now = performance.now()
        if (row && row.pending !== pending) lastChange = now
        pending = row?.pending ?? pending
        last = row?.last ?? null
        if (now - lastPrint >= 2000) {
          lastPrint = now
          console.log(
            `  ${(events.count - pending).toLocaleString()}/${events.count.toLocaleString()} dispatched  ` +
              `${((now - started) / 1000).toFixed(1)} s`,
          )
        }
        if (now - lastChange > (options.stallMs ?? 60_000))
          throw new Error(
            `the relay dispatched nothing for ${((options.stallMs ?? 60_000) / 1000).toFixed(0)} s ` +
              `(${pending} of ${events.count} events pending); its last warnings:\n${warnings.join('\n')}`,
          )
      }
    } finally {
      await relay.stop()
    }
    // dispatched_at is the relay's own clock (markDispatched's new Date()): exact to the ms.
    const seconds = Math.max(1, (last?.getTime() ?? Date.now()) - startedAt) / 1000
    const attempts = (
      await admin.query<{ retried: number; max: number }>(
        `SELECT count(*) FILTER (WHERE attempts > 1)::int AS retried, max(attempts)::int AS max
           FROM outbox_event WHERE id BETWEEN $1 AND $2`,
        [events.lo, events.hi],
      )
    ).rows[0]
    return {
      events: events.count,
      seconds,
      perSecond: events.count / seconds,
      rounds: roundsOf(claims, marks),
      retried: attempts?.retried ?? 0,
      maxAttempts: attempts?.max ?? 0,
      warnings,
    }
  } finally {
    await prisma.$disconnect()
  }
}
