import type { Static } from 'typebox'
import { slaTicketOf, type TicketRow } from '../../crm/support/ticket-row.js'
import { slaClocks, type SlaClock } from '../../domain/support/sla.rules.js'
import type { TicketPriority, TicketStatus } from '../../domain/support/sla-policy.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { ListTicketsQuery } from '../schemas/ticket.schema.js'
import { afterCursor, toPage } from './keyset.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)
const clock = (c: SlaClock) => ({ ...c, dueAt: new Date(c.dueAt).toISOString() })

/** A ticket as the API shows it, with both SLA clocks read at `now`. */
export function toTicket(t: TicketRow, now: Date) {
  const sla = slaClocks(slaTicketOf(t), now.getTime())
  return {
    id: t.id,
    number: t.number,
    accountId: t.accountId,
    contactId: t.contactId,
    subject: t.subject,
    description: t.description,
    priority: t.priority as TicketPriority,
    status: t.status as TicketStatus,
    channel: t.channel,
    assigneeId: t.assigneeId,
    firstResponseDueAt: t.firstResponseDueAt.toISOString(),
    resolutionDueAt: t.resolutionDueAt.toISOString(),
    firstRespondedAt: iso(t.firstRespondedAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    pendingSince: iso(t.pendingSince),
    pausedSeconds: t.pausedSeconds,
    firstResponseBreachedAt: iso(t.firstResponseBreachedAt),
    resolutionBreachedAt: iso(t.resolutionBreachedAt),
    escalationLevel: t.escalationLevel,
    escalatedAt: iso(t.escalatedAt),
    sla: { firstResponse: clock(sla.firstResponse), resolution: clock(sla.resolution) },
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  }
}

/** One ticket; one outside `visible` is not found. */
export async function getTicket(db: Db, id: string, visible: Prisma.TicketWhereInput, now = new Date()) {
  const row = await db.ticket.findFirst({ where: { AND: [{ id }, visible] } })
  if (!row) throw new NotFoundError('ticket', id)
  return toTicket(row, now)
}

/** Tickets, newest first, keyset-paginated on (createdAt, id); only those within `visible`. */
export async function listTickets(
  db: Db,
  q: Static<typeof ListTicketsQuery>,
  visible: Prisma.TicketWhereInput,
  now = new Date(),
) {
  const where: Prisma.TicketWhereInput = {
    ...(q.accountId ? { accountId: q.accountId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.priority ? { priority: q.priority } : {}),
    ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
    ...(q.breached === true
      ? { OR: [{ firstResponseBreachedAt: { not: null } }, { resolutionBreachedAt: { not: null } }] }
      : {}),
    ...(q.breached === false ? { firstResponseBreachedAt: null, resolutionBreachedAt: null } : {}),
  }
  const after = afterCursor(q.cursor, 'createdAt', 'desc', true, 'uuid')
  const rows = await db.ticket.findMany({
    where: { AND: [visible, where, ...(after ? [after] : [])] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  })
  return toPage(
    rows,
    q.limit,
    (t) => t.createdAt,
    (t) => toTicket(t, now),
  )
}
