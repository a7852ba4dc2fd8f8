import { beforeAll, describe, expect, it } from 'vitest'
import { ALL_CONNECTORS } from '../../connectors/registry.js'
import { freePort } from '../../platform/process/child-process.js'
import { buildTestApp, useTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const ctx = useTestApp()

describe('liveness and readiness', () => {
  it('GET /health answers 200 {status: ok}', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  it('GET /ready answers 200 when PostgreSQL and Temporal are both up', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/ready' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { postgres: { status: 'up' }, temporal: { status: 'up' } },
    })
  })

  it('GET /ready answers 503 naming Temporal when nothing listens at its address', async () => {
    const port = await freePort()
    const down = await buildTestApp({
      config: testConfig(),
      db: ctx.database.db,
      temporalAddress: `127.0.0.1:${port}`,
    })
    try {
      const res = await down.inject({ method: 'GET', url: '/ready' })
      expect(res.statusCode, res.body).toBe(503)
      const body = res.json<{ status: string; checks: Record<string, { status: string; detail?: string }> }>()
      expect(body.status).toBe('not_ready')
      expect(body.checks['postgres']).toEqual({ status: 'up' })
      expect(body.checks['temporal']?.status).toBe('down')
      expect(body.checks['temporal']?.detail).toEqual(expect.any(String))
      expect(body.checks['temporal']?.detail?.length).toBeGreaterThan(0)
      // Liveness does not depend on the backends.
      const live = await down.inject({ method: 'GET', url: '/health' })
      expect(live.statusCode).toBe(200)
      expect(live.json()).toEqual({ status: 'ok' })
    } finally {
      // The Temporal client's retry interceptor keeps one backoff timer past the check's 2 s
      // deadline, and it cannot be cancelled: if the connection closes first, the timer throws
      // "Channel has been shut down" from a timer (an uncaught error). Let it fire first.
      await new Promise((r) => setTimeout(r, 2_500))
      await down.close()
    }
  })
})

describe('x-request-id', () => {
  it('echoes a sane incoming id', async () => {
    const id = 'req-abc_123.4:5'
    const res = await ctx.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-request-id']).toBe(id)
  })

  it('accepts an id of exactly 128 characters', async () => {
    const id = 'a'.repeat(128)
    const res = await ctx.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } })
    expect(res.headers['x-request-id']).toBe(id)
  })

  it.each([
    ['too long (300 chars)', 'a'.repeat(300)],
    ['129 chars', 'a'.repeat(129)],
    ['with spaces', 'has some spaces'],
    ['with a slash and quotes', 'x/"y"'],
    ['with a newline-ish payload', 'abc%0d%0aSet-Cookie:x'],
  ])('replaces an insane id (%s) with a generated UUID', async (_what, id) => {
    const res = await ctx.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } })
    expect(res.statusCode).toBe(200)
    const echoed = res.headers['x-request-id']
    expect(echoed).not.toBe(id)
    expect(echoed).toMatch(UUID)
  })

  it('generates a fresh UUID per request when none is given', async () => {
    const [a, b] = await Promise.all([
      ctx.app.inject({ method: 'GET', url: '/health' }),
      ctx.app.inject({ method: 'GET', url: '/health' }),
    ])
    expect(a.headers['x-request-id']).toMatch(UUID)
    expect(b.headers['x-request-id']).toMatch(UUID)
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id'])
  })

  it('sets the id on error responses too, and quotes it as the problem instance', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/no/such/route',
      headers: { 'x-request-id': 'trace-404' },
    })
    expect(res.statusCode).toBe(404)
    expect(res.headers['x-request-id']).toBe('trace-404')
    expect(res.json()).toMatchObject({ instance: 'trace-404', code: 'not_found' })
  })

  it('answers problem+json when the router itself refuses the URL (a path segment over 100 characters, a bad escape) or the text holds U+0000', async () => {
    const long = await ctx.app.inject({ method: 'GET', url: `/v1/rule-sets/${'x'.repeat(150)}` })
    expect(long.statusCode).toBe(414)
    expect(long.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(long.json()).toMatchObject({
      status: 414,
      code: 'malformed_request',
      instance: expect.any(String),
    })
    const nul = await ctx.app.inject({ method: 'GET', url: '/v1/tasks?assigneeId=sdr%00x' })
    expect(nul.statusCode, nul.body).toBe(400)
    expect(nul.json()).toMatchObject({ errors: [{ pointer: '/querystring/assigneeId' }] })
    const badEscape = await ctx.app.inject({ method: 'GET', url: '/v1/leads/%E0%A4%A' })
    expect(badEscape.statusCode).toBe(400)
    expect(badEscape.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})

/** Settings that turn every built-in connector's routes on (the email listener has none). */
const ALL_CONNECTORS_CONFIGURED = {
  TWILIO_AUTH_TOKEN: 'twilio-test-token',
  EVENTS_WEBHOOK_SECRET: 'events-test-secret-0123456789abcdef',
  GOOGLE_ADS_WEBHOOK_KEY: 'google-ads-test-key',
  WHATSAPP_ENABLED: 'true',
}

// Browser pages that answer HTML (the unsubscribe confirmation), kept out of the API description.
const UNDOCUMENTED_PATHS = new Set(['/u/{token}'])

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}')

/** [method, path, connector] for each endpoint the connectors' manifests declare. */
function connectorOperations(): [string, string, string][] {
  return ALL_CONNECTORS.flatMap((c) =>
    c.manifest.endpoints
      .filter((e) => e.method !== 'OPTIONS' && !UNDOCUMENTED_PATHS.has(openApiPath(e.path)))
      .map((e): [string, string, string] => [e.method.toLowerCase(), openApiPath(e.path), c.manifest.id]),
  )
}

function connectorPaths(): string[] {
  return [
    ...new Set([...connectorOperations().map(([, path]) => path), '/v1/connectors', '/v1/connectors/{id}']),
  ]
}

interface OpenApiDoc {
  openapi: string
  info: { title: string; version: string }
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown }>>
  components?: {
    schemas?: Record<string, { type?: string; properties?: Record<string, unknown>; required?: string[] }>
  }
}

function leadsCollection(doc: OpenApiDoc) {
  return doc.paths['/v1/leads']
}

/** The CRM core and post-sales operations, each with its success status. */
const CRM_OPERATIONS: [method: string, path: string, status: string][] = [
  ['get', '/v1/tasks/{id}', '200'],
  ['post', '/v1/tasks', '201'],
  ['post', '/v1/tasks/{id}/snooze', '200'],
  ['post', '/v1/tasks/{id}/reassign', '200'],
  ['post', '/v1/accounts', '201'],
  ['get', '/v1/accounts', '200'],
  ['get', '/v1/accounts/{id}', '200'],
  ['patch', '/v1/accounts/{id}', '200'],
  ['post', '/v1/accounts/{id}/deactivate', '200'],
  ['post', '/v1/accounts/{id}/reactivate', '200'],
  ['get', '/v1/accounts/{id}/history', '200'],
  ['post', '/v1/contacts', '201'],
  ['get', '/v1/contacts', '200'],
  ['get', '/v1/contacts/{id}', '200'],
  ['patch', '/v1/contacts/{id}', '200'],
  ['post', '/v1/contacts/{id}/make-primary', '200'],
  ['post', '/v1/contacts/{id}/deactivate', '200'],
  ['post', '/v1/opportunities', '201'],
  ['get', '/v1/opportunities', '200'],
  ['get', '/v1/opportunities/{id}', '200'],
  ['patch', '/v1/opportunities/{id}', '200'],
  ['post', '/v1/opportunities/{id}/stage', '200'],
  ['post', '/v1/opportunities/{id}/win', '200'],
  ['post', '/v1/opportunities/{id}/lose', '200'],
  ['post', '/v1/activities', '201'],
  ['get', '/v1/activities/stats', '200'],
  ['get', '/v1/leads/{id}/timeline', '200'],
  ['get', '/v1/accounts/{id}/timeline', '200'],
  ['get', '/v1/contacts/{id}/timeline', '200'],
  ['get', '/v1/opportunities/{id}/timeline', '200'],
  ['get', '/v1/tasks/{id}/timeline', '200'],
  ['post', '/v1/orders', '201'],
  ['get', '/v1/orders', '200'],
  ['get', '/v1/orders/{id}', '200'],
  ['post', '/v1/invoices', '201'],
  ['get', '/v1/invoices', '200'],
  ['get', '/v1/invoices/{id}', '200'],
  ['get', '/v1/invoices/{id}/pdf', '200'],
  ['post', '/v1/invoices/{id}/void', '200'],
  ['post', '/v1/invoices/{id}/payments', '201'],
  ['get', '/v1/invoices/{id}/payments', '200'],
  ['post', '/v1/tickets', '201'],
  ['get', '/v1/tickets', '200'],
  ['get', '/v1/tickets/{id}', '200'],
  ['patch', '/v1/tickets/{id}', '200'],
  ['post', '/v1/tickets/{id}/respond', '200'],
  ['post', '/v1/tickets/{id}/status', '200'],
  ['post', '/v1/contracts', '201'],
  ['get', '/v1/contracts', '200'],
  ['get', '/v1/contracts/{id}', '200'],
  ['patch', '/v1/contracts/{id}', '200'],
  ['post', '/v1/contracts/{id}/cancel', '200'],
  ['post', '/v1/contracts/{id}/renew', '201'],
  ['get', '/v1/reports/pipeline', '200'],
  ['get', '/v1/reports/funnel', '200'],
  ['get', '/v1/reports/attribution', '200'],
  ['get', '/v1/reports/sdr-performance', '200'],
  ['post', '/v1/rule-sets/{kind}/drafts', '201'],
  ['post', '/v1/rule-sets/{kind}/drafts/{version}/activate', '200'],
  ['post', '/v1/rule-sets/{kind}/drafts/{version}/evaluate', '200'],
  ['post', '/v1/rule-sets/{kind}/evaluate', '200'],
]

const SECURITY_OPERATIONS: [method: string, path: string, status: string][] = [
  ['post', '/v1/auth/login', '200'],
  ['post', '/v1/auth/logout', '204'],
  ['post', '/codec/decode', '200'],
  ['get', '/v1/auth/me', '200'],
  ['post', '/v1/auth/password', '204'],
  ['get', '/v1/users', '200'],
  ['post', '/v1/users', '201'],
  ['get', '/v1/users/{id}', '200'],
  ['patch', '/v1/users/{id}', '200'],
  ['post', '/v1/users/{id}/password', '200'],
  ['post', '/v1/api-keys', '201'],
  ['get', '/v1/api-keys', '200'],
  ['post', '/v1/api-keys/{id}/revoke', '200'],
  ['post', '/v1/api-keys/{id}/rotate', '201'],
  ['get', '/v1/roles', '200'],
  ['get', '/v1/roles/{name}', '200'],
  ['put', '/v1/roles/{name}', '200'],
  ['delete', '/v1/roles/{name}/settings', '200'],
  ['post', '/v1/shares', '201'],
  ['get', '/v1/shares', '200'],
  ['delete', '/v1/shares/{id}', '204'],
  ['get', '/v1/audit', '200'],
  ['post', '/v1/privacy/exports', '200'],
  ['post', '/v1/privacy/erasures', '200'],
  ['get', '/v1/privacy/consent-history', '200'],
  ['get', '/v1/exports/leads', '200'],
  ['get', '/v1/exports/accounts', '200'],
]

describe('API description', () => {
  let doc: OpenApiDoc

  beforeAll(async () => {
    // Every connector configured, so that each one's routes are in the document.
    const app = await buildTestApp({ config: testConfig(ALL_CONNECTORS_CONFIGURED), db: ctx.database.db })
    try {
      const res = await app.inject({ method: 'GET', url: '/openapi.json' })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      doc = res.json<OpenApiDoc>()
    } finally {
      await app.close()
    }
  })

  it('GET /openapi.json is an OpenAPI 3.1 document listing every public route', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.title).toBe('Leadwire API')
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/v1/leads',
        '/v1/leads/{id}',
        '/v1/leads/duplicates/check',
        '/v1/leads/{id}/merge',
        '/v1/leads/{id}/not-duplicate',
        '/v1/leads/{id}/engagement',
        '/v1/leads/{id}/consent',
        '/v1/leads/{id}/journey',
        '/v1/leads/{id}/qualification',
        '/v1/leads/{id}/conversion',
        '/v1/leads/{id}/conversion/eligibility',
        '/v1/leads/{id}/conversion/preview',
        '/v1/leads/{id}/disqualify',
        '/v1/leads/{id}/recycle',
        '/v1/tasks',
        '/v1/tasks/{id}/complete',
        '/v1/rule-sets/{kind}',
        '/v1/journeys/counts',
        ...[...new Set([...CRM_OPERATIONS, ...SECURITY_OPERATIONS].map(([, path]) => path))].filter(
          (path) => path !== '/v1/tasks',
        ),
        '/health',
        '/ready',
        ...connectorPaths(),
      ].sort(),
    )
    expect(Object.keys(leadsCollection(doc) ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(doc.paths['/v1/leads/{id}'] ?? {}).sort()).toEqual(['get', 'patch'])
    expect(Object.keys(doc.paths['/v1/leads/duplicates/check'] ?? {})).toEqual(['post'])
    expect(Object.keys(doc.paths['/v1/leads/{id}/merge'] ?? {})).toEqual(['post'])
    expect(Object.keys(doc.paths['/v1/leads/{id}/not-duplicate'] ?? {})).toEqual(['post'])
    expect(Object.keys(doc.paths['/v1/leads/{id}/engagement'] ?? {})).toEqual(['post'])
    expect(Object.keys(doc.paths['/v1/leads/{id}/qualification'] ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(doc.paths['/health'] ?? {})).toEqual(['get'])
    expect(Object.keys(doc.paths['/ready'] ?? {})).toEqual(['get'])
    // The description itself and the docs UI are hidden.
    expect(doc.paths['/openapi.json']).toBeUndefined()
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/docs'))).toEqual([])
  })

  it('documents POST at /v1/leads, without a trailing slash', () => {
    expect(Object.keys(doc.paths)).toContain('/v1/leads')
    expect(Object.keys(doc.paths)).not.toContain('/v1/leads/')
  })

  it('documents every error response as application/problem+json, the media type it is sent with', () => {
    const errorResponses = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).flatMap((op) =>
        Object.entries((op.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>)
          .filter(([status]) => /^[45]/.test(status) && status !== '503')
          .map(([, r]) => Object.keys(r.content ?? {})),
      ),
    )
    expect(errorResponses.length).toBeGreaterThan(10)
    for (const types of errorResponses) expect(types).toEqual(['application/problem+json'])
  })

  it('has a Problem schema in components with the RFC 9457 members', () => {
    const problem = doc.components?.schemas?.['Problem']
    expect(problem, JSON.stringify(Object.keys(doc.components?.schemas ?? {}))).toBeDefined()
    expect(problem?.type).toBe('object')
    expect(Object.keys(problem?.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']),
    )
    expect(problem?.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code']))
  })

  it('declares 202 and 4xx responses on POST /v1/leads, with a JSON request body', () => {
    const post = leadsCollection(doc)?.['post']
    expect(post).toBeDefined()
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(['202', '4XX']))
    expect(JSON.stringify(post?.responses?.['4XX'])).toContain('#/components/schemas/Problem')
    expect(JSON.stringify(post?.requestBody)).toContain('application/json')
    expect(JSON.stringify(post?.requestBody)).toContain('"additionalProperties":false')
  })

  it('declares 200 and 4xx responses on GET /v1/leads/{id}', () => {
    const get = doc.paths['/v1/leads/{id}']?.['get']
    expect(Object.keys(get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '4XX']))
    expect(JSON.stringify(get?.responses?.['4XX'])).toContain('#/components/schemas/Problem')
  })

  it.each([
    ['get', '/v1/leads'],
    ['patch', '/v1/leads/{id}'],
    ['post', '/v1/leads/duplicates/check'],
    ['post', '/v1/leads/{id}/merge'],
    ['post', '/v1/leads/{id}/not-duplicate'],
    ['post', '/v1/leads/{id}/engagement'],
    ['post', '/v1/leads/{id}/consent'],
    ['get', '/v1/leads/{id}/journey'],
    ['get', '/v1/leads/{id}/qualification'],
    ['post', '/v1/leads/{id}/qualification'],
    ['get', '/v1/leads/{id}/conversion/eligibility'],
    ['post', '/v1/leads/{id}/conversion/preview'],
    ['post', '/v1/leads/{id}/disqualify'],
    ['post', '/v1/leads/{id}/recycle'],
    ['get', '/v1/tasks'],
    ['post', '/v1/tasks/{id}/complete'],
    ['get', '/v1/rule-sets/{kind}'],
    ['get', '/v1/journeys/counts'],
  ])('declares 200 and 4xx responses on %s %s', (method, path) => {
    const op = doc.paths[path]?.[method]
    expect(op, `${method} ${path}`).toBeDefined()
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '4XX']))
    expect(JSON.stringify(op?.responses?.['4XX'])).toContain('#/components/schemas/Problem')
  })

  it.each([...CRM_OPERATIONS, ...SECURITY_OPERATIONS])(
    'declares %s %s with %s and problem+json errors',
    (method, path, status) => {
      const op = doc.paths[path]?.[method]
      expect(op, `${method} ${path}`).toBeDefined()
      expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining([status, '4XX']))
      expect(JSON.stringify(op?.responses?.['4XX'])).toContain('#/components/schemas/Problem')
    },
  )

  it('declares the capture answer with its outcome, duplicate link and journey', () => {
    const captured = JSON.stringify(leadsCollection(doc)?.['post']?.responses?.['202'])
    for (const member of ['outcome', 'duplicateOf', 'score', 'ownerId', 'queue', 'replayed', 'journey']) {
      expect(captured).toContain(`"${member}"`)
    }
    expect(captured).toContain('"quarantined"')
  })

  it.each(connectorOperations())(
    'documents %s %s with its problem+json errors (connector %s)',
    (method, path) => {
      const op = doc.paths[path]?.[method]
      expect(op, `${method} ${path}`).toBeDefined()
      const statuses = Object.keys(op?.responses ?? {})
      expect(statuses.some((s) => /^2/.test(s)) || statuses.includes('303'), statuses.join()).toBe(true)
      const errors = statuses.filter((s) => /^4/.test(s))
      expect(errors.length, `${method} ${path} declares no 4xx`).toBeGreaterThan(0)
      for (const status of errors)
        expect(JSON.stringify(op?.responses?.[status])).toContain('application/problem+json')
    },
  )

  it('declares 200 and 503 on GET /ready', () => {
    expect(Object.keys(doc.paths['/ready']?.['get']?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '503']),
    )
  })

  it('serves the docs page as HTML at /docs', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/docs' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toMatch(/<html/i)
    expect(res.body.toLowerCase()).toContain('swagger')
  })
})
