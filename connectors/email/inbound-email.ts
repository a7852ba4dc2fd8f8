/** A mailbox as a mail names it: `"Meera Iyer" <meera@example.co.in>`. */
export interface Mailbox {
  name?: string | undefined
  address?: string | undefined
}

/**
 * One received mail, reduced to what lead extraction reads. message.ts builds it from
 * mailparser's output; the parsing rules (parse.ts) see only this plain shape, so they are
 * tested without a server or a MIME parser.
 */
export interface InboundEmail {
  /** The Message-ID header, angle brackets included. */
  messageId?: string | undefined
  subject?: string | undefined
  from?: Mailbox | undefined
  replyTo?: Mailbox | undefined
  /** The Date header (ISO 8601), as the sender's clock put it. */
  date?: string | undefined
  /** The plain-text body (text/plain part). */
  text?: string | undefined
  /** The HTML body, when the mail has one. */
  html?: string | undefined
  /** The top-level MIME type, lower case: `text/plain`, `multipart/report`... */
  contentType?: string | undefined
  /** Header values by lower-case name (the first occurrence), for the automated-mail checks. */
  headers: Record<string, string>
}
