import { defineConnector, hasRequiredSettings, type ConnectorManifest } from '../sdk/connector.js'

// Placeholder manifest: the channel's module fills in settings, endpoints and handlers.
const manifest: ConnectorManifest = {
  id: 'web-form',
  title: 'web-form',
  channel: 'web_form',
  kind: 'webhook',
  summary: 'Not built yet.',
  settings: [],
  endpoints: [],
  deliveryKey: '',
}

export const webFormConnector = defineConnector({
  manifest,
  isConfigured: (config) => hasRequiredSettings(manifest, config) && false,
})
