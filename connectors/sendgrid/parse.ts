/*
 * SendGrid Event Webhook events, read into what we do with each one. Pure: no I/O, no clock.
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
 *
 * Our custom args (leadId, messageId: see activities/nurture.activities.ts) come back as
 * top-level fields of every event of the message.
 */

export type EventAction =
  | {
      kind: 'engagement'
      event: 'emailOpen' | 'emailClick'
      activityKind: 'email_open' | 'email_click'
      details: Record<string, unknown>
    }
  | { kind: 'consent'; source: string; reason: string }
  | {
      kind: 'bounce'
      activityKind: 'email_bounced' | 'email_dropped'
      subject: string
      /** What the sent message's outbound_message row becomes. */
      messageStatus: 'bounced' | 'dropped'
      lastError: string
      details: Record<string, unknown>
    }
  | { kind: 'status'; event: 'processed' | 'delivered' | 'deferred' }

export interface ParsedEvent {
  /** sg_event_id: unique per event, the same on SendGrid's retries. */
  eventId: string
  leadId: string | null
  email: string | null
  /** Our outbound_message id (custom arg). */
  messageId: string | null
  /** The X-Message-Id SendGrid answered the send with (sg_message_id up to its first dot). */
  providerMessageId: string | null
  occurredAt: Date | null
  action: EventAction
}

export type ReadEvent = { ok: true; event: ParsedEvent } | { ok: false; reason: string }

export class MalformedBatchError extends Error {
  override readonly name = 'MalformedBatchError'
}

/** The body as an array of events; throws MalformedBatchError when it is not one. */
export function parseEventBatch(body: string): unknown[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new MalformedBatchError('The body is not valid JSON.')
  }
  if (!Array.isArray(parsed)) throw new MalformedBatchError('The body must be a JSON array of events.')
  return parsed
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const EMAIL_LIKE = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g
const MAX_TEXT = 300

const str = (v: unknown, max = 1000): string | null =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : null
const uuid = (v: unknown): string | null => {
  const s = str(v, 36)
  return s && UUID.test(s) ? s.toLowerCase() : null
}
/** A receiving server's words may quote the address back: scrubbed before we store them. */
const scrub = (v: unknown): string | null => {
  const s = str(v, 10_000)
  if (!s) return null
  const clean = s.replace(EMAIL_LIKE, '[address]')
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean
}

/**
 * One event of a batch, or why it is ignored. `isOwnLink` recognises our unsubscribe
 * links: a click on one is the unsubscribe itself, not interest.
 */
export function readEvent(raw: unknown, isOwnLink: (url: string) => boolean): ReadEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, reason: 'not_an_event' }
  const e = raw as Record<string, unknown>
  const type = str(e['event'], 50)
  if (!type) return { ok: false, reason: 'no_event_type' }
  const eventId = str(e['sg_event_id'], 200)
  // Without its id an event cannot be told from its retry: counting it could count it twice.
  if (!eventId) return { ok: false, reason: 'no_event_id' }
  const action = actionOf(type, e, isOwnLink)
  if ('ignore' in action) return { ok: false, reason: action.ignore }
  const seconds = typeof e['timestamp'] === 'number' ? e['timestamp'] : Number(str(e['timestamp'], 20))
  const occurredAt = Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null
  const sgMessageId = str(e['sg_message_id'], 500)
  return {
    ok: true,
    event: {
      eventId,
      leadId: uuid(e['leadId']),
      email: str(e['email'], 320),
      messageId: uuid(e['messageId']) ?? uuid(e['outboundMessageId']),
      providerMessageId: sgMessageId ? (sgMessageId.split('.')[0] ?? null) : null,
      occurredAt: occurredAt && !Number.isNaN(occurredAt.getTime()) ? occurredAt : null,
      action,
    },
  }
}

function actionOf(
  type: string,
  e: Record<string, unknown>,
  isOwnLink: (url: string) => boolean,
): EventAction | { ignore: string } {
  switch (type) {
    case 'open':
      // Apple Mail Privacy Protection and similar proxies fetch every image on delivery:
      // SendGrid flags those opens, and they say nothing about the person.
      if (e['sg_machine_open'] === true) return { ignore: 'machine_open' }
      return { kind: 'engagement', event: 'emailOpen', activityKind: 'email_open', details: {} }
    case 'click': {
      const url = str(e['url'], 2000)
      if (url && isOwnLink(url)) return { ignore: 'unsubscribe_link_click' }
      return { kind: 'engagement', event: 'emailClick', activityKind: 'email_click', details: { url } }
    }
    case 'unsubscribe':
      return { kind: 'consent', source: 'sendgrid:unsubscribe', reason: 'unsubscribed (SendGrid)' }
    case 'group_unsubscribe':
      return {
        kind: 'consent',
        source: 'sendgrid:group_unsubscribe',
        reason: 'unsubscribed from a SendGrid group',
      }
    case 'spamreport':
      return { kind: 'consent', source: 'sendgrid:spamreport', reason: 'spam report' }
    case 'bounce': {
      // type "bounce": the address was refused for good; "blocked": the receiving server refused
      // this message (reputation, content) but the address may be fine.
      const blocked = e['type'] === 'blocked'
      const status = str(e['status'], 20)
      return {
        kind: 'bounce',
        activityKind: 'email_bounced',
        subject: blocked ? 'Email blocked by the receiving server' : 'Email bounced',
        messageStatus: 'bounced',
        lastError: `${blocked ? 'blocked' : 'bounced'}${status ? ` (${status})` : ''}`,
        details: {
          bounceType: blocked ? 'blocked' : 'bounce',
          status,
          classification: str(e['bounce_classification'], 100),
          reason: scrub(e['reason']),
        },
      }
    }
    case 'dropped': {
      const reason = scrub(e['reason'])
      return {
        kind: 'bounce',
        activityKind: 'email_dropped',
        subject: 'Email dropped by SendGrid',
        messageStatus: 'dropped',
        lastError: `dropped${reason ? `: ${reason}` : ''}`,
        details: { reason },
      }
    }
    case 'processed':
    case 'delivered':
    case 'deferred':
      return { kind: 'status', event: type }
    default:
      // group_resubscribe among others: a re-subscription is not consent we can act on here.
      return { ignore: `unhandled_event:${type}` }
  }
}
