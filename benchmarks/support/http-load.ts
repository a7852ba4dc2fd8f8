import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import type { PayloadGenerator } from './payloads.js'
import { Samples, summarise, type Latency } from './stats.js'

// autocannon ships no types: the part of its API used here.
interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  setupRequest?: (req: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void
}
interface AutocannonOptions {
  url: string
  connections: number
  duration: number
  timeout?: number
  method?: string
  headers?: Record<string, string>
  requests?: AutocannonRequest[]
}
interface AutocannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  '2xx': number
  statusCodeStats: Record<string, { count: number }>
  latency: { average: number; p50: number; p90: number; p97_5: number; p99: number; max: number }
  requests: { average: number; total: number; sent: number }
}
type Autocannon = (
  options: AutocannonOptions,
  done: (err: Error | null, result: AutocannonResult) => void,
) => EventEmitter & { stop(): void }

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

export interface LoadResult {
  seconds: number
  /** Completed responses by status code. */
  statuses: Record<string, number>
  ok: number
  errors: number
  timeouts: number
  /** Capture outcomes read from the 202 bodies. */
  outcomes: Record<string, number>
  /** Every 2xx response's time, measured by autocannon per request (ms, not histogram-rounded). */
  latency: Latency
  /** autocannon's own summary (HDR histogram, whole milliseconds), as a cross-check. */
  autocannon: AutocannonResult['latency']
  /** The first few non-2xx bodies, by status. */
  errorBodies: { status: number; body: string }[]
}

/** POSTs a fresh generated lead on every request, `connections` at a time, for `duration` seconds. */
export function runLoad(options: {
  url: string
  connections: number
  duration: number
  payloads: PayloadGenerator
  /** Sent with every request (the integration's API key). */
  headers?: Record<string, string>
}): Promise<LoadResult> {
  const outcomes: Record<string, number> = {}
  const errorBodies: { status: number; body: string }[] = []
  const latencies = new Samples()
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}/v1/leads`,
        connections: options.connections,
        duration: options.duration,
        timeout: 30,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        requests: [
          {
            setupRequest(req) {
              req.body = JSON.stringify(options.payloads.next())
              return req
            },
            onResponse(status, body) {
              if (status >= 200 && status < 300) {
                const outcome = /"outcome":"([a-z]+)"/.exec(body)?.[1] ?? 'unknown'
                outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
              } else if (errorBodies.length < 5) {
                errorBodies.push({ status, body: body.slice(0, 2000) })
              }
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err)
        resolve({
          seconds: result.duration,
          statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
          ok: result['2xx'],
          errors: result.errors,
          timeouts: result.timeouts,
          outcomes,
          latency: summarise(latencies.values()),
          autocannon: result.latency,
          errorBodies,
        })
      },
    )
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms)
    })
  })
}
