import { EventWebhook } from '@sendgrid/eventwebhook'

/*
 * The Event Webhook's signature, checked with SendGrid's own library: ECDSA P-256 over
 * `<timestamp header><raw body>`, the public key being the "verification key" shown in
 * SendGrid's Mail Settings (base64 DER).
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 *
 * No freshness window on the timestamp: SendGrid retries a batch it could not deliver for up
 * to 72 hours, and replays are harmless anyway (every event is claimed once by sg_event_id).
 */

export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature'
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp'

type PublicKey = ReturnType<EventWebhook['convertPublicKeyToECDSA']>

export interface EventWebhookVerifier {
  verify(rawBody: Buffer, signature: string | undefined, timestamp: string | undefined): boolean
}

/** Throws when the configured key cannot be read (a configuration fault, not a bad request). */
export function eventWebhookVerifier(publicKeyBase64: string): EventWebhookVerifier {
  const webhook = new EventWebhook()
  const key: PublicKey = webhook.convertPublicKeyToECDSA(publicKeyBase64)
  return {
    verify(rawBody, signature, timestamp) {
      if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false
      try {
        return webhook.verifySignature(key, rawBody, signature, timestamp)
      } catch {
        // starkbank-ecdsa throws on a signature that is not base64 DER: that is a bad signature.
        return false
      }
    },
  }
}
