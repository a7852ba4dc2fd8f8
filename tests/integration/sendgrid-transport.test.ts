import { afterEach, describe, expect, it } from 'vitest'
import { classifySendGridError, EmailSendError } from '../../connectors/sendgrid/errors.js'
import {
  createLogTransport,
  createSendGridTransport,
  type EmailMessage,
} from '../../connectors/sendgrid/transport.js'
import { startSendGridStandIn, type SendGridStandIn } from '../support/sendgrid-stand-in.js'

/*
 * SendGrid's own library builds and sends the request; the stand-in records it. What we check is
 * what SendGrid would receive, and how each way a send can fail is classified.
 */

const API_KEY = 'SG.test-key.secret'
const RECIPIENT = 'jane.doe@example.org'

function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    to: { email: RECIPIENT, name: 'Jane Doe' },
    from: { email: 'hello@leadwire.test', name: 'Leadwire' },
    replyTo: { email: 'sales@leadwire.test', name: 'Sales' },
    subject: 'Your demo',
    text: 'Plain body for Jane',
    html: '<p>HTML body for Jane</p>',
    customArgs: { send_key: 'send-1', lead_id: 'lead-1' },
    categories: ['nurture', 'day-1'],
    headers: { 'List-Unsubscribe': '<https://leadwire.test/u/abc>' },
    ...overrides,
  }
}

let standIns: SendGridStandIn[] = []
async function standIn(): Promise<SendGridStandIn> {
  const s = await startSendGridStandIn()
  standIns.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(standIns.map((s) => s.close()))
  standIns = []
})

async function sendError(send: Promise<unknown>): Promise<EmailSendError> {
  const err = await send.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(EmailSendError)
  const sendErr = err as EmailSendError
  // Neither the message nor anything enumerable (what a logger would print) names the person.
  expect(sendErr.message).not.toContain(RECIPIENT)
  expect(sendErr.message).not.toContain('Jane')
  expect(JSON.stringify(sendErr)).not.toContain(RECIPIENT)
  expect(JSON.stringify(sendErr)).not.toContain(API_KEY)
  return sendErr
}

describe('SendGrid transport: the request', () => {
  it('sends what SendGrid expects and returns X-Message-Id', async () => {
    const sg = await standIn()
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })
    expect(transport.provider).toBe('sendgrid')

    const first = await transport.send(message())
    const second = await transport.send(message())

    expect(first).toEqual({ providerMessageId: 'sg-1' })
    expect(second).toEqual({ providerMessageId: 'sg-2' })
    expect(sg.requests).toHaveLength(2)
    const [request] = sg.requests
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/v3/mail/send')
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(request?.headers.contentType).toMatch(/^application\/json/)
    expect(request?.headers.userAgent).toBe('sendgrid/8.1.6;nodejs')
    expect(request?.body).toEqual({
      from: { email: 'hello@leadwire.test', name: 'Leadwire' },
      reply_to: { email: 'sales@leadwire.test', name: 'Sales' },
      subject: 'Your demo',
      personalizations: [{ to: [{ email: RECIPIENT, name: 'Jane Doe' }] }],
      // SendGrid requires text/plain first, then text/html.
      content: [
        { type: 'text/plain', value: 'Plain body for Jane' },
        { type: 'text/html', value: '<p>HTML body for Jane</p>' },
      ],
      // Keys kept as given (not snake-cased): the Event Webhook echoes them verbatim.
      custom_args: { send_key: 'send-1', lead_id: 'lead-1' },
      categories: ['nurture', 'day-1'],
      headers: { 'List-Unsubscribe': '<https://leadwire.test/u/abc>' },
    })
  })

  it('leaves optional fields out when the message has none', async () => {
    const sg = await standIn()
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    await transport.send({
      to: { email: RECIPIENT },
      from: { email: 'hello@leadwire.test' },
      subject: 'Text only',
      text: 'Hello',
      customArgs: { camelCaseKey: 'kept' },
    })

    expect(sg.requests[0]?.body).toEqual({
      from: { email: 'hello@leadwire.test' },
      subject: 'Text only',
      personalizations: [{ to: [{ email: RECIPIENT }] }],
      content: [{ type: 'text/plain', value: 'Hello' }],
      custom_args: { camelCaseKey: 'kept' },
    })
  })

  it('gives each transport its own key and base URL', async () => {
    const a = await standIn()
    const b = await standIn()
    const ta = createSendGridTransport({ apiKey: 'SG.key-a', baseUrl: a.url })
    const tb = createSendGridTransport({ apiKey: 'SG.key-b', baseUrl: b.url })

    await tb.send(message())
    await ta.send(message())

    expect(a.requests.map((r) => r.headers.authorization)).toEqual(['Bearer SG.key-a'])
    expect(b.requests.map((r) => r.headers.authorization)).toEqual(['Bearer SG.key-b'])
  })

  it('refuses an email header that would override the API call, before sending', async () => {
    const sg = await standIn()
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    const err = await sendError(transport.send(message({ headers: { authorization: 'Bearer other' } })))

    expect(err.kind).toBe('rejected')
    expect(sg.requests).toHaveLength(0)
  })
})

describe('SendGrid transport: failures', () => {
  it('400: rejected, with status and fields, without the address SendGrid echoed', async () => {
    const sg = await standIn()
    sg.respondWith({
      status: 400,
      body: {
        errors: [
          {
            message: `The to address ${RECIPIENT} does not contain a valid address.`,
            field: 'personalizations.0.to.0.email',
            help: 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to',
          },
        ],
      },
    })
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    const err = await sendError(transport.send(message()))

    expect(err.kind).toBe('rejected')
    expect(err.status).toBe(400)
    expect(err.message).toContain('personalizations.0.to.0.email')
    expect(err.message).toContain('[address]')
    // The vendor error stays reachable for debugging.
    expect((err.cause as { code?: unknown }).code).toBe(400)
  })

  it('429: throttled', async () => {
    const sg = await standIn()
    sg.respondWith({ status: 429, body: { errors: [{ message: 'too many requests', field: null }] } })
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    const err = await sendError(transport.send(message()))

    expect(err.kind).toBe('throttled')
    expect(err.status).toBe(429)
  })

  it('500: unavailable', async () => {
    const sg = await standIn()
    sg.respondWith({ status: 500, body: { errors: [{ message: 'internal error', field: null }] } })
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    const err = await sendError(transport.send(message()))

    expect(err.kind).toBe('unavailable')
    expect(err.status).toBe(500)
  })

  it('connection refused: unavailable, no status', async () => {
    const sg = await startSendGridStandIn()
    await sg.close() // nothing listens on that port any more
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    const err = await sendError(transport.send(message()))

    expect(err.kind).toBe('unavailable')
    expect(err.status).toBeNull()
    expect(err.message).toContain('ECONNREFUSED')
  })

  it('timeout: ambiguous, and the request did reach SendGrid', async () => {
    const sg = await standIn()
    sg.respondWith({ status: 202, delayMs: 3_000 })
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url, timeoutMs: 200 })

    const started = Date.now()
    const err = await sendError(transport.send(message()))

    expect(err.kind).toBe('ambiguous')
    expect(err.status).toBeNull()
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(sg.requests).toHaveLength(1)
  })

  it('socket destroyed after the request: ambiguous', async () => {
    const sg = await standIn()
    sg.respondWith({ status: 0, destroy: true })
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    const err = await sendError(transport.send(message()))

    expect(err.kind).toBe('ambiguous')
    expect(err.message).toContain('ECONNRESET')
    expect(sg.requests).toHaveLength(1)
  })

  it("the library's own validation: rejected, nothing sent", async () => {
    const sg = await standIn()
    const transport = createSendGridTransport({ apiKey: API_KEY, baseUrl: sg.url })

    const err = await sendError(transport.send(message({ to: { email: 42 as unknown as string } })))

    expect(err.kind).toBe('rejected')
    expect(sg.requests).toHaveLength(0)
  })

  it('classifies network codes we cannot provoke on loopback', () => {
    const axiosError = (code: string): unknown => ({ isAxiosError: true, code, message: code })
    expect(classifySendGridError(axiosError('ENOTFOUND')).kind).toBe('unavailable')
    expect(classifySendGridError(axiosError('EAI_AGAIN')).kind).toBe('unavailable')
    expect(classifySendGridError(axiosError('ETIMEDOUT')).kind).toBe('ambiguous')
    expect(classifySendGridError(axiosError('ERR_CANCELED')).kind).toBe('ambiguous')
    expect(classifySendGridError(axiosError('EPIPE')).kind).toBe('ambiguous')
  })
})

describe('log transport', () => {
  it('logs the subject and recipient domain, never the address or body', async () => {
    const lines: { obj: object; msg: string }[] = []
    const transport = createLogTransport({ info: (obj, msg) => lines.push({ obj, msg }) })

    const result = await transport.send(message({ to: { email: 'Jane.Doe@Example.ORG', name: 'Jane Doe' } }))

    expect(transport.provider).toBe('log')
    expect(result).toEqual({ providerMessageId: null })
    expect(lines).toHaveLength(1)
    expect(lines[0]?.obj).toEqual({ recipientDomain: 'example.org', subject: 'Your demo' })
    const logged = JSON.stringify(lines)
    expect(logged.toLowerCase()).not.toContain(RECIPIENT)
    expect(logged).not.toContain('Jane')
    expect(logged).not.toContain('body for')
  })
})
