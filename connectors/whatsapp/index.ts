import { defineConnector } from '../sdk/connector.js'
import { createWhatsAppListener } from './listener.js'
import { whatsappManifest } from './manifest.js'
import { createQueuedWhatsAppSender } from './outgoing-sender.js'
import { whatsappRoutes } from './routes.js'

/** WhatsApp through a linked device: inbound messages and the journeys' follow-ups. */
export const whatsappConnector = defineConnector({
  manifest: whatsappManifest,
  // WHATSAPP_ENABLED is a boolean with a default, so "set" is not enough: it must be true.
  isConfigured: (config) => config.WHATSAPP_ENABLED,
  routes: whatsappRoutes,
  listener: (ctx) => createWhatsAppListener(ctx),
  outbound: ({ db }) => ({ whatsapp: createQueuedWhatsAppSender(db) }),
})
