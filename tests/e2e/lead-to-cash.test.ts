import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSendGridTransport } from '../../connectors/sendgrid/transport.js'
import { gstinCheckCharacter } from '../../domain/account/gstin.rules.js'
import { waitFor } from '../../platform/process/child-process.js'
import { accountLifecycleId } from '../../workflows/account-lifecycle.messages.js'
import { contractRenewalId, invoiceCollectionId } from '../../workflows/post-sales.messages.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startSendGridStandIn } from '../support/sendgrid-stand-in.js'
import { startTestWorker, testTemporalClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'

/*
 * Lead to cash on real parts: a lead captured through the API goes through its journey to
 * conversion, its deal is worked and won, then ordered, invoiced (GST across states), paid
 * in two parts and put under contract, with every timed step held by a workflow on the
 * Temporal dev server and every write in the audit trail.
 */

let database: TestDatabase
let sendgrid: Awaited<ReturnType<typeof startSendGridStandIn>>
let worker: TestWorker
let app: FastifyInstance
let temporal: ReturnType<typeof testTemporalClient>
const taskQueue = uniqueTaskQueue('lead-to-cash')
const config = testConfig({
  TEMPORAL_TASK_QUEUE: taskQueue,
  SELLER_NAME: 'Leadwire Test Seller',
  SELLER_GSTIN: '27AAPFU0939F1ZV', // Maharashtra
})
const SDR = 'user-sdr-lead-to-cash'
const withGstCheck = (first14: string) => first14 + gstinCheckCharacter(first14)
const BUYER_GSTIN = withGstCheck('29AABCA1234B1Z') // Karnataka: another state, so IGST

beforeAll(async () => {
  database = await createTestDatabase()
  sendgrid = await startSendGridStandIn()
  worker = await startTestWorker({
    config,
    db: database.db,
    databaseUrl: database.url,
    taskQueue,
    activityOverrides: { email: createSendGridTransport({ apiKey: 'SG.test-key', baseUrl: sendgrid.url }) },
  })
  app = await buildTestApp({ config, db: database.db })
  temporal = testTemporalClient(config, database.db)
  // One person walks the whole flow here, so they hold every permission (roles are tested in access-*.test.ts).
  await database.db.user.create({
    data: { id: SDR, name: 'Arjun Rao', email: 'arjun@leadwire.test', role: 'admin' },
  })
})
afterAll(async () => {
  await temporal?.connection.close()
  await app?.close()
  await worker?.stop()
  await sendgrid?.close()
  await database?.drop()
})

/** A request as the SDR; fails the test on anything but the expected status. */
async function call<T = Record<string, unknown>>(
  method: string,
  url: string,
  payload?: object,
  status = 200,
) {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: { 'x-leadwire-user': SDR },
    ...(payload ? { payload } : {}),
  })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status)
  return res.json<T>()
}

async function journeyStage(leadId: string): Promise<string> {
  return (await call<{ stage: string }>('GET', `/v1/leads/${leadId}/journey`)).stage
}

describe('lead to cash', () => {
  it('takes a captured lead to a won deal, a GST invoice paid in two parts and a contract', async () => {
    await database.db.ruleSet.create({
      data: {
        id: uuidv7(),
        kind: 'journey',
        version: 2,
        status: 'active',
        definition: { quietHours: { start: '00:00', end: '00:00', weekendsQuiet: false } },
        createdBy: 'test',
      },
    })
    // 1. Capture, nurture, reply: the journey opens qualification; then convert account-first.
    const captured = await call<{ id: string }>(
      'POST',
      '/v1/leads',
      {
        channel: 'web_form',
        firstName: 'Meera',
        lastName: 'Iyer',
        email: 'meera.iyer@bengaluru-robotics.in',
        company: 'Bengaluru Robotics',
        title: 'VP Operations',
        industry: 'software',
        companySize: '201-500',
        country: 'IN',
        consent: { granted: true, channels: ['email'], source: 'web_form:demo', textVersion: 'v3' },
      },
      202,
    )
    const leadId = captured.id
    await waitFor(async () => (await journeyStage(leadId)) === 'Nurturing', 20_000, 'nurturing')
    await call('POST', `/v1/leads/${leadId}/engagement`, { event: 'emailReply' })
    await waitFor(async () => (await journeyStage(leadId)) === 'Qualification', 20_000, 'qualification')
    const converted = await call<{ accountId: string; contactId: string; opportunityId: string }>(
      'POST',
      `/v1/leads/${leadId}/conversion`,
      {
        account: { gstin: BUYER_GSTIN },
        contactRole: 'billing',
        opportunity: { amount: 100000, currency: 'INR', closeDate: '2031-03-31' },
      },
      201,
    )
    const { accountId, opportunityId } = converted

    // 2. Work the deal and win it: stage history, forecast, account lifecycle.
    await call('POST', `/v1/opportunities/${opportunityId}/stage`, { stage: 'proposal' })
    await call('POST', `/v1/opportunities/${opportunityId}/stage`, { stage: 'negotiation' })
    const won = await call<{ stage: string; forecastCategory: string; probability: number }>(
      'POST',
      `/v1/opportunities/${opportunityId}/win`,
      { reason: 'Best fit for their plant automation' },
    )
    expect(won).toMatchObject({ stage: 'closed_won', forecastCategory: 'closed', probability: 100 })
    const lifecycle = temporal.client.workflow.getHandle(accountLifecycleId(accountId))
    await waitFor(
      async () =>
        (await database.db.account.findUniqueOrThrow({ where: { id: accountId } })).lifecycleStage ===
        'Customer',
      20_000,
      'the account to become a customer',
    )
    expect((await lifecycle.describe()).status.name).toBe('RUNNING')

    // 3. Order and invoice: IGST because the buyer is in Karnataka and the seller in Maharashtra.
    const order = await call<{ id: string; number: string }>(
      'POST',
      '/v1/orders',
      {
        opportunityId,
        lines: [
          {
            description: 'Robot cell controller licence',
            hsnSac: '997331',
            quantity: 1,
            unitPrice: 100000,
            gstRate: 18,
          },
        ],
      },
      201,
    )
    expect(order.number).toMatch(/^SO\/\d{2}-\d{2}\/000001$/)
    const invoice = await call<{
      id: string
      number: string
      taxRegime: string
      igst: number
      total: number
    }>('POST', '/v1/invoices', { orderId: order.id }, 201)
    expect(invoice).toMatchObject({ taxRegime: 'inter_state', igst: 18000, total: 118000 })
    expect(invoice.number).toMatch(/^INV\/\d{2}-\d{2}\/000001$/)
    const pdf = await app.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}/pdf` })
    expect(pdf.headers['content-type']).toContain('application/pdf')
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')

    // 4. The collection workflow waits for the due date; two payments settle the invoice and end it.
    const collection = temporal.client.workflow.getHandle(invoiceCollectionId(invoice.id))
    await waitFor(async () => (await collection.describe().catch(() => null)) !== null, 20_000, 'collection')
    expect((await collection.describe()).status.name).toBe('RUNNING')
    await call(
      'POST',
      `/v1/invoices/${invoice.id}/payments`,
      { amount: 50000, method: 'upi', reference: 'UTR-1' },
      201,
    )
    expect(await call('GET', `/v1/invoices/${invoice.id}`)).toMatchObject({
      status: 'partially_paid',
      balanceDue: 68000,
    })
    await call(
      'POST',
      `/v1/invoices/${invoice.id}/payments`,
      { amount: 68000, method: 'bank_transfer', reference: 'UTR-2' },
      201,
    )
    expect(await collection.result()).toBe('paid')
    expect(await call('GET', `/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', balanceDue: 0 })

    // 5. Under contract: its renewal workflow is waiting for the renewal date.
    const today = new Date().toISOString().slice(0, 10)
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4, 10)}`
    const contract = await call<{ id: string; number: string }>(
      'POST',
      '/v1/contracts',
      {
        accountId,
        opportunityId,
        kind: 'amc',
        startDate: today,
        endDate: nextYear,
        value: 100000,
        currency: 'INR',
      },
      201,
    )
    const renewal = temporal.client.workflow.getHandle(contractRenewalId(contract.id))
    await waitFor(
      async () => (await renewal.describe().catch(() => null)) !== null,
      20_000,
      'renewal workflow',
    )
    expect((await renewal.describe()).status.name).toBe('RUNNING')

    // 6. The whole way is on the account's timeline, in the audit trail and in the reports.
    const timeline = await call<{ items: { kind: string }[] }>(
      'GET',
      `/v1/accounts/${accountId}/timeline?limit=200`,
    )
    expect(timeline.items.map((a) => a.kind)).toEqual(expect.arrayContaining(['conversion', 'stage_change']))
    const audited = await database.db.auditEvent.findMany({ where: { actorId: `user:${SDR}` } })
    expect(new Set(audited.map((a) => a.entity))).toEqual(
      new Set(['lead', 'account', 'contact', 'opportunity', 'order', 'invoice', 'payment', 'contract']),
    )
    const pipeline = await call<{ byStage: { stage: string; count: number }[] }>(
      'GET',
      '/v1/reports/pipeline',
    )
    expect(JSON.stringify(pipeline)).toContain('closed_won')
  })
})
