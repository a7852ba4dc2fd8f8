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
