import { uuidv7 } from 'uuidv7'
import type { Tx } from '../platform/database/prisma.js'

/** One timeline entry; see the Activity model. */
export interface ActivityEntry {
  kind: string
  direction: 'inbound' | 'outbound' | 'internal'
  subject?: string | null
  details?: Record<string, unknown>
  leadId?: string | null
  accountId?: string | null
  contactId?: string | null
  opportunityId?: string | null
  taskId?: string | null
  occurredAt: Date
  actorId: string
  /** Makes recording idempotent: the same key records one entry, however often it is sent. */
  dedupeKey?: string | null
}

/**
 * Appends an activity to the timeline, or finds the one already recorded under its
 * dedupe key (a retried activity, a redelivered webhook). ON CONFLICT rather than a prior
 * SELECT: two concurrent deliveries still record one entry.
 */
export async function recordActivity(tx: Tx, e: ActivityEntry): Promise<{ id: string; created: boolean }> {
  const id = uuidv7()
  const details = JSON.stringify(e.details ?? {})
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO activity (id, kind, direction, subject, details, lead_id, account_id, contact_id,
                          opportunity_id, task_id, occurred_at, actor_id, dedupe_key)
    VALUES (${id}::uuid, ${e.kind}, ${e.direction}, ${e.subject ?? null}, ${details}::jsonb,
            ${e.leadId ?? null}::uuid, ${e.accountId ?? null}::uuid, ${e.contactId ?? null}::uuid,
            ${e.opportunityId ?? null}::uuid, ${e.taskId ?? null}::uuid, ${e.occurredAt},
            ${e.actorId}, ${e.dedupeKey ?? null})
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id`
  if (inserted[0]) return { id: inserted[0].id, created: true }
  const existing = await tx.activity.findUniqueOrThrow({
    where: { dedupeKey: e.dedupeKey! },
    select: { id: true },
  })
  return { id: existing.id, created: false }
}
