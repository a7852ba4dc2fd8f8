import type { WhatsAppSender } from '../../activities/whatsapp-sender.js'
import type { Db } from '../../platform/database/prisma.js'
import { WhatsAppSendError } from './errors.js'
import { WHATSAPP_CONNECTOR_ID } from './manifest.js'
import { findOutgoing, queueOutgoing } from './outgoing-queue.js'

export interface QueuedWhatsAppSenderOptions {
  /** How often `send` looks at its message (ms). */
  pollMs?: number
  /** How long `send` waits for the socket's holder before a retryable error (ms). */
  timeoutMs?: number
  /** How long a read of the connection status is trusted (ms). */
  statusTtlMs?: number
  /**
   * A `connected` status not refreshed for this long is stale (ms): the holder heartbeats
   * while connected, so a holder that died does not look connected forever.
   */
  staleAfterMs?: number
  clock?: () => Date
}

export interface QueuedWhatsAppSender extends WhatsAppSender {
  /** Reads the connection status now (the `connected` getter is synchronous and cached). */
  refresh(): Promise<boolean>
  /** Stops the background refresh. */
  close(): void
}

/**
 * The journeys' WhatsApp sender for a worker process. Workers never hold the socket (one
 * process does, connectors/whatsapp/listener.ts): `send` queues the message in
 * `whatsapp_outgoing` once per idempotency key and waits for the holder to send it. A retry
 * of the same key finds the same row, so a message is never sent twice.
 */
export function createQueuedWhatsAppSender(
  db: Db,
  options: QueuedWhatsAppSenderOptions = {},
): QueuedWhatsAppSender {
  const pollMs = options.pollMs ?? 250
  const timeoutMs = options.timeoutMs ?? 20_000
  const statusTtlMs = options.statusTtlMs ?? 5_000
  const staleAfterMs = options.staleAfterMs ?? 90_000
  const clock = options.clock ?? (() => new Date())
  let connected = false
  let readAt = 0
  let reading: Promise<boolean> | undefined

  const refresh = (): Promise<boolean> => {
    reading ??= (async () => {
      try {
        const row = await db.connectorState.findUnique({
          where: { connectorId: WHATSAPP_CONNECTOR_ID },
          select: { status: true, updatedAt: true },
        })
        connected = row?.status === 'connected' && clock().getTime() - row.updatedAt.getTime() <= staleAfterMs
        readAt = Date.now()
        return connected
      } catch {
        // The database is unreachable: keep the last answer; the send would fail anyway.
        return connected
      } finally {
        reading = undefined
      }
    })()
    return reading
  }
  // `connected` is read synchronously by the send activity, so it is kept fresh in the
  // background rather than read on demand.
  void refresh()
  const timer = setInterval(() => void refresh(), statusTtlMs)
  timer.unref()

  return {
    provider: 'whatsapp',
    get connected() {
      if (Date.now() - readAt > statusTtlMs) void refresh()
      return connected
    },
    refresh,
    close() {
      clearInterval(timer)
    },
    async send(message) {
      await queueOutgoing(db, message)
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const row = await findOutgoing(db, message.idempotencyKey)
        switch (row?.status) {
          case 'sent':
            return { providerMessageId: row.providerMessageId }
          case 'failed':
            throw new WhatsAppSendError('rejected', `WhatsApp message not sent: ${row.error ?? 'failed'}`)
          case 'unconfirmed':
            throw new WhatsAppSendError(
              'ambiguous',
              `WhatsApp send outcome unknown: ${row.error ?? 'unconfirmed'}; it will not be sent again`,
            )
        }
        if (Date.now() >= deadline)
          throw new WhatsAppSendError(
            'unavailable',
            'WhatsApp message still queued: the paired socket has not sent it yet (retry waits for the same message)',
          )
        await new Promise((resolve) => setTimeout(resolve, pollMs))
      }
    },
  }
}
