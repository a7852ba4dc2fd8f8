import { defineConnector } from '../sdk/connector.js'
import { sendgridManifest } from './manifest.js'
import { sendgridRoutes } from './routes.js'
import { createSendGridTransport } from './transport.js'

/**
 * SendGrid: the email sender journeys use, the unsubscribe pages its emails link to, and the
 * Event Webhook that reports what became of each email.
 */
export const sendgridConnector = defineConnector({
  manifest: sendgridManifest,
  // Always runs: without an API key emails are logged and recorded as `simulated`, and the
  // unsubscribe pages must keep answering for links already sent.
  isConfigured: () => true,
  routes: sendgridRoutes,
  // Without an API key it provides no sender, and journeys get the log transport (outbound.ts).
  outbound: ({ config }) =>
    config.SENDGRID_API_KEY
      ? {
          email: createSendGridTransport({
            apiKey: config.SENDGRID_API_KEY,
            baseUrl: config.SENDGRID_API_URL,
          }),
        }
      : {},
})
