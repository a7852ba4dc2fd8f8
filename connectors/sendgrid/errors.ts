/*
 * SendGrid failures, translated at the edge into the few kinds a caller can act on. The kind
 * answers the only question a nurture journey has after a failed send: may I retry, and could a
 * retry send the email twice?
 *
 * What @sendgrid/client 8.1.6 throws (src/classes/client.js):
 * - an HTTP answer with status >= 400: a ResponseError, `code` = status, `message` = the status
 *   text, `response.body` = SendGrid's `{ errors: [{ message, field, help }] }`;
 * - anything else from axios as is: an AxiosError with `isAxiosError: true` and `code` set to the
 *   Node network code (ECONNREFUSED, ENOTFOUND, ECONNRESET "socket hang up"...) or to axios's own
 *   (ECONNABORTED when its `timeout` fires, ERR_CANCELED on abort). A non-2xx answer below 400
 *   (a redirect that was not followed) is an AxiosError with `response`;
 * - Mail's own validation ("String expected for `name`"), before any request: a plain Error.
 */

import { MALFORMED_REQUEST_CODES, NOT_SENT_CODES } from '../sdk/send-failure-codes.js'

export type EmailSendFailureKind =
  /** 4xx except 429, or refused before sending: permanent, do not retry. */
  | 'rejected'
  /** 429: retry later. */
  | 'throttled'
  /** 5xx, or the connection never opened: the request was not accepted, safe to retry. */
  | 'unavailable'
  /** Timeout or reset after the request was sent: SendGrid may have accepted it; a retry could send twice. */
  | 'ambiguous'

export class EmailSendError extends Error {
  override readonly name = 'EmailSendError'
  readonly kind: EmailSendFailureKind
  /** SendGrid's HTTP status, or null when no answer came. */
  readonly status: number | null

  constructor(
    kind: EmailSendFailureKind,
    message: string,
    options: { status?: number | null; cause?: unknown } = {},
  ) {
    // `cause` through the Error constructor is non-enumerable: the vendor error (whose axios
    // config holds the Authorization header and the whole body) stays out of JSON and log objects.
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.kind = kind
    this.status = options.status ?? null
  }
}

// SendGrid's error messages may quote an address back ("... a@b.c is not valid"): scrub before
// the text goes into our message, which ends up in logs and Temporal failure history.
const EMAIL_LIKE = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g
const MAX_DETAIL_LENGTH = 300

export function classifySendGridError(err: unknown): EmailSendError {
  if (err instanceof EmailSendError) return err
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>

  if (isResponseError(e)) {
    const status = e.code as number
    const detail = describeSendGridErrors(e.response)
    if (status === 429) {
      return new EmailSendError('throttled', `SendGrid throttled the send (429)${detail}`, {
        status,
        cause: err,
      })
    }
    if (status >= 500) {
      return new EmailSendError('unavailable', `SendGrid failed to accept the send (${status})${detail}`, {
        status,
        cause: err,
      })
    }
    return new EmailSendError('rejected', `SendGrid rejected the send (${status})${detail}`, {
      status,
      cause: err,
    })
  }

  if (e.isAxiosError === true) {
    const response = e.response as { status?: unknown } | undefined
    if (response && typeof response.status === 'number') {
      // An answer that is neither success nor error (an unfollowed redirect): a misconfigured
      // base URL or proxy; retrying would meet the same answer.
      return new EmailSendError('rejected', `SendGrid answered ${response.status}, not 2xx`, {
        status: response.status,
        cause: err,
      })
    }
    const code = typeof e.code === 'string' ? e.code : 'UNKNOWN'
    if (NOT_SENT_CODES.has(code)) {
      return new EmailSendError('unavailable', `SendGrid unreachable (${code})`, { cause: err })
    }
    if (MALFORMED_REQUEST_CODES.has(code)) {
      return new EmailSendError('rejected', `SendGrid request could not be built (${code})`, { cause: err })
    }
    // ECONNABORTED (our timeout), ETIMEDOUT, ECONNRESET, EPIPE, ERR_CANCELED and anything
    // unknown: the request may have been written, so we cannot say it was not accepted.
    return new EmailSendError(
      'ambiguous',
      `SendGrid send outcome unknown (${code}): it may have been accepted`,
      {
        cause: err,
      },
    )
  }

  if (err instanceof Error) {
    // Not from the HTTP layer: Mail's validation threw before any request was made. Its
    // messages name fields and types, never values.
    return new EmailSendError('rejected', `SendGrid library refused the message: ${truncate(err.message)}`, {
      cause: err,
    })
  }
  return new EmailSendError('ambiguous', 'SendGrid send failed with a non-error value', { cause: err })
}

function isResponseError(e: Record<string, unknown>): boolean {
  return (
    typeof e.code === 'number' &&
    e.code >= 400 &&
    typeof e.response === 'object' &&
    e.response !== null &&
    'body' in e.response
  )
}

/** ": field: message; ..." from SendGrid's `{ errors: [...] }` body, scrubbed; '' if none. */
function describeSendGridErrors(response: unknown): string {
  const body = (response as { body?: unknown }).body
  const errors = (body as { errors?: unknown } | null | undefined)?.errors
  if (!Array.isArray(errors) || errors.length === 0) return ''
  const parts = errors.map((item: unknown) => {
    const { field, message } = (item ?? {}) as { field?: unknown; message?: unknown }
    const text = typeof message === 'string' ? message : 'error'
    return typeof field === 'string' && field !== '' ? `${field}: ${text}` : text
  })
  return `: ${truncate(parts.join('; '))}`
}

function truncate(text: string): string {
  const scrubbed = text.replace(EMAIL_LIKE, '[address]')
  return scrubbed.length > MAX_DETAIL_LENGTH ? `${scrubbed.slice(0, MAX_DETAIL_LENGTH)}…` : scrubbed
}
