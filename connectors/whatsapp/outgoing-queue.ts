import { uuidv7 } from 'uuidv7'
import type { Db } from '../../platform/database/prisma.js'

/*
 * The queue between the journey workers and the one process holding the WhatsApp socket
 * (`whatsapp_outgoing`). A message is queued once per idempotency key; the socket's holder
 * claims it (SKIP LOCKED), sends it, and records the outcome. A message whose send call
 * started but did not finish is `unconfirmed` and never sent again: a duplicate WhatsApp
 * message to a prospect is worse than a missing follow-up.
 */

export type OutgoingStatus = 'queued' | 'sending' | 'sent' | 'unconfirmed' | 'failed'

export interface OutgoingRow {
  id: string
  idempotencyKey: string
  toE164: string
  text: string
  status: OutgoingStatus
  providerMessageId: string | null
  error: string | null
  attempts: number
}

/** Tries before the send call (number lookup) that may fail before a message counts as failed. */
export const MAX_ATTEMPTS = 5

export async function queueOutgoing(
  db: Db,
  message: { toE164: string; text: string; idempotencyKey: string },
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO whatsapp_outgoing (id, idempotency_key, to_e164, text)
    VALUES (${uuidv7()}::uuid, ${message.idempotencyKey}, ${message.toE164}, ${message.text})
    ON CONFLICT (idempotency_key) DO NOTHING`
}

export async function findOutgoing(db: Db, idempotencyKey: string): Promise<OutgoingRow | null> {
  const row = await db.whatsAppOutgoing.findUnique({ where: { idempotencyKey } })
  return row ? { ...row, status: row.status as OutgoingStatus } : null
}

/** The oldest queued message, now `sending`; null when none is waiting. */
export async function claimOutgoing(db: Db): Promise<OutgoingRow | null> {
  const [row] = await db.$queryRaw<
    { id: string; idempotency_key: string; to_e164: string; text: string; attempts: number }[]
  >`
    UPDATE whatsapp_outgoing SET status = 'sending'
     WHERE id = (SELECT id FROM whatsapp_outgoing WHERE status = 'queued'
                  ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id::text, idempotency_key, to_e164, text, attempts`
  if (!row) return null
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    toE164: row.to_e164,
    text: row.text,
    status: 'sending',
    providerMessageId: null,
    error: null,
    attempts: row.attempts,
  }
}

export async function markSent(
  db: Db,
  id: string,
  providerMessageId: string | null,
  at: Date,
): Promise<void> {
  await db.whatsAppOutgoing.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'sent', providerMessageId, sentAt: at, error: null },
  })
}

export async function markUnconfirmed(db: Db, id: string, error: string): Promise<void> {
  await db.whatsAppOutgoing.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'unconfirmed', error: error.slice(0, 500) },
  })
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db.whatsAppOutgoing.updateMany({
    where: { id, status: 'sending' },
    data: { status: 'failed', error: error.slice(0, 500) },
  })
}

/** Back to the queue after a failure before the send call; failed once MAX_ATTEMPTS is reached. */
export async function releaseOutgoing(db: Db, row: OutgoingRow, error: string | null): Promise<void> {
  const attempts = error === null ? row.attempts : row.attempts + 1
  await db.whatsAppOutgoing.updateMany({
    where: { id: row.id, status: 'sending' },
    data: {
      status: attempts >= MAX_ATTEMPTS ? 'failed' : 'queued',
      attempts,
      ...(error === null ? {} : { error: error.slice(0, 500) }),
    },
  })
}

/**
 * Messages a previous holder of the socket was sending when it died: their outcome is
 * unknown. Only the socket's holder (one process, by advisory lock) calls this, at start.
 */
export async function recoverInterrupted(db: Db): Promise<number> {
  const { count } = await db.whatsAppOutgoing.updateMany({
    where: { status: 'sending' },
    data: { status: 'unconfirmed', error: 'interrupted: the process holding the socket stopped mid-send' },
  })
  return count
}

/**
 * Queued messages too old to still make sense (the journey that asked has given up on
 * them by now): failed instead of reaching a prospect days late.
 */
export async function expireQueued(db: Db, createdBefore: Date): Promise<number> {
  const { count } = await db.whatsAppOutgoing.updateMany({
    where: { status: 'queued', createdAt: { lt: createdBefore } },
    data: { status: 'failed', error: 'expired: no paired WhatsApp socket sent it in time' },
  })
  return count
}
