import { activityBuckets, isDatabaseTimeZone, ownerTotals } from '../../crm/activity-stats.js'
import { timelineRows, type TimelineRow, type TimelineSubject } from '../../crm/timeline.js'
import type { ActivityDirection } from '../../domain/activity/activity.rules.js'
import { isValidTimeZone } from '../../domain/journey/quiet-hours.rules.js'
import type { Db } from '../../platform/database/prisma.js'
import { LeadwireError } from '../../platform/errors.js'
import type { Principal } from '../../security/principal.js'
import { activityActorIds, assertOwnerInReach, assertVisible } from '../../security/visibility.js'
import type { ActivityStatsQuery, TimelineQuery } from '../schemas/activity.schema.js'
import { cursorError, decodeCursor } from './cursor.js'
import { cursorTime, isUuid, toPage } from './keyset.js'

const DAY_MS = 86_400_000
/** Longest statistics window: two years of daily buckets is already a long answer. */
const MAX_STATS_DAYS = 731

export function toActivity(a: TimelineRow) {
  return {
    id: a.id,
    kind: a.kind,
    direction: a.direction as ActivityDirection,
    subject: a.subject,
    details: (a.details ?? {}) as Record<string, unknown>,
    leadId: a.leadId,
    accountId: a.accountId,
    contactId: a.contactId,
    opportunityId: a.opportunityId,
    taskId: a.taskId,
    occurredAt: a.occurredAt.toISOString(),
    recordedAt: a.recordedAt.toISOString(),
    actorId: a.actorId,
  }
}

/** A record's timeline, newest first; 404 when the record does not exist or the principal does not see it. */
export async function timelinePage(db: Db, p: Principal, subject: TimelineSubject, q: TimelineQuery) {
  await assertVisible(db, p, subject.kind, subject.id)
  const kinds = q.kind?.flatMap((k) => k.split(',')).filter(Boolean)
  let after: { at: Date; id: string } | undefined
  if (q.cursor) {
    const c = decodeCursor(q.cursor)
    const at = cursorTime(c.v)
    if (at === null || !isUuid(c.id)) throw cursorError()
    after = { at, id: c.id }
  }
  const rows = await timelineRows(db, subject, { kinds, after, limit: q.limit })
  return toPage(rows, q.limit, (a) => a.occurredAt, toActivity)
}

const badQuery = (pointer: string, message: string) =>
  new LeadwireError(
    'malformed_request',
    400,
    `The query is not valid: ${pointer.split('/').pop()} ${message}.`,
    {
      errors: [{ pointer, message }],
    },
  )

const userIdOf = (actorId: string) => (actorId.startsWith('user:') ? actorId.slice('user:'.length) : null)

/**
 * Activity counts per owner, kind and period in [from, to), of the people the principal
 * sees (everyone, system actors included, for a role that sees all); asking for one
 * outside that reach is a 403.
 */
export async function activityStats(db: Db, p: Principal, q: ActivityStatsQuery, now: Date) {
  const to = q.to ? new Date(q.to) : now
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS)
  if (!isValidTimeZone(q.tz) || !(await isDatabaseTimeZone(db, q.tz)))
    throw badQuery('/querystring/tz', 'must be an IANA time zone such as Asia/Kolkata')
  // Year 0000 is a valid ISO timestamp that PostgreSQL refuses.
  if (from.getUTCFullYear() < 1) throw badQuery('/querystring/from', 'must not be before the year 1')
  if (from >= to) throw badQuery('/querystring/from', 'must be before to')
  if (to.getTime() - from.getTime() > MAX_STATS_DAYS * DAY_MS)
    throw badQuery('/querystring/from', `must be at most ${MAX_STATS_DAYS} days before to`)
  if (q.ownerId) await assertOwnerInReach(p, 'activity', q.ownerId)
  const buckets = await activityBuckets(db, {
    actorIds: await activityActorIds(p),
    from,
    to,
    period: q.period,
    timeZone: q.tz,
    actorId: q.ownerId ? `user:${q.ownerId}` : undefined,
    kind: q.kind,
  })
  const owners = ownerTotals(buckets)
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    period: q.period,
    timeZone: q.tz,
    total: owners.reduce((sum, o) => sum + o.total, 0),
    owners: owners.map((o) => ({ ...o, userId: userIdOf(o.actorId) })),
    buckets: buckets.map((b) => ({ ...b, userId: userIdOf(b.actorId) })),
  }
}
