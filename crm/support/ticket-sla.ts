import { dueSlaActions, type SlaTicket } from '../../domain/support/sla.rules.js'
import { DEFAULT_SLA_POLICY } from '../../domain/support/sla-policy.js'
import { recordActivity } from '../../ingestion/activity-log.js'
import { fieldChanges, recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Db } from '../../platform/database/prisma.js'
import { openTaskOnce } from '../tasks.js'
import { lockTicket, slaTicketOf } from './ticket-row.js'
import { accountChanged } from '../account-changed.js'

/*
 * The SLA watcher's writes (called by the ticketSla workflow's activities). Each one locks
 * the ticket and asks the SLA rules again at the workflow's time `at`, so a response that
 * arrived while the workflow slept wins, and a retried or replayed call does nothing twice:
 * a breach is stamped once, an escalation task has a dedupe key, the level only rises.
 */

export const SLA_ACTOR = 'system:support-sla'
/** Where an escalation waits when nobody can be named (no manager, no account owner). */
export const SUPPORT_ESCALATION_QUEUE = 'support-escalations'

const slaContext = (ticketId: string): WriteContext => ({
  actor: { id: SLA_ACTOR },
  requestId: `ticket/${ticketId}`,
})

/** The SLA fields of a ticket (ids and times only: no subject, no customer data), or null. */
export async function loadTicketSla(db: Db, ticketId: string): Promise<SlaTicket | null> {
  const row = await db.ticket.findUnique({ where: { id: ticketId } })
  return row ? slaTicketOf(row) : null
}

export interface BreachResult {
  recorded: boolean
  ticket: SlaTicket
}

/**
 * Stamps a missed deadline once (at the deadline itself, the moment the SLA was missed),
 * with its audit row and timeline entry, and tells the account: a breach lowers its health.
 */
export async function recordTicketBreach(
  db: Db,
  input: { ticketId: string; clock: 'first_response' | 'resolution'; at: number },
): Promise<BreachResult> {
  return db.$transaction(async (tx) => {
    const row = await lockTicket(tx, input.ticketId)
    const t = slaTicketOf(row)
    const due = dueSlaActions(t, input.at, DEFAULT_SLA_POLICY).some(
      (a) => a.kind === 'breach' && a.clock === input.clock,
    )
    if (!due) return { recorded: false, ticket: t }
    const data =
      input.clock === 'first_response'
        ? { firstResponseBreachedAt: row.firstResponseDueAt }
        : { resolutionBreachedAt: row.resolutionDueAt }
    const ctx = slaContext(row.id)
    const after = await tx.ticket.update({ where: { id: row.id }, data: { ...data, updatedBy: SLA_ACTOR } })
    await recordAudit(tx, ctx, {
      entity: 'ticket',
      entityId: row.id,
      action: 'sla_breach',
      changes: fieldChanges(row, data),
    })
    const what = input.clock === 'first_response' ? 'first response' : 'resolution'
    await recordActivity(tx, {
      kind: 'ticket_sla_breached',
      direction: 'internal',
      subject: `Ticket ${row.number}: ${what} SLA missed (${row.priority})`,
      details: { ticketId: row.id, number: row.number, clock: input.clock, dueAt: Object.values(data)[0] },
      accountId: row.accountId,
      contactId: row.contactId,
      occurredAt: new Date(input.at),
      actorId: SLA_ACTOR,
      dedupeKey: `ticket/${row.id}/breach/${input.clock}`,
    })
    await accountChanged(tx, ctx, row.accountId, 'ticket_sla_breached')
    return { recorded: true, ticket: slaTicketOf(after) }
  })
}

export interface EscalationResult {
  escalated: boolean
  taskId: string | null
  assigneeId: string | null
  queue: string | null
}

/**
 * Escalates a ticket to `level` once: level 1 to the assignee's manager, level 2 to the
 * account owner, either to the support-escalations queue when nobody can be named. Opens
 * the escalation task (dedupe key per ticket and level), raises the ticket's level and
 * records both. Nothing happens when the rules no longer call for it (resolved meanwhile).
 */
export async function escalateTicket(
  db: Db,
  input: { ticketId: string; level: 1 | 2; at: number; workflowId: string },
): Promise<EscalationResult> {
  return db.$transaction(async (tx) => {
    const row = await lockTicket(tx, input.ticketId)
    const due = dueSlaActions(slaTicketOf(row), input.at, DEFAULT_SLA_POLICY).some(
      (a) => a.kind === 'escalate' && a.level === input.level,
    )
    const dedupeKey = `ticket/${row.id}/escalation/${input.level}`
    if (!due) {
      const existing = await tx.task.findUnique({ where: { dedupeKey } })
      return {
        escalated: false,
        taskId: existing?.id ?? null,
        assigneeId: existing?.assigneeId ?? null,
        queue: existing?.queue ?? null,
      }
    }
    let assigneeId: string | null = null
    if (input.level === 1 && row.assigneeId) {
      const assignee = await tx.user.findUnique({
        where: { id: row.assigneeId },
        select: { managerId: true },
      })
      assigneeId = assignee?.managerId ?? null
    } else if (input.level === 2) {
      const account = await tx.account.findUnique({ where: { id: row.accountId }, select: { ownerId: true } })
      assigneeId = account?.ownerId ?? null
    }
    const at = new Date(input.at)
    const queue = assigneeId ? null : SUPPORT_ESCALATION_QUEUE
    const reason = input.level === 1 ? 'SLA missed' : 'still unresolved at twice its resolution target'
    const task = await openTaskOnce(tx, {
      kind: 'ticket_escalation',
      title: `Ticket ${row.number} (${row.priority}): ${reason}`,
      leadId: null,
      accountId: row.accountId,
      contactId: row.contactId,
      ticketId: row.id,
      priority: 'high',
      assigneeId,
      queue,
      dueAt: at,
      workflowId: input.workflowId,
      dedupeKey,
      actorId: SLA_ACTOR,
    })
    const data = { escalationLevel: input.level, escalatedAt: at }
    await tx.ticket.update({ where: { id: row.id }, data: { ...data, updatedBy: SLA_ACTOR } })
    const ctx = slaContext(row.id)
    await recordAudit(tx, ctx, {
      entity: 'ticket',
      entityId: row.id,
      action: 'escalate',
      changes: { ...fieldChanges(row, data), escalatedTo: { from: null, to: assigneeId ?? queue } },
    })
    await recordActivity(tx, {
      kind: 'ticket_escalated',
      direction: 'internal',
      subject: `Ticket ${row.number}: escalated (level ${input.level}) to ${assigneeId ?? `the ${queue} queue`}`,
      details: {
        ticketId: row.id,
        number: row.number,
        level: input.level,
        taskId: task.id,
        to: assigneeId,
        queue,
      },
      accountId: row.accountId,
      contactId: row.contactId,
      taskId: task.id,
      occurredAt: at,
      actorId: SLA_ACTOR,
      dedupeKey: `ticket/${row.id}/escalated/${input.level}`,
    })
    return { escalated: true, taskId: task.id, assigneeId, queue }
  })
}
