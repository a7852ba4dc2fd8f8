import type { FastifyInstance } from 'fastify'
import { LeadwireError, UnauthorizedError } from '../../platform/errors.js'
import { verifySignedPayload, type SignatureCheck } from './signatures.js'

/*
 * Signed JSON webhooks (`X-Leadwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">`, the partner API and event platforms): the signature covers the bytes on the
 * wire, so the body is kept as received, verified, and only then read as JSON.
 */

/** How far a signature's timestamp may be from our clock (seconds): a captured request dies after it. */
export const SIGNATURE_TOLERANCE_SECONDS = 300

/** In this scope, JSON bodies arrive as the bytes received (read them with readJsonBody once verified). */
export function keepRawJsonBodies(app: FastifyInstance, parseAs: 'string' | 'buffer'): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs }, (_request, body, done) => done(null, body))
}

type Failure = Exclude<SignatureCheck, { ok: true }>['reason']

/** What was wrong with a signature, for the 401; `secretName` names what to sign with. */
export function signatureProblem(reason: Failure, secretName?: string): string {
  switch (reason) {
    case 'missing':
      return 'The X-Leadwire-Signature header is missing.'
    case 'malformed':
      return 'The X-Leadwire-Signature header is not `t=<unix seconds>,v1=<hex HMAC-SHA256>`.'
    case 'stale':
      return `The X-Leadwire-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from our clock: sign each request when you send it.`
    case 'mismatch':
      return `The X-Leadwire-Signature does not match the body: sign the exact bytes you send${secretName ? ` with ${secretName}` : ''}.`
  }
}

/** Throws 401 unless the header signs these exact bytes with `secret`, recently. Nothing is stored before it. */
export function assertSignedBody(
  secret: string,
  body: string | Buffer,
  header: string | undefined,
  now: Date,
  secretName?: string,
): void {
  const check = verifySignedPayload(secret, body, header, now, SIGNATURE_TOLERANCE_SECONDS)
  if (!check.ok) throw new UnauthorizedError(signatureProblem(check.reason, secretName))
}

/** The verified body as JSON; unreadable JSON is a 400. */
export function readJsonBody(raw: string | Buffer): unknown {
  try {
    return JSON.parse(raw.toString()) as unknown
  } catch (err) {
    throw new LeadwireError('malformed_request', 400, 'The body is not valid JSON.', { cause: err })
  }
}
