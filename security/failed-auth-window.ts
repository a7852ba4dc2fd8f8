/*
 * Requests refused for a bad credential, counted per client address in one-minute windows
 * (per replica). Authentication runs before the rate limiter, so without this a caller could
 * send made-up keys without limit, each one a database lookup.
 */
const WINDOW_MS = 60_000
/** Addresses tracked at once; past this the oldest windows are dropped. */
const MAX_TRACKED = 10_000

export class FailedAuthWindow {
  private readonly hits = new Map<string, { start: number; count: number }>()

  constructor(private readonly limitPerMinute: number) {}

  /** Seconds to wait when this address is over its budget, else 0. Checked before the lookup. */
  retryAfter(ip: string, now = Date.now()): number {
    const w = this.hits.get(ip)
    if (!w || now - w.start >= WINDOW_MS || w.count < this.limitPerMinute) return 0
    return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000))
  }

  /** Counts one refused credential from this address. */
  record(ip: string, now = Date.now()): void {
    const w = this.hits.get(ip)
    if (w && now - w.start < WINDOW_MS) {
      w.count++
      return
    }
    if (this.hits.size >= MAX_TRACKED) this.hits.delete(this.hits.keys().next().value as string)
    this.hits.set(ip, { start: now, count: 1 })
  }
}
