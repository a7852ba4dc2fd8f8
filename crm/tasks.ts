import { uuidv7 } from 'uuidv7'
import type { Actor } from '../domain/lead/lead-capture.js'
import { enqueue } from '../ingestion/outbox/outbox.repository.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, NotFoundError } from '../platform/errors.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { fieldChanges, recordAudit } from '../platform/audit.js'

/*
 * SDR tasks. A journey opens them (idempotently, keyed by journey, kind, cycle and
 * attempt) and escalates them; people complete them through the API, which records the
 * outcome on the timeline and tells the journey through the outbox.
 */

export const TASK_OUTCOMES = [
  'contacted',
  'meeting_booked',
  'no_answer',
  'wrong_number',
  'not_interested',
  'other',
] as const
export type TaskOutcome = (typeof TASK_OUTCOMES)[number]

export type TaskRow = Awaited<ReturnType<Db['task']['findFirstOrThrow']>>

export interface OpenJourneyTask {
  leadId: string
  workflowId: string
  kind: 'first_contact' | 'follow_up'
  cycle: number
  attempt: number
  dueAt: string
}

const TITLES: Record<OpenJourneyTask['kind'] | 'escalation', string> = {
  first_contact: 'First contact: the lead has not been reached yet',
  follow_up: 'Follow up: try to reach the lead again',
  escalation: 'Escalation: a first-contact task is overdue',
}

export interface NewTask {
  kind: string
  title: string
  /** The lead the task is about; null for tasks about an account's contract, ticket or invoice. */
  leadId: string | null
  accountId?: string | null
  contactId?: string | null
  opportunityId?: string | null
  ticketId?: string | null
  invoiceId?: string | null
  contractId?: string | null
  /** low, normal (the default) or high. */
  priority?: string
  description?: string | null
  /** The lead's owner; none: the task waits in `queue`. */
  assigneeId: string | null
  queue: string | null
  dueAt: Date
  /** The workflow that opened the task (a lead journey hears when it is completed). */
  workflowId: string
  dedupeKey: string
  actorId: string
  /** For a journey's contact task: the consent record it was opened under. */
  consentRecordId?: bigint | null
}

/**
 * Opens a task once per dedupe key: a retried journey step or a redelivered callback gets
 * the task it opened already (the unique key decides, not a read before the insert). Runs
 * in the caller's transaction, so the task, its audit row and whatever opened it commit
 * together.
 */
export async function openTaskOnce(tx: Tx, t: NewTask): Promise<TaskRow> {
  const { actorId, ...task } = t
  const id = uuidv7()
  const { count } = await tx.task.createMany({
    data: [{ id, ...task, createdBy: actorId, updatedBy: actorId }],
    skipDuplicates: true,
  })
  if (count === 1)
    await recordAudit(
      tx,
      { actor: { id: actorId } },
      { entity: 'task', entityId: id, action: 'create', changes: fieldChanges(null, task) },
    )
  return tx.task.findUniqueOrThrow({ where: { dedupeKey: t.dedupeKey } })
}

/** Opens the owner's task for a journey step, or returns the one that step opened already. */
export async function openJourneyTask(db: Db, t: OpenJourneyTask): Promise<TaskRow> {
  const lead = await db.lead.findUnique({ where: { id: t.leadId }, select: { ownerId: true, queue: true } })
  if (!lead) throw new NotFoundError('lead', t.leadId)
  return db.$transaction((tx) =>
    openTaskOnce(tx, {
      kind: t.kind,
      title: TITLES[t.kind],
      leadId: t.leadId,
      assigneeId: lead.ownerId,
      queue: lead.ownerId ? null : (lead.queue ?? 'unassigned'),
      dueAt: new Date(t.dueAt),
      workflowId: t.workflowId,
      dedupeKey: `${t.workflowId}/${t.kind}/${t.cycle}/${t.attempt}`,
      actorId: 'system:journey',
    }),
  )
}

export interface EscalationResult {
  alreadyDone: boolean
  outcome: string | null
  escalationTaskId: string | null
  escalatedToId: string | null
}

/**
 * Escalates an overdue task to its assignee's manager: the task is marked escalated and
 * the manager gets a task of their own. Idempotent: a second call finds the escalation.
 * A task completed in the meantime is left alone.
 */
export async function escalateTask(db: Db, taskId: string, dueAt: string): Promise<EscalationResult> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM task WHERE id = ${taskId}::uuid FOR UPDATE`
    const task = await tx.task.findUnique({ where: { id: taskId }, include: { assignee: true } })
    if (!task) throw new NotFoundError('task', taskId)
    if (task.status === 'done')
      return { alreadyDone: true, outcome: task.outcome, escalationTaskId: null, escalatedToId: null }
    const dedupeKey = `${task.id}/escalation`
    const existing = await tx.task.findUnique({ where: { dedupeKey } })
    if (existing)
      return {
        alreadyDone: false,
        outcome: null,
        escalationTaskId: existing.id,
        escalatedToId: existing.assigneeId,
      }
    const managerId = task.assignee?.managerId ?? null
    const escalation = await tx.task.create({
      data: {
        id: uuidv7(),
        kind: 'escalation',
        title: TITLES.escalation,
        leadId: task.leadId,
        assigneeId: managerId,
        queue: managerId ? null : 'escalations',
        dueAt: new Date(dueAt),
        parentTaskId: task.id,
        workflowId: task.workflowId,
        dedupeKey,
        createdBy: 'system:journey',
        updatedBy: 'system:journey',
      },
    })
    const escalated = await tx.task.update({
      where: { id: task.id },
      data: { escalatedAt: new Date(), escalatedToId: managerId, updatedBy: 'system:journey' },
    })
    const journey = { actor: { id: 'system:journey' } }
    await recordAudit(tx, journey, {
      entity: 'task',
      entityId: escalation.id,
      action: 'create',
      changes: fieldChanges(null, {
        kind: escalation.kind,
        title: escalation.title,
        leadId: escalation.leadId,
        assigneeId: escalation.assigneeId,
        queue: escalation.queue,
        dueAt: escalation.dueAt,
        parentTaskId: escalation.parentTaskId,
      }),
    })
    await recordAudit(tx, journey, {
      entity: 'task',
      entityId: task.id,
      action: 'escalate',
      changes: fieldChanges(task, { escalatedAt: escalated.escalatedAt, escalatedToId: managerId }),
    })
    await recordActivity(tx, {
      kind: 'task_escalated',
      direction: 'internal',
      subject: `Task overdue: escalated to ${managerId ?? 'the escalations queue'}`,
      leadId: task.leadId,
      taskId: task.id,
      details: { escalationTaskId: escalation.id, from: task.assigneeId, to: managerId },
      occurredAt: new Date(),
      actorId: 'system:journey',
      dedupeKey: `task-escalated/${task.id}`,
    })
    return { alreadyDone: false, outcome: null, escalationTaskId: escalation.id, escalatedToId: managerId }
  })
}

export interface CompleteTask {
  outcome: TaskOutcome
  note?: string | undefined
}

/**
 * Completes a task: the outcome goes on the lead's timeline and in the audit trail, a
 * reached lead is marked contacted, and the journey hears of it through the outbox, all in
 * one transaction. Completing again with the same outcome answers the same (and records
 * nothing); a different outcome conflicts.
 */
export async function completeTask(
  db: Db,
  taskId: string,
  c: CompleteTask,
  actor: Actor,
  requestId?: string,
) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM task WHERE id = ${taskId}::uuid FOR UPDATE`
    const task = await tx.task.findUnique({ where: { id: taskId } })
    if (!task) throw new NotFoundError('task', taskId)
    if (task.status === 'done') {
      if (task.outcome === c.outcome) return task
      throw new ConflictError(`Task ${taskId} is already done (${task.outcome}).`)
    }
    const now = new Date()
    const done = await tx.task.update({
      where: { id: taskId },
      data: {
        status: 'done',
        outcome: c.outcome,
        note: c.note ?? null,
        completedAt: now,
        completedBy: actor.id,
        updatedBy: actor.id,
      },
    })
    await recordAudit(
      tx,
      { actor, requestId },
      {
        entity: 'task',
        entityId: taskId,
        action: 'complete',
        changes: fieldChanges(task, {
          status: done.status,
          outcome: done.outcome,
          note: done.note,
          completedAt: done.completedAt,
          completedBy: done.completedBy,
        }),
      },
    )
    await recordActivity(tx, {
      kind: 'task_completed',
      direction: 'internal',
      subject: `${task.title}: ${c.outcome.replace(/_/g, ' ')}`,
      leadId: task.leadId,
      taskId,
      details: { outcome: c.outcome, ...(c.note ? { note: c.note } : {}) },
      occurredAt: now,
      actorId: actor.id,
      dedupeKey: `task-completed/${taskId}`,
    })
    if (task.leadId && (c.outcome === 'contacted' || c.outcome === 'meeting_booked'))
      await markContacted(tx, task.leadId, now)
    if (task.leadId && task.workflowId)
      await enqueue(
        tx,
        'task.completed',
        task.leadId,
        {
          leadId: task.leadId,
          taskId,
          outcome: c.outcome,
          completedAt: now.toISOString(),
          completedBy: actor.id,
        },
        requestId,
      )
    return done
  })
}

/** The first two-way contact, kept once. */
export async function markContacted(tx: Tx, leadId: string, at: Date): Promise<void> {
  await tx.lead.updateMany({ where: { id: leadId, contactedAt: null }, data: { contactedAt: at } })
}
