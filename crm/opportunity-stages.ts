import {
  closeDeal,
  stageMove,
  type DealState,
  type Refusal,
} from '../domain/opportunity/deal-transitions.rules.js'
import {
  DEFAULT_STAGE_PROBABILITIES,
  forecastCategory,
  type OpenOpportunityStage,
  type OpportunityStage,
} from '../domain/opportunity/pipeline.rules.js'
import { isCalendarDate } from '../domain/time/calendar-date.rules.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError } from '../platform/errors.js'
import { calendarDateOf, lockOpportunity, todayOf, type OpportunityRow } from './opportunities.js'
import { stageProbabilities } from './pipeline-settings.js'
import { accountChanged } from './account-changed.js'

/*
 * A deal's way through the pipeline: stage moves between open stages, then won or lost.
 * Each step, in one transaction, writes the deal, a stage-history row, an audit row and a
 * 'stage_change' entry on the deal's timeline; closing also tells the account's lifecycle
 * workflow (through the outbox) so its health and stage are recomputed.
 */

function refuse(r: Refusal, body = '/body'): never {
  if (r.refused === 'conflict') throw new ConflictError(r.message)
  throw new DomainRuleError(r.message, [{ pointer: `${body}${r.pointer}`, message: r.message }])
}

const stateOf = (deal: OpportunityRow): DealState => ({
  stage: deal.stage as OpportunityStage,
  probability: deal.probability,
  wonReason: deal.wonReason,
  lostReason: deal.lostReason,
  lostToCompetitor: deal.lostToCompetitor,
})

interface StageStep {
  deal: OpportunityRow
  to: OpportunityStage
  probability: number
  closeDate: string
  today: string
  at: Date
  action: 'stage_change' | 'won' | 'lost'
  /** Extra columns (reasons, won/lost time) and timeline details. */
  extra?: Partial<Pick<OpportunityRow, 'wonAt' | 'lostAt' | 'wonReason' | 'lostReason' | 'lostToCompetitor'>>
  details: Record<string, unknown>
}

/** The writes every stage step makes: the deal, its history, the audit row and the timeline entry. */
async function applyStageStep(tx: Tx, ctx: WriteContext, s: StageStep): Promise<OpportunityRow> {
  const by = ctx.actor.id
  const category = forecastCategory({
    stage: s.to,
    probability: s.probability,
    closeDate: s.closeDate,
    today: s.today,
  })
  const before = {
    stage: s.deal.stage,
    probability: s.deal.probability,
    forecastCategory: s.deal.forecastCategory,
    closeDate: calendarDateOf(s.deal.closeDate),
    wonAt: s.deal.wonAt,
    lostAt: s.deal.lostAt,
    wonReason: s.deal.wonReason,
    lostReason: s.deal.lostReason,
    lostToCompetitor: s.deal.lostToCompetitor,
  }
  const after = {
    stage: s.to,
    probability: s.probability,
    forecastCategory: category,
    closeDate: s.closeDate,
    ...s.extra,
  }
  const row = await tx.opportunity.update({
    where: { id: s.deal.id },
    data: { ...after, closeDate: new Date(`${s.closeDate}T00:00:00Z`), updatedBy: by },
  })
  await tx.opportunityStageChange.create({
    data: {
      opportunityId: s.deal.id,
      fromStage: s.deal.stage,
      toStage: s.to,
      probability: s.probability,
      at: s.at,
      by,
    },
  })
  await recordAudit(tx, ctx, {
    entity: 'opportunity',
    entityId: s.deal.id,
    action: s.action,
    changes: fieldChanges(before, after),
  })
  await recordActivity(tx, {
    kind: 'stage_change',
    direction: 'internal',
    subject: `${s.deal.name}: ${s.deal.stage} → ${s.to}`,
    details: { from: s.deal.stage, to: s.to, probability: s.probability, ...s.details },
    opportunityId: s.deal.id,
    occurredAt: s.at,
    actorId: by,
  })
  return row
}

/**
 * Moves an open deal to another open stage, with the given probability or the stage's
 * default from the active pipeline settings. Asking for the stage it is in changes nothing.
 */
export async function moveOpportunityStage(
  db: Db,
  ctx: WriteContext,
  id: string,
  request: { stage: OpenOpportunityStage; probability?: number | undefined; note?: string | undefined },
  now: Date,
): Promise<OpportunityRow> {
  return db.$transaction(async (tx) => {
    const deal = await lockOpportunity(tx, id)
    const defaults = await stageProbabilities(tx)
    const decision = stageMove(stateOf(deal), request, defaults)
    if ('refused' in decision) refuse(decision)
    if (decision.action === 'none') return deal
    return applyStageStep(tx, ctx, {
      deal,
      to: request.stage,
      probability: decision.probability,
      closeDate: calendarDateOf(deal.closeDate),
      today: todayOf(now),
      at: now,
      action: 'stage_change',
      details: request.note ? { note: request.note } : {},
    })
  })
}

export type CloseRequest =
  | { outcome: 'won'; reason: string; closeDate?: string | undefined }
  | { outcome: 'lost'; reason: string; competitor?: string | undefined; closeDate?: string | undefined }

/**
 * Closes a deal as won (probability 100, forecast "closed") or lost (0, "omitted"), with its
 * reason, and asks for the account's health and lifecycle to be recomputed, in the same
 * transaction. The close date becomes the day it closed (today unless given; never later).
 * Repeating the same request answers the deal unchanged; the opposite outcome is a 409.
 */
export async function closeOpportunity(
  db: Db,
  ctx: WriteContext,
  id: string,
  request: CloseRequest,
  now: Date,
): Promise<OpportunityRow> {
  return db.$transaction(async (tx) =>
    closeLockedOpportunity(tx, ctx, await lockOpportunity(tx, id), request, now),
  )
}

/**
 * closeOpportunity inside the caller's transaction, for a deal the caller has locked
 * (lockOpportunity): a renewal closes its renewal deal in the transaction that renews the
 * contract.
 */
export async function closeLockedOpportunity(
  tx: Tx,
  ctx: WriteContext,
  deal: OpportunityRow,
  request: CloseRequest,
  now: Date,
): Promise<OpportunityRow> {
  const today = todayOf(now)
  const closeDate = request.closeDate ?? today
  if (!isCalendarDate(closeDate) || closeDate > today)
    throw new DomainRuleError('The close date of a closed deal is the day it closed.', [
      { pointer: '/body/closeDate', message: `must be a real date not after today (${today})` },
    ])
  const competitor = request.outcome === 'lost' ? (request.competitor ?? null) : null
  const decision = closeDeal(stateOf(deal), { ...request, competitor })
  if ('refused' in decision) refuse(decision)
  if (decision.action === 'none') return deal
  const won = request.outcome === 'won'
  const row = await applyStageStep(tx, ctx, {
    deal,
    to: won ? 'closed_won' : 'closed_lost',
    probability: DEFAULT_STAGE_PROBABILITIES[won ? 'closed_won' : 'closed_lost'],
    closeDate,
    today,
    at: now,
    action: won ? 'won' : 'lost',
    extra: won
      ? { wonAt: now, wonReason: request.reason }
      : { lostAt: now, lostReason: request.reason, lostToCompetitor: competitor },
    details: { reason: request.reason, ...(competitor ? { competitor } : {}) },
  })
  await accountChanged(tx, ctx, deal.accountId, won ? 'opportunity_won' : 'opportunity_lost')
  return row
}
