import twilio from 'twilio'
import { ForbiddenError } from '../../platform/errors.js'

/**
 * Checks X-Twilio-Signature with Twilio's own validator: an HMAC-SHA1 of the full URL
 * Twilio requested followed by the sorted POST parameters, keyed with the account's auth
 * token (https://www.twilio.com/docs/usage/webhooks/webhooks-security). `url` must be the
 * URL exactly as Twilio called it (public base URL + path + query as received): behind a
 * proxy that is PUBLIC_BASE_URL, never the address we listen on. Fails closed: a missing
 * header or token is a refusal. Twilio's convention for a bad signature is 403.
 */
export function verifyTwilioSignature(
  authToken: string | undefined,
  signature: string | string[] | undefined,
  url: string,
  params: Record<string, unknown>,
): void {
  const header = Array.isArray(signature) ? signature[0] : signature
  if (!header) throw new ForbiddenError('The X-Twilio-Signature header is missing.')
  if (!authToken || !twilio.validateRequest(authToken, header, url, params)) {
    throw new ForbiddenError(
      'The X-Twilio-Signature does not match: check TWILIO_AUTH_TOKEN and that PUBLIC_BASE_URL is the URL Twilio calls.',
    )
  }
}
