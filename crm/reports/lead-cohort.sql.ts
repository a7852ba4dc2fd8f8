import { Prisma } from '../../generated/prisma/client.js'
import type { ReportWindow } from './report-window.js'

/*
 * SQL shared by the lead reports: which leads a period holds, and what became of them.
 * Each person counts once: only masters are in a cohort (a duplicate capture is the same
 * person, folded into its master), and a master's touches include its duplicates'.
 */

/**
 * Master leads created within the window, of the owners `owned` admits (a condition on
 * `l.owner_id`, from security/visibility.ts ownerCondition): `cohort(id, channel, status,
 * contacted_at, ...)`.
 */
export const cohortCte = (w: ReportWindow, owned: Prisma.Sql) => Prisma.sql`
  cohort AS (
    SELECT l.id, l.channel, l.status, l.contacted_at,
           (l.status = 'CONVERTED' OR lc.lead_id IS NOT NULL) AS converted
      FROM lead l
      LEFT JOIN lead_conversion lc ON lc.lead_id = l.id
     WHERE NOT l.is_duplicate AND l.created_at >= ${w.start} AND l.created_at < ${w.end} AND ${owned}
  )`

/**
 * One touch per cohort lead, from the ledger of the lead and its duplicates:
 * `attributed_touch(lead_id, source, medium, campaign)`. The first touch is the earliest
 * (ties: the one recorded first), the last the latest (ties: the one recorded last), as
 * domain/attribution/touch.rules.ts firstAndLastTouch picks them.
 */
export const attributedTouchCte = (model: 'first' | 'last') => Prisma.sql`
  attributed_touch AS (
    SELECT DISTINCT ON (master_id) master_id AS lead_id, t.source, t.medium, t.campaign
      FROM (SELECT id, id AS master_id FROM cohort
            UNION ALL
            -- Two arms rather than one OR, so the duplicate_of_id index finds the duplicates.
            SELECT l.id, l.duplicate_of_id FROM lead l WHERE l.duplicate_of_id IN (SELECT id FROM cohort)) owned
      JOIN touch t ON t.lead_id = owned.id
     ORDER BY master_id, ${
       model === 'first' ? Prisma.sql`t.occurred_at ASC, t.id ASC` : Prisma.sql`t.occurred_at DESC, t.id DESC`
     }
  )`

/** The deal each cohort lead converted into, when it was won: `won_deal(lead_id, amount, currency)`. */
export const wonDealCte = Prisma.sql`
  won_deal AS (
    SELECT o.lead_id, o.amount, o.currency
      FROM opportunity o
     WHERE o.lead_id IN (SELECT id FROM cohort WHERE converted) AND o.stage = 'closed_won'
  )`

/** Text shown for leads no touch was ever recorded for (created by hand, before the ledger). */
export const UNATTRIBUTED = '(unattributed)'
