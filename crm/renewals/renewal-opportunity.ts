import { isOpenStage, probabilityFor } from '../../domain/opportunity/pipeline.rules.js'
import { indiaDate } from '../../domain/renewal/renewal-schedule.rules.js'
import { enqueue } from '../../ingestion/outbox/outbox.repository.js'
import { recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { insertOpportunity } from '../opportunities.js'
import { openTaskOnce } from '../tasks.js'
import { dateOf, lockContract, recordContractEvent } from './contract-row.js'

/*
 * The renewal opportunity: opened once per contract ahead of its end date by the renewal
 * workflow, and closed as won when the contract is renewed.
 */

type OpportunityRow = Awaited<ReturnType<Tx['opportunity']['findUniqueOrThrow']>>

export const RENEWAL_ACTOR = 'system:contract-renewal'
/** Where renewal work waits when neither the contract nor the account has an owner. */
export const RENEWALS_QUEUE = 'renewals'

export const renewalContext = (contractId: string): WriteContext => ({
  actor: { id: RENEWAL_ACTOR },
  requestId: `contract/${contractId}`,
})

export interface RenewalOpportunityResult {
  /** Null when the contract is no longer active (renewed, cancelled or expired meanwhile). */
  opportunityId: string | null
  created: boolean
}

/**
 * Opens the contract's renewal opportunity and the owner's task to work it, once: the
 * opportunity's unique renewal_of_contract_id names at most one per contract, and it is
 * looked up under the contract's row lock before inserting, so a retried activity finds the
 * one it created. Amount = contract value, close date = end date, owner = the contract's
 * owner, else the account's.
 */
export async function openRenewalOpportunity(
  db: Db,
  input: { contractId: string; at: number; workflowId: string },
): Promise<RenewalOpportunityResult> {
  return db.$transaction(async (tx) => {
    const c = await lockContract(tx, input.contractId)
    const existing = await tx.opportunity.findUnique({
      where: { renewalOfContractId: c.id },
      select: { id: true },
    })
    if (existing) return { opportunityId: existing.id, created: false }
    if (c.status !== 'active') return { opportunityId: null, created: false }
    const account = await tx.account.findUniqueOrThrow({ where: { id: c.accountId } })
    const ownerId = c.ownerId ?? account.ownerId
    const at = new Date(input.at)
    const ctx = renewalContext(c.id)
    const endDate = dateOf(c.endDate)
    const deal = await insertOpportunity(tx, ctx, {
      accountId: c.accountId,
      contactId: account.primaryContactId,
      name: `Renewal of ${c.number} (${c.kind})`,
      kind: 'renewal',
      renewalOfContractId: c.id,
      amount: c.value.toString(),
      currency: c.currency,
      stage: 'qualification',
      probability: probabilityFor('qualification'),
      closeDate: endDate,
      ownerId,
      today: indiaDate(input.at),
      at,
    })
    await openTaskOnce(tx, {
      kind: 'contract_renewal',
      title: `Work the renewal of ${c.number}: it ends on ${endDate}`,
      leadId: null,
      accountId: c.accountId,
      contractId: c.id,
      opportunityId: deal.id,
      assigneeId: ownerId,
      queue: ownerId ? null : RENEWALS_QUEUE,
      dueAt: at,
      workflowId: input.workflowId,
      dedupeKey: `contract/${c.id}/renewal-opportunity`,
      actorId: RENEWAL_ACTOR,
    })
    await recordContractEvent(tx, c, {
      kind: 'renewal_opportunity_opened',
      subject: `Renewal opportunity opened for ${c.number} (ends ${endDate})`,
      actorId: RENEWAL_ACTOR,
      at,
      details: { opportunityId: deal.id },
      dedupeKey: `contract/${c.id}/renewal-opportunity`,
    })
    await enqueue(
      tx,
      'account.changed',
      c.accountId,
      { accountId: c.accountId, reason: 'renewal_opportunity' },
      ctx.requestId ?? undefined,
    )
    return { opportunityId: deal.id, created: true }
  })
}

/**
 * Closes a renewal opportunity as won because its contract was renewed, with its
 * stage-history entry and audit row. A deal already closed (won or lost by hand) is left as
 * it is. Returns whether it was closed here.
 */
export async function winRenewalOpportunity(
  tx: Tx,
  ctx: WriteContext,
  deal: OpportunityRow,
  contractNumber: string,
  now: Date,
): Promise<boolean> {
  if (!isOpenStage(deal.stage)) return false
  const data = {
    stage: 'closed_won',
    probability: 100,
    forecastCategory: 'closed',
    wonAt: now,
    wonReason: `Contract ${contractNumber} renewed`,
  }
  // Conditional on the stage read above: a concurrent stage move makes this a no-op.
  const { count } = await tx.opportunity.updateMany({
    where: { id: deal.id, stage: deal.stage },
    data: { ...data, updatedBy: ctx.actor.id },
  })
  if (count === 0) return false
  await tx.opportunityStageChange.create({
    data: {
      opportunityId: deal.id,
      fromStage: deal.stage,
      toStage: 'closed_won',
      probability: 100,
      at: now,
      by: ctx.actor.id,
    },
  })
  await recordAudit(tx, ctx, {
    entity: 'opportunity',
    entityId: deal.id,
    action: 'won',
    changes: {
      stage: { from: deal.stage, to: 'closed_won' },
      probability: { from: deal.probability, to: 100 },
      forecastCategory: { from: deal.forecastCategory, to: 'closed' },
      wonReason: { from: deal.wonReason, to: data.wonReason },
    },
  })
  return true
}
