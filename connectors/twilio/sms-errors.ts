import twilio from 'twilio'
import { MALFORMED_REQUEST_CODES, NOT_SENT_CODES } from '../sdk/send-failure-codes.js'

/*
 * Twilio SMS failures, in the kinds a journey's send can act on (the same question as
 * connectors/sendgrid/errors.ts: may I retry, and could a retry send the message twice?).
 *
 * What twilio 6.2.0 throws from messages.create (lib/base/Version.js, lib/base/RequestClient.js):
 * - an HTTP answer outside 2xx: a RestException, `status` = the HTTP status, `code` = Twilio's
 *   error code (21211 invalid To, 21610 the recipient replied STOP, 21408 region not enabled);
 * - anything else from axios as is: an AxiosError with `code` = the Node network code or
 *   axios's own (ECONNABORTED when the timeout fires);
 * - its own checks before any request ("Required parameter ... missing"): a plain Error.
 */

export type SmsSendFailureKind =
  /** 4xx except 429, or refused before sending: permanent, do not retry. */
  | 'rejected'
  /** 429: retry later. */
  | 'throttled'
  /** 5xx, or the connection never opened: not accepted, safe to retry. */
  | 'unavailable'
  /** Timeout or reset after the request was written: Twilio may have queued it. */
  | 'ambiguous'

export class SmsSendError extends Error {
  override readonly name = 'SmsSendError'
  readonly kind: SmsSendFailureKind
  /** Twilio's HTTP status, or null when no answer came. */
  readonly status: number | null

  constructor(
    kind: SmsSendFailureKind,
    message: string,
    options: { status?: number | null; cause?: unknown } = {},
  ) {
    // Non-enumerable `cause`: the axios config in it holds the Authorization header.
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.kind = kind
    this.status = options.status ?? null
  }
}

// Twilio's messages quote the number back ("The 'To' number +9198... is not valid"): the
// text ends up in logs and in Temporal's failure history, so numbers are scrubbed.
const PHONE_LIKE = /\+?\d[\d\s().-]{5,}\d/g
const MAX_DETAIL_LENGTH = 300

export function classifyTwilioSmsError(err: unknown): SmsSendError {
  if (err instanceof SmsSendError) return err
  if (err instanceof twilio.RestException) {
    const status = err.status
    const detail = `${err.code !== undefined ? ` [${err.code}]` : ''}: ${scrub(err.message)}`
    if (status === 429)
      return new SmsSendError('throttled', `Twilio throttled the SMS (429)${detail}`, { status, cause: err })
    if (status >= 500)
      return new SmsSendError('unavailable', `Twilio failed to accept the SMS (${status})${detail}`, {
        status,
        cause: err,
      })
    return new SmsSendError('rejected', `Twilio rejected the SMS (${status})${detail}`, {
      status,
      cause: err,
    })
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>
  if (e.isAxiosError === true) {
    const code = typeof e.code === 'string' ? e.code : 'UNKNOWN'
    if (NOT_SENT_CODES.has(code))
      return new SmsSendError('unavailable', `Twilio unreachable (${code})`, { cause: err })
    if (MALFORMED_REQUEST_CODES.has(code))
      return new SmsSendError('rejected', `Twilio request could not be built (${code})`, { cause: err })
    return new SmsSendError('ambiguous', `Twilio SMS outcome unknown (${code}): it may have been queued`, {
      cause: err,
    })
  }
  if (err instanceof Error)
    return new SmsSendError('rejected', `Twilio library refused the SMS: ${scrub(err.message)}`, {
      cause: err,
    })
  return new SmsSendError('ambiguous', 'Twilio SMS failed with a non-error value', { cause: err })
}

function scrub(text: string): string {
  const scrubbed = text.replace(PHONE_LIKE, '[number]')
  return scrubbed.length > MAX_DETAIL_LENGTH ? `${scrubbed.slice(0, MAX_DETAIL_LENGTH)}…` : scrubbed
}
