import type { ConnectorManifest } from '../sdk/connector.js'

const SIGNED = 'X-Leadwire-Signature HMAC of the raw body'

export const eventsManifest: ConnectorManifest = {
  id: 'events',
  title: 'Webinars and events',
  channel: 'event',
  kind: 'webhook',
  summary:
    'Registrations and attendance from webinar and event platforms (Zoom, Webex, HubSpot, custom), pushed as ' +
    'signed JSON, one at a time or in batches. A registrant becomes a lead attributed to the event; attending ' +
    'is an engagement that raises the score.',
  settings: [{ key: 'EVENTS_WEBHOOK_SECRET', secret: true, required: true }],
  endpoints: [
    { method: 'POST', path: '/webhooks/events/registrations', auth: SIGNED, access: 'public' },
    { method: 'POST', path: '/webhooks/events/attendance', auth: SIGNED, access: 'public' },
  ],
  deliveryKey: 'eventId + registrant/attendee id (else email), per registration and per attendance',
}

export const EVENTS_PATHS = {
  registrations: '/webhooks/events/registrations',
  attendance: '/webhooks/events/attendance',
} as const
