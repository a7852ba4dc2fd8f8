import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_CONNECTORS } from '../../connectors/registry.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { SITE, createForm } from '../connectors/web-form/form-helpers.js'

/*
 * GET /v1/connectors and the settings that switch connectors on and off: CONNECTORS_DISABLED
 * turns a configured connector off (its routes are gone), a missing required setting keeps
 * one off, and TRUST_PROXY decides whose address the per-IP limits count.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

interface Summary {
  id: string
  configured: boolean
  enabled: boolean
  status: string
  settings: { key: string; set: boolean; required: boolean }[]
}

async function withApp<T>(
  env: Record<string, string>,
  run: (app: FastifyInstance) => Promise<T>,
): Promise<T> {
  const app = await buildTestApp({ config: testConfig(env), db: database.db })
  try {
    return await run(app)
  } finally {
    await app.close()
  }
}

describe('connectors', () => {
  it('lists every built-in connector; one without its required setting is off, and so are its routes', async () => {
    await withApp({ TWILIO_AUTH_TOKEN: '' }, async (app) => {
      const res = await app.inject({ method: 'GET', url: '/v1/connectors' })
      expect(res.statusCode).toBe(200)
      const items = res.json<{ items: Summary[] }>().items
      expect(items.map((c) => c.id)).toEqual(ALL_CONNECTORS.map((c) => c.manifest.id))
      const twilio = items.find((c) => c.id === 'twilio')
      expect(twilio).toMatchObject({ configured: false, enabled: false, status: 'disabled' })
      expect(twilio?.settings.find((s) => s.key === 'TWILIO_AUTH_TOKEN')).toEqual({
        key: 'TWILIO_AUTH_TOKEN',
        set: false,
        required: true,
        secret: true,
      })
      expect((await app.inject({ method: 'POST', url: '/webhooks/twilio/voice' })).statusCode).toBe(404)
    })
  })

  it('gives the public base URL webhook URLs start with: PUBLIC_BASE_URL, else the listening address', async () => {
    const list = (app: FastifyInstance) =>
      app.inject({ method: 'GET', url: '/v1/connectors' }).then((r) => r.json<{ publicBaseUrl: string }>())
    await withApp({ PUBLIC_BASE_URL: 'https://hub.example.in/' }, async (app) => {
      expect((await list(app)).publicBaseUrl).toBe('https://hub.example.in')
    })
    await withApp({ HOST: '127.0.0.1', PORT: '3999' }, async (app) => {
      expect((await list(app)).publicBaseUrl).toBe('http://127.0.0.1:3999')
    })
  })

  it('CONNECTORS_DISABLED turns a configured connector off and removes its routes; the others stay on', async () => {
    await withApp(
      { CONNECTORS_DISABLED: ' partner-api , events', EVENTS_WEBHOOK_SECRET: 'x'.repeat(32) },
      async (app) => {
        const items = (await app.inject({ method: 'GET', url: '/v1/connectors' })).json<{
          items: Summary[]
        }>().items
        const byId = new Map(items.map((c) => [c.id, c]))
        expect(byId.get('partner-api')).toMatchObject({
          configured: true,
          enabled: false,
          status: 'disabled',
        })
        expect(byId.get('events')).toMatchObject({ configured: true, enabled: false, status: 'disabled' })
        expect(byId.get('web-form')).toMatchObject({ enabled: true })
        expect((await app.inject({ method: 'POST', url: '/partner/v1/leads', payload: {} })).statusCode).toBe(
          404,
        )
        expect((await app.inject({ method: 'GET', url: '/v1/partners' })).statusCode).toBe(404)
        expect((await app.inject({ method: 'POST', url: '/webhooks/events/registrations' })).statusCode).toBe(
          404,
        )
        expect((await app.inject({ method: 'GET', url: '/v1/forms' })).statusCode).toBe(200)
      },
    )
  })

  it('WhatsApp logout with no socket connected removes the stored pairing at once', async () => {
    await database.db.whatsAppAuth.create({
      data: { sessionId: 'default', kind: 'creds', keyId: '', value: { noiseKey: 'x' } },
    })
    await database.db.connectorState.upsert({
      where: { connectorId: 'whatsapp' },
      create: { connectorId: 'whatsapp', status: 'disconnected', state: { pairedAs: '+919800000001' } },
      update: { status: 'disconnected', state: { pairedAs: '+919800000001' } },
    })
    await withApp({ WHATSAPP_ENABLED: 'true', WHATSAPP_SESSION_ID: 'default' }, async (app) => {
      const res = await app.inject({ method: 'POST', url: '/v1/connectors/whatsapp/logout' })
      expect(res.statusCode, res.body).toBe(202)
      expect(res.json()).toEqual({ status: 'logged_out' })
    })
    expect(await database.db.whatsAppAuth.count({ where: { sessionId: 'default' } })).toBe(0)
    const row = await database.db.connectorState.findUniqueOrThrow({ where: { connectorId: 'whatsapp' } })
    expect(row.status).toBe('disconnected')
    expect(row.state).toMatchObject({ pairedAs: null, reason: 'logged_out' })
  })

  it('TRUST_PROXY: per-IP form limits count the visitor from X-Forwarded-For, not the proxy', async () => {
    const post = (app: FastifyInstance, visitor: string, n: number) =>
      app.inject({
        method: 'POST',
        url: '/f/pricing',
        remoteAddress: '10.0.0.2', // the load balancer
        headers: { 'content-type': 'application/json', origin: SITE, 'x-forwarded-for': visitor },
        payload: { your_name: `Visitor ${n}`, work_email: `v${n}@example.in`, submission_id: `tp-${n}` },
      })
    await withApp({ TRUST_PROXY: 'true' }, async (app) => {
      await createForm(app, { id: 'pricing', rateLimitPerMinute: 1 })
      expect((await post(app, '198.51.100.1', 1)).statusCode).toBe(201)
      expect((await post(app, '198.51.100.2', 2)).statusCode).toBe(201)
      expect((await post(app, '198.51.100.2', 3)).statusCode).toBe(429)
    })
  })
})
