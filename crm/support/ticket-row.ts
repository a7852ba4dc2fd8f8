import type { SlaTicket } from '../../domain/support/sla.rules.js'
import type { TicketPriority, TicketStatus } from '../../domain/support/sla-policy.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'

/*
 * The ticket row as stored, and its SLA fields as the pure rules read them.
 */

export type TicketRow = Awaited<ReturnType<Db['ticket']['findFirstOrThrow']>>

const ms = (d: Date | null) => (d ? d.getTime() : null)

/** The SLA view of a stored ticket (epoch milliseconds). */
export function slaTicketOf(row: TicketRow): SlaTicket {
  return {
    priority: row.priority as TicketPriority,
    status: row.status as TicketStatus,
    createdAt: row.createdAt.getTime(),
    firstRespondedAt: ms(row.firstRespondedAt),
    resolvedAt: ms(row.resolvedAt),
    closedAt: ms(row.closedAt),
    pendingSince: ms(row.pendingSince),
    pausedSeconds: row.pausedSeconds,
    firstResponseDueAt: row.firstResponseDueAt.getTime(),
    resolutionDueAt: row.resolutionDueAt.getTime(),
    firstResponseBreachedAt: ms(row.firstResponseBreachedAt),
    resolutionBreachedAt: ms(row.resolutionBreachedAt),
    escalationLevel: row.escalationLevel,
  }
}

/** Stored values for SLA fields the rules changed (epoch milliseconds back to Dates). */
export function slaColumns(changes: Partial<SlaTicket>) {
  const at = (v: number | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v))
  return {
    status: changes.status,
    pausedSeconds: changes.pausedSeconds,
    pendingSince: at(changes.pendingSince),
    resolvedAt: at(changes.resolvedAt),
    closedAt: at(changes.closedAt),
    firstResponseDueAt: at(changes.firstResponseDueAt) ?? undefined,
    resolutionDueAt: at(changes.resolutionDueAt) ?? undefined,
    priority: changes.priority,
  }
}

/** Reads a ticket with its row locked until the transaction ends: writers take turns. */
export async function lockTicket(tx: Tx, ticketId: string): Promise<TicketRow> {
  await tx.$queryRaw`SELECT id FROM ticket WHERE id = ${ticketId}::uuid FOR UPDATE`
  const row = await tx.ticket.findUnique({ where: { id: ticketId } })
  if (!row) throw new NotFoundError('ticket', ticketId)
  return row
}
