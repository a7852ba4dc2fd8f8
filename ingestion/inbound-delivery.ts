import { createHash } from 'node:crypto'
import type { Prisma } from '../generated/prisma/client.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { DomainRuleError } from '../platform/errors.js'
import { canonicalJson } from './idempotency.js'

/** A channel's delivery: the connector that received it and the channel's natural key for it. */
export interface Delivery {
  connectorId: string
  /** WhatsApp message id, Twilio CallSid + event, IMAP `uidvalidity:uid`, sg_event_id... */
  key: string
  /**
   * The payload, hashed when the channel must refuse a reused key with another body (the
   * partner API's Idempotency-Key). Omit it where a redelivery may differ in unimportant
   * ways (a webhook's retry counter): the first delivery wins and later ones are duplicates.
   */
  body?: unknown
  /** Where the raw message lives when it is not stored with the lead (an IMAP mailbox + UID). */
  rawRef?: string | undefined
}

export type DeliveryOutcome =
  'lead_created' | 'lead_duplicate' | 'lead_quarantined' | 'activity' | 'consent' | 'ignored'

export interface DeliveryRecord<T> {
  outcome: DeliveryOutcome
  leadId?: string | null | undefined
  activityId?: string | null | undefined
  result: T
}

export interface DeliveryClaim<T> {
  /** The first delivery's record when this one is a replay; undefined when this one does the work. */
  earlier: DeliveryRecord<T> | undefined
  /** Stores this delivery's outcome (same transaction as its work). */
  remember(record: DeliveryRecord<T>): Promise<void>
}

/** The dedupe key of the activity a delivery records: finds that activity again (a call's status, an email's events). */
export function deliveryActivityKey(delivery: Pick<Delivery, 'connectorId' | 'key'>): string {
  return `delivery/${delivery.connectorId}/${delivery.key}`
}

const PLACEHOLDER = 'claimed'

const requestHash = (delivery: Delivery): string | null =>
  delivery.body === undefined ? null : createHash('sha256').update(canonicalJson(delivery.body)).digest('hex')

/**
 * Answers a redelivery of a delivery that has completed, without a transaction: one
 * statement counts it as a duplicate and returns the first one's outcome. A retry storm
 * (a vendor retrying, a listener reconnecting) then costs one round trip per copy instead
 * of a transaction that holds a pooled connection. Undefined when the key is new, still in
 * flight (the claim is not committed, so this sees no row and does not wait), or reused with
 * another body: the caller claims it in its transaction (claimDelivery), where the primary
 * key decides and a different body is refused.
 */
export async function replayDelivery<T>(
  db: Db,
  delivery: Delivery,
  at: Date,
): Promise<DeliveryRecord<T> | undefined> {
  const hash = requestHash(delivery)
  const [earlier] = await db.$queryRaw<
    { outcome: string; lead_id: string | null; activity_id: string | null; result: T }[]
  >`
    UPDATE inbound_delivery SET duplicates = duplicates + 1, last_duplicate_at = ${at}
     WHERE connector_id = ${delivery.connectorId} AND delivery_key = ${delivery.key}
       AND outcome <> ${PLACEHOLDER}
       AND (${hash}::text IS NULL OR request_hash IS NULL OR request_hash = ${hash}::text)
    RETURNING outcome, lead_id, activity_id, result`
  if (!earlier) return undefined
  return {
    outcome: earlier.outcome as DeliveryOutcome,
    leadId: earlier.lead_id,
    activityId: earlier.activity_id,
    result: earlier.result,
  }
}

/**
 * Claims a delivery as the first write of the transaction that does its work. A replay
 * (or a concurrent redelivery, which waits on the claim until the first transaction ends)
 * finds the first one's outcome, is counted in `duplicates`, and does nothing else. The
 * primary key enforces it: no prior SELECT can be raced.
 */
export async function claimDelivery<T>(tx: Tx, delivery: Delivery, at: Date): Promise<DeliveryClaim<T>> {
  const hash = requestHash(delivery)
  const claimed = await tx.$queryRaw<{ key: string }[]>`
    INSERT INTO inbound_delivery (connector_id, delivery_key, request_hash, outcome, raw_ref, received_at)
    VALUES (${delivery.connectorId}, ${delivery.key}, ${hash}, ${PLACEHOLDER}, ${delivery.rawRef ?? null}, ${at})
    ON CONFLICT (connector_id, delivery_key) DO NOTHING
    RETURNING delivery_key AS key`
  const remember = async (record: DeliveryRecord<T>) => {
    await tx.inboundDelivery.update({
      where: { connectorId_deliveryKey: { connectorId: delivery.connectorId, deliveryKey: delivery.key } },
      data: {
        outcome: record.outcome,
        leadId: record.leadId ?? null,
        activityId: record.activityId ?? null,
        result: record.result as Prisma.InputJsonValue,
      },
    })
  }
  if (claimed.length > 0) return { earlier: undefined, remember }

  const [earlier] = await tx.$queryRaw<
    {
      outcome: string
      lead_id: string | null
      activity_id: string | null
      result: T
      request_hash: string | null
    }[]
  >`
    UPDATE inbound_delivery SET duplicates = duplicates + 1, last_duplicate_at = ${at}
     WHERE connector_id = ${delivery.connectorId} AND delivery_key = ${delivery.key}
    RETURNING outcome, lead_id, activity_id, result, request_hash`
  if (!earlier) throw new Error(`inbound delivery ${delivery.connectorId}/${delivery.key} vanished`)
  if (hash !== null && earlier.request_hash !== null && earlier.request_hash !== hash) {
    throw new DomainRuleError('This delivery key was already used with a different payload.', [
      { pointer: '/headers/idempotency-key', message: 'was already used with a different request body' },
    ])
  }
  return {
    earlier: {
      outcome: earlier.outcome as DeliveryOutcome,
      leadId: earlier.lead_id,
      activityId: earlier.activity_id,
      result: earlier.result,
    },
    remember,
  }
}
