import type { Db } from '../../platform/database/prisma.js'
import { RateLimitedError } from '../../platform/errors.js'

export interface RateLimitResult {
  allowed: boolean
  /** Requests left in the current window (0 when refused). */
  remaining: number
  /** Seconds until the window resets. */
  retryAfter: number
}

/**
 * A fixed one-minute window per bucket ("form:<id>:<ip>", "partner:<id>"), counted in
 * PostgreSQL so every API replica shares it: one upsert per request, no read before it.
 * Old windows are swept after every hundredth hit in this process.
 */
let hitsSinceSweep = 0

export async function hitRateLimit(
  db: Db,
  bucket: string,
  limitPerMinute: number,
  now: Date,
): Promise<RateLimitResult> {
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000)
  const [row] = await db.$queryRaw<{ hits: number }[]>`
    INSERT INTO rate_limit_window (bucket, window_start, hits) VALUES (${bucket}, ${windowStart}, 1)
    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_window.hits + 1
    RETURNING hits`
  const hits = row?.hits ?? 1
  const retryAfter = Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000)
  // Counted per process, not per bucket: a bucket's first hit in each window (every new
  // visitor's IP) would otherwise sweep on nearly every form post.
  if (++hitsSinceSweep >= 100) {
    hitsSinceSweep = 0
    await db.$executeRaw`DELETE FROM rate_limit_window WHERE window_start < ${new Date(windowStart.getTime() - 120_000)}`
  }
  return { allowed: hits <= limitPerMinute, remaining: Math.max(0, limitPerMinute - hits), retryAfter }
}

/** Counts a hit and refuses it past the limit: 429 with Retry-After and `message`. */
export async function enforceRateLimit(
  db: Db,
  bucket: string,
  limitPerMinute: number,
  now: Date,
  message: string,
): Promise<void> {
  const limit = await hitRateLimit(db, bucket, limitPerMinute, now)
  if (!limit.allowed) throw new RateLimitedError(message, limit.retryAfter)
}
