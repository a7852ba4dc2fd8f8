import { UnauthorizedError } from '../../platform/errors.js'
import { assertSignedBody, signatureProblem } from '../sdk/signed-json.js'

/**
 * Checks the HMAC over the exact bytes received (connectors/sdk/signed-json.ts, Stripe's
 * scheme). Fails closed: no secret configured is a refusal too. 401, nothing stored.
 */
export function verifyEventSignature(
  secret: string | undefined,
  rawBody: string,
  header: string | string[] | undefined,
  now: Date,
): void {
  const value = Array.isArray(header) ? header[0] : header
  if (!secret) throw new UnauthorizedError(signatureProblem('mismatch', 'EVENTS_WEBHOOK_SECRET'))
  assertSignedBody(secret, rawBody, value, now, 'EVENTS_WEBHOOK_SECRET')
}
