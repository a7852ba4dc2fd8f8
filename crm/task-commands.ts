import { uuidv7 } from 'uuidv7'
import { recordActivity } from '../ingestion/activity-log.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError, NotFoundError, type FieldError } from '../platform/errors.js'
import type { LinkScopes } from '../security/visibility.js'
import type { TaskRow } from './tasks.js'

/*
 * What people do with tasks besides completing them (crm/tasks.ts): add their own, put one
 * off, hand one to a colleague. Each is one transaction with its audit row; a task that is
 * done is history and can be neither snoozed nor reassigned.
 */

/** Kinds of task a person adds by hand; journeys open first_contact, follow_up and escalation. */
export const MANUAL_TASK_KINDS = ['call', 'email', 'meeting', 'follow_up', 'todo'] as const
export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const

export interface NewManualTask {
  title: string
  kind: (typeof MANUAL_TASK_KINDS)[number]
  dueAt: Date
  priority: (typeof TASK_PRIORITIES)[number]
  description: string | null
  /** Exactly one of assigneeId and queue. */
  assigneeId: string | null
  queue: string | null
  leadId: string | null
  accountId: string | null
  contactId: string | null
  opportunityId: string | null
}

/** Locks a task for the rest of the transaction; 404 when there is none. */
async function lockTask(tx: Tx, taskId: string): Promise<TaskRow> {
  await tx.$queryRaw`SELECT id FROM task WHERE id = ${taskId}::uuid FOR UPDATE`
  const task = await tx.task.findUnique({ where: { id: taskId } })
  if (!task) throw new NotFoundError('task', taskId)
  return task
}

function refuseUnlessOpen(task: TaskRow, doing: string): void {
  if (task.status !== 'open')
    throw new ConflictError(`Task ${task.id} is ${task.status}: it cannot be ${doing}.`)
}

async function userExists(tx: Tx, id: string): Promise<boolean> {
  return (await tx.user.findUnique({ where: { id }, select: { id: true } })) !== null
}

/**
 * The records a new task links to, checked inside its transaction: each must exist (and be
 * one the caller sees: `scopes`), and a contact or opportunity named with an account must
 * belong to that account.
 */
async function linkErrors(tx: Tx, t: NewManualTask, scopes: LinkScopes): Promise<FieldError[]> {
  const errors: FieldError[] = []
  const missing = (field: string, what: string) =>
    errors.push({ pointer: `/body/${field}`, message: `no ${what} has this id` })
  if (t.assigneeId !== null && !(await userExists(tx, t.assigneeId))) missing('assigneeId', 'user')
  if (
    t.leadId &&
    !(await tx.lead.findFirst({ where: { AND: [{ id: t.leadId }, scopes.lead] }, select: { id: true } }))
  )
    missing('leadId', 'lead')
  if (
    t.accountId &&
    !(await tx.account.findFirst({
      where: { AND: [{ id: t.accountId }, scopes.account] },
      select: { id: true },
    }))
  )
    missing('accountId', 'account')
  for (const [field, found] of [
    [
      'contactId',
      t.contactId
        ? await tx.contact.findFirst({
            where: { AND: [{ id: t.contactId }, scopes.contact] },
            select: { accountId: true },
          })
        : undefined,
    ],
    [
      'opportunityId',
      t.opportunityId
        ? await tx.opportunity.findFirst({
            where: { AND: [{ id: t.opportunityId }, scopes.opportunity] },
            select: { accountId: true },
          })
        : undefined,
    ],
  ] as const) {
    if (found === undefined) continue
    if (found === null) missing(field, field === 'contactId' ? 'contact' : 'opportunity')
    else if (t.accountId && found.accountId !== t.accountId)
      errors.push({ pointer: `/body/${field}`, message: `belongs to another account than ${t.accountId}` })
  }
  return errors
}

/** Adds a task by hand, linked to the records it is about (among `scopes`), with its audit row. */
export async function createManualTask(
  db: Db,
  ctx: WriteContext,
  t: NewManualTask,
  scopes: LinkScopes,
): Promise<TaskRow> {
  return db.$transaction(async (tx) => {
    const errors = await linkErrors(tx, t, scopes)
    if (errors.length > 0) throw new DomainRuleError('The task refers to records that do not exist.', errors)
    const id = uuidv7()
    const task = await tx.task.create({
      data: { id, ...t, createdBy: ctx.actor.id, updatedBy: ctx.actor.id },
    })
    await recordAudit(tx, ctx, {
      entity: 'task',
      entityId: id,
      action: 'create',
      changes: fieldChanges(null, { ...t, status: task.status }),
    })
    return task
  })
}

/**
 * Hides an open task from its assignee's inbox until `until` (its due time stays: a task
 * snoozed past its due time comes back overdue). Snoozing again to the same time changes
 * and records nothing.
 */
export async function snoozeTask(
  db: Db,
  ctx: WriteContext,
  taskId: string,
  s: { until: Date; reason: string | null },
  now: Date,
): Promise<TaskRow> {
  if (s.until <= now)
    throw new DomainRuleError('A task can only be snoozed until a future time.', [
      { pointer: '/body/until', message: `must be after ${now.toISOString()}` },
    ])
  return db.$transaction(async (tx) => {
    const task = await lockTask(tx, taskId)
    refuseUnlessOpen(task, 'snoozed')
    if (task.snoozedUntil?.getTime() === s.until.getTime()) return task
    const snoozed = await tx.task.update({
      where: { id: taskId },
      data: { snoozedUntil: s.until, updatedBy: ctx.actor.id },
    })
    await recordAudit(tx, ctx, {
      entity: 'task',
      entityId: taskId,
      action: 'snooze',
      changes: fieldChanges(task, { snoozedUntil: s.until, ...(s.reason ? { reason: s.reason } : {}) }),
    })
    return snoozed
  })
}

/**
 * Hands an open task to another user: out of any queue, into their inbox, with an audit
 * row and a `task_reassigned` entry on the timeline of every record the task is about.
 * Reassigning to the current assignee changes and records nothing.
 */
export async function reassignTask(
  db: Db,
  ctx: WriteContext,
  taskId: string,
  r: { assigneeId: string; reason: string | null },
  now: Date,
): Promise<TaskRow> {
  return db.$transaction(async (tx) => {
    const task = await lockTask(tx, taskId)
    refuseUnlessOpen(task, 'reassigned')
    if (!(await userExists(tx, r.assigneeId)))
      throw new DomainRuleError('The new assignee does not exist.', [
        { pointer: '/body/assigneeId', message: 'no user has this id' },
      ])
    if (task.assigneeId === r.assigneeId) return task
    const reassigned = await tx.task.update({
      where: { id: taskId },
      data: { assigneeId: r.assigneeId, queue: null, updatedBy: ctx.actor.id },
    })
    await recordAudit(tx, ctx, {
      entity: 'task',
      entityId: taskId,
      action: 'reassign',
      changes: fieldChanges(task, {
        assigneeId: r.assigneeId,
        queue: null,
        ...(r.reason ? { reason: r.reason } : {}),
      }),
    })
    await recordActivity(tx, {
      kind: 'task_reassigned',
      direction: 'internal',
      subject: `${task.title}: reassigned to ${r.assigneeId}`,
      leadId: task.leadId,
      accountId: task.accountId,
      contactId: task.contactId,
      opportunityId: task.opportunityId,
      taskId,
      details: {
        from: task.assigneeId,
        fromQueue: task.queue,
        to: r.assigneeId,
        ...(r.reason ? { reason: r.reason } : {}),
      },
      occurredAt: now,
      actorId: ctx.actor.id,
    })
    return reassigned
  })
}
