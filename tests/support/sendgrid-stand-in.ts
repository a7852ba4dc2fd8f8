import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A loopback SendGrid for tests: we cannot reach the real API from here, so the real library
 * builds and sends its request to this server, which records it and answers like SendGrid does
 * (202 + X-Message-Id), unless a test scripted a failure for the next request.
 */

export interface RecordedRequest {
  method: string
  path: string
  headers: { authorization?: string; contentType?: string; userAgent?: string }
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown
}

/** One scripted answer, used for the next request only. */
export interface ScriptedResponse {
  status: number
  body?: unknown
  /** Answer after this long: beyond the client's timeout to simulate one. */
  delayMs?: number
  /** Drop the connection after reading the request, without answering. */
  destroy?: boolean
  headers?: Record<string, string>
}

export interface SendGridStandIn {
  /** Base URL for createSendGridTransport({ baseUrl }). */
  url: string
  requests: RecordedRequest[]
  respondWith(next: ScriptedResponse): void
  close(): Promise<void>
}

export async function startSendGridStandIn(
  options: { failNext?: ScriptedResponse | ScriptedResponse[] } = {},
): Promise<SendGridStandIn> {
  const requests: RecordedRequest[] = []
  const script: ScriptedResponse[] = options.failNext === undefined ? [] : [options.failNext].flat()
  const timers = new Set<NodeJS.Timeout>()
  let sent = 0

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      // Recorded before answering: a timed-out or dropped request did reach "SendGrid".
      requests.push(record(req, Buffer.concat(chunks).toString('utf8')))
      const scripted = script.shift()
      if (scripted) return answerScripted(scripted, req, res)
      if (req.method === 'POST' && req.url === '/v3/mail/send') {
        sent += 1
        res.writeHead(202, { 'X-Message-Id': `sg-${sent}` }).end()
        return
      }
      json(res, 404, { errors: [{ message: 'resource not found', field: null, help: null }] })
    })
  })

  function answerScripted(next: ScriptedResponse, req: IncomingMessage, res: ServerResponse): void {
    const answer = (): void => {
      if (next.destroy) {
        req.socket.destroy()
        return
      }
      if (res.destroyed) return // the client gave up (its timeout) before we answered
      json(res, next.status, next.body, next.headers)
    }
    if (next.delayMs === undefined) return answer()
    const timer = setTimeout(() => {
      timers.delete(timer)
      answer()
    }, next.delayMs)
    timers.add(timer)
  }

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
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      // The client keeps connections alive: close them or server.close() waits for them.
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
    },
  }
}

function record(req: IncomingMessage, text: string): RecordedRequest {
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: {
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      userAgent: req.headers['user-agent'],
    },
    body,
  }
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers).end()
    return
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body))
}
