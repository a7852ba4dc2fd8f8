import { defineConnector, hasRequiredSettings } from '../sdk/connector.js'
import { googleAdsManifest } from './manifest.js'
import { googleAdsRoutes } from './routes.js'

/** Google Ads lead forms: the SDK guide's example (docs/connector-sdk.md). */
export const googleAdsConnector = defineConnector({
  manifest: googleAdsManifest,
  isConfigured: (config) => hasRequiredSettings(googleAdsManifest, config),
  routes: googleAdsRoutes,
})
