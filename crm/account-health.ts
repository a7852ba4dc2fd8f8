import { accountHealth } from '../domain/account/health.rules.js'
import { nextLifecycleStage, type LifecycleStage } from '../domain/account/lifecycle.rules.js'
import { asJson, type Db } from '../platform/database/prisma.js'
import { NotFoundError } from '../platform/errors.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { indiaDate } from '../domain/time/india-date.rules.js'
import { accountTimelineScope } from './timeline.js'

const DAY = 86_400_000

export interface AccountHealthResult {
  accountId: string
  active: boolean
  health: number
  lifecycleStage: LifecycleStage
  changed: boolean
  reason: string
}

/**
 * Recomputes an account's health from its timeline and deals, and moves its lifecycle
 * stage by the documented rules (domain/account/lifecycle.rules.ts). Idempotent: running it
 * twice on the same data changes nothing the second time.
 */
export async function refreshAccountHealth(
  db: Db,
  accountId: string,
  now = new Date(),
): Promise<AccountHealthResult> {
  const account = await db.account.findUnique({ where: { id: accountId } })
  if (!account) throw new NotFoundError('account', accountId)
  // Invoices are due by India calendar date: one is overdue from the day after its due date.
  const today = indiaDate(now.getTime())
  // The account's timeline (crm/timeline.ts): its own entries, its contacts', their leads' and its deals'.
  const [facts] = await db.$queryRaw<
    {
      last: Date | null
      d30: bigint
      d90: bigint
      open: bigint
      won: bigint
      lost: bigint
      won365: bigint
      overdue: bigint
      tickets: bigint
      breached: bigint
    }[]
  >`
    WITH acts AS (SELECT occurred_at FROM activity WHERE ${accountTimelineScope(accountId)})
    SELECT (SELECT max(occurred_at) FROM acts) AS last,
           (SELECT count(*) FROM acts WHERE occurred_at > ${new Date(now.getTime() - 30 * DAY)}) AS d30,
           (SELECT count(*) FROM acts WHERE occurred_at > ${new Date(now.getTime() - 90 * DAY)}) AS d90,
           (SELECT count(*) FROM opportunity WHERE account_id = ${accountId}::uuid AND stage NOT IN ('closed_won','closed_lost')) AS open,
           (SELECT count(*) FROM opportunity WHERE account_id = ${accountId}::uuid AND stage = 'closed_won') AS won,
           (SELECT count(*) FROM opportunity WHERE account_id = ${accountId}::uuid AND stage = 'closed_lost') AS lost,
           (SELECT count(*) FROM opportunity WHERE account_id = ${accountId}::uuid AND stage = 'closed_won'
              AND coalesce(won_at, updated_at) > ${new Date(now.getTime() - 365 * DAY)}) AS won365,
           (SELECT count(*) FROM invoice WHERE account_id = ${accountId}::uuid
              AND status IN ('issued','partially_paid') AND due_date < ${today}::date) AS overdue,
           (SELECT count(*) FROM ticket WHERE account_id = ${accountId}::uuid
              AND status IN ('new','open','pending')) AS tickets,
           (SELECT count(*) FROM ticket WHERE account_id = ${accountId}::uuid
              AND (first_response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL)) AS breached`
  const f = facts!
  const daysSinceLastActivity = f.last ? Math.floor((now.getTime() - f.last.getTime()) / DAY) : null
  const health = accountHealth({
    today,
    daysSinceLastActivity,
    activitiesLast30Days: Number(f.d30),
    activitiesLast90Days: Number(f.d90),
    openOpportunities: Number(f.open),
    wonOpportunities: Number(f.won),
    lostOpportunities: Number(f.lost),
    wonLast365Days: Number(f.won365),
    // Customer success: unpaid invoices past their due date (issued or partly paid), tickets
    // still being worked (new, open, pending) and tickets that ever missed an SLA deadline.
    overdueInvoices: Number(f.overdue),
    openTickets: Number(f.tickets),
    breachedTickets: Number(f.breached),
  })
  const next = nextLifecycleStage(account.lifecycleStage as LifecycleStage, {
    openOpportunities: Number(f.open),
    wonOpportunities: Number(f.won),
    wonLast365Days: Number(f.won365),
    daysSinceLastActivity,
    health: health.score,
  })
  await db.$transaction(async (tx) => {
    await tx.account.update({
      where: { id: accountId },
      data: {
        healthScore: health.score,
        healthFactors: asJson(health.factors),
        healthUpdatedAt: now,
        ...(next.changed
          ? {
              lifecycleStage: next.stage,
              lifecycleChangedAt: now,
              type: next.stage === 'Customer' ? 'customer' : account.type,
            }
          : {}),
        updatedBy: 'system:account-lifecycle',
      },
    })
    if (next.changed)
      await recordActivity(tx, {
        kind: 'lifecycle_change',
        direction: 'internal',
        subject: `Lifecycle: ${account.lifecycleStage} → ${next.stage}`,
        details: { from: account.lifecycleStage, to: next.stage, reason: next.reason, health: health.score },
        accountId,
        occurredAt: now,
        actorId: 'system:account-lifecycle',
        dedupeKey: `lifecycle/${accountId}/${account.lifecycleChangedAt.toISOString()}/${next.stage}`,
      })
  })
  return {
    accountId,
    active: account.isActive,
    health: health.score,
    lifecycleStage: next.stage,
    changed: next.changed,
    reason: next.reason,
  }
}
