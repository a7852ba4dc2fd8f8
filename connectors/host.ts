import type { Logger } from '../platform/logger.js'
import type { ConnectorRuntime } from './runtime.js'
import type { ConnectorListener } from './sdk/connector.js'
import { advisoryLeadership, type Leadership } from './sdk/leadership.js'

export interface ConnectorHost {
  stop(): Promise<void>
}

interface Held {
  id: string
  leadership: Leadership
  listener: ConnectorListener | undefined
  /** The tick running now, if any: the next waits its turn rather than racing it for the lock. */
  ticking: Promise<void> | undefined
}

/**
 * Runs the long-lived listeners (IMAP watch, WhatsApp socket) of the enabled connectors.
 * Each listener runs on one process at a time across every replica: the holder of its
 * advisory lock. The others stand by and retry, so a replica that dies hands over within
 * one retry interval.
 */
export function startConnectorHost(
  runtime: ConnectorRuntime,
  databaseUrl: string,
  log: Logger,
  retryMs = 5_000,
): ConnectorHost {
  const held: Held[] = runtime
    .enabled()
    .filter((c) => c.listener)
    .map((c) => ({
      id: c.manifest.id,
      leadership: advisoryLeadership(databaseUrl, `connector:${c.manifest.id}`),
      listener: undefined,
      ticking: undefined,
    }))
  let stopped = false

  /*
   * One tick per connector at a time. Ticks fire every retryMs whether or not the last one
   * finished; two overlapping ones would each open a lock connection, and the second's
   * failed try would mark the first's lock as not held, stopping a healthy listener.
   */
  const tick = (h: Held) => {
    if (stopped || h.ticking) return
    h.ticking = step(h).finally(() => (h.ticking = undefined))
  }
  const step = async (h: Held) => {
    if (h.listener) {
      if (h.leadership.isHeld()) return
      // The lock's connection dropped, so another replica may take it: stop before it does.
      log.warn({ connector: h.id }, 'connector lost its lock; listener stopped')
      await h.listener.stop().catch(() => undefined)
      h.listener = undefined
    }
    try {
      // Standing by writes nothing: the status row is the lock holder's to report.
      if (!(await h.leadership.tryAcquire())) return
      // stop() came while the lock was being taken: hand it back rather than start a listener nobody will stop.
      if (stopped) return await h.leadership.release()
      const connector = runtime.all.find((c) => c.manifest.id === h.id)!
      const listener = connector.listener!(runtime.context(h.id))
      h.listener = listener
      await listener.start()
      log.info({ connector: h.id }, 'connector listener started')
    } catch (err) {
      log.error({ err, connector: h.id }, 'connector listener failed to start')
      await h.listener?.stop().catch(() => undefined)
      h.listener = undefined
      await h.leadership.release()
      await runtime
        .context(h.id)
        .status.error(err)
        .catch(() => undefined)
    }
  }
  const timer = setInterval(() => {
    for (const h of held) tick(h)
  }, retryMs)
  timer.unref()
  for (const h of held) tick(h)

  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await Promise.allSettled(
        held.map(async (h) => {
          // A tick still taking the lock would otherwise finish after the release below and
          // keep the lock (and a listener) in a stopped host, blocking every other replica.
          await h.ticking
          await h.listener?.stop()
          h.listener = undefined
          await h.leadership.release()
        }),
      )
    },
  }
}
