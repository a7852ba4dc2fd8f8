import { defineConnector, hasRequiredSettings, type ConnectorManifest } from '../sdk/connector.js'

// Placeholder manifest: the channel's module fills in settings, endpoints and handlers.
const manifest: ConnectorManifest = {
  id: 'partner-api',
  title: 'partner-api',
  channel: 'partner_api',
  kind: 'webhook',
  summary: 'Not built yet.',
  settings: [],
  endpoints: [],
  deliveryKey: '',
}

export const partnerApiConnector = defineConnector({
  manifest,
  isConfigured: (config) => hasRequiredSettings(manifest, config) && false,
})
