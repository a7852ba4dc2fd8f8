import { emptyFunnel, funnelRates, type FunnelCounts } from '../../domain/reports/funnel.rules.js'
import { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import type { Principal } from '../../security/principal.js'
import { ownerCondition } from '../../security/visibility.js'
import { UNATTRIBUTED, attributedTouchCte, cohortCte, wonDealCte } from './lead-cohort.sql.js'
import type { ReportWindow } from './report-window.js'

interface FunnelRow {
  source: string | null
  channel: string | null
  by_source: number
  by_channel: number
  captured: number
  contacted: number
  qualified: number
  converted: number
  won: number
}

const countsOf = (r: FunnelRow): FunnelCounts => ({
  captured: r.captured,
  contacted: r.contacted,
  qualified: r.qualified,
  converted: r.converted,
  won: r.won,
})

const withRates = (counts: FunnelCounts) => ({ counts, rates: funnelRates(counts) })

/**
 * The funnel of the leads created in the window and owned by people the principal's report
 * scope reaches, overall, by first-touch source and by capture channel, in one aggregate
 * query (grouping sets). A lead is counted at every stage it reached, so the stages only narrow.
 */
export async function funnelReport(db: Db, p: Principal, w: ReportWindow) {
  const owned = await ownerCondition(p, 'report', Prisma.sql`l.owner_id`)
  const rows = await db.$queryRaw<FunnelRow[]>`
    WITH ${cohortCte(w, owned)}, ${attributedTouchCte('first')}, ${wonDealCte},
    staged AS (
      SELECT c.channel, COALESCE(ft.source, ${UNATTRIBUTED}) AS source,
             (c.contacted_at IS NOT NULL OR c.status IN ('CONTACTED', 'QUALIFIED', 'CONVERTED') OR c.converted)
               AS contacted,
             (c.status IN ('QUALIFIED', 'CONVERTED') OR c.converted) AS qualified,
             c.converted,
             (wd.lead_id IS NOT NULL) AS won
        FROM cohort c
        LEFT JOIN attributed_touch ft ON ft.lead_id = c.id
        LEFT JOIN won_deal wd ON wd.lead_id = c.id
    )
    SELECT source, channel, (1 - GROUPING(source))::int AS by_source, (1 - GROUPING(channel))::int AS by_channel,
           count(*)::int AS captured,
           count(*) FILTER (WHERE contacted)::int AS contacted,
           count(*) FILTER (WHERE qualified)::int AS qualified,
           count(*) FILTER (WHERE converted)::int AS converted,
           count(*) FILTER (WHERE won)::int AS won
      FROM staged
     GROUP BY GROUPING SETS ((), (source), (channel))
     ORDER BY source COLLATE "C" NULLS LAST, channel COLLATE "C" NULLS LAST`
  const overall = rows.find((r) => !r.by_source && !r.by_channel)
  return {
    overall: withRates(overall ? countsOf(overall) : emptyFunnel()),
    bySource: rows.filter((r) => r.by_source).map((r) => ({ source: r.source!, ...withRates(countsOf(r)) })),
    byChannel: rows
      .filter((r) => r.by_channel)
      .map((r) => ({ channel: r.channel!, ...withRates(countsOf(r)) })),
  }
}
