import { uuidv7 } from 'uuidv7'
import type { Db, Tx } from '../platform/database/prisma.js'
import { newSessionToken } from './secret-tokens.js'

/*
 * Console sessions: an opaque token handed out once at sign-in, stored only as its hash,
 * ending at an absolute expiry (SESSION_TTL_HOURS) or after idling (SESSION_IDLE_MINUTES,
 * checked in authenticate.ts), or when revoked: at logout, a password change or reset, or
 * when the person is deactivated.
 */

export interface NewSession {
  id: string
  token: string
  expiresAt: Date
}

export async function createSession(
  tx: Tx,
  userId: string,
  ttlHours: number,
  now: Date,
): Promise<NewSession> {
  const { token, hash } = newSessionToken()
  const id = uuidv7()
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000)
  await tx.userSession.create({
    data: { id, tokenHash: hash, userId, createdAt: now, lastSeenAt: now, expiresAt },
  })
  return { id, token, expiresAt }
}

export async function revokeSession(db: Db | Tx, sessionId: string, now: Date): Promise<void> {
  await db.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } })
}

/** Ends every live session of a person, except `keep` (the one changing its own password). */
export async function revokeSessionsOf(tx: Tx, userId: string, now: Date, keep?: string): Promise<number> {
  const { count } = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now }, ...(keep ? { id: { not: keep } } : {}) },
    data: { revokedAt: now },
  })
  return count
}
