import type { ConnectorManifest } from '../sdk/connector.js'

const ADMIN_AUTH = 'session or API key (channel permission)'

export const partnerApiManifest: ConnectorManifest = {
  id: 'partner-api',
  title: 'Partner API',
  channel: 'partner_api',
  kind: 'webhook',
  summary:
    'Leads pushed by partners, each with its own API key (only its sha256 stored), HMAC-signed bodies, ' +
    'a per-partner rate limit and the partner stamped as the source. Partners and keys are managed at /v1/partners.',
  // Partners and keys live in the database (partner, partner_key), not in settings: always on.
  settings: [],
  endpoints: [
    {
      method: 'POST',
      path: '/partner/v1/leads',
      auth: 'partner key (Bearer) + X-Leadwire-Signature HMAC',
      access: 'public',
    },
    { method: 'GET', path: '/v1/partners', auth: ADMIN_AUTH, access: { object: 'channel', action: 'read' } },
    {
      method: 'POST',
      path: '/v1/partners',
      auth: ADMIN_AUTH,
      access: { object: 'channel', action: 'create' },
    },
    {
      method: 'GET',
      path: '/v1/partners/:id',
      auth: ADMIN_AUTH,
      access: { object: 'channel', action: 'read' },
    },
    {
      method: 'PATCH',
      path: '/v1/partners/:id',
      auth: ADMIN_AUTH,
      access: { object: 'channel', action: 'update' },
    },
    {
      method: 'POST',
      path: '/v1/partners/:id/keys',
      auth: ADMIN_AUTH,
      access: { object: 'channel', action: 'update' },
    },
    {
      method: 'POST',
      path: '/v1/partners/:id/keys/:keyId/revoke',
      auth: ADMIN_AUTH,
      access: { object: 'channel', action: 'update' },
    },
  ],
  deliveryKey: 'partner id + Idempotency-Key',
}
