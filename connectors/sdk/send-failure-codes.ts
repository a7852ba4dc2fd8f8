/*
 * Node and axios error codes that tell an outbound vendor call (SendGrid, Twilio) was never
 * delivered, so retrying cannot send a message twice.
 */

/** The connection never opened: the vendor cannot have seen the request. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/**
 * Node or axios refused to build the request (bad base URL, bad header value): nothing was
 * sent, and the same message would fail the same way again.
 */
export const MALFORMED_REQUEST_CODES: ReadonlySet<string> = new Set([
  'ERR_INVALID_URL',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'ERR_BAD_OPTION_VALUE',
  'ERR_BAD_OPTION',
])
