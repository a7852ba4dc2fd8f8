import type { Db, Tx } from '../../platform/database/prisma.js'
import type { OutboxTopic, OutboxTopics } from './outbox.topics.js'

export interface ClaimedEvent {
  id: bigint
  topic: OutboxTopic
  aggregateId: string
  payload: OutboxTopics[OutboxTopic]
  requestId: string | null
  attempts: number
}

/** Writes an event inside the caller's transaction: it commits or rolls back with the business row. */
export async function enqueue<T extends OutboxTopic>(
  tx: Tx,
  topic: T,
  aggregateId: string,
  payload: OutboxTopics[T],
  requestId: string | undefined,
): Promise<void> {
  await tx.outboxEvent.create({ data: { topic, aggregateId, payload, requestId: requestId ?? null } })
}

/**
 * Leases up to `limit` due events. SKIP LOCKED lets any number of relays (one per worker
 * replica) claim side by side without waiting on each other; the lease (locked_until)
 * hands an event to another relay if its claimer dies before marking it.
 */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
  return db.$queryRaw<ClaimedEvent[]>`
    UPDATE outbox_event AS e
       SET locked_until = now() + make_interval(secs => ${leaseMs / 1000}::float8),
           attempts = e.attempts + 1
      FROM (SELECT id FROM outbox_event
             WHERE dispatched_at IS NULL
               AND available_at <= now()
               AND (locked_until IS NULL OR locked_until < now())
             ORDER BY id
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) AS due
     WHERE e.id = due.id
 RETURNING e.id, e.topic, e.aggregate_id AS "aggregateId", e.payload, e.request_id AS "requestId", e.attempts`
}

export async function markDispatched(db: Db, ids: bigint[]): Promise<void> {
  if (ids.length === 0) return
  await db.outboxEvent.updateMany({
    where: { id: { in: ids } },
    data: { dispatchedAt: new Date(), lockedUntil: null, lastError: null },
  })
}

/** Releases the lease and schedules the next try. */
export async function markFailed(db: Db, id: bigint, error: string, retryInMs: number): Promise<void> {
  await db.outboxEvent.update({
    where: { id },
    data: {
      lastError: error.slice(0, 2000),
      lockedUntil: null,
      availableAt: new Date(Date.now() + retryInMs),
    },
  })
}
