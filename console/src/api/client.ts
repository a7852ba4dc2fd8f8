/*
 * The one way the console talks to the API: same-origin fetch with the session cookie,
 * JSON in and out, and problem+json errors turned into ApiError with their field errors
 * keyed by JSON pointer (so a form can put each message next to its input).
 */

export interface FieldError {
  pointer: string
  message: string
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string | undefined
  readonly title: string
  readonly fieldErrors: FieldError[]
  readonly requestId: string | undefined

  constructor(status: number, problem: Record<string, unknown>, requestId: string | undefined) {
    const title = typeof problem['title'] === 'string' ? problem['title'] : `Request failed (${status})`
    const detail = typeof problem['detail'] === 'string' ? problem['detail'] : undefined
    super(detail ?? title)
    this.name = 'ApiError'
    this.status = status
    this.title = title
    this.code = typeof problem['code'] === 'string' ? problem['code'] : undefined
    this.requestId = requestId
    this.fieldErrors = Array.isArray(problem['errors'])
      ? (problem['errors'] as unknown[]).flatMap((e) =>
          e && typeof e === 'object' && typeof (e as FieldError).message === 'string'
            ? [{ pointer: String((e as FieldError).pointer ?? ''), message: (e as FieldError).message }]
            : [],
        )
      : []
  }

  /** The message for one field, by the last segment of its pointer (`/body/email` → `email`). */
  fieldMessage(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.pointer === `/body/${field}` || e.pointer.endsWith(`/${field}`))
      ?.message
  }
}

/** Raised for every 401: the session ended (expired, signed out elsewhere, revoked). */
export const SIGNED_OUT_EVENT = 'leadwire:signed-out'

export type Query = Record<string, string | number | boolean | undefined | null | readonly string[]>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  query?: Query
  /** A JSON body; or `raw` for uploads. */
  body?: unknown
  raw?: { body: BodyInit; contentType: string }
  headers?: Record<string, string>
  signal?: AbortSignal
}

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) for (const v of value) params.append(key, v)
    else params.set(key, String(value))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  let body: BodyInit | undefined
  if (options.raw) {
    headers['content-type'] = options.raw.contentType
    body = options.raw.body
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  const response = await fetch(withQuery(path, options.query), {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  })
  if (response.status === 401) window.dispatchEvent(new Event(SIGNED_OUT_EVENT))
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}))
    throw new ApiError(
      response.status,
      problem as Record<string, unknown>,
      response.headers.get('x-request-id') ?? undefined,
    )
  }
  if (response.status === 204) return undefined as T
  const type = response.headers.get('content-type') ?? ''
  return (type.includes('json') ? await response.json() : await response.text()) as T
}

/** A cursor-paged list as every list endpoint returns it. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}
