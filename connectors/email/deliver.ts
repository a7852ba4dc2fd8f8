import { LeadwireError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { htmlToFormText } from './form-fields.js'
import type { InboundEmail } from './inbound-email.js'
import { parseInboundEmail, type SkipReason } from './parse.js'

/** Where a message lives on the server: the raw mail stays there, the lead keeps a reference. */
export interface MailRef {
  user: string
  host: string
  mailbox: string
  uidValidity: string
  uid: number
}

export type MailOutcome =
  | { kind: 'captured' | 'engaged'; leadId: string }
  /**
   * Already delivered (the same Message-ID under another UID, or a re-read after a cursor
   * loss). The lead id is unknown when the first delivery was a capture and the replay went
   * the engagement way (the person is known by then): the ledger answers with the capture's result.
   */
  | { kind: 'duplicate'; leadId: string | undefined }
  /** Not a lead; `gone`: expunged before it was read; `rejected`: refused by the pipeline's rules. */
  | { kind: 'skipped'; reason: SkipReason | 'rejected' | 'unreadable' | 'gone'; code?: string }

const RAW_TEXT_MAX = 20_000

/**
 * The natural key of a mail: its Message-ID, which stays the same when the mailbox is
 * rebuilt (UIDVALIDITY changes) or the message is moved or copied, else its UID under the
 * mailbox's UIDVALIDITY (RFC 3501 §2.3.1.1: that pair never names another message).
 */
export function deliveryKey(messageId: string | undefined, ref: MailRef): string {
  const id = messageId?.trim()
  return id ? `msgid:${id.slice(0, 900)}` : `uid:${ref.uidValidity}:${ref.uid}`
}

/** An IMAP URL for the message (RFC 5092): `imap://user@host/INBOX;UIDVALIDITY=v/;UID=n`. */
export function rawRef(ref: MailRef): string {
  const mailbox = ref.mailbox.split('/').map(encodeURIComponent).join('/')
  return `imap://${encodeURIComponent(ref.user)}@${ref.host}/${mailbox};UIDVALIDITY=${ref.uidValidity}/;UID=${ref.uid}`
}

function rawOf(mail: InboundEmail, receivedAt: Date): Record<string, unknown> {
  const text = mail.text?.trim() ? mail.text : mail.html ? htmlToFormText(mail.html) : ''
  return {
    messageId: mail.messageId ?? null,
    subject: mail.subject ?? null,
    from: mail.from ?? null,
    replyTo: mail.replyTo ?? null,
    date: mail.date ?? null,
    receivedAt: receivedAt.toISOString(),
    headers: mail.headers,
    text: text.slice(0, RAW_TEXT_MAX),
    ...(text.length > RAW_TEXT_MAX ? { textTruncated: true } : {}),
  }
}

/**
 * Hands one mail to the governed pipeline. A form notification is a capture (a second
 * submission by a known person becomes a duplicate linked to their lead); a person's own
 * mail is an interaction: an email reply on their lead when we know them, else a new lead
 * with the mail on its timeline. Refusals by the pipeline's rules (an invalid address,
 * missing consent) are skipped, not retried: the same mail would be refused again.
 */
export async function deliverMail(
  ctx: ConnectorContext,
  ref: MailRef,
  mail: InboundEmail,
  receivedAt: Date,
): Promise<MailOutcome> {
  const parsed = parseInboundEmail(mail, {
    defaultCountry: ctx.config.INGEST_DEFAULT_COUNTRY,
    receivedAt: receivedAt.toISOString(),
  })
  if (parsed.kind === 'skip') return { kind: 'skipped', reason: parsed.reason }

  const delivery = {
    key: deliveryKey(mail.messageId, ref),
    raw: rawOf(mail, receivedAt),
    rawRef: rawRef(ref),
  }
  try {
    if (parsed.form) {
      const result = await ctx.intake.capture(parsed.capture, delivery)
      const leadId = result.duplicateOf ?? result.id
      return result.replayed ? { kind: 'duplicate', leadId } : { kind: 'captured', leadId }
    }
    const result = await ctx.intake.interaction(
      { email: parsed.capture.email },
      {
        event: 'emailReply',
        activity: {
          kind: 'email',
          direction: 'inbound',
          subject: mail.subject?.slice(0, 300) ?? null,
          details: { messageId: mail.messageId ?? null, rawRef: delivery.rawRef },
          occurredAt: receivedAt,
        },
        ifUnknown: parsed.capture,
      },
      delivery,
    )
    if (result.replayed) return { kind: 'duplicate', leadId: result.leadId }
    return { kind: result.kind === 'engagement' ? 'engaged' : 'captured', leadId: result.leadId }
  } catch (err) {
    if (isRefusal(err)) {
      return { kind: 'skipped', reason: 'rejected', code: err.code }
    }
    throw err
  }
}

/** A rule said no (4xx): the same mail would be refused again. Throttling and faults are retried. */
function isRefusal(err: unknown): err is LeadwireError {
  return (
    err instanceof LeadwireError &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 429 &&
    err.options.retryable !== true
  )
}
