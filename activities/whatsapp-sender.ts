import type { Db } from '../platform/database/prisma.js'

/**
 * How journeys send WhatsApp messages. The WhatsApp connector (Baileys, paired by QR)
 * provides the real sender; until one is paired, follow-ups are skipped and recorded as
 * `channel_not_connected` rather than silently dropped.
 */
export interface WhatsAppSender {
  readonly provider: string
  readonly connected: boolean
  send(message: {
    toE164: string
    text: string
    idempotencyKey: string
  }): Promise<{ providerMessageId: string | null }>
}

export const NOT_CONNECTED_WHATSAPP: WhatsAppSender = {
  provider: 'none',
  connected: false,
  send() {
    return Promise.reject(new Error('no WhatsApp connection is paired'))
  },
}

/**
 * Takes back a message that is queued for the socket's holder but not yet taken by it
 * (connectors/whatsapp/outgoing-queue.ts): true when it was withdrawn, so it never went out.
 * The holder claims with FOR UPDATE SKIP LOCKED and only `queued` rows, so a message is
 * either withdrawn here or being sent there, never both. A sender without a queue has
 * nothing to withdraw.
 */
export async function withdrawQueuedWhatsApp(db: Db, idempotencyKey: string): Promise<boolean> {
  const deleted = await db.$executeRaw`
    DELETE FROM whatsapp_outgoing WHERE idempotency_key = ${idempotencyKey} AND status = 'queued'`
  return deleted === 1
}
