import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { expectProblem } from '../../support/problem.js'
import { BASE_URL, createForm, pricingForm, WORDING } from './form-helpers.js'

/*
 * The forms admin API (create, list, read, edit, the embed snippet) and the public pages a
 * form is served on, through the real app and PostgreSQL.
 */
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config: testConfig({ PUBLIC_BASE_URL: BASE_URL }), db: database.db })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

const create = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/v1/forms', payload: payload as object })

describe('forms admin API', () => {
  it('creates a form with defaults, attributed to the API caller', async () => {
    const res = await create(pricingForm())
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['location']).toBe('/v1/forms/pricing')
    expect(res.json()).toMatchObject({
      id: 'pricing',
      name: 'Pricing enquiry',
      isActive: true,
      fieldMapping: { your_name: 'fullName', work_email: 'email', agree: 'consent' },
      allowedOrigins: ['https://www.acme-tools.example'],
      consentText: WORDING,
      consentTextVersion: 'consent-2026-01',
      consentChannels: ['email', 'whatsapp'],
      redirectUrl: null,
      honeypotField: 'website_url',
      rateLimitPerMinute: 20,
      attribution: { source: 'website', medium: 'form' },
      hostedUrl: `${BASE_URL}/f/pricing`,
      createdBy: 'user:test-admin',
      updatedBy: 'user:test-admin',
    })
    const row = await database.db.webForm.findUniqueOrThrow({ where: { id: 'pricing' } })
    expect(row.createdBy).toBe('user:test-admin')
  })

  it('derives a consent wording version when none is given', async () => {
    const res = await create(pricingForm({ consentTextVersion: undefined }))
    expect(res.json<{ consentTextVersion: string }>().consentTextVersion).toMatch(/^sha256:[0-9a-f]{12}$/)
  })

  it('refuses a taken id with 409', async () => {
    await createForm(app)
    expectProblem(await create(pricingForm({ name: 'Another' })), 409, 'conflict')
    expect(await database.db.webForm.count()).toBe(1)
  })

  it('refuses bad mappings, ids and origins with 422 and field pointers, storing nothing', async () => {
    const unknownField = expectProblem(
      await create(pricingForm({ fieldMapping: { work_email: 'email', shoe: 'shoeSize' } })),
      422,
      'validation_failed',
    )
    expect(unknownField.errors?.map((e) => e.pointer)).toContain('/body/fieldMapping/shoe')
    const noContact = expectProblem(
      await create(pricingForm({ fieldMapping: { your_name: 'fullName' } })),
      422,
      'rule_violation',
    )
    expect(noContact.errors).toEqual([expect.objectContaining({ pointer: '/body/fieldMapping' })])
    const reserved = expectProblem(
      await create(pricingForm({ fieldMapping: { submission_id: 'email' } })),
      422,
      'rule_violation',
    )
    expect(reserved.errors?.[0]?.pointer).toBe('/body/fieldMapping/submission_id')
    const twice = expectProblem(
      await create(pricingForm({ fieldMapping: { a: 'email', b: 'email' } })),
      422,
      'rule_violation',
    )
    expect(twice.errors?.[0]?.pointer).toBe('/body/fieldMapping/b')
    const origin = expectProblem(
      await create(pricingForm({ allowedOrigins: ['https://www.acme-tools.example/contact'] })),
      422,
      'rule_violation',
    )
    expect(origin.errors?.[0]?.pointer).toBe('/body/allowedOrigins/0')
    expectProblem(await create(pricingForm({ id: 'Pricing Page' })), 422, 'validation_failed')
    expectProblem(await create(pricingForm({ consentChannels: ['fax'] })), 422, 'validation_failed')
    expectProblem(await create(pricingForm({ redirectUrl: 'javascript:alert(1)' })), 422, 'validation_failed')
    expect(await database.db.webForm.count()).toBe(0)
  })

  it('lists and reads forms; an unknown id is a 404', async () => {
    await createForm(app)
    await createForm(app, { id: 'webinar-signup', name: 'Webinar', fieldMapping: { email: 'email' } })
    const list = await app.inject({ method: 'GET', url: '/v1/forms' })
    expect(list.json<{ items: { id: string }[] }>().items.map((f) => f.id)).toEqual([
      'pricing',
      'webinar-signup',
    ])
    const one = await app.inject({ method: 'GET', url: '/v1/forms/webinar-signup' })
    expect(one.json()).toMatchObject({ id: 'webinar-signup', fieldMapping: { email: 'email' } })
    expectProblem(await app.inject({ method: 'GET', url: '/v1/forms/nope' }), 404, 'not_found')
  })

  it('pages the list with a cursor and filters it by text and activity', async () => {
    for (const id of ['alpha', 'bravo', 'charlie'])
      await createForm(app, { id, name: `Form ${id}`, fieldMapping: { email: 'email' } })
    await app.inject({ method: 'PATCH', url: '/v1/forms/bravo', payload: { isActive: false } })
    const ids = (res: { json: () => unknown }) =>
      (res.json() as { items: { id: string }[] }).items.map((f) => f.id)
    const first = await app.inject({ method: 'GET', url: '/v1/forms?limit=2' })
    expect(ids(first)).toEqual(['alpha', 'bravo'])
    const cursor = first.json<{ nextCursor: string }>().nextCursor
    const second = await app.inject({ method: 'GET', url: `/v1/forms?limit=2&cursor=${cursor}` })
    expect(ids(second)).toEqual(['charlie'])
    expect(second.json()).toMatchObject({ nextCursor: null })
    expect(ids(await app.inject({ method: 'GET', url: '/v1/forms?isActive=false' }))).toEqual(['bravo'])
    expect(ids(await app.inject({ method: 'GET', url: '/v1/forms?q=CHAR' }))).toEqual(['charlie'])
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/forms?cursor=not-ours' }),
      400,
      'malformed_request',
    )
  })

  it('edits a form; new wording without a version gets a new version', async () => {
    await createForm(app)
    const res = await app.inject({
      method: 'PATCH',
      url: '/v1/forms/pricing',
      payload: { name: 'Pricing (2026)', consentText: 'New wording.', rateLimitPerMinute: 5 },
    })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<Record<string, unknown>>()
    expect(body).toMatchObject({ name: 'Pricing (2026)', consentText: 'New wording.', rateLimitPerMinute: 5 })
    expect(body['consentTextVersion']).toMatch(/^sha256:/)
    expect(body['updatedBy']).toBe('user:test-admin')
    const bad = await app.inject({
      method: 'PATCH',
      url: '/v1/forms/pricing',
      payload: { fieldMapping: { your_name: 'fullName' } },
    })
    expectProblem(bad, 422, 'rule_violation')
    const row = await database.db.webForm.findUniqueOrThrow({ where: { id: 'pricing' } })
    expect(row.fieldMapping).toMatchObject({ work_email: 'email' })
    expectProblem(
      await app.inject({ method: 'PATCH', url: '/v1/forms/nope', payload: { name: 'x' } }),
      404,
      'not_found',
    )
    expectProblem(
      await app.inject({ method: 'PATCH', url: '/v1/forms/pricing', payload: {} }),
      422,
      'validation_failed',
    )
  })

  it('gives the embed snippet: the form action, the honeypot, the consent wording and the script', async () => {
    await createForm(app, { consentText: 'I agree <b>gladly</b> to be contacted.' })
    const res = await app.inject({ method: 'GET', url: '/v1/forms/pricing/embed' })
    expect(res.statusCode, res.body).toBe(200)
    const embed = res.json<{ html: string; script: string; scriptUrl: string; hostedUrl: string }>()
    expect(embed.scriptUrl).toBe(`${BASE_URL}/f/pricing/embed.js`)
    expect(embed.hostedUrl).toBe(`${BASE_URL}/f/pricing`)
    expect(embed.script).toBe(`<script src="${BASE_URL}/f/pricing/embed.js" async></script>`)
    expect(embed.html).toContain(`<form action="${BASE_URL}/f/pricing" method="post"`)
    expect(embed.html).toContain('name="website_url"')
    expect(embed.html).toContain('I agree &lt;b&gt;gladly&lt;/b&gt; to be contacted.')
    expect(embed.html).toContain('name="agree"')
    expect(embed.html).toContain('name="submission_id"')
    expect(embed.html).toContain(embed.script)
  })
})

describe('public form pages', () => {
  it('serves the hosted page as UTF-8 HTML with the form', async () => {
    await createForm(app, { name: 'Preise & Angebote – Anfrage' })
    const res = await app.inject({ method: 'GET', url: '/f/pricing' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toContain(`script-src ${BASE_URL}`)
    expect(res.body).toContain('<meta charset="utf-8">')
    expect(res.body).toContain('Preise &amp; Angebote – Anfrage')
    expect(res.body).toContain(`<form action="${BASE_URL}/f/pricing"`)
    expect(res.body).toContain(WORDING)
  })

  it('serves the embed script as JavaScript', async () => {
    await createForm(app)
    const res = await app.inject({ method: 'GET', url: '/f/pricing/embed.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.body).toContain('form[data-leadwire-form="')
    expect(res.body).toContain('"id":"pricing"')
    expect(() => new Function(res.body)).not.toThrow()
  })

  it('answers 404 problem+json for an unknown or inactive form', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/f/nope' }), 404, 'not_found')
    expectProblem(await app.inject({ method: 'GET', url: '/f/nope/embed.js' }), 404, 'not_found')
    await createForm(app)
    await app.inject({ method: 'PATCH', url: '/v1/forms/pricing', payload: { isActive: false } })
    expectProblem(await app.inject({ method: 'GET', url: '/f/pricing' }), 404, 'not_found')
    expectProblem(await app.inject({ method: 'GET', url: '/f/pricing/embed.js' }), 404, 'not_found')
  })

  it('is described in the OpenAPI document and listed as a configured connector', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>
    }>()
    expect(Object.keys(doc.paths['/v1/forms'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']))
    expect(Object.keys(doc.paths['/v1/forms/{id}'] ?? {})).toEqual(expect.arrayContaining(['get', 'patch']))
    expect(doc.paths['/v1/forms/{id}/embed']).toBeDefined()
    expect(Object.keys(doc.paths['/f/{formId}'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'post', 'options']),
    )
    expect(doc.paths['/f/{formId}/embed.js']).toBeDefined()
    const submit = doc.paths['/f/{formId}']?.['post'] as { requestBody: { content: Record<string, unknown> } }
    expect(Object.keys(submit.requestBody.content).sort()).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ])
    const connector = await app.inject({ method: 'GET', url: '/v1/connectors/web-form' })
    expect(connector.json()).toMatchObject({ configured: true, enabled: true, channel: 'web_form' })
  })
})
