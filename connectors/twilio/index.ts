import { defineConnector, hasRequiredSettings, type ConnectorManifest } from '../sdk/connector.js'

// Placeholder manifest: the channel's module fills in settings, endpoints and handlers.
const manifest: ConnectorManifest = {
  id: 'twilio',
  title: 'twilio',
  channel: 'phone',
  kind: 'webhook',
  summary: 'Not built yet.',
  settings: [],
  endpoints: [],
  deliveryKey: '',
}

export const twilioConnector = defineConnector({
  manifest,
  isConfigured: (config) => hasRequiredSettings(manifest, config) && false,
})
