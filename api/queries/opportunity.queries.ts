import { forecastCategoryClauses } from '../../domain/opportunity/forecast-scope.rules.js'
import {
  forecastCategory,
  isOpenStage,
  OPPORTUNITY_STAGES,
  type ForecastCategory,
  type OpportunityStage,
} from '../../domain/opportunity/pipeline.rules.js'
import {
  calendarDateOf,
  todayOf,
  type OpportunityKind,
  type OpportunityRow,
} from '../../crm/opportunities.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { ListOpportunitiesQuery } from '../schemas/opportunity.schema.js'
import { afterCursor, toPage } from './keyset.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)
const dateOf = (ymd: string) => new Date(`${ymd}T00:00:00Z`)
const OPEN_STAGES = OPPORTUNITY_STAGES.filter(isOpenStage)

/** A deal as the API shows it, its forecast category judged as of `today`. */
export function toOpportunity(o: OpportunityRow, today: string) {
  const stage = o.stage as OpportunityStage
  const closeDate = calendarDateOf(o.closeDate)
  return {
    id: o.id,
    accountId: o.accountId,
    contactId: o.contactId,
    leadId: o.leadId,
    name: o.name,
    kind: o.kind as OpportunityKind,
    renewalOfContractId: o.renewalOfContractId,
    amount: Number(o.amount),
    currency: o.currency,
    stage,
    open: isOpenStage(stage),
    probability: o.probability,
    forecastCategory: forecastCategory({ stage, probability: o.probability, closeDate, today }),
    closeDate,
    ownerId: o.ownerId,
    wonAt: iso(o.wonAt),
    lostAt: iso(o.lostAt),
    wonReason: o.wonReason,
    lostReason: o.lostReason,
    lostToCompetitor: o.lostToCompetitor,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    createdBy: o.createdBy,
    updatedBy: o.updatedBy,
  }
}

/** A deal with its stage history (oldest first) and the category stored at its last write. */
export async function opportunityDetail(db: Db, o: OpportunityRow, now: Date) {
  const history = await db.opportunityStageChange.findMany({
    where: { opportunityId: o.id },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  })
  return {
    ...toOpportunity(o, todayOf(now)),
    storedForecastCategory: o.forecastCategory as ForecastCategory,
    stageHistory: history.map((h) => ({
      fromStage: h.fromStage as OpportunityStage | null,
      toStage: h.toStage as OpportunityStage,
      probability: h.probability,
      at: h.at.toISOString(),
      by: h.by,
    })),
  }
}

/** One deal; one outside `visible` is not found. */
export async function getOpportunity(db: Db, id: string, now: Date, visible: Prisma.OpportunityWhereInput) {
  const o = await db.opportunity.findFirst({ where: { AND: [{ id }, visible] } })
  if (!o) throw new NotFoundError('opportunity', id)
  return opportunityDetail(db, o, now)
}

/**
 * The deals in the forecast category `category` today, as a Prisma filter: the domain's
 * clauses (stage, probability and close-date ranges), so a deal that slipped since its last
 * write is found under "pipeline", not under the "commit" stored then.
 */
function forecastFilter(category: ForecastCategory, today: string): Prisma.OpportunityWhereInput {
  return {
    OR: forecastCategoryClauses(category, today).map((c) => ({
      stage: { in: c.stages },
      ...(c.minProbability !== undefined || c.maxProbability !== undefined
        ? {
            probability: {
              ...(c.minProbability !== undefined ? { gte: c.minProbability } : {}),
              ...(c.maxProbability !== undefined ? { lte: c.maxProbability } : {}),
            },
          }
        : {}),
      ...(c.closeDate
        ? {
            closeDate: Object.fromEntries(
              Object.entries(c.closeDate).map(([op, ymd]) => [op, dateOf(ymd as string)]),
            ),
          }
        : {}),
    })),
  }
}

/**
 * Deals by close date (soonest first, then id), keyset-paginated; filters combine with AND,
 * and with `visible` (the caller's row-level access).
 */
export async function listOpportunities(
  db: Db,
  q: ListOpportunitiesQuery,
  now: Date,
  visible: Prisma.OpportunityWhereInput,
) {
  const today = todayOf(now)
  const and: Prisma.OpportunityWhereInput[] = [visible]
  if (q.accountId) and.push({ accountId: q.accountId })
  if (q.ownerId) and.push({ ownerId: q.ownerId })
  if (q.stage) and.push({ stage: q.stage })
  if (q.kind) and.push({ kind: q.kind })
  if (q.open !== undefined) and.push({ stage: q.open ? { in: OPEN_STAGES } : { notIn: OPEN_STAGES } })
  if (q.forecastCategory) and.push(forecastFilter(q.forecastCategory, today))
  if (q.closeDateFrom) and.push({ closeDate: { gte: dateOf(q.closeDateFrom) } })
  if (q.closeDateTo) and.push({ closeDate: { lte: dateOf(q.closeDateTo) } })
  const after = afterCursor(q.cursor, 'closeDate', 'asc', true, 'uuid')
  if (after) and.push(after as Prisma.OpportunityWhereInput)
  const rows = await db.opportunity.findMany({
    where: { AND: and },
    orderBy: [{ closeDate: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  })
  return toPage(
    rows,
    q.limit,
    (o) => o.closeDate,
    (o) => toOpportunity(o, today),
  )
}
