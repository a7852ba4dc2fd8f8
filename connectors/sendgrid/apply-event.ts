import { NotFoundError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { eventDeliveryKey, recordDeliveryEvent } from './delivery-status.js'
import type { ParsedEvent } from './parse.js'

export type EventOutcome = 'applied' | 'duplicate' | 'ignored'

/**
 * One Event Webhook event into the governed path, claimed once under `sg:<sg_event_id>`:
 * opens and clicks are engagements (score, timeline, `lead.engaged` for the journey),
 * unsubscribes and spam reports withdraw email consent (`lead.contactability_changed`),
 * bounces and delivery progress go to recordDeliveryEvent.
 */
export async function applyEvent(
  ctx: ConnectorContext,
  event: ParsedEvent,
  raw: unknown,
  requestId: string,
): Promise<EventOutcome> {
  // Our custom arg names the lead; an event of an email sent some other way is matched by address.
  const leadId = event.leadId ?? (event.email ? await ctx.intake.findLead({ email: event.email }) : null)
  if (!leadId) return 'ignored'
  const delivery = { key: eventDeliveryKey(event), raw, requestId }
  const at = event.occurredAt ?? ctx.clock()
  const { action } = event
  try {
    switch (action.kind) {
      case 'engagement': {
        const result = await ctx.intake.engagement(leadId, action.event, at, delivery, {
          kind: action.activityKind,
          details: {
            ...action.details,
            messageId: event.messageId,
            providerMessageId: event.providerMessageId,
          },
        })
        return result.duplicate ? 'duplicate' : 'applied'
      }
      case 'consent': {
        const result = await ctx.intake.consent(
          leadId,
          {
            status: 'withdrawn',
            channels: ['email'],
            source: action.source,
            reason: action.reason,
            at: at.toISOString(),
          },
          delivery,
        )
        return result.duplicate ? 'duplicate' : 'applied'
      }
      case 'bounce':
      case 'status':
        return await recordDeliveryEvent(ctx, leadId, { ...event, action })
    }
  } catch (err) {
    // A lead deleted since the send (or a custom arg naming none): nothing to attach it to.
    if (err instanceof NotFoundError) return 'ignored'
    throw err
  }
}
