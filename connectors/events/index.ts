import { defineConnector, hasRequiredSettings, type ConnectorManifest } from '../sdk/connector.js'

// Placeholder manifest: the channel's module fills in settings, endpoints and handlers.
const manifest: ConnectorManifest = {
  id: 'events',
  title: 'events',
  channel: 'event',
  kind: 'webhook',
  summary: 'Not built yet.',
  settings: [],
  endpoints: [],
  deliveryKey: '',
}

export const eventsConnector = defineConnector({
  manifest,
  isConfigured: (config) => hasRequiredSettings(manifest, config) && false,
})
