import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'

/*
 * The SDK guide's example connector end to end: Google's webhook payload in, a governed
 * lead out, through the real app and PostgreSQL. It is also the proof of exactly-once
 * intake: one delivery sent 100 times at once gives one lead and 99 recorded duplicates.
 */
const KEY = 'google-ads-test-key-0001'
let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config: testConfig({ GOOGLE_ADS_WEBHOOK_KEY: KEY }), db: database.db })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => truncateAll(database.db))

const body = (leadId: string, overrides: Record<string, unknown> = {}) => ({
  lead_id: leadId,
  api_version: '1.0',
  form_id: 4242,
  campaign_id: 777001,
  gcl_id: 'EAIaIQobChMI',
  google_key: KEY,
  user_column_data: [
    { column_id: 'FULL_NAME', column_name: 'Full Name', string_value: 'Meera Iyer' },
    { column_id: 'EMAIL', column_name: 'User Email', string_value: 'meera.iyer@example.co.in' },
    { column_id: 'PHONE_NUMBER', column_name: 'User Phone', string_value: '+919876501234' },
    { column_id: 'COMPANY_NAME', column_name: 'Company', string_value: 'Iyer Exports' },
  ],
  ...overrides,
})
const post = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/webhooks/google-ads/leads', payload: payload as object })
const counts = async () => ({
  leads: await database.db.lead.count(),
  deliveries: await database.db.inboundDelivery.count(),
  outbox: await database.db.outboxEvent.count(),
})

describe('Google Ads lead form webhook', () => {
  it('turns a lead form submission into a governed lead whose journey will start', async () => {
    const res = await post(body('gads-lead-1'))
    expect(res.statusCode, res.body).toBe(200)
    const { leadId, replayed } = res.json<{ leadId: string; replayed: boolean }>()
    expect(replayed).toBe(false)
    const lead = await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })
    expect(lead).toMatchObject({
      channel: 'web_form',
      firstName: 'Meera',
      lastName: 'Iyer',
      email: 'meera.iyer@example.co.in',
      phone: '+919876501234',
      createdBy: 'connector:google-ads',
    })
    const touch = await database.db.touch.findFirstOrThrow({ where: { leadId } })
    expect(touch).toMatchObject({ source: 'google', medium: 'cpc', campaign: '777001' })
    const raw = await database.db.rawCapture.findFirstOrThrow({ where: { leadId } })
    expect(raw.payload).toMatchObject({ lead_id: 'gads-lead-1', form_id: 4242 })
    expect(JSON.stringify(raw.payload)).not.toContain(KEY)
    const outbox = await database.db.outboxEvent.findMany({ where: { aggregateId: leadId } })
    expect(outbox.map((e) => e.topic)).toEqual(['lead.captured'])
    const delivery = await database.db.inboundDelivery.findUniqueOrThrow({
      where: { connectorId_deliveryKey: { connectorId: 'google-ads', deliveryKey: 'gads-lead-1' } },
    })
    expect(delivery).toMatchObject({ outcome: 'lead_created', leadId, duplicates: 0 })
    const state = await app.inject({ method: 'GET', url: '/v1/connectors/google-ads' })
    expect(state.json()).toMatchObject({ enabled: true, deliveries: 1, duplicateDeliveries: 0 })
  })

  it('captures one delivery sent 100 times at once exactly once and records 99 duplicates', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => post(body('gads-lead-storm'))))
    expect(answers.map((a) => a.statusCode)).toEqual(Array(100).fill(200))
    const ids = new Set(answers.map((a) => a.json<{ leadId: string }>().leadId))
    expect(ids.size).toBe(1)
    expect(answers.filter((a) => a.json<{ replayed: boolean }>().replayed)).toHaveLength(99)
    expect(await counts()).toEqual({ leads: 1, deliveries: 1, outbox: 1 })
    const delivery = await database.db.inboundDelivery.findFirstOrThrow()
    expect(delivery.duplicates).toBe(99)
  })

  it('links a second submission by the same person to the first lead instead of starting a second journey', async () => {
    const first = (await post(body('gads-a'))).json<{ leadId: string }>()
    const second = (await post(body('gads-b'))).json<{ leadId: string }>()
    expect(second.leadId).toBe(first.leadId)
    expect(await counts()).toEqual({ leads: 2, deliveries: 2, outbox: 1 })
  })

  it('refuses a wrong or missing key with 401 and stores nothing', async () => {
    const wrong = await post(body('gads-bad', { google_key: 'not-the-key' }))
    expect(wrong.statusCode).toBe(401)
    expect(wrong.headers['content-type']).toContain('application/problem+json')
    const { google_key: _k, ...missing } = body('gads-missing')
    expect((await post(missing)).statusCode).toBe(422)
    expect(await counts()).toEqual({ leads: 0, deliveries: 0, outbox: 0 })
  })

  it('answers malformed payloads with field errors and stores nothing', async () => {
    const notArray = await post(body('gads-x', { user_column_data: 'nope' }))
    expect(notArray.statusCode).toBe(422)
    expect(notArray.json()).toMatchObject({ code: 'validation_failed' })
    const badEmail = await post(
      body('gads-y', { user_column_data: [{ column_id: 'EMAIL', string_value: 'not-an-email' }] }),
    )
    expect(badEmail.statusCode).toBe(422)
    expect(JSON.stringify(badEmail.json())).toContain('/body/email')
    // U+0000 cannot be stored in PostgreSQL text: a field error here, not a failed insert.
    const nul = await post(body('gads-\u0000'))
    expect(nul.statusCode, nul.body).toBe(422)
    expect(JSON.stringify(nul.json())).toContain('/body/lead_id')
    expect(await counts()).toEqual({ leads: 0, deliveries: 0, outbox: 0 })
  })

  it("acknowledges Google's test data without storing a lead", async () => {
    const res = await post(body('gads-test', { is_test: true }))
    expect(res.json()).toMatchObject({ test: true, leadId: null })
    expect(await counts()).toEqual({ leads: 0, deliveries: 0, outbox: 0 })
  })
})
