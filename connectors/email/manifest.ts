import type { ConnectorManifest } from '../sdk/connector.js'

export const emailManifest: ConnectorManifest = {
  id: 'email',
  title: 'Email inbox (IMAP)',
  channel: 'email',
  kind: 'listener',
  summary:
    'Watches a lead inbox over IMAP (IDLE, with polling as a safety net). Inquiry mails and web-form or lead-marketplace notifications (Contact Form 7, Elementor, Wix, Typeform, Google Forms, IndiaMART, JustDial) become leads; a known person’s mail is an email reply on their lead. Auto-replies and bounces are skipped. The raw mail stays on the server; the lead keeps its IMAP URL.',
  settings: [
    { key: 'IMAP_HOST', required: true },
    { key: 'IMAP_USER', required: true },
    { key: 'IMAP_PASSWORD', required: true, secret: true },
    { key: 'IMAP_PORT' },
    { key: 'IMAP_SECURE' },
    { key: 'IMAP_MAILBOX' },
    { key: 'IMAP_POLL_INTERVAL_MS' },
  ],
  endpoints: [],
  deliveryKey:
    "The mail's Message-ID (`msgid:<id>`); without one, the mailbox's UIDVALIDITY and the message UID (`uid:<uidvalidity>:<uid>`)",
}
