import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { classifyTwilioSmsError } from './sms-errors.js'

/*
 * The SMS sender journeys use: Twilio's Programmable Messaging through the official library
 * (messages.create). The library shapes, form-encodes and authenticates the request; we map
 * our message onto it and translate its failures (sms-errors.ts).
 *
 * India: promotional SMS must come from a DLT-registered header with a registered template
 * (TRAI TCCCPR 2018); Twilio applies the registration of the sender set in TWILIO_SMS_FROM.
 * Whether a number may get one at all (consent for `sms`, not on the DND registry) is
 * decided before the send (domain/consent/consent.rules.ts).
 */

export interface SmsMessage {
  toE164: string
  text: string
}

export interface SmsSender {
  readonly provider: string
  /** False when no SMS account is set up: steps are skipped as `channel_not_configured`. */
  readonly configured: boolean
  /** Throws SmsSendError only. */
  send(message: SmsMessage): Promise<{ providerMessageId: string | null }>
}

export const NOT_CONFIGURED_SMS: SmsSender = {
  provider: 'none',
  configured: false,
  send() {
    return Promise.reject(new Error('no SMS account is configured'))
  },
}

export interface TwilioSmsOptions {
  accountSid: string
  authToken: string
  /** An E.164 sender number, or a Messaging Service SID (MG…) that picks the sender. */
  from: string
  /** Sends to this origin instead of https://api.twilio.com (tests: a loopback stand-in). */
  baseUrl?: string
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 10_000

/*
 * Twilio's own HTTP client with only the origin swapped. Region and edge settings can only
 * pick another *.twilio.com host, so pointing the library elsewhere means giving it an
 * httpClient; extending RequestClient keeps its Basic auth, form encoding and headers.
 */
class OriginRequestClient extends twilio.RequestClient {
  constructor(
    private readonly origin: URL,
    opts: RequestClient.RequestClientOptions,
  ) {
    super(opts)
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri)
    uri.protocol = this.origin.protocol
    uri.host = this.origin.host
    return super.request<TData>({ ...opts, uri: uri.href })
  }
}

export function createTwilioSmsSender(options: TwilioSmsOptions): SmsSender {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const client = twilio(options.accountSid, options.authToken, {
    timeout,
    ...(options.baseUrl
      ? { httpClient: new OriginRequestClient(new URL(options.baseUrl), { timeout }) }
      : {}),
  })
  const from = /^MG[0-9a-f]{32}$/i.test(options.from)
    ? { messagingServiceSid: options.from }
    : { from: options.from }
  return {
    provider: 'twilio',
    configured: true,
    async send(message) {
      try {
        const sent = await client.messages.create({ to: message.toE164, body: message.text, ...from })
        return { providerMessageId: sent.sid ?? null }
      } catch (err) {
        throw classifyTwilioSmsError(err)
      }
    },
  }
}
