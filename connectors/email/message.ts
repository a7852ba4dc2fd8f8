import { simpleParser, type AddressObject } from 'mailparser'
import type { InboundEmail, Mailbox } from './inbound-email.js'

/** Headers kept on the InboundEmail: the automated-mail checks and the raw capture's context. */
const KEPT_HEADERS = [
  'to',
  'cc',
  'reply-to',
  'in-reply-to',
  'references',
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-autorespond',
  'x-failed-recipients',
  'list-id',
  'list-unsubscribe',
  'x-mailer',
] as const

/** A raw header line's value, unfolded ("Auto-Submitted: auto-generated" → "auto-generated"). */
function lineValue(line: string): string {
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim()
}

function firstMailbox(value: AddressObject | AddressObject[] | undefined): Mailbox | undefined {
  const first = (Array.isArray(value) ? value[0] : value)?.value[0]
  if (!first?.address) return undefined
  return { address: first.address, name: first.name || undefined }
}

/**
 * Parses a message's MIME source (mailparser) into the plain shape the parsing rules read.
 * mailparser is lenient: garbage comes back as a mail with no sender and no text, which
 * the rules then skip, rather than as an error.
 */
export async function readMessage(source: Buffer): Promise<InboundEmail> {
  // HTML-only mails are read by form-fields.ts, which keeps table cells apart; mailparser's
  // own text rendering would run them together.
  const mail = await simpleParser(source, {
    skipHtmlToText: true,
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  })
  const headers: Record<string, string> = {}
  for (const { key, line } of mail.headerLines) {
    if ((KEPT_HEADERS as readonly string[]).includes(key) && headers[key] === undefined)
      headers[key] = lineValue(line)
  }
  const contentType = mail.headers.get('content-type')
  return {
    messageId: mail.messageId,
    subject: mail.subject,
    from: firstMailbox(mail.from),
    replyTo: firstMailbox(mail.replyTo),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined,
    text: mail.text,
    html: mail.html || undefined,
    contentType:
      contentType && typeof contentType === 'object' && 'value' in contentType
        ? String(contentType.value).toLowerCase()
        : undefined,
    headers,
  }
}
