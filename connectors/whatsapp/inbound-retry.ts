import { LeadwireError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { reconnectDelay } from './backoff.js'
import { handleWhatsAppMessage, type InboundOutcome } from './inbound.js'
import type { WAMessage } from './transport.js'

export interface InboundRetryPolicy {
  /** Tries in all, the first included. */
  attempts: number
  /** First pause (doubling, with jitter, up to maxMs). */
  baseMs: number
  maxMs: number
}

export const DEFAULT_INBOUND_RETRY: InboundRetryPolicy = { attempts: 8, baseMs: 250, maxMs: 10_000 }

/** A rule said no (a 4xx such as an invalid number): the same message would be refused again. */
const isRefusal = (err: unknown) =>
  err instanceof LeadwireError &&
  err.status >= 400 &&
  err.status < 500 &&
  err.status !== 429 &&
  err.options.retryable !== true

/**
 * One person's message, tried until it is handled. Baileys acknowledges a message to
 * WhatsApp when it hands it over, so WhatsApp will not send it again: a failure that may
 * pass (the database busy or away) is tried again here rather than dropped. Another try is
 * safe whatever the last one did: the delivery ledger answers it with the first outcome
 * that committed, and counts it as a duplicate only then.
 */
export async function handleWithRetries(
  ctx: ConnectorContext,
  message: WAMessage,
  options: {
    policy?: Partial<InboundRetryPolicy>
    /** Waits between tries (the listener's ends early when it stops). */
    pause?: (ms: number) => Promise<void>
    /** True once the listener stops: no more tries. */
    stopped?: () => boolean
    random?: () => number
    onRetry?: (err: unknown, attempt: number) => void
  } = {},
): Promise<InboundOutcome> {
  const policy = { ...DEFAULT_INBOUND_RETRY, ...options.policy }
  const pause = options.pause ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const stopped = options.stopped ?? (() => false)
  for (let attempt = 0; ; attempt++) {
    try {
      return await handleWhatsAppMessage(ctx, message)
    } catch (err) {
      if (stopped() || isRefusal(err) || attempt + 1 >= policy.attempts) throw err
      options.onRetry?.(err, attempt + 1)
      await pause(reconnectDelay(attempt, { ...policy, stableMs: 0 }, options.random))
      if (stopped()) throw err
    }
  }
}
