import type { TaskRow } from '../../crm/tasks.js'
import { localDate, startOfLocalDay } from '../../domain/reports/local-day.rules.js'
import { addDays } from '../../domain/reports/period.rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { Principal } from '../../security/principal.js'
import { taskWhere } from '../../security/visibility.js'
import type { ListTasksQuery } from '../schemas/task.schema.js'
import { afterCursor, toPage } from './keyset.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** The lead a task concerns, by name: an inbox shows who to call without a read per row. */
const LEAD_NAME = { lead: { select: { firstName: true, lastName: true } } } as const
type LeadName = { firstName: string | null; lastName: string | null } | null

function leadNameOf(lead: LeadName | undefined): string | null {
  const name = [lead?.firstName, lead?.lastName].filter(Boolean).join(' ')
  return name || null
}

export function toTask(t: TaskRow & { lead?: LeadName }, now: Date) {
  const open = t.status === 'open'
  return {
    id: t.id,
    kind: t.kind,
    title: t.title,
    description: t.description,
    status: t.status as 'open' | 'done',
    priority: t.priority,
    leadId: t.leadId,
    leadName: leadNameOf(t.lead),
    accountId: t.accountId,
    contactId: t.contactId,
    opportunityId: t.opportunityId,
    ticketId: t.ticketId,
    invoiceId: t.invoiceId,
    contractId: t.contractId,
    assigneeId: t.assigneeId,
    queue: t.queue,
    dueAt: t.dueAt.toISOString(),
    overdue: open && t.dueAt < now,
    snoozedUntil: iso(t.snoozedUntil),
    snoozed: open && t.snoozedUntil !== null && t.snoozedUntil > now,
    escalatedAt: iso(t.escalatedAt),
    escalatedToId: t.escalatedToId,
    parentTaskId: t.parentTaskId,
    workflowId: t.workflowId,
    completedAt: iso(t.completedAt),
    completedBy: t.completedBy,
    outcome: t.outcome,
    note: t.note,
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy,
    updatedAt: t.updatedAt.toISOString(),
  }
}

/** The inbox's filters once `me` and the time zone are resolved by the route. */
export type TaskFilters = Omit<ListTasksQuery, 'assigneeId' | 'tz'> & {
  assigneeId?: string | undefined
  timeZone: string
}

/** Where the due filter puts a task, as a condition on due_at (and status, for overdue). */
function dueCondition(due: TaskFilters['due'], timeZone: string, now: Date): Prisma.TaskWhereInput {
  if (!due) return {}
  if (due === 'overdue') return { status: 'open', dueAt: { lt: now } }
  const today = localDate(now, timeZone)
  const tomorrow = startOfLocalDay(addDays(today, 1), timeZone)
  if (due === 'upcoming') return { dueAt: { gte: tomorrow } }
  return { dueAt: { gte: startOfLocalDay(today, timeZone), lt: tomorrow } }
}

/**
 * An inbox: tasks by due time (soonest first, then id), keyset-paginated, of the tasks the
 * principal sees. An open task snoozed until later is left out unless asked for. Served by
 * the (assignee, status, due_at) and (status, due_at) indexes.
 */
export async function listTasks(db: Db, p: Principal, q: TaskFilters, now = new Date()) {
  const where: Prisma.TaskWhereInput = {
    ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
    ...(q.queue ? { queue: q.queue } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.priority ? { priority: q.priority } : {}),
    ...(q.leadId ? { leadId: q.leadId } : {}),
    ...(q.accountId ? { accountId: q.accountId } : {}),
    ...(q.opportunityId ? { opportunityId: q.opportunityId } : {}),
    AND: [
      await taskWhere(p),
      dueCondition(q.due, q.timeZone, now),
      // Spelled out rather than NOT(open AND snoozed_until > now): with snoozed_until NULL that
      // NOT is NULL in SQL, which would hide every task never snoozed.
      q.includeSnoozed
        ? {}
        : { OR: [{ status: { not: 'open' } }, { snoozedUntil: null }, { snoozedUntil: { lte: now } }] },
      (afterCursor(q.cursor, 'dueAt', 'asc', true, 'uuid') ?? {}) as Prisma.TaskWhereInput,
    ],
  }
  const rows = await db.task.findMany({
    where,
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
    include: LEAD_NAME,
  })
  return toPage(
    rows,
    q.limit,
    (t) => t.dueAt,
    (t) => toTask(t, now),
  )
}

/** One task; a task the principal does not see is not found. */
export async function getTask(db: Db, p: Principal, id: string, now = new Date()) {
  const task = await db.task.findFirst({ where: { AND: [{ id }, await taskWhere(p)] }, include: LEAD_NAME })
  if (!task) throw new NotFoundError('task', id)
  return toTask(task, now)
}
