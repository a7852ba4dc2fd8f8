import { Prisma } from '../generated/prisma/client.js'
import type { Db } from '../platform/database/prisma.js'
import { NotFoundError } from '../platform/errors.js'

/*
 * One timeline per record. What belongs to a record's timeline is defined once here, as a
 * SQL condition over the activity table, so the timeline endpoints and anything computed
 * from a timeline (an account's health reads its recency) see the same entries.
 */

export const TIMELINE_SUBJECTS = ['lead', 'account', 'contact', 'opportunity', 'task'] as const
export type TimelineSubjectKind = (typeof TIMELINE_SUBJECTS)[number]

export interface TimelineSubject {
  kind: TimelineSubjectKind
  id: string
}

/**
 * The condition (over unqualified `activity` columns) that selects a record's timeline:
 *
 * - lead: its own entries and those of the leads merged into it (`duplicate_of_id`), so a
 *   master shows everything its duplicates did.
 * - account: its own entries, its contacts', its deals', and those of the leads its
 *   contacts were converted from (their history before conversion).
 * - contact: its own entries and those of the lead it was converted from.
 * - opportunity, task: their own entries.
 */
export function timelineScope(subject: TimelineSubject): Prisma.Sql {
  const id = subject.id
  switch (subject.kind) {
    case 'lead':
      return Prisma.sql`(lead_id = ${id}::uuid
        OR lead_id IN (SELECT l.id FROM lead l WHERE l.duplicate_of_id = ${id}::uuid))`
    case 'account':
      return Prisma.sql`(account_id = ${id}::uuid
        OR contact_id IN (SELECT c.id FROM contact c WHERE c.account_id = ${id}::uuid)
        OR opportunity_id IN (SELECT o.id FROM opportunity o WHERE o.account_id = ${id}::uuid)
        OR lead_id IN (SELECT c.lead_id FROM contact c WHERE c.account_id = ${id}::uuid AND c.lead_id IS NOT NULL))`
    case 'contact':
      return Prisma.sql`(contact_id = ${id}::uuid
        OR lead_id IN (SELECT c.lead_id FROM contact c WHERE c.id = ${id}::uuid AND c.lead_id IS NOT NULL))`
    case 'opportunity':
      return Prisma.sql`opportunity_id = ${id}::uuid`
    case 'task':
      return Prisma.sql`task_id = ${id}::uuid`
  }
}

/** The account's timeline condition: what its health counts as activity. */
export const accountTimelineScope = (accountId: string) => timelineScope({ kind: 'account', id: accountId })

/** Throws NotFoundError when the record a timeline is asked for does not exist. */
export async function assertSubjectExists(db: Db, subject: TimelineSubject): Promise<void> {
  const where = { where: { id: subject.id } }
  const count = await {
    lead: () => db.lead.count(where),
    account: () => db.account.count(where),
    contact: () => db.contact.count(where),
    opportunity: () => db.opportunity.count(where),
    task: () => db.task.count(where),
  }[subject.kind]()
  if (count === 0) throw new NotFoundError(subject.kind, subject.id)
}

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
  return db.$queryRaw<TimelineRow[]>`
    SELECT id, kind, direction, subject, details, lead_id AS "leadId", account_id AS "accountId",
           contact_id AS "contactId", opportunity_id AS "opportunityId", task_id AS "taskId",
           occurred_at AS "occurredAt", recorded_at AS "recordedAt", actor_id AS "actorId"
      FROM activity
     WHERE ${timelineScope(subject)} ${kinds} ${after}
     ORDER BY occurred_at DESC, id DESC
     LIMIT ${q.limit + 1}`
}
