import type { Static } from 'typebox'
import type { TaskRow } from '../../crm/tasks.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import type { ListTasksQuery } from '../schemas/task.schema.js'
import { decodeCursor, encodeCursor } from './cursor.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toTask(t: TaskRow, now: Date) {
  return {
    id: t.id,
    kind: t.kind,
    title: t.title,
    status: t.status as 'open' | 'done',
    leadId: t.leadId,
    assigneeId: t.assigneeId,
    queue: t.queue,
    dueAt: t.dueAt.toISOString(),
    overdue: t.status === 'open' && t.dueAt < now,
    escalatedAt: iso(t.escalatedAt),
    escalatedToId: t.escalatedToId,
    parentTaskId: t.parentTaskId,
    workflowId: t.workflowId,
    completedAt: iso(t.completedAt),
    completedBy: t.completedBy,
    outcome: t.outcome,
    note: t.note,
    createdAt: t.createdAt.toISOString(),
  }
}

/** An SDR's inbox: tasks by due time (soonest first), keyset-paginated. */
export async function listTasks(db: Db, q: Static<typeof ListTasksQuery>, now = new Date()) {
  const where: Prisma.TaskWhereInput = {
    ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
    ...(q.leadId ? { leadId: q.leadId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.overdue ? { status: 'open', dueAt: { lt: now } } : {}),
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor)
    const at = new Date(String(c.v))
    where.OR = [{ dueAt: { gt: at } }, { dueAt: at, id: { gt: c.id } }]
  }
  const rows = await db.task.findMany({
    where,
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  })
  const page = rows.slice(0, q.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((t) => toTask(t, now)),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor({ v: last.dueAt.toISOString(), id: last.id }) : null,
  }
}
