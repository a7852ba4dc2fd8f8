import { defineConnector } from '../sdk/connector.js'
import { importManifest } from './manifest.js'
import { importRoutes } from './routes.js'

/** Bulk CSV/XLSX imports through the batch path of the governed pipeline. Needs no credentials. */
export const importConnector = defineConnector({
  manifest: importManifest,
  isConfigured: () => true,
  routes: importRoutes,
})
