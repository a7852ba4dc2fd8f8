import type { ConnectorContext } from '../sdk/connector.js'
import { isOptOut, parseWhatsAppMessage, type IgnoredReason, type WhatsAppInbound } from './parse.js'
import type { WAMessage } from './transport.js'

export type InboundOutcome =
  | { handled: false; reason: IgnoredReason }
  | {
      handled: true
      kind: 'engagement' | 'capture'
      leadId: string
      replayed: boolean
      optedOut: boolean
    }

/**
 * One message from a person. A known person (by phone) gets a `whatsappReply` engagement on
 * their lead (timeline, score, the journey's reply signal); an unknown one becomes a lead.
 * A lone STOP also withdraws their consent. Each write claims the message's own key, so a
 * message Baileys hands over twice (a reconnect replays unacknowledged ones) counts once.
 */
export async function handleWhatsAppMessage(ctx: ConnectorContext, raw: WAMessage): Promise<InboundOutcome> {
  const parsed = parseWhatsAppMessage(raw)
  if (!parsed.ok) return { handled: false, reason: parsed.reason }
  const m = parsed.message
  const receivedAt = ctx.clock().toISOString()
  const occurredAt = new Date(m.sentAt ?? receivedAt)
  const result = await ctx.intake.interaction(
    { phone: m.phone },
    {
      event: 'whatsappReply',
      activity: {
        kind: 'whatsapp',
        direction: 'inbound',
        subject: 'WhatsApp message',
        details: {
          text: m.text,
          messageId: m.messageId,
          contentType: m.contentType,
          ...(m.truncated ? { truncated: true } : {}),
        },
        occurredAt,
      },
      ifUnknown: {
        channel: 'whatsapp',
        phone: m.phone,
        firstName: m.firstName,
        lastName: m.lastName,
        receivedAt,
        externalId: m.jid,
        // No consent is assumed: writing to us first lets us answer, not market to them.
        attribution: { source: 'whatsapp', medium: 'messaging' },
      },
    },
    { key: `wa:${m.deliveryKey}`, raw: rawCapture(raw, m) },
  )
  const optedOut = isOptOut(m.text)
  if (optedOut) {
    await ctx.intake.consent(
      result.leadId,
      {
        status: 'withdrawn',
        channels: ['whatsapp'],
        source: 'whatsapp:stop',
        reason: 'STOP',
        at: occurredAt.toISOString(),
      },
      { key: `wa-stop:${m.deliveryKey}` },
    )
  }
  if (!result.replayed) await ctx.status.touched()
  return { handled: true, kind: result.kind, leadId: result.leadId, replayed: result.replayed, optedOut }
}

/*
 * What is kept as the lead's raw capture: the message's addressing and content as read,
 * not the whole protobuf (its messageContextInfo carries the message's encryption secret).
 */
function rawCapture(msg: WAMessage, m: WhatsAppInbound) {
  return {
    key: {
      remoteJid: msg.key.remoteJid,
      ...(msg.key.remoteJidAlt ? { remoteJidAlt: msg.key.remoteJidAlt } : {}),
      id: msg.key.id,
      fromMe: msg.key.fromMe ?? false,
    },
    pushName: msg.pushName ?? null,
    messageTimestamp: m.sentAt ?? null,
    contentType: m.contentType,
    text: m.text,
  }
}
