import { daysInMonth, parseCalendarDate } from '../time/calendar-date.rules.js'
import {
  BEST_CASE_PROBABILITY,
  COMMIT_PROBABILITY,
  OPPORTUNITY_STAGES,
  isOpenStage,
  type ForecastCategory,
  type OpportunityStage,
} from './pipeline.rules.js'

/*
 * The forecast category a deal counts in depends on today (a deal slips, a quarter starts),
 * so the stored category is only as fresh as the deal's last write. To filter deals by
 * their category *today* in the database, each category is restated here as the stage,
 * probability and close-date ranges it covers: the same table as forecastCategory, kept
 * next to it and checked against it in the unit tests.
 */

/** Bounds on a 'YYYY-MM-DD' close date; all given bounds hold together. */
export interface CloseDateRange {
  gte?: string
  lte?: string
  gt?: string
  lt?: string
}

/** One set of conditions that together put a deal in the category. */
export interface ForecastClause {
  stages: OpportunityStage[]
  minProbability?: number
  maxProbability?: number
  closeDate?: CloseDateRange
}

const OPEN: OpportunityStage[] = OPPORTUNITY_STAGES.filter(isOpenStage)

/** The last day of `today`'s calendar quarter, 'YYYY-MM-DD'. */
export function quarterEnd(today: string): string {
  const date = parseCalendarDate(today)
  if (date === null) throw new RangeError(`not a calendar date: ${today}`)
  const month = Math.floor((date.month - 1) / 3) * 3 + 3
  const pad = (n: number, width: number) => String(n).padStart(width, '0')
  return `${pad(date.year, 4)}-${pad(month, 2)}-${pad(daysInMonth(date.year, month), 2)}`
}

/**
 * The conditions under which forecastCategory gives `category` on `today` for a deal with
 * a real close date and an integer probability. A deal is in the category exactly when it
 * meets every condition of at least one clause.
 *
 * @param today - A real 'YYYY-MM-DD' date (RangeError otherwise).
 */
export function forecastCategoryClauses(category: ForecastCategory, today: string): ForecastClause[] {
  const end = quarterEnd(today)
  switch (category) {
    case 'closed':
      return [{ stages: ['closed_won'] }]
    case 'omitted':
      return [{ stages: ['closed_lost'] }]
    case 'commit':
      return [{ stages: OPEN, minProbability: COMMIT_PROBABILITY, closeDate: { gte: today, lte: end } }]
    case 'best_case':
      return [
        { stages: OPEN, minProbability: COMMIT_PROBABILITY, closeDate: { gt: end } },
        {
          stages: OPEN,
          minProbability: BEST_CASE_PROBABILITY,
          maxProbability: COMMIT_PROBABILITY - 1,
          closeDate: { gte: today },
        },
      ]
    case 'pipeline':
      return [
        { stages: OPEN, closeDate: { lt: today } },
        { stages: OPEN, maxProbability: BEST_CASE_PROBABILITY - 1 },
      ]
  }
}

/** Whether a deal meets a clause: what the database does with the clauses, for the specs. */
export function meetsClause(
  deal: { stage: OpportunityStage; probability: number; closeDate: string },
  clause: ForecastClause,
): boolean {
  const { gte, lte, gt, lt } = clause.closeDate ?? {}
  const d = deal.closeDate
  return (
    clause.stages.includes(deal.stage) &&
    (clause.minProbability === undefined || deal.probability >= clause.minProbability) &&
    (clause.maxProbability === undefined || deal.probability <= clause.maxProbability) &&
    (gte === undefined || d >= gte) &&
    (lte === undefined || d <= lte) &&
    (gt === undefined || d > gt) &&
    (lt === undefined || d < lt)
  )
}
