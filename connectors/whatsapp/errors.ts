/*
 * A journey's WhatsApp send that did not end as `sent`, in the kinds a caller can act on
 * (the same question as connectors/sendgrid/errors.ts: may I retry, could a retry send twice?).
 */
export type WhatsAppSendFailureKind =
  /** Refused for good (not a WhatsApp number, an invalid number, too many failed tries): do not retry. */
  | 'rejected'
  /** Not sent yet (no paired socket, or it did not get to it in time): retrying is safe. */
  | 'unavailable'
  /** The socket's send call failed midway: WhatsApp may have it; it is never sent again. */
  | 'ambiguous'

export class WhatsAppSendError extends Error {
  override readonly name = 'WhatsAppSendError'

  constructor(
    readonly kind: WhatsAppSendFailureKind,
    message: string,
  ) {
    super(message)
  }
}
