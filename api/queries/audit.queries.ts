import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { LeadwireError } from '../../platform/errors.js'
import type { ListAuditQuery } from '../schemas/audit.schema.js'
import { cursorError, decodeCursor } from './cursor.js'
import { cursorTime, isStorableInstant, toPage } from './keyset.js'

/** The largest bigint PostgreSQL compares with: a larger cursor id would fail the query (a 500). */
const MAX_BIGINT = 2n ** 63n - 1n

function instantOf(value: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (value === undefined) return undefined
  const at = new Date(value)
  if (isStorableInstant(at.getTime())) return at
  throw new LeadwireError('malformed_request', 400, 'Invalid request querystring.', {
    errors: [
      { pointer: `/querystring/${field}`, message: 'must be a real time between the years 0001 and 9999' },
    ],
  })
}

/** "Older than the cursor" on (at, id), newest first. */
function beforeCursor(raw: string): Prisma.AuditEventWhereInput {
  const c = decodeCursor(raw)
  const at = cursorTime(c.v)
  if (!/^[0-9]{1,19}$/.test(c.id) || BigInt(c.id) > MAX_BIGINT || at === null) throw cursorError()
  return { OR: [{ at: { lt: at } }, { at, id: { lt: BigInt(c.id) } }] }
}

/**
 * The audit trail, newest first, filtered by record, actor, action, request and time: one
 * record's history is entity + entityId, one person's doings is actorId.
 */
export async function listAuditEntries(db: Db, q: ListAuditQuery) {
  const from = instantOf(q.from, 'from')
  const to = instantOf(q.to, 'to')
  const where: Prisma.AuditEventWhereInput = {
    ...(q.entity !== undefined ? { entity: q.entity } : {}),
    ...(q.entityId !== undefined ? { entityId: q.entityId } : {}),
    ...(q.actorId !== undefined ? { actorId: q.actorId } : {}),
    ...(q.action !== undefined ? { action: q.action } : {}),
    ...(q.requestId !== undefined ? { requestId: q.requestId } : {}),
    ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    ...(q.cursor ? { AND: [beforeCursor(q.cursor)] } : {}),
  }
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  })
  return toPage(
    rows.map((e) => ({ ...e, id: e.id.toString() })),
    q.limit,
    (e) => e.at,
    (e) => ({
      id: e.id,
      entity: e.entity,
      entityId: e.entityId,
      action: e.action,
      actorId: e.actorId,
      requestId: e.requestId,
      changes: e.changes as Record<string, { from: unknown; to: unknown }>,
      at: e.at.toISOString(),
    }),
  )
}
