import { isOpenStage } from '../../domain/opportunity/pipeline.rules.js'
import { indiaDate } from '../../domain/time/india-date.rules.js'
import type { WriteContext } from '../../platform/audit.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { closeLockedOpportunity } from '../opportunity-stages.js'
import { insertOpportunity, lockOpportunity } from '../opportunities.js'
import { stageProbabilities } from '../pipeline-settings.js'
import { openTaskOnce } from '../tasks.js'
import { dateOf, lockContract, recordContractEvent } from './contract-row.js'
import { accountChanged } from '../account-changed.js'

/*
 * The renewal opportunity: opened once per contract ahead of its end date by the renewal
 * workflow, and closed as won when the contract is renewed.
 */

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
      probability: (await stageProbabilities(tx))('qualification'),
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
    await accountChanged(tx, ctx, c.accountId, 'renewal_opportunity')
    return { opportunityId: deal.id, created: true }
  })
}

/**
 * Closes a renewal opportunity as won because its contract was renewed, the way a person
 * winning it would (stage history, audit, timeline, account recompute). A deal already
 * closed (won or lost by hand) is left as it is. Returns whether it was closed here.
 */
export async function winRenewalOpportunity(
  tx: Tx,
  ctx: WriteContext,
  dealId: string,
  contractNumber: string,
  now: Date,
): Promise<boolean> {
  const deal = await lockOpportunity(tx, dealId)
  if (!isOpenStage(deal.stage)) return false
  await closeLockedOpportunity(
    tx,
    ctx,
    deal,
    { outcome: 'won', reason: `Contract ${contractNumber} renewed` },
    now,
  )
  return true
}
