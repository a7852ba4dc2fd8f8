import type { Db } from '../../platform/database/prisma.js'
import { ForbiddenError, UnauthorizedError } from '../../platform/errors.js'
import { safeEqual } from '../sdk/signatures.js'
import { assertSignedBody } from '../sdk/signed-json.js'
import { bearerToken, hashPartnerKey, partnerKeyId } from './keys.js'

/** The partner behind a verified request. */
export interface AuthenticatedPartner {
  id: string
  keyId: string
  rateLimitPerMinute: number
  /** utm_source for its leads (`partner:<id>` unless the partner has its own). */
  attributionSource: string
  keyLastUsedAt: Date | null
}

export interface PartnerRequest {
  authorization: string | undefined
  signature: string | undefined
  rawBody: Buffer
}

/**
 * Checks a partner request before anything is written: the bearer key (unknown: 401;
 * revoked, or its partner deactivated: 403), then the HMAC of timestamp + raw body made
 * with that same key (missing, malformed, stale or wrong: 401). The signature binds the
 * body and the moment to the key, so a captured request cannot be altered, nor replayed
 * once the tolerance window has passed; within it, the Idempotency-Key makes a replay a
 * no-op.
 */
export async function authenticatePartner(
  db: Db,
  request: PartnerRequest,
  now: Date,
): Promise<AuthenticatedPartner> {
  const key = bearerToken(request.authorization)
  if (!key) throw new UnauthorizedError('Send your partner key as `Authorization: Bearer lwp_...`.')
  const keyId = partnerKeyId(key)
  const hash = hashPartnerKey(key)
  const row = keyId
    ? await db.partnerKey.findUnique({ where: { keyHash: hash }, include: { partner: true } })
    : null
  // Looked up by hash: the index probe's timing tells a caller nothing about the secret.
  // The constant-time compare is belt and braces should the lookup ever change.
  if (!row || !safeEqual(row.keyHash, hash) || row.id !== keyId) {
    throw new UnauthorizedError('The partner key is not known.')
  }
  if (row.revokedAt) throw new ForbiddenError(`Partner key ${row.id} was revoked.`)
  if (!row.partner.isActive) throw new ForbiddenError(`Partner ${row.partnerId} is not active.`)

  assertSignedBody(key, request.rawBody, request.signature, now)

  return {
    id: row.partner.id,
    keyId: row.id,
    rateLimitPerMinute: row.partner.rateLimitPerMinute,
    attributionSource: row.partner.attributionSource ?? `partner:${row.partner.id}`,
    keyLastUsedAt: row.lastUsedAt,
  }
}

const LAST_USED_RESOLUTION_MS = 60_000

/**
 * Records that a key was used, at most once a minute per key: a busy key must not turn
 * every request into a write. Conditional, so concurrent requests on one key write once.
 */
export async function markKeyUsed(db: Db, partner: AuthenticatedPartner, now: Date): Promise<void> {
  const last = partner.keyLastUsedAt
  if (last && now.getTime() - last.getTime() < LAST_USED_RESOLUTION_MS) return
  await db.partnerKey.updateMany({
    where: {
      id: partner.keyId,
      OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }],
    },
    data: { lastUsedAt: now },
  })
}
