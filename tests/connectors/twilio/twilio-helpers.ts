import type { FastifyInstance } from 'fastify'
import twilio from 'twilio'

/** The test account's auth token and the public URL Twilio would call. */
export const TOKEN = 'test-token-5f2a9c1e8b7d4a30'
export const BASE = 'https://hub.example.com'
export const FALLBACK = '+14155550100'

let seq = 0
/** A CallSid / RecordingSid shaped like Twilio's (prefix + 32 hex digits). */
export const sid = (prefix: 'CA' | 'RE') => `${prefix}${(++seq).toString(16).padStart(32, '0')}`

/** The parameters Twilio posts for an incoming call (a trimmed copy of a real request). */
export const voiceParams = (callSid: string, from = '+14155551234', extra: Record<string, string> = {}) => ({
  AccountSid: 'AC00000000000000000000000000000001',
  ApiVersion: '2010-04-01',
  CallSid: callSid,
  CallStatus: 'ringing',
  Direction: 'inbound',
  From: from,
  FromCity: 'SAN FRANCISCO',
  FromState: 'CA',
  FromZip: '94107',
  FromCountry: 'US',
  To: '+14155559999',
  ToCountry: 'US',
  ...extra,
})

/**
 * Posts form parameters the way Twilio does: url-encoded, signed with Twilio's own
 * signing function over the public URL + path. `signature: null` sends none.
 */
export function postTwilio(
  app: FastifyInstance,
  path: string,
  params: Record<string, string>,
  options: { signature?: string | null; token?: string; signedUrl?: string } = {},
) {
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(options.token ?? TOKEN, options.signedUrl ?? BASE + path, params)
      : options.signature
  return app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    payload: new URLSearchParams(params).toString(),
  })
}
