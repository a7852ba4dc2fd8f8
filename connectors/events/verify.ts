import { LeadwireError, UnauthorizedError } from '../../platform/errors.js'
import { verifySignedPayload } from '../sdk/signatures.js'

/** How far a signature's timestamp may be from our clock (seconds): a captured request dies after it. */
export const SIGNATURE_TOLERANCE_SECONDS = 300

const PROBLEMS = {
  missing: 'The X-Leadwire-Signature header is missing.',
  malformed: 'The X-Leadwire-Signature header is not `t=<unix seconds>,v1=<hex HMAC-SHA256>`.',
  stale: `The X-Leadwire-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from our clock: sign each request when you send it.`,
  mismatch:
    'The X-Leadwire-Signature does not match the body: sign the exact bytes you send with EVENTS_WEBHOOK_SECRET.',
} as const

/**
 * Checks the HMAC over the exact bytes received (connectors/sdk/signatures.ts, Stripe's
 * scheme). Fails closed: no secret configured is a refusal too. 401, nothing stored.
 */
export function verifyEventSignature(
  secret: string | undefined,
  rawBody: string,
  header: string | string[] | undefined,
  now: Date,
): void {
  const value = Array.isArray(header) ? header[0] : header
  if (!secret) throw new UnauthorizedError(PROBLEMS.mismatch)
  const check = verifySignedPayload(secret, rawBody, value, now, SIGNATURE_TOLERANCE_SECONDS)
  if (!check.ok) throw new UnauthorizedError(PROBLEMS[check.reason])
}

/** The verified body as JSON; unreadable JSON is a 400. */
export function readJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody) as unknown
  } catch (err) {
    throw new LeadwireError('malformed_request', 400, 'The body is not valid JSON.', { cause: err })
  }
}
