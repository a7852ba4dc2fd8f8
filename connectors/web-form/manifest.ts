import type { ConnectorManifest } from '../sdk/connector.js'

const ADMIN_AUTH = 'session or API key (channel permission)'

export const webFormManifest: ConnectorManifest = {
  id: 'web-form',
  title: 'Web forms',
  channel: 'web_form',
  kind: 'webhook',
  summary:
    'Forms defined at /v1/forms, embedded on any site as a plain HTML snippet or linked as a hosted page: field ' +
    'mapping, the consent wording kept as evidence, UTM and referrer attribution, an origin allow-list, a per-IP ' +
    'rate limit and a honeypot.',
  // Forms live in the database (web_form). PUBLIC_BASE_URL only shapes the URLs in snippets.
  settings: [{ key: 'PUBLIC_BASE_URL' }],
  endpoints: [
    {
      method: 'POST',
      path: '/f/:formId',
      auth: "public: the form's allowed origins, rate limit, honeypot",
      access: 'public',
    },
    {
      method: 'OPTIONS',
      path: '/f/:formId',
      auth: 'public: CORS preflight against the allowed origins',
      access: 'public',
    },
    { method: 'GET', path: '/f/:formId', auth: 'public', access: 'public' },
    { method: 'GET', path: '/f/:formId/embed.js', auth: 'public', access: 'public' },
    { method: 'GET', path: '/v1/forms', auth: ADMIN_AUTH, access: { object: 'channel', action: 'read' } },
    { method: 'POST', path: '/v1/forms', auth: ADMIN_AUTH, access: { object: 'channel', action: 'create' } },
    { method: 'GET', path: '/v1/forms/:id', auth: ADMIN_AUTH, access: { object: 'channel', action: 'read' } },
    {
      method: 'PATCH',
      path: '/v1/forms/:id',
      auth: ADMIN_AUTH,
      access: { object: 'channel', action: 'update' },
    },
    {
      method: 'GET',
      path: '/v1/forms/:id/embed',
      auth: ADMIN_AUTH,
      access: { object: 'channel', action: 'read' },
    },
  ],
  deliveryKey:
    'form id + the submission id the embed script generates (or the Idempotency-Key header); without one, a sha256 of the fields and the minute',
}
