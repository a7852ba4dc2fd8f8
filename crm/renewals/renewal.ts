import type { ContractStatus } from '../../domain/renewal/contract.rules.js'
import { indiaDate } from '../../domain/time/india-date.rules.js'
import { recordAudit } from '../../platform/audit.js'
import type { Db } from '../../platform/database/prisma.js'
import { openTaskOnce } from '../tasks.js'
import { dateOf, lockContract, recordContractEvent } from './contract-row.js'
import { RENEWAL_ACTOR, RENEWALS_QUEUE, renewalContext } from './renewal-opportunity.js'
import { accountChanged } from '../account-changed.js'

/*
 * The renewal workflow's reads and writes, other than the opportunity itself: what the
 * workflow plans from, the owner's reminders, and expiry. Each write locks the contract and
 * checks it is still the contract the workflow planned for (active, same end date), so a
 * renewal or a new end date that arrived while the workflow slept wins.
 */

/** What the renewal schedule is planned from: dates and status, no amounts or names. */
export interface ContractRenewalFacts {
  status: ContractStatus
  endDate: string
  renewalLeadDays: number
  /** Epoch milliseconds. */
  createdAt: number
}

export async function loadContractRenewal(db: Db, contractId: string): Promise<ContractRenewalFacts | null> {
  const c = await db.contract.findUnique({ where: { id: contractId } })
  if (!c) return null
  return {
    status: c.status as ContractStatus,
    endDate: dateOf(c.endDate),
    renewalLeadDays: c.renewalLeadDays,
    createdAt: c.createdAt.getTime(),
  }
}

/**
 * A reminder to the owner that the contract ends in `daysBefore` days: a task (linked to the
 * renewal opportunity when there is one) and a timeline entry, each once per contract, end
 * date and reminder. Skipped when the contract is no longer active or its end date moved.
 */
export async function remindContractRenewal(
  db: Db,
  input: { contractId: string; endDate: string; daysBefore: number; at: number; workflowId: string },
): Promise<{ taskId: string | null }> {
  return db.$transaction(async (tx) => {
    const c = await lockContract(tx, input.contractId)
    if (c.status !== 'active' || dateOf(c.endDate) !== input.endDate) return { taskId: null }
    const account = await tx.account.findUniqueOrThrow({
      where: { id: c.accountId },
      select: { ownerId: true },
    })
    const renewal = await tx.opportunity.findUnique({
      where: { renewalOfContractId: c.id },
      select: { id: true },
    })
    const ownerId = c.ownerId ?? account.ownerId
    const key = `contract/${c.id}/reminder/${input.daysBefore}/${input.endDate}`
    const at = new Date(input.at)
    const task = await openTaskOnce(tx, {
      kind: 'contract_renewal_reminder',
      title: `Contract ${c.number} ends in ${input.daysBefore} days (${input.endDate})`,
      leadId: null,
      accountId: c.accountId,
      contractId: c.id,
      opportunityId: renewal?.id ?? null,
      assigneeId: ownerId,
      queue: ownerId ? null : RENEWALS_QUEUE,
      dueAt: at,
      workflowId: input.workflowId,
      dedupeKey: key,
      actorId: RENEWAL_ACTOR,
    })
    await recordContractEvent(tx, c, {
      kind: 'contract_renewal_reminder',
      subject: `Contract ${c.number} ends in ${input.daysBefore} days`,
      actorId: RENEWAL_ACTOR,
      at,
      details: { daysBefore: input.daysBefore, endDate: input.endDate, taskId: task.id },
      dedupeKey: key,
    })
    return { taskId: task.id }
  })
}

/**
 * Marks an active contract expired once its end date is over in India (`at` is the
 * workflow's time), and tells the account: a lapsed contract lowers its health. Returns the
 * status after the call; an end date that moved meanwhile leaves the contract active.
 */
export async function expireContract(
  db: Db,
  input: { contractId: string; endDate: string; at: number },
): Promise<{ expired: boolean; status: ContractStatus }> {
  return db.$transaction(async (tx) => {
    const c = await lockContract(tx, input.contractId)
    const endDate = dateOf(c.endDate)
    if (c.status !== 'active' || endDate !== input.endDate || endDate >= indiaDate(input.at))
      return { expired: false, status: c.status as ContractStatus }
    const ctx = renewalContext(c.id)
    const after = await tx.contract.update({
      where: { id: c.id },
      data: { status: 'expired', updatedBy: RENEWAL_ACTOR },
    })
    await recordAudit(tx, ctx, {
      entity: 'contract',
      entityId: c.id,
      action: 'expire',
      changes: { status: { from: 'active', to: 'expired' } },
    })
    await recordContractEvent(tx, after, {
      kind: 'contract_expired',
      subject: `Contract ${c.number} expired on ${endDate} without renewal`,
      actorId: RENEWAL_ACTOR,
      at: new Date(input.at),
      dedupeKey: `contract/${c.id}/expired/${endDate}`,
    })
    await accountChanged(tx, ctx, c.accountId, 'contract_expired')
    return { expired: true, status: 'expired' }
  })
}
