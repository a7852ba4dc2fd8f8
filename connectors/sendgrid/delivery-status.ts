import { recordActivity } from '../../ingestion/activity-log.js'
import { claimDelivery, deliveryActivityKey, replayDelivery } from '../../ingestion/inbound-delivery.js'
import { NotFoundError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { SENDGRID_CONNECTOR_ID } from './manifest.js'
import type { EventAction, ParsedEvent } from './parse.js'

/** An Event Webhook event's delivery key: its sg_event_id. */
export const eventDeliveryKey = (event: Pick<ParsedEvent, 'eventId'>) => `sg:${event.eventId}`

type DeliveryAction = Extract<EventAction, { kind: 'bounce' | 'status' }>

/*
 * Bounces and delivery progress: a timeline entry and the sent message's row, no engagement
 * and no consent change. The intake has no "timeline entry only" call, so this claims the
 * event's delivery key itself (ingestion/inbound-delivery.ts), in the same transaction as its
 * writes, exactly as the intake does: a replayed event writes nothing and is counted.
 *
 * outbound_message.status is the send's own state machine (activities/nurture.activities.ts);
 * events only move a row out of `sent` or `unconfirmed`, never into a state that step would
 * claim again (pending, deferred, retry).
 */
export async function recordDeliveryEvent(
  ctx: ConnectorContext,
  leadId: string,
  event: ParsedEvent & { action: DeliveryAction },
): Promise<'applied' | 'duplicate'> {
  const key = eventDeliveryKey(event)
  const delivery = { connectorId: SENDGRID_CONNECTOR_ID, key }
  // A batch SendGrid retries: its events already applied cost one statement each.
  if (await replayDelivery(ctx.db, delivery, ctx.clock())) return 'duplicate'
  return ctx.db.$transaction(async (tx) => {
    const claim = await claimDelivery<{ leadId: string; messageUpdated: boolean }>(tx, delivery, ctx.clock())
    if (claim.earlier) return 'duplicate'
    const lead = await tx.lead.findUnique({
      where: { id: leadId },
      select: { id: true, duplicateOfId: true },
    })
    if (!lead) throw new NotFoundError('lead', leadId)
    const masterId = lead.duplicateOfId ?? lead.id
    const at = event.occurredAt ?? ctx.clock()
    const { action } = event

    let activityId: string | null = null
    if (action.kind === 'bounce') {
      const activity = await recordActivity(tx, {
        kind: action.activityKind,
        direction: 'internal',
        subject: action.subject,
        details: {
          ...action.details,
          messageId: event.messageId,
          providerMessageId: event.providerMessageId,
          ...(masterId !== lead.id ? { via: lead.id } : {}),
        },
        leadId: masterId,
        occurredAt: at,
        actorId: ctx.actor.id,
        dedupeKey: deliveryActivityKey({ connectorId: SENDGRID_CONNECTOR_ID, key }),
      })
      activityId = activity.id
    }

    let messageUpdated = false
    if (event.messageId) {
      const row = { id: event.messageId, leadId: lead.id, channel: 'email' }
      if (action.kind === 'bounce') {
        const { count } = await tx.outboundMessage.updateMany({
          where: { ...row, status: { in: ['sent', 'unconfirmed'] } },
          data: { status: action.messageStatus, lastError: action.lastError },
        })
        messageUpdated = count > 0
      } else if (action.event !== 'deferred') {
        // processed/delivered prove SendGrid accepted a send whose answer we never got.
        const { count } = await tx.outboundMessage.updateMany({
          where: { ...row, status: 'unconfirmed' },
          data: { status: 'sent', sentAt: at, lastError: null },
        })
        messageUpdated = count > 0
        if (event.providerMessageId) {
          await tx.outboundMessage.updateMany({
            where: { ...row, providerMessageId: null },
            data: { providerMessageId: event.providerMessageId },
          })
        }
      }
    }

    await claim.remember({
      // 'ignored': nothing about the person was recorded (delivery progress only).
      outcome: activityId ? 'activity' : 'ignored',
      leadId: masterId,
      activityId,
      result: { leadId: masterId, messageUpdated },
    })
    return 'applied'
  })
}
