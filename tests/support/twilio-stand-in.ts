import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A loopback Twilio Messaging API for tests: the real `twilio` library shapes, form-encodes
 * and authenticates messages.create, and sends it here (connectors/twilio/sms-sender.ts
 * swaps only the origin). The stand-in records each request and answers as Twilio does
 * (201 with the message resource), unless a test scripted another answer for the next one.
 */

export interface RecordedSms {
  method: string
  path: string
  /** The Basic credentials, decoded: `<account sid>:<auth token>`. */
  basicAuth: string | null
  contentType: string | undefined
  userAgent: string | undefined
  /** The form fields Twilio's library sent (To, From or MessagingServiceSid, Body...). */
  form: Record<string, string>
}

export interface ScriptedTwilioAnswer {
  status: number
  /** Twilio's error body: `{ code, message, more_info, status }`. */
  body?: unknown
}

export interface TwilioStandIn {
  /** Base URL for createTwilioSmsSender({ baseUrl }). */
  url: string
  requests: RecordedSms[]
  respondWith(next: ScriptedTwilioAnswer): void
  close(): Promise<void>
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/i

export async function startTwilioStandIn(): Promise<TwilioStandIn> {
  const requests: RecordedSms[] = []
  const script: ScriptedTwilioAnswer[] = []

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      requests.push(record(req, form))
      const scripted = script.shift()
      if (scripted) return json(res, scripted.status, scripted.body)
      const account = MESSAGES_PATH.exec(req.url ?? '')?.[1]
      if (req.method !== 'POST' || !account)
        return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 })
      const now = new Date().toUTCString()
      json(res, 201, {
        sid: `SM${randomBytes(16).toString('hex')}`,
        account_sid: account,
        to: form['To'],
        from: form['From'] ?? null,
        messaging_service_sid: form['MessagingServiceSid'] ?? null,
        body: form['Body'],
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: now,
        date_updated: now,
        date_sent: null,
        error_code: null,
        error_message: null,
        price: null,
        price_unit: 'USD',
        uri: `${req.url!.replace(/\.json$/, '')}/SM.json`,
        subresource_uris: {},
      })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      script.push(next)
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
    },
  }
}

function record(req: IncomingMessage, form: Record<string, string>): RecordedSms {
  const auth = req.headers.authorization
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    basicAuth: auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : null,
    contentType: req.headers['content-type'],
    userAgent: req.headers['user-agent'],
    form,
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end()
    return
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}
