import type { Db } from '../platform/database/prisma.js'
import { Principal } from './principal.js'
import type { RoleBook } from './roles.js'
import { API_KEY_PREFIX, hashToken, SESSION_PREFIX } from './secret-tokens.js'

/*
 * From a presented secret to a principal: an API key (lwk_…) or a console session token
 * (lws_…), looked up by hash. Revoked, expired or idle credentials and deactivated users
 * resolve to nothing; the caller answers 401 without saying which it was.
 */

/** Key and session use times are written at most this often (one write per minute, not per request). */
const TOUCH_EVERY_MS = 60_000

export interface SessionPolicy {
  idleMs: number
}

export async function authenticate(
  db: Db,
  roles: RoleBook,
  secret: string,
  policy: SessionPolicy,
  now: Date,
): Promise<Principal | null> {
  if (secret.length > 200) return null
  const tokenHash = hashToken(secret)
  if (secret.startsWith(API_KEY_PREFIX)) {
    const key = await db.apiKey.findUnique({ where: { keyHash: tokenHash } })
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null
    const user = await activeUser(db, key.userId)
    if (!user) return null
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS)
      await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } })
    return new Principal(
      db,
      user.id,
      await roles.get(user.role),
      { kind: 'api_key', keyId: key.id },
      key.scopes,
    )
  }
  if (secret.startsWith(SESSION_PREFIX)) {
    const session = await db.userSession.findUnique({ where: { tokenHash } })
    if (!session || session.revokedAt || session.expiresAt <= now) return null
    if (now.getTime() - session.lastSeenAt.getTime() > policy.idleMs) return null
    const user = await activeUser(db, session.userId)
    if (!user) return null
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS)
      await db.userSession.update({ where: { id: session.id }, data: { lastSeenAt: now } })
    return new Principal(db, user.id, await roles.get(user.role), { kind: 'session', sessionId: session.id })
  }
  return null
}

async function activeUser(db: Db, id: string) {
  const user = await db.user.findUnique({ where: { id }, select: { id: true, role: true, isActive: true } })
  return user?.isActive ? user : null
}
