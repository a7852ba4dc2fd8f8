import { defineConnector, hasRequiredSettings, type ConnectorManifest } from '../sdk/connector.js'

// Placeholder manifest: the channel's module fills in settings, endpoints and handlers.
const manifest: ConnectorManifest = {
  id: 'sendgrid',
  title: 'sendgrid',
  channel: null,
  kind: 'outbound',
  summary: 'Not built yet.',
  settings: [],
  endpoints: [],
  deliveryKey: '',
}

export const sendgridConnector = defineConnector({
  manifest,
  isConfigured: (config) => hasRequiredSettings(manifest, config) && false,
})
