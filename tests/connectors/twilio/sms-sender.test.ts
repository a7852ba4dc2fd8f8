import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SmsSendError } from '../../../connectors/twilio/sms-errors.js'
import { createTwilioSmsSender } from '../../../connectors/twilio/sms-sender.js'
import { outboundSenders } from '../../../connectors/outbound.js'
import { startTwilioStandIn, type TwilioStandIn } from '../../support/twilio-stand-in.js'
import { testConfig } from '../../support/config.js'
import { silentLog } from '../../support/temporal.js'

/*
 * The SMS sender on Twilio's own library, pointed at a loopback stand-in: what the library
 * sends (path, Basic auth, form fields) and how its failures are translated.
 */

const SID = `AC${'0123456789abcdef'.repeat(2)}`
const TOKEN = 'twilio-test-token'
let twilio: TwilioStandIn

beforeAll(async () => {
  twilio = await startTwilioStandIn()
})
afterAll(async () => {
  await twilio?.close()
})
beforeEach(() => {
  twilio.requests.length = 0
})

const sender = (from = '+918069000000') =>
  createTwilioSmsSender({ accountSid: SID, authToken: TOKEN, from, baseUrl: twilio.url, timeoutMs: 2000 })

describe('createTwilioSmsSender', () => {
  it('sends messages.create as Twilio expects it: the account path, Basic auth, a form', async () => {
    const result = await sender().send({ toE164: '+919876543210', text: 'Hi Asha' })
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/)
    expect(twilio.requests).toHaveLength(1)
    expect(twilio.requests[0]).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${SID}/Messages.json`,
      basicAuth: `${SID}:${TOKEN}`,
      contentType: 'application/x-www-form-urlencoded',
      form: { To: '+919876543210', From: '+918069000000', Body: 'Hi Asha' },
    })
    expect(twilio.requests[0]!.userAgent).toMatch(/^twilio-node\//)
  })

  it('sends through a Messaging Service when the sender is one', async () => {
    const service = `MG${'ab'.repeat(16)}`
    await sender(service).send({ toE164: '+919876543210', text: 'Hi' })
    expect(twilio.requests[0]!.form).toEqual({
      To: '+919876543210',
      MessagingServiceSid: service,
      Body: 'Hi',
    })
  })

  it.each([
    [400, 'rejected', 21211],
    [429, 'throttled', 20429],
    [503, 'unavailable', 20503],
  ] as const)('translates a %i into %s, without the number in the message', async (status, kind, code) => {
    twilio.respondWith({
      status,
      body: { code, message: "The 'To' number +919876543210 is not a valid phone number.", status },
    })
    const failure = await sender()
      .send({ toE164: '+919876543210', text: 'Hi' })
      .catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(SmsSendError)
    expect(failure).toMatchObject({ kind, status })
    expect((failure as Error).message).toContain(`[${code}]`)
    expect((failure as Error).message).not.toContain('9876543210')
  })

  it('calls an unreachable Twilio unavailable: nothing was sent, a retry is safe', async () => {
    const closed = await startTwilioStandIn()
    await closed.close()
    const failure = await createTwilioSmsSender({
      accountSid: SID,
      authToken: TOKEN,
      from: '+918069000000',
      baseUrl: closed.url,
    })
      .send({ toE164: '+919876543210', text: 'Hi' })
      .catch((err: unknown) => err)
    expect(failure).toMatchObject({ name: 'SmsSendError', kind: 'unavailable' })
  })
})

describe('outboundSenders', () => {
  it('skips SMS until the account SID, auth token and sender are all set', () => {
    expect(
      outboundSenders({ config: testConfig(), db: undefined as never, log: silentLog }).sms,
    ).toMatchObject({
      provider: 'none',
      configured: false,
    })
    const partial = testConfig({ TWILIO_AUTH_TOKEN: TOKEN, TWILIO_SMS_FROM: '+918069000000' })
    expect(outboundSenders({ config: partial, db: undefined as never, log: silentLog }).sms.configured).toBe(
      false,
    )
    const full = testConfig({
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_SMS_FROM: '+918069000000',
    })
    expect(outboundSenders({ config: full, db: undefined as never, log: silentLog }).sms).toMatchObject({
      provider: 'twilio',
      configured: true,
    })
  })
})
