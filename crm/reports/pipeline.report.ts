import { Prisma } from '../../generated/prisma/client.js'
import { toHundredths } from '../../domain/reports/money.rules.js'
import { summarisePipeline, type PipelineGroup } from '../../domain/reports/pipeline-report.rules.js'
import type { Db } from '../../platform/database/prisma.js'
import type { Principal } from '../../security/principal.js'
import { ownerCondition } from '../../security/visibility.js'
import type { ReportWindow } from './report-window.js'

export interface PipelineFilters {
  ownerId?: string | undefined
  kind?: string | undefined
}

/**
 * Opportunities closing (or closed) within the window's days, owned by people the
 * principal's report scope reaches (a manager: their team's deals), by stage and by today's
 * forecast category. One aggregate query: the database groups by everything the category
 * depends on (stage, probability, close date) and by currency, and the pure rule folds the
 * few resulting rows, so the category is today's and the amounts never leave their currency.
 */
export async function pipelineReport(db: Db, p: Principal, w: ReportWindow, f: PipelineFilters) {
  const owned = await ownerCondition(p, 'report', Prisma.sql`owner_id`)
  const rows = await db.$queryRaw<
    {
      stage: string
      probability: number
      close_date: string
      currency: string
      count: number
      amount: string
      amount_times_probability: string
    }[]
  >`
    SELECT stage, probability, to_char(close_date, 'YYYY-MM-DD') AS close_date, currency,
           count(*)::int AS count, sum(amount)::text AS amount,
           sum(amount * probability)::text AS amount_times_probability
      FROM opportunity
     WHERE close_date BETWEEN ${w.from}::date AND ${w.to}::date AND ${owned}
       ${f.ownerId ? Prisma.sql`AND owner_id = ${f.ownerId}` : Prisma.empty}
       ${f.kind ? Prisma.sql`AND kind = ${f.kind}` : Prisma.empty}
     GROUP BY stage, probability, close_date, currency`
  const groups: PipelineGroup[] = rows.map((r) => ({
    stage: r.stage,
    probability: r.probability,
    closeDate: r.close_date,
    currency: r.currency,
    count: r.count,
    amount: toHundredths(r.amount),
    amountTimesProbability: toHundredths(r.amount_times_probability),
  }))
  return { today: w.today, ...summarisePipeline(groups, w.today) }
}
