import { defineConnector, hasRequiredSettings } from '../sdk/connector.js'
import { twilioManifest } from './manifest.js'
import { twilioRoutes } from './routes.js'
import { createTwilioSmsSender } from './sms-sender.js'

/*
 * Twilio voice (CTI). Layout:
 * - verify.ts: X-Twilio-Signature with Twilio's validator, over PUBLIC_BASE_URL + the path;
 * - parse.ts: Twilio's parameters to a capture, the call's details, status rules (pure);
 * - twiml.ts: the TwiML answers (pure, Twilio's VoiceResponse);
 * - routes.ts: the three webhooks (voice, status, recording);
 * - call-updates.ts: a call's outcome and voicemail, and the call-back task a missed call opens;
 * - sms-sender.ts, sms-errors.ts: the SMS sender journeys use (messages.create), when an
 *   account SID and a sender are set as well as the auth token.
 */
export const twilioConnector = defineConnector({
  manifest: twilioManifest,
  isConfigured: (config) => hasRequiredSettings(twilioManifest, config),
  routes: twilioRoutes,
  outbound: ({ config }) =>
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_SMS_FROM
      ? {
          sms: createTwilioSmsSender({
            accountSid: config.TWILIO_ACCOUNT_SID,
            authToken: config.TWILIO_AUTH_TOKEN,
            from: config.TWILIO_SMS_FROM,
          }),
        }
      : {},
})
