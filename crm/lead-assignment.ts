import { adjustOpenLeads, lockLeads, OPEN_STATUSES } from '../ingestion/lead-rows.js'
import { enqueue } from '../ingestion/outbox/outbox.repository.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { DomainRuleError, NotFoundError } from '../platform/errors.js'

/*
 * A lead handed to another owner by a person (capture assigns new leads by the rules; this
 * is the manual override). Whether the caller may hand it to that person is the route's
 * check (security/visibility.ts assertAssignable); this is the write.
 */

export interface LeadReassignment {
  leadId: string
  /** The new owner; null puts the lead back in the unassigned queue. */
  ownerId: string | null
  at: Date
}

/**
 * Refuses a reassignment that cannot be done: an owner who is not a user, or a duplicate
 * (it is owned with its master). Checked again inside the write; a caller that changes other
 * fields in the same request checks first, so a refusal leaves nothing half done.
 */
export async function assertReassignable(
  q: Db | Tx,
  lead: { id: string; isDuplicate: boolean; duplicateOfId: string | null },
  ownerId: string | null,
): Promise<void> {
  if (ownerId && !(await q.user.findUnique({ where: { id: ownerId }, select: { id: true } })))
    throw new DomainRuleError('The new owner does not exist.', [
      { pointer: '/body/ownerId', message: 'no user has this id' },
    ])
  if (lead.isDuplicate)
    throw new DomainRuleError(
      `Lead ${lead.id} follows its master ${lead.duplicateOfId}: reassign that one.`,
      [{ pointer: '/body/ownerId', message: 'a duplicate is owned with its master' }],
    )
}

/**
 * Gives a lead (and the duplicates that follow it) a new owner in one transaction: the
 * owners' open-lead counts move with it, its open tasks that were its previous owner's (or
 * waited in a queue) go to the new owner, and the change is audited. The same owner again
 * changes and records nothing.
 */
export async function reassignLead(db: Db, ctx: WriteContext, r: LeadReassignment): Promise<void> {
  await db.$transaction(async (tx) => {
    const lead = (await lockLeads(tx, [r.leadId])).get(r.leadId)
    if (!lead) throw new NotFoundError('lead', r.leadId)
    await assertReassignable(tx, lead, r.ownerId)
    if (lead.ownerId === r.ownerId) return
    const placement = {
      ownerId: r.ownerId,
      queue: r.ownerId ? null : 'unassigned',
      assignedAt: r.ownerId ? r.at : null,
      assignmentReason: `Reassigned by ${ctx.actor.id}.`,
    }
    await tx.lead.update({ where: { id: lead.id }, data: { ...placement, updatedBy: ctx.actor.id } })
    await tx.lead.updateMany({
      where: { duplicateOfId: lead.id },
      data: { ownerId: placement.ownerId, queue: placement.queue, updatedBy: ctx.actor.id },
    })
    if (OPEN_STATUSES.has(lead.status)) {
      if (lead.ownerId) await adjustOpenLeads(tx, lead.ownerId, -1)
      if (r.ownerId) await adjustOpenLeads(tx, r.ownerId, 1)
    }
    const tasks = await tx.task.updateMany({
      where: {
        leadId: lead.id,
        status: 'open',
        ...(lead.ownerId
          ? { OR: [{ assigneeId: lead.ownerId }, { assigneeId: null }] }
          : { assigneeId: null }),
      },
      data: { assigneeId: r.ownerId, queue: placement.queue, updatedBy: ctx.actor.id },
    })
    await recordAudit(tx, ctx, {
      entity: 'lead',
      entityId: lead.id,
      action: 'reassign',
      changes: {
        ...fieldChanges(lead, placement),
        ...(tasks.count > 0 ? { openTasksMoved: { from: null, to: tasks.count } } : {}),
      },
    })
    // The journey keeps its own view of the owner (its search attribute, who escalations go to).
    await enqueue(
      tx,
      'lead.owner_changed',
      lead.id,
      { leadId: lead.id, ownerId: r.ownerId },
      ctx.requestId ?? undefined,
    )
  })
}
