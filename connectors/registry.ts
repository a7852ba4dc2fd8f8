import { emailConnector } from './email/index.js'
import { eventsConnector } from './events/index.js'
import { googleAdsConnector } from './google-ads/index.js'
import { importConnector } from './import/index.js'
import { partnerApiConnector } from './partner-api/index.js'
import type { Connector } from './sdk/connector.js'
import { sendgridConnector } from './sendgrid/index.js'
import { twilioConnector } from './twilio/index.js'
import { webFormConnector } from './web-form/index.js'
import { whatsappConnector } from './whatsapp/index.js'

/** Every built-in connector. A new channel is one module here (docs/connector-sdk.md). */
export const ALL_CONNECTORS: readonly Connector[] = [
  webFormConnector,
  whatsappConnector,
  emailConnector,
  twilioConnector,
  partnerApiConnector,
  eventsConnector,
  importConnector,
  sendgridConnector,
  googleAdsConnector,
]
