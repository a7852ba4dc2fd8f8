import type { InboundEmail } from './inbound-email.js'

/*
 * Mail no person wrote. Auto-replies and bounces must never become leads (the vacation
 * reply to our own nurture mail would otherwise come back as a "new inquiry"), and
 * newsletters or system notices in the lead inbox are not inquiries either. Pure.
 */

/** Why a mail is not from a person: a bounce, an auto-reply, or other machine mail. */
export type AutomatedKind = 'bounce' | 'auto_reply' | 'automated'

// Bounces come from the MTA's own mailbox (RFC 5321 §4.5.5 null sender, shown as
// MAILER-DAEMON or postmaster by most servers).
const BOUNCE_SENDER = /^(mailer[-_.]?daemon|postmaster)$/i
// Subjects autoresponders use when they set no header (older Exchange, some webmail).
const AUTO_REPLY_SUBJECT =
  /^\s*(automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (the )?office( reply)?|abwesenheitsnotiz|r[ée]ponse automatique)\s*:/i
const BOUNCE_SUBJECT =
  /^\s*(undeliverable|undelivered mail|delivery status notification|mail delivery (failed|failure|system)|returned mail|failure notice)\b/i

/** Sender mailboxes that only ever send machine mail: form plugins, lead alert services. */
const SYSTEM_LOCAL_PART =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|notifications?|notify|alerts?|mailer|wordpress|forms?|form[-_.]?submissions?|webforms?|bounces?|auto(mated)?|system)([-_.+].*)?$/i
/** Lead marketplaces and form services whose alerts name the buyer in the body, never in From. */
const SYSTEM_DOMAINS = [
  'indiamart.com',
  'justdial.com',
  'tradeindia.com',
  'sulekha.com',
  'typeform.com',
  'jotform.com',
  'wix.com',
  'wixforms.com',
  'formspree.io',
  'elementor.com',
  'hubspot.com',
  'zohoforms.com',
]

/** True when the address belongs to a form plugin, a lead alert service or another robot. */
export function isSystemAddress(address: string | undefined): boolean {
  if (!address) return false
  const at = address.lastIndexOf('@')
  const local = address.slice(0, at)
  const domain = address.slice(at + 1).toLowerCase()
  return (
    SYSTEM_LOCAL_PART.test(local) ||
    BOUNCE_SENDER.test(local) ||
    SYSTEM_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`))
  )
}

/**
 * Whether (and why) a mail was sent by a machine. `automated` mail may still carry a web
 * form's submission (form plugins mark their notifications `Auto-Submitted:
 * auto-generated`, as RFC 3834 asks); the caller decides by its fields. Bounces and
 * auto-replies are never leads.
 */
export function automatedKind(mail: InboundEmail): AutomatedKind | null {
  const header = (name: string) => mail.headers[name]?.trim().toLowerCase()
  const local = mail.from?.address?.split('@')[0] ?? ''
  const subject = mail.subject ?? ''

  // Delivery and read reports (RFC 6522 multipart/report; RFC 3464 delivery-status).
  if (
    BOUNCE_SENDER.test(local) ||
    mail.contentType === 'multipart/report' ||
    header('x-failed-recipients') !== undefined ||
    BOUNCE_SUBJECT.test(subject)
  )
    return 'bounce'

  // RFC 3834 §5: "auto-replied" marks responses to a message; "no" is a person's mail.
  const autoSubmitted = header('auto-submitted')
  if (autoSubmitted?.startsWith('auto-replied')) return 'auto_reply'
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined) return 'auto_reply'
  const precedence = header('precedence')
  if (precedence === 'auto_reply' || AUTO_REPLY_SUBJECT.test(subject)) return 'auto_reply'

  if (autoSubmitted !== undefined && autoSubmitted !== 'no') return 'automated'
  // Mailing lists and bulk senders (RFC 2369 List-* headers; the de facto Precedence header).
  if (
    precedence === 'bulk' ||
    precedence === 'list' ||
    precedence === 'junk' ||
    header('list-id') !== undefined ||
    header('list-unsubscribe') !== undefined
  )
    return 'automated'
  return null
}
