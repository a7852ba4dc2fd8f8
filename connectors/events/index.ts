import { defineConnector, hasRequiredSettings } from '../sdk/connector.js'
import { eventsManifest } from './manifest.js'
import { eventsRoutes } from './routes.js'

/*
 * Webinar and event platforms. Layout:
 * - schemas.ts: the signed JSON contract (one item or a batch) and the answers;
 * - verify.ts: X-Leadwire-Signature over the raw body, then the JSON;
 * - parse.ts: registrations to captures, attendance to interactions, delivery keys (pure);
 * - handle.ts / batch.ts: each item through intake as its own delivery;
 * - routes.ts: POST /webhooks/events/registrations and /webhooks/events/attendance.
 */
export const eventsConnector = defineConnector({
  manifest: eventsManifest,
  isConfigured: (config) => hasRequiredSettings(eventsManifest, config),
  routes: eventsRoutes,
})
