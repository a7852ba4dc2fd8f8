/*
 * Account health: one 0..100 number an account manager can sort by, and the factors
 * behind it, so nobody has to trust a number they cannot explain.
 */

export interface AccountHealthInput {
  /**
   * The day the counts below were taken ('YYYY-MM-DD'). The arithmetic only uses the
   * counts, which are already relative to it; it is part of the input so a stored score
   * says which day it describes.
   */
  today: string
  /** Days since the latest activity of any kind; null when the account has none. */
  daysSinceLastActivity: number | null
  activitiesLast30Days: number
  activitiesLast90Days: number
  openOpportunities: number
  /** All won opportunities, ever. */
  wonOpportunities: number
  /** All lost opportunities, ever. */
  lostOpportunities: number
  wonLast365Days: number
  overdueInvoices: number
  openTickets: number
  /** Tickets that breached their SLA (counted whether still open or not). */
  breachedTickets: number
}

export interface HealthFactor {
  code: string
  points: number
  detail: string
}

export interface AccountHealth {
  /** Integer 0..100; always the sum of the factors' points. */
  score: number
  factors: HealthFactor[]
}

/** Every account starts here; the factors move it up or down. */
export const HEALTH_BASELINE = 50

/**
 * The account's health and why.
 *
 * | code             | when                                              | points               |
 * |------------------|---------------------------------------------------|----------------------|
 * | baseline         | always                                            | +50                  |
 * | recency          | last activity 0-7 days ago                        | +15                  |
 * |                  | 8-30 days ago                                     | +10                  |
 * |                  | 31-90 days ago                                    | 0 (no factor)        |
 * |                  | 91-180 days ago                                   | −10                  |
 * |                  | more than 180 days ago, or never                  | −20                  |
 * | activity_volume  | 10 or more activities in the last 30 days         | +10                  |
 * |                  | 3-9 activities in the last 30 days                | +5                   |
 * |                  | fewer than 3 activities in the last 90 days       | −5                   |
 * | open_deals       | per open opportunity                              | +5, at most +10      |
 * | wins             | per win in the last 365 days                      | +10, at most +20     |
 * |                  | no win in 365 days but an earlier one             | +5                   |
 * | losses           | per lost opportunity                              | −5, at most −15      |
 * | overdue_invoices | per overdue invoice                               | −10, at most −30     |
 * | open_tickets     | per open support ticket                           | −2, at most −10      |
 * | breached_tickets | per ticket that breached its SLA                  | −5, at most −15      |
 * | clamp            | the sum is outside 0..100                         | back to 0 or 100     |
 *
 * Recency and volume are separate on purpose: one call yesterday after a silent quarter is
 * recent but thin, and a busy month that ended two months ago is the opposite. Caps keep
 * one noisy count (a dozen old losses, a ticket storm) from drowning every other signal.
 * Unpaid invoices weigh most among the negatives: a customer who stops paying is leaving.
 * A breached ticket also counts as an open ticket while open: the breach is the extra harm.
 *
 * Factors with 0 points are left out. The baseline and a clamp line are included, so the
 * points always add up to the score. Counts that are negative, fractional or not finite
 * (a bug upstream) are read as the nearest sane count rather than thrown on, as this runs
 * in workflows where a throw would retry forever; a negative day count (an activity dated
 * slightly in the future) is read as today.
 */
export function accountHealth(input: AccountHealthInput): AccountHealth {
  const factors: HealthFactor[] = [
    { code: 'baseline', points: HEALTH_BASELINE, detail: 'every account starts at 50' },
  ]
  const add = (code: string, points: number, detail: string) => {
    if (points !== 0) factors.push({ code, points, detail })
  }
  /** `each` points per item, held to `limit` (a ceiling when positive, a floor when negative). */
  const perItem = (code: string, items: number, each: number, limit: number, one: string, many: string) => {
    const uncapped = items * each
    const points = each > 0 ? Math.min(uncapped, limit) : Math.max(uncapped, limit)
    const cap = points === uncapped ? '' : `, capped at ${signed(limit)}`
    add(code, points, `${count(items, one, many)} × ${signed(each)}${cap}`)
  }

  const days = daysOf(input.daysSinceLastActivity)
  if (days === null) add('recency', -20, 'no activity recorded')
  else if (days <= 7) add('recency', 15, `last activity ${count(days, 'day', 'days')} ago (0-7)`)
  else if (days <= 30) add('recency', 10, `last activity ${count(days, 'day', 'days')} ago (8-30)`)
  // 31-90 days: neither recent attention nor neglect, so no factor.
  else if (days > 90 && days <= 180)
    add('recency', -10, `last activity ${count(days, 'day', 'days')} ago (91-180)`)
  else if (days > 180) add('recency', -20, `last activity ${count(days, 'day', 'days')} ago (more than 180)`)

  const last30 = countOf(input.activitiesLast30Days)
  const last90 = countOf(input.activitiesLast90Days)
  if (last30 >= 10)
    add('activity_volume', 10, `${count(last30, 'activity', 'activities')} in the last 30 days (10 or more)`)
  else if (last30 >= 3)
    add('activity_volume', 5, `${count(last30, 'activity', 'activities')} in the last 30 days (3-9)`)
  else if (last90 < 3)
    add(
      'activity_volume',
      -5,
      `${count(last90, 'activity', 'activities')} in the last 90 days (fewer than 3)`,
    )

  perItem('open_deals', countOf(input.openOpportunities), 5, 10, 'open opportunity', 'open opportunities')

  const wonRecently = countOf(input.wonLast365Days)
  const wonEver = countOf(input.wonOpportunities)
  if (wonRecently > 0)
    perItem('wins', wonRecently, 10, 20, 'win in the last 365 days', 'wins in the last 365 days')
  else if (wonEver > 0)
    add('wins', 5, `${count(wonEver, 'earlier win', 'earlier wins')}, none in the last 365 days`)

  perItem('losses', countOf(input.lostOpportunities), -5, -15, 'lost opportunity', 'lost opportunities')
  perItem('overdue_invoices', countOf(input.overdueInvoices), -10, -30, 'overdue invoice', 'overdue invoices')
  perItem('open_tickets', countOf(input.openTickets), -2, -10, 'open ticket', 'open tickets')
  perItem(
    'breached_tickets',
    countOf(input.breachedTickets),
    -5,
    -15,
    'ticket that breached its SLA',
    'tickets that breached their SLA',
  )

  const raw = factors.reduce((sum, f) => sum + f.points, 0)
  const score = Math.min(100, Math.max(0, raw))
  if (score !== raw) add('clamp', score - raw, `factors gave ${raw}; held to ${score}`)
  return { score, factors }
}

const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`)

/** "1 open ticket", "3 open tickets": details are read by people. */
function count(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`
}

const countOf = (n: number) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0)

function daysOf(n: number | null): number | null {
  if (typeof n !== 'number' || Number.isNaN(n)) return null
  // +Infinity days is "longer ago than any band", which the last band already covers.
  if (n === Number.POSITIVE_INFINITY) return n
  return n > 0 ? Math.floor(n) : 0
}
