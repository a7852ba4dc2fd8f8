export interface BackoffPolicy {
  /** First pause. */
  baseMs: number
  /** Longest pause. */
  maxMs: number
  /** A connection that stays open this long resets the pauses to `baseMs`. */
  stableMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, stableMs: 60_000 }

/**
 * The pause before reconnect attempt `attempt` (0-based): doubling from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so replicas that lost WhatsApp at
 * the same moment do not come back in step
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function reconnectDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
