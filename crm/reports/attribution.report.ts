import { CurrencySums, fromHundredths, toHundredths } from '../../domain/reports/money.rules.js'
import { rate } from '../../domain/reports/rate.rules.js'
import { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import type { Principal } from '../../security/principal.js'
import { ownerCondition } from '../../security/visibility.js'
import { UNATTRIBUTED, attributedTouchCte, cohortCte, wonDealCte } from './lead-cohort.sql.js'
import type { ReportWindow } from './report-window.js'

export const ATTRIBUTION_DIMENSIONS = ['source', 'medium', 'campaign'] as const
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number]

interface AttributionRow {
  source: string | null
  medium: string | null
  campaign: string | null
  /** 1 on the row holding a group's lead counts, 0 on its per-currency won sums. */
  is_total: number
  currency: string | null
  leads: number
  converted: number
  won: number
  won_amount: string | null
}

const keyOf = (r: AttributionRow) => JSON.stringify([r.source, r.medium, r.campaign])

/**
 * Leads created in the window and owned by people the principal's report scope reaches,
 * credited to their first or last touch, grouped by the chosen dimensions: how many, how
 * many converted, how many deals they won and for how much (per currency). One aggregate
 * query: one grouping set gives each group's counts, another its won sums per currency.
 */
export async function attributionReport(
  db: Db,
  p: Principal,
  w: ReportWindow,
  model: 'first' | 'last',
  groupBy: readonly AttributionDimension[],
) {
  const by = new Set(groupBy)
  const owned = await ownerCondition(p, 'report', Prisma.sql`l.owner_id`)
  const rows = await db.$queryRaw<AttributionRow[]>`
    WITH ${cohortCte(w, owned)}, ${attributedTouchCte(model)}, ${wonDealCte},
    credited AS (
      SELECT CASE WHEN ${by.has('source')} THEN COALESCE(ft.source, ${UNATTRIBUTED}) END AS source,
             CASE WHEN ${by.has('medium')} THEN COALESCE(ft.medium, ${UNATTRIBUTED}) END AS medium,
             CASE WHEN ${by.has('campaign')} THEN ft.campaign END AS campaign,
             c.converted, wd.lead_id IS NOT NULL AS won, wd.amount, wd.currency
        FROM cohort c
        LEFT JOIN attributed_touch ft ON ft.lead_id = c.id
        LEFT JOIN won_deal wd ON wd.lead_id = c.id
    )
    SELECT source, medium, campaign, GROUPING(currency)::int AS is_total, currency,
           count(*)::int AS leads,
           count(*) FILTER (WHERE converted)::int AS converted,
           count(*) FILTER (WHERE won)::int AS won,
           sum(amount)::text AS won_amount
      FROM credited
     GROUP BY GROUPING SETS ((source, medium, campaign), (source, medium, campaign, currency))
     ORDER BY source COLLATE "C" NULLS LAST, medium COLLATE "C" NULLS LAST,
              campaign COLLATE "C" NULLS LAST, currency COLLATE "C" NULLS LAST`

  const totals = {
    leads: 0,
    convertedLeads: 0,
    wonOpportunities: 0,
    wonAmounts: new CurrencySums(['amount']),
  }
  const groups = new Map<string, { row: AttributionRow; amounts: CurrencySums<'amount'> }>()
  for (const r of rows.filter((r) => r.is_total)) {
    groups.set(keyOf(r), { row: r, amounts: new CurrencySums(['amount']) })
    totals.leads += r.leads
    totals.convertedLeads += r.converted
    totals.wonOpportunities += r.won
  }
  for (const r of rows.filter((r) => !r.is_total && r.currency !== null && r.won_amount !== null)) {
    const amount = toHundredths(r.won_amount!)
    groups.get(keyOf(r))!.amounts.add(r.currency!, { amount })
    totals.wonAmounts.add(r.currency!, { amount })
  }
  const amountsOf = (sums: CurrencySums<'amount'>) =>
    sums.entries().map(({ currency, sums: s }) => ({ currency, amount: fromHundredths(s.amount) }))
  return {
    model,
    groupBy: ATTRIBUTION_DIMENSIONS.filter((d) => by.has(d)),
    rows: [...groups.values()].map(({ row, amounts }) => ({
      ...(by.has('source') ? { source: row.source ?? UNATTRIBUTED } : {}),
      ...(by.has('medium') ? { medium: row.medium ?? UNATTRIBUTED } : {}),
      ...(by.has('campaign') ? { campaign: row.campaign } : {}),
      leads: row.leads,
      convertedLeads: row.converted,
      conversionRate: rate(row.converted, row.leads),
      wonOpportunities: row.won,
      wonAmounts: amountsOf(amounts),
    })),
    totals: {
      leads: totals.leads,
      convertedLeads: totals.convertedLeads,
      conversionRate: rate(totals.convertedLeads, totals.leads),
      wonOpportunities: totals.wonOpportunities,
      wonAmounts: amountsOf(totals.wonAmounts),
    },
  }
}
