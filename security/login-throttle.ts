import type { Db } from '../platform/database/prisma.js'
import { RateLimitedError } from '../platform/errors.js'

/*
 * Password guessing, slowed to a crawl: after `maxFailures` failed sign-ins for one email
 * within 15 minutes (or 20 times that from one address, against spraying many accounts),
 * further attempts are refused before the password is even checked, right or wrong, until
 * the oldest counted failure leaves the window. A success does not wipe the count, so a
 * guesser who also knows one real password cannot reset it.
 *
 * Each attempt is written down as a failure before it is checked and struck off only if it
 * succeeds: a burst of parallel guesses all see each other, so no more than `maxFailures`
 * of them get through the gate, whatever the timing.
 */

export const LOGIN_WINDOW_MS = 15 * 60_000
/** Failures from one address allowed per window, as a multiple of those per email. */
export const PER_ADDRESS_FACTOR = 20
/** Failures are kept a day (for the operator's eyes), then swept. */
const KEEP_MS = 24 * 3_600_000
/** About one attempt in this many sweeps old failures. */
const SWEEP_ONE_IN = 100

export interface LoginAttempt {
  /** The attempt's own failure row, struck off when the sign-in succeeds. */
  id: bigint
}

export async function beginLoginAttempt(
  db: Db,
  who: { subjectHash: string; ip: string },
  maxFailures: number,
  now: Date,
): Promise<LoginAttempt> {
  const { id } = await db.loginFailure.create({
    data: { subjectHash: who.subjectHash, ip: who.ip, at: now },
    select: { id: true },
  })
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS)
  const earlier = { at: { gte: since }, id: { not: id } }
  const perAddress = maxFailures * PER_ADDRESS_FACTOR
  const [bySubject, byAddress] = await Promise.all([
    db.loginFailure.findMany({
      where: { subjectHash: who.subjectHash, ...earlier },
      orderBy: { at: 'desc' },
      take: maxFailures,
      select: { at: true },
    }),
    db.loginFailure.findMany({
      where: { ip: who.ip, ...earlier },
      orderBy: { at: 'desc' },
      take: perAddress,
      select: { at: true },
    }),
  ])
  // The gate reopens when the count drops below the limit: when the limit-th newest
  // failure (the oldest one that counts) leaves the window.
  const reopensAt = [
    bySubject.length >= maxFailures ? bySubject[maxFailures - 1]!.at : null,
    byAddress.length >= perAddress ? byAddress[perAddress - 1]!.at : null,
  ]
    .filter((at): at is Date => at !== null)
    .map((at) => at.getTime() + LOGIN_WINDOW_MS)
  if (reopensAt.length) {
    await db.loginFailure.delete({ where: { id } })
    const seconds = Math.max(1, Math.ceil((Math.max(...reopensAt) - now.getTime()) / 1000))
    throw new RateLimitedError(`Too many failed sign-ins. Try again in ${seconds} seconds.`, seconds)
  }
  if (Math.random() * SWEEP_ONE_IN < 1) await sweepLoginFailures(db, now)
  return { id }
}

/** The attempt succeeded: it was not a failure after all. */
export async function loginSucceeded(db: Pick<Db, 'loginFailure'>, attempt: LoginAttempt): Promise<void> {
  await db.loginFailure.deleteMany({ where: { id: attempt.id } })
}

/** Forgets failures older than a day. */
export async function sweepLoginFailures(db: Db, now: Date): Promise<number> {
  const { count } = await db.loginFailure.deleteMany({
    where: { at: { lt: new Date(now.getTime() - KEEP_MS) } },
  })
  return count
}
