import { decideAssignment, type AssignmentDecision } from '../domain/assignment/assign.rules.js'
import type { AssignmentRuleSet } from '../domain/assignment/assignment-rules.js'
import { assignmentDecisionInputs } from '../domain/rules/decision-replay.rules.js'
import { recordActivity } from '../ingestion/activity-log.js'
import {
  adjustOpenLeads,
  lockLeads,
  OPEN_STATUSES,
  rowToDraft,
  type LeadRow,
} from '../ingestion/lead-rows.js'
import { lockAssignmentState } from '../ingestion/assign-leads.js'
import { BUILT_IN_RULES, parseRules } from '../ingestion/rules/rule-versions.js'
import { fieldChanges, recordAudit } from '../platform/audit.js'
import { asJson, type Db, type Tx } from '../platform/database/prisma.js'
import { NotFoundError } from '../platform/errors.js'
import type { TaskRow } from './tasks.js'

/*
 * The first-contact SLA's second chance: a lead whose owner let the first-contact task fall
 * overdue goes to the next eligible owner under the active assignment rules, skipping everyone
 * who already had it this cycle, with the task and a fresh due time. It is an assignment like a
 * capture's: the pool's people and the rules' cursors are locked in the same order
 * ingestion/assign-leads.ts locks them, and the loads, the cursor, the lead, the task, the
 * decision, the audit rows and the timeline entry commit together or not at all.
 */

const JOURNEY = { actor: { id: 'system:journey' } }

export interface SlaReroute {
  taskId: string
  /** 1 for the task's first re-route, 2 for its second: with the task id, the idempotency key. */
  reroute: number
  /** Owners the lead had earlier this cycle; the task's assignee and the lead's owner are always skipped. */
  exclude: string[]
  /** The moved task's new due time. */
  dueAt: string
  /** The journey's clock: the instant the decision is judged at (out of office, capacity). */
  at: string
}

export type SlaRerouteResult =
  | { outcome: 'rerouted'; fromId: string | null; toId: string; dueAt: string; ruleVersion: number }
  /** Someone completed the task meanwhile: its signal is on its way to the journey. */
  | { outcome: 'task_done'; taskOutcome: string | null }
  /** Nobody else may take it (or the lead no longer waits for first contact): escalate instead. */
  | { outcome: 'not_rerouted'; reason: string }

/** The assignment rules in force, read inside the transaction so the decision names its version. */
async function activeAssignmentRules(tx: Tx): Promise<AssignmentRuleSet> {
  const row = await tx.ruleSet.findFirst({
    where: { kind: 'assignment', status: 'active' },
    orderBy: { version: 'desc' },
  })
  return row ? parseRules('assignment', row.definition, row.version) : BUILT_IN_RULES.assignment
}

const rerouteKey = (r: Pick<SlaReroute, 'taskId' | 'reroute'>) => `sla-reroute/${r.taskId}/${r.reroute}`

/**
 * Re-routes the lead of an overdue first-contact task, once per task and re-route number: a
 * retried activity finds its own timeline entry (the task row's lock orders the attempts) and
 * answers what it did the first time.
 */
export async function rerouteOverdueTask(db: Db, r: SlaReroute): Promise<SlaRerouteResult> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM task WHERE id = ${r.taskId}::uuid FOR UPDATE`
    const task = await tx.task.findUnique({ where: { id: r.taskId } })
    if (!task) throw new NotFoundError('task', r.taskId)
    const done = await tx.activity.findUnique({ where: { dedupeKey: rerouteKey(r) } })
    if (done) {
      const d = done.details as { from: string | null; to: string; dueAt: string; ruleVersion: number }
      return { outcome: 'rerouted', fromId: d.from, toId: d.to, dueAt: d.dueAt, ruleVersion: d.ruleVersion }
    }
    if (task.status === 'done') return { outcome: 'task_done', taskOutcome: task.outcome }
    if (!task.leadId) return { outcome: 'not_rerouted', reason: 'the task is about no lead' }

    const lead = (await lockLeads(tx, [task.leadId])).get(task.leadId)
    if (!lead) throw new NotFoundError('lead', task.leadId)
    if (lead.isDuplicate) return { outcome: 'not_rerouted', reason: 'the lead is a duplicate' }
    if (!OPEN_STATUSES.has(lead.status))
      return { outcome: 'not_rerouted', reason: `the lead is ${lead.status.toLowerCase()}` }
    // Reached by a reply or a call while the task stood open: nobody failed the SLA.
    if (lead.contactedAt) return { outcome: 'not_rerouted', reason: 'the lead was contacted' }

    const from = lead.ownerId
    const rules = await activeAssignmentRules(tx)
    const state = await lockAssignmentState(tx, rules, [from, task.assigneeId])
    const exclude = [...new Set([...r.exclude, from, task.assigneeId].filter((u): u is string => !!u))].sort()
    const input = { lead: rowToDraft(lead), score: lead.score, now: r.at }
    const decision = decideAssignment(input, rules, state, { exclude })
    const to = decision.ownerId
    if (!to) return { outcome: 'not_rerouted', reason: decision.reason }

    const at = new Date(r.at)
    const dueAt = new Date(r.dueAt)
    await move(tx, { lead, task, from, to, at, dueAt, decision })
    await tx.leadDecision.create({
      data: {
        leadId: lead.id,
        kind: 'assignment',
        ruleVersion: decision.version,
        // What decideAssignment read (the state and who it skipped included), so replaying the
        // row reproduces the outcome; the rest says why it was decided.
        inputs: asJson({
          ...assignmentDecisionInputs(input, state),
          exclude,
          reason: 'sla_reroute',
          taskId: task.id,
          reroute: r.reroute,
          fromOwnerId: from,
        }),
        outcome: asJson(decision),
        decidedAt: at,
      },
    })
    await recordActivity(tx, {
      kind: 'lead_rerouted',
      direction: 'internal',
      subject: `First contact overdue: re-routed from ${from ?? 'the queue'} to ${to}`,
      details: {
        reason: 'sla_reroute',
        from,
        to,
        dueAt: dueAt.toISOString(),
        reroute: r.reroute,
        ruleId: decision.ruleId,
        ruleVersion: decision.version,
      },
      leadId: lead.id,
      taskId: task.id,
      occurredAt: at,
      actorId: JOURNEY.actor.id,
      dedupeKey: rerouteKey(r),
    })
    return {
      outcome: 'rerouted',
      fromId: from,
      toId: to,
      dueAt: dueAt.toISOString(),
      ruleVersion: decision.version,
    }
  })
}

/** The writes of a re-route: owner, loads, cursor and task, each audited. */
async function move(
  tx: Tx,
  m: {
    lead: LeadRow
    task: TaskRow
    from: string | null
    to: string
    at: Date
    dueAt: Date
    decision: AssignmentDecision
  },
): Promise<void> {
  const { lead, task, from, to, at, dueAt, decision } = m
  const placement = {
    ownerId: to,
    queue: null,
    assignedAt: at,
    assignmentReason: `Re-routed: first contact overdue with ${from ?? 'the queue'}. ${decision.reason}`,
  }
  await tx.lead.update({ where: { id: lead.id }, data: { ...placement, updatedBy: JOURNEY.actor.id } })
  // Duplicates are owned with their master.
  await tx.lead.updateMany({
    where: { duplicateOfId: lead.id },
    data: { ownerId: to, queue: null, updatedBy: JOURNEY.actor.id },
  })
  if (from) await adjustOpenLeads(tx, from, -1)
  await adjustOpenLeads(tx, to, 1)
  if (decision.cursor)
    await tx.$executeRaw`
      INSERT INTO assignment_cursor (key, value, updated_at) VALUES (${decision.cursor.ruleId}, ${decision.cursor.value}, now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`
  await tx.task.update({
    where: { id: task.id },
    data: { assigneeId: to, queue: null, dueAt, updatedBy: JOURNEY.actor.id },
  })
  // The previous owner's other open tasks on this lead go with it (as a manual reassignment moves them).
  const others = from
    ? await tx.task.updateMany({
        where: { leadId: lead.id, status: 'open', assigneeId: from, id: { not: task.id } },
        data: { assigneeId: to, updatedBy: JOURNEY.actor.id },
      })
    : { count: 0 }
  await recordAudit(tx, JOURNEY, {
    entity: 'lead',
    entityId: lead.id,
    action: 'reassign',
    changes: {
      ...fieldChanges(lead, placement),
      reason: { from: null, to: 'sla_reroute' },
      ...(others.count > 0 ? { openTasksMoved: { from: null, to: others.count } } : {}),
    },
  })
  await recordAudit(tx, JOURNEY, {
    entity: 'task',
    entityId: task.id,
    action: 'reassign',
    changes: fieldChanges(task, { assigneeId: to, queue: null, dueAt }),
  })
}
