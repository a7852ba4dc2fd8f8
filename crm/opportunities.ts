import { uuidv7 } from 'uuidv7'
import { forecastCategory, type OpportunityStage } from '../domain/opportunity/pipeline.rules.js'
import { recordAudit, type WriteContext } from '../platform/audit.js'
import type { Tx } from '../platform/database/prisma.js'

/*
 * Opportunities: the one place a deal row is written, so every deal, however it was born
 * (conversion, the API, a renewal workflow, an upsell), gets its first stage-history entry
 * and its audit row in the transaction that creates it.
 */

export const OPPORTUNITY_KINDS = ['new_business', 'upsell', 'cross_sell', 'renewal'] as const
export type OpportunityKind = (typeof OPPORTUNITY_KINDS)[number]

export interface NewOpportunity {
  id?: string
  accountId: string
  contactId?: string | null
  leadId?: string | null
  name: string
  kind: OpportunityKind
  renewalOfContractId?: string | null
  amount: number | string
  currency: string
  stage: OpportunityStage
  probability: number
  /** 'YYYY-MM-DD'. */
  closeDate: string
  ownerId: string | null
  /** Today, 'YYYY-MM-DD', for the forecast category. */
  today: string
  at: Date
}

/** Inserts a validated opportunity with its first stage-history entry and audit row. */
export async function insertOpportunity(tx: Tx, ctx: WriteContext, o: NewOpportunity) {
  const id = o.id ?? uuidv7()
  const by = ctx.actor.id
  const row = await tx.opportunity.create({
    data: {
      id,
      accountId: o.accountId,
      contactId: o.contactId ?? null,
      leadId: o.leadId ?? null,
      name: o.name,
      kind: o.kind,
      renewalOfContractId: o.renewalOfContractId ?? null,
      amount: o.amount,
      currency: o.currency,
      stage: o.stage,
      probability: o.probability,
      forecastCategory: forecastCategory({
        stage: o.stage,
        probability: o.probability,
        closeDate: o.closeDate,
        today: o.today,
      }),
      closeDate: new Date(`${o.closeDate}T00:00:00Z`),
      ownerId: o.ownerId,
      ...(o.stage === 'closed_won' ? { wonAt: o.at } : {}),
      ...(o.stage === 'closed_lost' ? { lostAt: o.at } : {}),
      createdBy: by,
      updatedBy: by,
    },
  })
  await tx.opportunityStageChange.create({
    data: { opportunityId: id, fromStage: null, toStage: o.stage, probability: o.probability, at: o.at, by },
  })
  const { id: _id, today: _today, at: _at, ...values } = o
  await recordAudit(tx, ctx, {
    entity: 'opportunity',
    entityId: id,
    action: 'create',
    changes: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { from: null, to: v ?? null }])),
  })
  return row
}
