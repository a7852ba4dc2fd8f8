import { defineConnector, hasRequiredSettings } from '../sdk/connector.js'
import { emailListener } from './listener.js'
import { emailManifest } from './manifest.js'

/** The lead inbox: IMAP mails in, governed leads and email replies out. */
export const emailConnector = defineConnector({
  manifest: emailManifest,
  isConfigured: (config) => hasRequiredSettings(emailManifest, config),
  listener: emailListener,
})
