/*
 * IMAP failures, translated at the edge into what the listener can act on (Twenty's
 * parse-imap-error.util.ts does the same). What imapflow 2.10 raises: an
 * AuthenticationFailure (`authenticationFailed: true`) for a refused login, an error with
 * `mailboxMissing: true` when the mailbox cannot be selected, Node's socket codes
 * (ECONNREFUSED, ENOTFOUND...) and its own (NoConnection, CONNECT_TIMEOUT, ETIMEOUT...)
 * for everything on the way.
 */

export type ImapFailureKind =
  /** The server refused the credentials: retrying soon would only risk an account lockout. */
  | 'auth'
  /** IMAP_MAILBOX does not exist on the server: a setting to fix, not a network fault. */
  | 'mailbox'
  /** Network, timeout, server restart: reconnect with backoff. */
  | 'temporary'

export class ImapConnectorError extends Error {
  override readonly name = 'ImapConnectorError'
  constructor(
    readonly kind: ImapFailureKind,
    message: string,
    cause?: unknown,
  ) {
    // `cause` through the constructor is non-enumerable: the vendor error (with the command
    // and server text) stays out of JSON and log objects.
    super(message, cause === undefined ? undefined : { cause })
  }
}

export function classifyImapError(err: unknown): ImapConnectorError {
  if (err instanceof ImapConnectorError) return err
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>
  const code = typeof e['code'] === 'string' ? e['code'] : undefined
  if (e['authenticationFailed'] === true) {
    return new ImapConnectorError(
      'auth',
      'The IMAP server refused the login (check IMAP_USER and IMAP_PASSWORD).',
      err,
    )
  }
  if (e['mailboxMissing'] === true || code === 'NotFound') {
    return new ImapConnectorError(
      'mailbox',
      'The mailbox named by IMAP_MAILBOX does not exist on the server.',
      err,
    )
  }
  // Server texts can quote the login back; only the code goes into our message.
  return new ImapConnectorError('temporary', `IMAP connection failed (${code ?? 'unknown'}).`, err)
}
