import { uuidv7 } from 'uuidv7'
import { changeStatus, isSlaActive, slaDeadlines } from '../../domain/support/sla.rules.js'
import {
  DEFAULT_SLA_POLICY,
  type TicketChannel,
  type TicketPriority,
  type TicketStatus,
} from '../../domain/support/sla-policy.js'
import { recordActivity } from '../../ingestion/activity-log.js'
import { enqueue } from '../../ingestion/outbox/outbox.repository.js'
import { fieldChanges, recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { ConflictError, DomainRuleError, type FieldError } from '../../platform/errors.js'
import { nextDocumentNumberAt } from '../document-numbers.js'
import { lockTicket, slaColumns, slaTicketOf, type TicketRow } from './ticket-row.js'
import { accountInScope } from '../accounts.js'
import { accountChanged } from '../account-changed.js'

/*
 * Support tickets: opened with SLA deadlines from the priority's policy, then responded to,
 * moved through their statuses and re-prioritised. Every write is one transaction with its
 * audit row, its timeline entry and a `ticket.changed` event for the SLA workflow (which
 * re-reads the ticket and re-plans its timers); writes that change how many tickets are
 * open also tell the account, whose health counts them.
 */

export const TICKET_SERIES = 'TKT'

export interface NewTicket {
  accountId: string
  contactId?: string | undefined
  subject: string
  description?: string | undefined
  priority: TicketPriority
  channel: TicketChannel
  assigneeId?: string | undefined
}

/**
 * Refuses references that do not exist (422, pointing at the field); an account outside
 * `accounts` (the caller's row-level access) does not exist for this check.
 */
async function checkReferences(
  tx: Tx,
  refs: { accountId?: string; contactId?: string | undefined; assigneeId?: string | null | undefined },
  accountId: string,
  accounts: Prisma.AccountWhereInput = {},
): Promise<void> {
  const errors: FieldError[] = []
  if (refs.accountId !== undefined) {
    const account = (await accountInScope(tx, refs.accountId, accounts))
      ? await tx.account.findUnique({ where: { id: refs.accountId }, select: { isActive: true } })
      : null
    if (!account) errors.push({ pointer: '/body/accountId', message: 'no such account' })
    else if (!account.isActive)
      errors.push({ pointer: '/body/accountId', message: 'the account is deactivated' })
  }
  if (refs.contactId !== undefined) {
    const contact = await tx.contact.findUnique({
      where: { id: refs.contactId },
      select: { accountId: true },
    })
    if (!contact || contact.accountId !== accountId)
      errors.push({ pointer: '/body/contactId', message: 'no such contact on this account' })
  }
  if (refs.assigneeId) {
    const user = await tx.user.findUnique({ where: { id: refs.assigneeId }, select: { id: true } })
    if (!user) errors.push({ pointer: '/body/assigneeId', message: 'no such user' })
  }
  if (errors.length) throw new DomainRuleError('The ticket refers to records that cannot be used.', errors)
}

function timelineEntry(t: TicketRow, kind: string, subject: string, actorId: string, at: Date, details = {}) {
  return {
    kind,
    direction: 'internal' as const,
    subject,
    details: { ticketId: t.id, number: t.number, ...details },
    accountId: t.accountId,
    contactId: t.contactId,
    occurredAt: at,
    actorId,
  }
}

/**
 * Opens a ticket: number, deadlines, audit, timeline, and the SLA workflow's start event.
 * Only on an account within `accounts` (the caller's row-level access; others read as absent).
 */
export async function openTicket(
  db: Db,
  ctx: WriteContext,
  input: NewTicket,
  now = new Date(),
  accounts: Prisma.AccountWhereInput = {},
) {
  return db.$transaction(async (tx) => {
    await checkReferences(tx, input, input.accountId, accounts)
    const { number } = await nextDocumentNumberAt(tx, TICKET_SERIES, now)
    const deadlines = slaDeadlines(now.getTime(), input.priority, 0, DEFAULT_SLA_POLICY)
    const values = {
      number,
      accountId: input.accountId,
      contactId: input.contactId ?? null,
      subject: input.subject,
      description: input.description ?? null,
      priority: input.priority,
      status: 'new',
      channel: input.channel,
      assigneeId: input.assigneeId ?? null,
      firstResponseDueAt: new Date(deadlines.firstResponseDueAt),
      resolutionDueAt: new Date(deadlines.resolutionDueAt),
    }
    const ticket = await tx.ticket.create({
      data: { id: uuidv7(), ...values, createdAt: now, createdBy: ctx.actor.id, updatedBy: ctx.actor.id },
    })
    await recordAudit(tx, ctx, {
      entity: 'ticket',
      entityId: ticket.id,
      action: 'create',
      changes: fieldChanges(null, values),
    })
    await recordActivity(
      tx,
      timelineEntry(
        ticket,
        'ticket_opened',
        `Ticket ${number} opened (${input.priority})`,
        ctx.actor.id,
        now,
        {
          priority: input.priority,
          channel: input.channel,
        },
      ),
    )
    await enqueue(tx, 'ticket.opened', ticket.id, { ticketId: ticket.id }, ctx.requestId ?? undefined)
    await accountChanged(tx, ctx, ticket.accountId, 'ticket_opened')
    return ticket
  })
}

/** Saves an SLA-relevant change with its audit row, timeline entry and events. */
async function saveChange(
  tx: Tx,
  ctx: WriteContext,
  before: TicketRow,
  data: Parameters<Tx['ticket']['update']>[0]['data'],
  change: { action: string; reason: string; kind: string; subject: string; at: Date; details?: object },
): Promise<TicketRow> {
  const after = await tx.ticket.update({
    where: { id: before.id },
    data: { ...data, updatedBy: ctx.actor.id },
  })
  const changes = fieldChanges(before, data as Record<string, unknown>)
  await recordAudit(tx, ctx, { entity: 'ticket', entityId: before.id, action: change.action, changes })
  await recordActivity(
    tx,
    timelineEntry(after, change.kind, change.subject, ctx.actor.id, change.at, change.details),
  )
  const requestId = ctx.requestId ?? undefined
  await enqueue(tx, 'ticket.changed', before.id, { ticketId: before.id, reason: change.reason }, requestId)
  // Open-ticket counts weigh on the account's health: recompute it when one opens or closes.
  if (isSlaActive(before.status as TicketStatus) !== isSlaActive(after.status as TicketStatus))
    await accountChanged(tx, ctx, after.accountId, change.reason)
  return after
}

/**
 * Records a response to the customer. The first one stops the first-response clock (kept
 * once, never moved by later responses) and opens a new ticket; every response is a
 * timeline entry. A closed ticket takes no responses.
 */
export async function respondToTicket(
  db: Db,
  ctx: WriteContext,
  ticketId: string,
  input: { note?: string | undefined },
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const t = await lockTicket(tx, ticketId)
    if (t.status === 'closed') throw new ConflictError(`Ticket ${t.number} is closed; open a new ticket.`)
    const first = t.firstRespondedAt === null
    const data = {
      ...(first ? { firstRespondedAt: now } : {}),
      ...(t.status === 'new' ? { status: 'open' } : {}),
    }
    return saveChange(tx, ctx, t, data, {
      action: 'respond',
      reason: first ? 'first_response' : 'response',
      kind: 'ticket_response',
      subject: first ? `Ticket ${t.number}: first response` : `Ticket ${t.number}: response`,
      at: now,
      details: { first, ...(input.note ? { note: input.note } : {}) },
    })
  })
}

/**
 * Moves a ticket to open, pending, resolved or closed by the SLA rules (the resolution
 * clock stops while pending or resolved; closed is final, a 409). The same status again is
 * answered with the ticket unchanged.
 */
export async function setTicketStatus(
  db: Db,
  ctx: WriteContext,
  ticketId: string,
  input: { status: Exclude<TicketStatus, 'new'>; note?: string | undefined },
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const t = await lockTicket(tx, ticketId)
    const change = changeStatus(slaTicketOf(t), input.status, now.getTime(), DEFAULT_SLA_POLICY)
    if (!change.ok) throw new ConflictError(`Ticket ${t.number}: ${change.reason}.`)
    if (Object.keys(change.changes).length === 0) return t
    const reopened = t.status === 'resolved' && (input.status === 'open' || input.status === 'pending')
    return saveChange(tx, ctx, t, slaColumns(change.changes), {
      action: 'status_change',
      reason: reopened ? 'reopened' : input.status,
      kind: 'ticket_status',
      subject: `Ticket ${t.number}: ${t.status} → ${input.status}`,
      at: now,
      details: { from: t.status, to: input.status, ...(input.note ? { note: input.note } : {}) },
    })
  })
}

/**
 * Changes the priority (deadlines recomputed from the creation time, paused time kept) and
 * the assignee. A recorded breach stays recorded: it happened under the old priority.
 */
export async function updateTicket(
  db: Db,
  ctx: WriteContext,
  ticketId: string,
  input: { priority?: TicketPriority | undefined; assigneeId?: string | null | undefined },
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const t = await lockTicket(tx, ticketId)
    if (t.status === 'closed') throw new ConflictError(`Ticket ${t.number} is closed; it cannot change.`)
    await checkReferences(tx, { assigneeId: input.assigneeId }, t.accountId)
    const data: Record<string, unknown> = {}
    if (input.priority !== undefined && input.priority !== t.priority) {
      const deadlines = slaDeadlines(
        t.createdAt.getTime(),
        input.priority,
        t.pausedSeconds,
        DEFAULT_SLA_POLICY,
      )
      Object.assign(data, {
        priority: input.priority,
        firstResponseDueAt: new Date(deadlines.firstResponseDueAt),
        resolutionDueAt: new Date(deadlines.resolutionDueAt),
      })
    }
    if (input.assigneeId !== undefined && input.assigneeId !== t.assigneeId)
      data['assigneeId'] = input.assigneeId
    if (Object.keys(data).length === 0) return t
    const reason = data['priority'] ? 'priority_changed' : 'assignee_changed'
    return saveChange(tx, ctx, t, data, {
      action: 'update',
      reason,
      kind: 'ticket_updated',
      subject: data['priority']
        ? `Ticket ${t.number}: priority ${t.priority} → ${input.priority}`
        : `Ticket ${t.number}: reassigned`,
      at: now,
      details: {
        ...(data['priority'] ? { priority: { from: t.priority, to: input.priority } } : {}),
        ...('assigneeId' in data ? { assigneeId: { from: t.assigneeId, to: input.assigneeId } } : {}),
      },
    })
  })
}
