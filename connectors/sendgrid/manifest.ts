import type { ConnectorManifest } from '../sdk/connector.js'

export const SENDGRID_CONNECTOR_ID = 'sendgrid'

export const sendgridManifest: ConnectorManifest = {
  id: SENDGRID_CONNECTOR_ID,
  title: 'SendGrid email',
  channel: null,
  kind: 'outbound',
  summary:
    'Sends journey emails (rendered templates or SendGrid dynamic templates), each with a signed ' +
    'unsubscribe link and RFC 8058 one-click headers; reads the Event Webhook back: opens and clicks ' +
    'raise engagement, unsubscribes and spam reports withdraw consent, bounces go on the timeline.',
  // Always on: without an API key emails are logged and recorded as `simulated`, and the
  // unsubscribe pages must answer for every link already sent. The Event Webhook answers 503
  // until SENDGRID_WEBHOOK_PUBLIC_KEY is set.
  settings: [
    { key: 'SENDGRID_API_KEY', secret: true },
    { key: 'SENDGRID_WEBHOOK_PUBLIC_KEY' },
    { key: 'EMAIL_FROM_ADDRESS' },
    { key: 'LINK_SIGNING_SECRET', secret: true },
    { key: 'PUBLIC_BASE_URL' },
  ],
  endpoints: [
    {
      method: 'POST',
      path: '/webhooks/sendgrid/events',
      auth: 'X-Twilio-Email-Event-Webhook-Signature (ECDSA)',
      access: 'public',
    },
    { method: 'GET', path: '/u/:token', auth: 'signed link token', access: 'public' },
    { method: 'POST', path: '/u/:token', auth: 'signed link token (RFC 8058 one-click)', access: 'public' },
  ],
  deliveryKey: "SendGrid's sg_event_id; an unsubscribe link's token (its sha256)",
}
