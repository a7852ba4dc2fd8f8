import type { Prisma } from '../../../generated/prisma/client.js'
import type { Db } from '../../../platform/database/prisma.js'
import { managesAllKeys, toApiKey } from '../../../security/api-keys.js'
import type { Principal } from '../../../security/principal.js'
import { afterCursor, toPage } from '../../queries/keyset.js'
import type { ListApiKeysQuery } from '../../schemas/api-key.schema.js'

const STATUS: Record<NonNullable<ListApiKeysQuery['status']>, (now: Date) => Prisma.ApiKeyWhereInput> = {
  active: (now) => ({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }),
  expired: (now) => ({ revokedAt: null, expiresAt: { lte: now } }),
  revoked: () => ({ revokedAt: { not: null } }),
}

/**
 * Keys, newest first: everyone's for a caller who manages all keys, otherwise their own
 * (a filter on someone else's id then finds nothing). Never a secret or a hash.
 */
export async function listApiKeys(db: Db, caller: Principal, q: ListApiKeysQuery, now: Date) {
  const userId = managesAllKeys(caller, 'read') ? q.userId : caller.userId
  const where: Prisma.ApiKeyWhereInput = {
    AND: [
      userId ? { userId } : {},
      q.userId && q.userId !== userId ? { userId: q.userId } : {},
      q.status ? STATUS[q.status](now) : {},
      afterCursor(q.cursor, 'createdAt', 'desc', true, 'uuid') ?? {},
    ],
  }
  const rows = await db.apiKey.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  })
  return toPage(
    rows,
    q.limit,
    (k) => k.createdAt,
    (k) => toApiKey(k, now),
  )
}
