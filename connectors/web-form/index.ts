import { defineConnector } from '../sdk/connector.js'
import { webFormManifest } from './manifest.js'
import { webFormRoutes } from './routes.js'

/** Web forms defined in Leadwire, posted from any site or from their hosted page. */
export const webFormConnector = defineConnector({
  manifest: webFormManifest,
  // Nothing to configure: without PUBLIC_BASE_URL, URLs use the address the API listens on.
  isConfigured: () => true,
  routes: webFormRoutes,
})
