import { Prisma } from '../generated/prisma/client.js'
import type { Db } from '../platform/database/prisma.js'

/*
 * One timeline per record. What belongs to a record's timeline is defined once here, as a
 * SQL condition over the activity table, so the timeline endpoints and anything computed
 * from a timeline (an account's health reads its recency) see the same entries. Whether the
 * caller may see the record is asked before (security/visibility.ts): a timeline is its
 * record's, and shows everything on it.
 */

export const TIMELINE_SUBJECTS = ['lead', 'account', 'contact', 'opportunity', 'task'] as const
export type TimelineSubjectKind = (typeof TIMELINE_SUBJECTS)[number]

export interface TimelineSubject {
  kind: TimelineSubjectKind
  id: string
}

/**
 * The branches (conditions over unqualified `activity` columns) whose union is a record's
 * timeline:
 *
 * - lead: its own entries and those of the leads merged into it (`duplicate_of_id`), so a
 *   master shows everything its duplicates did.
 * - account: its own entries, its contacts', its deals', and those of the leads its
 *   contacts were converted from (their history before conversion).
 * - contact: its own entries and those of the lead it was converted from.
 * - opportunity, task: their own entries.
 *
 * Each branch filters one indexed column, so a page can be read branch by branch from the
 * (column, occurred_at) indexes; an OR of them would make PostgreSQL gather and sort every
 * entry of the record to return the newest fifty.
 */
function timelineBranches(subject: TimelineSubject): Prisma.Sql[] {
  const id = subject.id
  switch (subject.kind) {
    case 'lead':
      return [
        Prisma.sql`lead_id = ${id}::uuid`,
        Prisma.sql`lead_id IN (SELECT l.id FROM lead l WHERE l.duplicate_of_id = ${id}::uuid)`,
      ]
    case 'account':
      return [
        Prisma.sql`account_id = ${id}::uuid`,
        Prisma.sql`contact_id IN (SELECT c.id FROM contact c WHERE c.account_id = ${id}::uuid)`,
        Prisma.sql`opportunity_id IN (SELECT o.id FROM opportunity o WHERE o.account_id = ${id}::uuid)`,
        Prisma.sql`lead_id IN (SELECT c.lead_id FROM contact c
                                WHERE c.account_id = ${id}::uuid AND c.lead_id IS NOT NULL)`,
      ]
    case 'contact':
      return [
        Prisma.sql`contact_id = ${id}::uuid`,
        Prisma.sql`lead_id IN (SELECT c.lead_id FROM contact c WHERE c.id = ${id}::uuid AND c.lead_id IS NOT NULL)`,
      ]
    case 'opportunity':
      return [Prisma.sql`opportunity_id = ${id}::uuid`]
    case 'task':
      return [Prisma.sql`task_id = ${id}::uuid`]
  }
}

/** The condition that selects a record's whole timeline, for counts over all of it. */
export function timelineScope(subject: TimelineSubject): Prisma.Sql {
  return Prisma.sql`(${Prisma.join(timelineBranches(subject), ' OR ')})`
}

/** The account's timeline condition: what its health counts as activity. */
export const accountTimelineScope = (accountId: string) => timelineScope({ kind: 'account', id: accountId })

export interface TimelineRow {
  id: string
  kind: string
  direction: string
  subject: string | null
  details: unknown
  leadId: string | null
  accountId: string | null
  contactId: string | null
  opportunityId: string | null
  taskId: string | null
  occurredAt: Date
  recordedAt: Date
  actorId: string
}

/**
 * A page of a record's timeline, newest first, continuing strictly after `after` (the last
 * entry of the previous page) in (occurred_at desc, id desc) order. Fetches `limit + 1`
 * rows so the caller knows whether another page exists.
 *
 * Each branch yields its own newest `limit + 1` ids; their union (an entry can sit on two
 * branches, say an account and its contact) holds the page, which is then read in full.
 */
export async function timelineRows(
  db: Db,
  subject: TimelineSubject,
  q: { kinds?: string[] | undefined; after?: { at: Date; id: string } | undefined; limit: number },
): Promise<TimelineRow[]> {
  const kinds = q.kinds?.length ? Prisma.sql`AND kind IN (${Prisma.join(q.kinds)})` : Prisma.empty
  const after = q.after
    ? Prisma.sql`AND (occurred_at, id) < (${q.after.at}, ${q.after.id}::uuid)`
    : Prisma.empty
  const take = q.limit + 1
  const branches = timelineBranches(subject).map(
    (branch) => Prisma.sql`(SELECT id, occurred_at FROM activity WHERE ${branch} ${kinds} ${after}
                             ORDER BY occurred_at DESC, id DESC LIMIT ${take})`,
  )
  return db.$queryRaw<TimelineRow[]>`
    SELECT a.id, a.kind, a.direction, a.subject, a.details, a.lead_id AS "leadId", a.account_id AS "accountId",
           a.contact_id AS "contactId", a.opportunity_id AS "opportunityId", a.task_id AS "taskId",
           a.occurred_at AS "occurredAt", a.recorded_at AS "recordedAt", a.actor_id AS "actorId"
      FROM (${Prisma.join(branches, ' UNION ')}) page
      JOIN activity a ON a.id = page.id
     ORDER BY page.occurred_at DESC, page.id DESC
     LIMIT ${take}`
}
