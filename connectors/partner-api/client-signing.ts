import { signPayload } from '../sdk/signatures.js'

/**
 * For partners' own code (and our tests): the headers that authenticate one request to
 * POST /partner/v1/leads. Sign the exact bytes you send, right before sending them: the
 * signature is refused 300 s after `now`. Use a new Idempotency-Key per lead and the same
 * one when retrying it.
 */
export function signPartnerRequest(
  key: string,
  body: string | Buffer,
  now: Date = new Date(),
): { authorization: string; 'x-leadwire-signature': string; 'content-type': string } {
  return {
    authorization: `Bearer ${key}`,
    'x-leadwire-signature': signPayload(key, body, now),
    'content-type': 'application/json',
  }
}
