import type { ConnectorManifest } from '../sdk/connector.js'

export const WHATSAPP_CONNECTOR_ID = 'whatsapp'

export const whatsappManifest: ConnectorManifest = {
  id: WHATSAPP_CONNECTOR_ID,
  title: 'WhatsApp (linked device)',
  channel: 'whatsapp',
  kind: 'listener',
  summary:
    'Messages people send to a WhatsApp number linked by QR (Baileys): a new number becomes a lead, a known one is a reply signal to its journey, a lone STOP withdraws consent. Also sends the journeys’ WhatsApp follow-ups.',
  settings: [{ key: 'WHATSAPP_ENABLED', required: true }, { key: 'WHATSAPP_SESSION_ID' }],
  endpoints: [
    {
      method: 'GET',
      path: '/v1/connectors/whatsapp/pairing',
      auth: 'session or API key (channel permission)',
      access: { object: 'channel', action: 'read' },
    },
    {
      method: 'POST',
      path: '/v1/connectors/whatsapp/logout',
      auth: 'session or API key (channel permission)',
      access: { object: 'channel', action: 'update' },
    },
  ],
  deliveryKey: 'WhatsApp message id (with the sender’s number)',
}
