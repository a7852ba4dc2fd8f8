import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFUSAL_HEADERS } from '../../api/plugins/hardening.plugin.js'
import { buildTestApp } from '../support/app.js'
import { ANONYMOUS } from '../support/auth.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { expectProblem } from '../support/problem.js'
import { BASE_URL, createForm, SITE } from '../connectors/web-form/form-helpers.js'

/*
 * Security headers on API answers (including refusals), the pages people open (the API
 * docs, a hosted form) still working under their own policy, and the size limits.
 */
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({
    config: testConfig({ PUBLIC_BASE_URL: BASE_URL, BODY_LIMIT_BYTES: '4096' }),
    db: database.db,
  })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})

function expectApiHeaders(res: LightMyRequestResponse) {
  expect(res.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains/)
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  expect(res.headers['x-frame-options']).toBe('DENY')
  expect(res.headers['referrer-policy']).toBe('no-referrer')
  const csp = String(res.headers['content-security-policy'])
  expect(csp).toContain("default-src 'none'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(res.headers['cache-control']).toBe('no-store')
}

describe('security headers', () => {
  it('are on API answers, refusals included', async () => {
    const ok = await app.inject({ method: 'GET', url: '/v1/accounts' })
    expect(ok.statusCode).toBe(200)
    expectApiHeaders(ok)
    // Refused by authentication, which runs before the header hooks.
    const unauthenticated = await app.inject({
      method: 'GET',
      url: '/v1/accounts',
      headers: { ...ANONYMOUS },
    })
    expectProblem(unauthenticated, 401, 'unauthorized')
    expectApiHeaders(unauthenticated)
    // The fallback for those refusals says what helmet says everywhere else.
    for (const [name, value] of Object.entries(REFUSAL_HEADERS)) expect(ok.headers[name]).toBe(value)
    const missing = await app.inject({ method: 'GET', url: '/v1/no-such-thing' })
    expectProblem(missing, 404, 'not_found')
    expectApiHeaders(missing)
  })

  it('let the API docs load their own scripts and styles', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs', headers: { ...ANONYMOUS } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('swagger-ui-bundle.js')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self' 'unsafe-inline'")
    expect(csp).toContain("frame-ancestors 'none'")
    const script = await app.inject({
      method: 'GET',
      url: '/docs/static/swagger-initializer.js',
      headers: { ...ANONYMOUS },
    })
    expect(script.statusCode).toBe(200)
    const document = await app.inject({ method: 'GET', url: '/docs/json', headers: { ...ANONYMOUS } })
    expect(document.statusCode).toBe(200)
  })

  it('leave a hosted form, its embed script and its thank-you page working', async () => {
    await createForm(app)
    const page = await app.inject({ method: 'GET', url: '/f/pricing', headers: { ...ANONYMOUS } })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('<form')
    // The page's own policy: its script from the form's origin, inline styles.
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain(`script-src ${BASE_URL}`)
    expect(csp).toContain("style-src 'unsafe-inline'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    // Linked to, not framed: the embed is a snippet and a script on the customer's own page.
    expect(page.headers['x-frame-options']).toBe('DENY')
    expect(page.headers['cache-control']).toBe('public, max-age=60')

    const script = await app.inject({ method: 'GET', url: '/f/pricing/embed.js', headers: { ...ANONYMOUS } })
    expect(script.statusCode).toBe(200)
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin')

    const thanks = await app.inject({
      method: 'POST',
      url: '/f/pricing',
      headers: { ...ANONYMOUS, origin: SITE, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'your_name=Asha+Rao&work_email=asha%40acme-tools.example&agree=on&submission_id=sub-1',
    })
    expect(thanks.statusCode, thanks.body).toBe(200)
    expect(thanks.headers['content-type']).toMatch(/^text\/html/)
    expect(String(thanks.headers['content-security-policy'])).toContain("style-src 'unsafe-inline'")
  })
})

describe('size limits', () => {
  it('refuses a JSON body over BODY_LIMIT_BYTES with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { name: 'Big', notes: 'x'.repeat(8192) },
    })
    expectProblem(res, 413, 'payload_too_large')
    expectApiHeaders(res)
  })

  it('refuses a path parameter over 100 characters', async () => {
    const res = await app.inject({ method: 'GET', url: `/v1/accounts/${'a'.repeat(101)}` })
    expectProblem(res, 414, 'malformed_request')
  })
})
