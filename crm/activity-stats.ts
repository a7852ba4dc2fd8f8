import { ACTIVITY_KINDS, type ActivityKind, type StatsPeriod } from '../domain/activity/activity.rules.js'
import { Prisma } from '../generated/prisma/client.js'
import type { Db } from '../platform/database/prisma.js'

/*
 * Activity statistics per owner and period: how many calls, emails, meetings, notes and
 * WhatsApp messages each person logged (or, for automated nurture, which system actor sent
 * them), counted in calendar buckets of the team's time zone. A day in Asia/Kolkata starts
 * at 18:30 UTC, so the buckets are cut in the zone, not in UTC.
 */

export interface ActivityStatsQuery {
  from: Date
  to: Date
  period: StatsPeriod
  /** An IANA zone, checked by the caller (PostgreSQL would fail on an unknown one). */
  timeZone: string
  /** The actor to count alone (`user:<id>` for a person). */
  actorId?: string | undefined
  /** The actors the caller may see counted; null: every actor, system ones included. */
  actorIds: readonly string[] | null
  kind?: ActivityKind | undefined
}

export interface ActivityBucket {
  /** The first day of the bucket in the time zone, 'YYYY-MM-DD' (weeks start on Monday). */
  periodStart: string
  actorId: string
  kind: string
  count: number
}

/** Counts per (bucket, actor, kind) for activities that occurred in [from, to). */
export async function activityBuckets(db: Db, q: ActivityStatsQuery): Promise<ActivityBucket[]> {
  const kinds = q.kind ? [q.kind] : [...ACTIVITY_KINDS]
  const actor = q.actorId ? Prisma.sql`AND actor_id = ${q.actorId}` : Prisma.empty
  const reach = q.actorIds === null ? Prisma.empty : Prisma.sql`AND actor_id = ANY(${q.actorIds}::text[])`
  return db.$queryRaw<ActivityBucket[]>`
    SELECT to_char(date_trunc(${q.period}, occurred_at AT TIME ZONE ${q.timeZone}), 'YYYY-MM-DD') AS "periodStart",
           actor_id AS "actorId", kind, count(*)::int AS count
      FROM activity
     WHERE occurred_at >= ${q.from} AND occurred_at < ${q.to}
       AND kind IN (${Prisma.join(kinds)}) ${actor} ${reach}
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3`
}

/**
 * Whether PostgreSQL reads `zone` as the IANA zone of that name. It looks a name up as an
 * abbreviation first, so 'IST' (India to ICU, Israel to PostgreSQL) or 'CET' (no summer
 * time as an abbreviation) would be cut in another zone than the caller meant; names ICU
 * knows and PostgreSQL does not ('CTT', 'AET') would fail the query. UTC and GMT read alike.
 */
export async function isDatabaseTimeZone(db: Db, zone: string): Promise<boolean> {
  const [row] = await db.$queryRaw<{ ok: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE lower(name) = lower(${zone}))
       AND (upper(${zone}) IN ('UTC', 'GMT')
            OR NOT EXISTS (SELECT 1 FROM pg_timezone_abbrevs WHERE lower(abbrev) = lower(${zone}))) AS ok`
  return row?.ok === true
}

export interface OwnerTotals {
  actorId: string
  total: number
  byKind: Record<string, number>
}

/** The buckets summed per actor, busiest first. */
export function ownerTotals(buckets: readonly ActivityBucket[]): OwnerTotals[] {
  const owners = new Map<string, OwnerTotals>()
  for (const b of buckets) {
    const o = owners.get(b.actorId) ?? { actorId: b.actorId, total: 0, byKind: {} }
    o.total += b.count
    o.byKind[b.kind] = (o.byKind[b.kind] ?? 0) + b.count
    owners.set(b.actorId, o)
  }
  return [...owners.values()].sort((a, b) => b.total - a.total || (a.actorId < b.actorId ? -1 : 1))
}
