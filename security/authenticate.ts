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
    // One round trip for the key and its user: this runs on every integration request.
    const [key] = await db.$queryRaw<KeyWithUser[]>`
      SELECT k.id, k.scopes, k.expires_at AS "expiresAt", k.last_used_at AS "lastUsedAt",
             k.revoked_at AS "revokedAt", u.id AS "userId", u.role, u.is_active AS "isActive"
        FROM api_key k JOIN app_user u ON u.id = k.user_id
       WHERE k.key_hash = ${tokenHash}`
    if (!key || key.revokedAt || !key.isActive || (key.expiresAt && key.expiresAt <= now)) return null
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS)
      await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } })
    return new Principal(
      db,
      key.userId,
      await roles.get(key.role),
      { kind: 'api_key', keyId: key.id },
      key.scopes,
    )
  }
  if (secret.startsWith(SESSION_PREFIX)) {
    const [session] = await db.$queryRaw<SessionWithUser[]>`
      SELECT s.id, s.expires_at AS "expiresAt", s.last_seen_at AS "lastSeenAt", s.revoked_at AS "revokedAt",
             u.id AS "userId", u.role, u.is_active AS "isActive"
        FROM user_session s JOIN app_user u ON u.id = s.user_id
       WHERE s.token_hash = ${tokenHash}`
    if (!session || session.revokedAt || !session.isActive || session.expiresAt <= now) return null
    if (now.getTime() - session.lastSeenAt.getTime() > policy.idleMs) return null
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS)
      await db.userSession.update({ where: { id: session.id }, data: { lastSeenAt: now } })
    return new Principal(db, session.userId, await roles.get(session.role), {
      kind: 'session',
      sessionId: session.id,
    })
  }
  return null
}

interface OfUser {
  userId: string
  role: string
  isActive: boolean
}
interface KeyWithUser extends OfUser {
  id: string
  scopes: string[]
  expiresAt: Date | null
  lastUsedAt: Date | null
  revokedAt: Date | null
}
interface SessionWithUser extends OfUser {
  id: string
  expiresAt: Date
  lastSeenAt: Date
  revokedAt: Date | null
}
