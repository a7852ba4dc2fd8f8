import pg from 'pg'
import type { Logger } from 'pino'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/database/prisma.js'
import { dispatch, type DispatchContext } from './dispatch.js'
import { claimDue, markDispatched, markFailed } from './outbox.repository.js'

export interface RelayOptions {
  db: Db
  /** A plain connection string for LISTEN (Prisma's pool cannot hold a listening session). */
  databaseUrl: string
  dispatch: Omit<DispatchContext, 'timeoutMs'>
  dispatchTimeoutMs: number
  log: Logger
  batchSize: number
  leaseMs: number
  pollIntervalMs: number
  maxBackoffMs: number
}

/** The relay's tuning, from configuration. */
export function relaySettings(
  config: Config,
): Pick<RelayOptions, 'batchSize' | 'leaseMs' | 'pollIntervalMs' | 'maxBackoffMs' | 'dispatchTimeoutMs'> {
  return {
    dispatchTimeoutMs: config.OUTBOX_DISPATCH_TIMEOUT_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
    leaseMs: config.OUTBOX_LEASE_MS,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
  }
}

export interface RelayRound {
  claimed: number
  dispatched: number
  failed: number
}

/** Exponential backoff with jitter: many relays retrying a down Temporal do not stampede it. */
export function retryDelayMs(attempts: number, maxBackoffMs: number): number {
  const base = Math.min(maxBackoffMs, 500 * 2 ** Math.max(0, attempts - 1))
  return Math.round(base / 2 + Math.random() * (base / 2))
}

/**
 * Moves outbox events to Temporal. Wakes on NOTIFY from the outbox trigger, and polls as a
 * fallback (missed notifications, retries coming due). Any number of relays may run.
 */
export class OutboxRelay {
  private running = false
  private wake: (() => void) | undefined
  /** A notification arrived while a round was running: go again without sleeping. */
  private notified = false
  private listener: pg.Client | undefined
  private relistenTimer: NodeJS.Timeout | undefined
  private loop: Promise<void> | undefined
  private readonly dispatchContext: DispatchContext

  constructor(private readonly options: RelayOptions) {
    this.dispatchContext = { ...options.dispatch, timeoutMs: options.dispatchTimeoutMs }
  }

  /** True while a LISTEN session is open (for health output and tests). */
  get listening(): boolean {
    return this.listener !== undefined
  }

  /** One claim-dispatch-mark round. */
  async runOnce(): Promise<RelayRound> {
    const { db, batchSize, leaseMs, maxBackoffMs, log } = this.options
    const events = await claimDue(db, batchSize, leaseMs)
    if (events.length === 0) return { claimed: 0, dispatched: 0, failed: 0 }
    const results = await Promise.allSettled(events.map((e) => dispatch(e, this.dispatchContext)))
    const done: bigint[] = []
    let failed = 0
    await Promise.all(
      results.map(async (r, i) => {
        const event = events[i]!
        if (r.status === 'fulfilled') {
          done.push(event.id)
          return
        }
        failed++
        const reason = r.reason instanceof Error ? r.reason.message : String(r.reason)
        const delay = retryDelayMs(event.attempts, maxBackoffMs)
        log.warn(
          {
            outboxId: String(event.id),
            topic: event.topic,
            attempts: event.attempts,
            retryInMs: delay,
            reason,
          },
          'outbox dispatch failed',
        )
        await markFailed(db, event.id, reason, delay)
      }),
    )
    await markDispatched(db, done)
    return { claimed: events.length, dispatched: done.length, failed }
  }

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    await this.listen()
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.running = false
    clearTimeout(this.relistenTimer)
    this.wake?.()
    await this.loop
    const listener = this.listener
    this.listener = undefined
    await listener?.end().catch(() => undefined)
  }

  /**
   * Holds a LISTEN session for the outbox trigger's notifications. When it drops (a database
   * restart, a failover), polling carries on and the session is re-opened with backoff; a
   * notification missed meanwhile is caught by the next poll, and the wake after a reconnect
   * catches anything that arrived in between.
   */
  private async listen(attempt = 0): Promise<void> {
    if (!this.running) return
    const client = new pg.Client({ connectionString: this.options.databaseUrl })
    let lost = false
    const relisten = (reason: string) => {
      if (lost) return
      lost = true
      if (this.listener === client) this.listener = undefined
      client.end().catch(() => undefined)
      if (!this.running) return
      const delay = Math.min(30_000, 500 * 2 ** attempt)
      this.options.log.warn(
        { reason, retryInMs: delay },
        'outbox LISTEN session lost; polling until it is back',
      )
      this.relistenTimer = setTimeout(() => void this.listen(Math.min(attempt + 1, 6)), delay)
    }
    client.on('notification', () => {
      this.notified = true
      this.wake?.()
    })
    client.on('error', (err) => relisten(err.message))
    client.on('end', () => relisten('connection ended'))
    try {
      await client.connect()
      await client.query('LISTEN outbox_event')
      if (!this.running || lost) {
        await client.end().catch(() => undefined)
        return
      }
      this.listener = client
      // Events may have arrived while the session was down: look now.
      this.notified = true
      this.wake?.()
    } catch (err) {
      relisten((err as Error).message)
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let round: RelayRound = { claimed: 0, dispatched: 0, failed: 0 }
      this.notified = false
      try {
        round = await this.runOnce()
      } catch (err) {
        this.options.log.error({ err: (err as Error).message }, 'outbox relay round failed')
      }
      // A full batch means more is waiting: go again at once.
      if ((round.claimed === this.options.batchSize || this.notified) && round.failed === 0) continue
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollIntervalMs)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = undefined
    }
  }
}
