/*
 * An account's lifecycle, from a company that marketing brought in to a paying customer
 * and, if it stops buying and goes quiet, a churned one that can be won back.
 *
 *   MQA ──(deal opened)──► SQA ──(deal won)──► Customer ──(no win; silent or unhealthy)──► Churned
 *   MQA ──(deal won)──► Customer      SQA ──(all deals lost)──► MQA      Churned ──(win-back)──► Customer
 *
 * MQA = marketing qualified account, SQA = sales qualified account.
 */

export const LIFECYCLE_STAGES = ['MQA', 'SQA', 'Customer', 'Churned'] as const
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number]

export function isLifecycleStage(value: unknown): value is LifecycleStage {
  return typeof value === 'string' && (LIFECYCLE_STAGES as readonly string[]).includes(value)
}

/** What the lifecycle rules look at; counted by the caller on the day of the evaluation. */
export interface LifecycleFacts {
  openOpportunities: number
  /** Won opportunities, ever. */
  wonOpportunities: number
  /** Won opportunities within the last `churnAfterDaysWithoutWin` days (365 by default). */
  wonLast365Days: number
  /** Days since the latest activity; null when the account has none. */
  daysSinceLastActivity: number | null
  /** The account's health score, 0..100 (health.rules.ts). */
  health: number
}

export interface LifecyclePolicy {
  /**
   * A customer with no win for this many days may churn. The rules read the count of
   * recent wins from `facts.wonLast365Days`, so a caller that changes this must count
   * wins over the same window; the fact is named after the default.
   */
  churnAfterDaysWithoutWin: number
  /** A customer with no activity for this many days (or more) is silent. */
  churnAfterDaysSilent: number
  /** A customer whose health is below this is at risk. */
  churnHealthBelow: number
}

export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = {
  churnAfterDaysWithoutWin: 365,
  churnAfterDaysSilent: 180,
  churnHealthBelow: 20,
}

export interface LifecycleDecision {
  stage: LifecycleStage
  /** One sentence for history and the account page. */
  reason: string
  changed: boolean
}

/**
 * The stage an account should be in, given its current stage and today's facts. One step
 * per evaluation; the first row that applies to the current stage wins.
 *
 * | from     | when                                                                  | to       |
 * |----------|-----------------------------------------------------------------------|----------|
 * | MQA      | an opportunity was won                                                | Customer |
 * | MQA      | an opportunity is open                                                | SQA      |
 * | MQA      | otherwise                                                             | MQA      |
 * | SQA      | an opportunity was won                                                | Customer |
 * | SQA      | no open opportunity and none won (its deals were lost)                | MQA      |
 * | SQA      | otherwise                                                             | SQA      |
 * | Customer | no win in the last 365 days AND (no activity for 180 days or more,    | Churned  |
 * |          | or none ever, OR health below 20)                                     |          |
 * | Customer | otherwise                                                             | Customer |
 * | Churned  | a win in the last 365 days AND activity in the last 180 days          | Customer |
 * | Churned  | otherwise                                                             | Churned  |
 *
 * (365, 180 and 20 are DEFAULT_LIFECYCLE_POLICY's values.)
 *
 * - An MQA is created by a lead conversion and has no deal open yet. It never goes
 *   straight to Churned: an account that never bought cannot stop buying.
 * - A won deal makes a Customer from MQA too, for a deal opened and won between two
 *   evaluations (or an imported history).
 * - An SQA whose deals were all lost goes back to marketing (MQA) rather than staying in
 *   sales' list with nothing to work on.
 * - Churn needs both a lapsed relationship (no recent win) and a sign of leaving (silence
 *   or poor health): a customer on a multi-year contract with no new deal but regular
 *   contact has not churned.
 * - A Customer stays a Customer while open deals come and go; it leaves only by churning.
 * - Win-back needs activity in the last 180 days as well as the win, so a stale import of
 *   old wins does not resurrect an account nobody talks to. Because churn requires no
 *   recent win, a won-back account does not churn again on the next evaluation.
 * - A Churned account with only an open deal stays Churned until that deal is won.
 *
 * Negative, fractional or non-finite counts (a bug upstream) are read as the nearest sane
 * count rather than thrown on, because this runs in workflows where a throw retries
 * forever. A health that is not a number is not "below" anything.
 */
export function nextLifecycleStage(
  current: LifecycleStage,
  facts: LifecycleFacts,
  policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
): LifecycleDecision {
  const open = countOf(facts.openOpportunities)
  const won = countOf(facts.wonOpportunities)
  const wonRecently = countOf(facts.wonLast365Days)
  const days = daysOf(facts.daysSinceLastActivity)
  const withinDays = policy.churnAfterDaysWithoutWin

  const move = (stage: LifecycleStage, reason: string): LifecycleDecision => ({
    stage,
    reason,
    changed: stage !== current,
  })

  switch (current) {
    case 'MQA':
      if (won > 0) return move('Customer', `${plural(won, 'opportunity was', 'opportunities were')} won.`)
      if (open > 0) return move('SQA', `${plural(open, 'opportunity is', 'opportunities are')} open.`)
      return move('MQA', 'No opportunity is open or won yet.')

    case 'SQA':
      if (won > 0) return move('Customer', `${plural(won, 'opportunity was', 'opportunities were')} won.`)
      if (open === 0) return move('MQA', 'No opportunity is open and none was won: the deals were lost.')
      return move('SQA', `${plural(open, 'opportunity is', 'opportunities are')} open and none is won yet.`)

    case 'Customer': {
      if (wonRecently > 0) return move('Customer', `Won within the last ${withinDays} days.`)
      const silent = days === null || days >= policy.churnAfterDaysSilent
      const unhealthy = facts.health < policy.churnHealthBelow
      if (!silent && !unhealthy) {
        return move(
          'Customer',
          `No win in the last ${withinDays} days, but active ${daysAgo(days)} and health ${facts.health} is not below ${policy.churnHealthBelow}.`,
        )
      }
      const signs = [
        silent ? (days === null ? 'no activity recorded' : `no activity for ${dayCount(days)}`) : null,
        unhealthy ? `health ${facts.health} below ${policy.churnHealthBelow}` : null,
      ].filter((s) => s !== null)
      return move('Churned', `No win in the last ${withinDays} days and ${signs.join(' and ')}.`)
    }

    case 'Churned': {
      if (wonRecently === 0) return move('Churned', `No win in the last ${withinDays} days.`)
      if (days === null || days >= policy.churnAfterDaysSilent) {
        return move(
          'Churned',
          `Won within the last ${withinDays} days, but ${days === null ? 'no activity recorded' : `no activity for ${dayCount(days)}`}.`,
        )
      }
      return move('Customer', `Won back: won within the last ${withinDays} days and active ${daysAgo(days)}.`)
    }
  }
}

const countOf = (n: number) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0)

function daysOf(n: number | null): number | null {
  if (typeof n !== 'number' || Number.isNaN(n)) return null
  if (n === Number.POSITIVE_INFINITY) return n
  return n > 0 ? Math.floor(n) : 0
}

function daysAgo(days: number | null): string {
  return days === 0 ? 'today' : `${dayCount(days)} ago`
}

function dayCount(days: number | null): string {
  return days === 1 ? '1 day' : `${days} days`
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`
}
