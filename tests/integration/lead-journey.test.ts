import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSendGridTransport } from '../../connectors/sendgrid/transport.js'
import { openJourneyTask } from '../../crm/tasks.js'
import { waitFor } from '../../platform/process/child-process.js'
import { accountLifecycleId } from '../../workflows/account-lifecycle.messages.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'
import { startSendGridStandIn } from '../support/sendgrid-stand-in.js'
import { startTestWorker, testTemporalClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'

/*
 * The journey end to end on real parts: PostgreSQL, the Temporal dev server, a real worker
 * and relay, the API, and SendGrid's own library talking to a loopback stand-in.
 */

let database: TestDatabase
let sendgrid: Awaited<ReturnType<typeof startSendGridStandIn>>
let worker: TestWorker
let app: FastifyInstance
const taskQueue = uniqueTaskQueue('journey-e2e')
const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue })

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
})
afterAll(async () => {
  await app?.close()
  await worker?.stop()
  await sendgrid?.close()
  await database?.drop()
})
afterEach(async () => {
  await truncateAll(database.db)
  sendgrid.requests.length = 0
})

/** The journey policy in force: the default, but never quiet (these tests run at any hour). */
async function activateNeverQuietPolicy() {
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
}

async function capture(body: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: {
      channel: 'web_form',
      firstName: 'Meera',
      lastName: 'Iyer',
      email: `meera.${uuidv7().slice(-8)}@acme-industries.in`,
      company: 'Acme Industries',
      title: 'VP Sales',
      industry: 'software',
      companySize: '201-500',
      country: 'IN',
      consent: { granted: true, channels: ['email'], source: 'web_form:demo', textVersion: 'v3' },
      ...body,
    },
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string }>().id
}

type Journey = {
  stage: string
  source: string
  score: number
  sequence?: { stoppedReason: string | null; steps: { stepId: string; status: string }[] }
  nextStep: { kind: string; dueAt: string | null } | null
}
async function journey(leadId: string): Promise<Journey> {
  const res = await app.inject({ method: 'GET', url: `/v1/leads/${leadId}/journey` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Journey>()
}
async function untilStage(leadId: string, stage: string) {
  await waitFor(async () => (await journey(leadId)).stage === stage, 20_000, `the journey to reach ${stage}`)
}
async function engage(leadId: string, event: string, eventId?: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/engagement`,
    payload: { event, ...(eventId ? { eventId } : {}) },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ score: number; duplicate: boolean }>()
}
/** Replies and calls until the score passes 70: the journey opens qualification. */
async function toQualification(leadId: string) {
  await untilStage(leadId, 'Nurturing')
  await engage(leadId, 'emailReply')
  for (let i = 0; i < 10 && (await engage(leadId, 'call')).score <= 70; i++);
  await untilStage(leadId, 'Qualification')
}
const conversion = {
  opportunity: { amount: 1250000, currency: 'INR', closeDate: '2031-03-31' },
  contactRole: 'decision_maker',
}

describe('the lead journey through the API', () => {
  it('sends the first nurture email through SendGrid once, with the consent it relied on', async () => {
    await activateNeverQuietPolicy()
    const leadId = await capture()
    await waitFor(async () => sendgrid.requests.length >= 1, 20_000, 'the welcome email')
    const [request] = sendgrid.requests
    expect(request).toMatchObject({ method: 'POST', path: '/v3/mail/send' })
    expect(request!.headers['authorization']).toBe('Bearer SG.test-key')
    const body = request!.body as {
      personalizations: { to: { email: string }[]; custom_args?: Record<string, string> }[]
      custom_args?: Record<string, string>
      subject: string
    }
    expect(body.personalizations[0]!.to[0]!.email).toMatch(/^meera\..*@acme-industries\.in$/)
    expect(JSON.stringify(body)).toContain(leadId)

    // The row is marked sent right after SendGrid answers.
    await waitFor(
      async () =>
        (await database.db.outboundMessage.findFirst({ where: { leadId, status: 'sent' } })) !== null,
      10_000,
      'the message to be marked sent',
    )
    const message = await database.db.outboundMessage.findFirstOrThrow({ where: { leadId } })
    const consent = await database.db.consentRecord.findFirstOrThrow({ where: { leadId } })
    expect(message).toMatchObject({
      status: 'sent',
      provider: 'sendgrid',
      stepId: 'welcome',
      consentRecordId: consent.id,
    })
    expect(message.providerMessageId).toBeTruthy()
    expect(
      await database.db.activity.count({ where: { leadId, kind: 'email', direction: 'outbound' } }),
    ).toBe(1)

    // The workflow learns of the send when the activity's result reaches it, a moment after
    // the row is marked: wait for the query to say so rather than read it once.
    await expect
      .poll(async () => (await journey(leadId)).sequence?.steps[0]?.status, { timeout: 10_000 })
      .toBe('sent')
    const state = await journey(leadId)
    expect(state).toMatchObject({ source: 'workflow', stage: 'Nurturing' })
    expect(state.sequence!.steps[0]).toMatchObject({ stepId: 'welcome', status: 'sent' })
    expect(state.nextStep).toMatchObject({ kind: 'send' })
    expect(new Date(state.nextStep!.dueAt!).getTime() - Date.now()).toBeGreaterThan(47 * 3_600_000)
    expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).status).toBe('NURTURING')
    expect(sendgrid.requests).toHaveLength(1)
  })

  it('hears engagement, counts a redelivered event once, qualifies and converts account-first', async () => {
    await activateNeverQuietPolicy()
    const leadId = await capture()
    await untilStage(leadId, 'Nurturing')
    const first = await engage(leadId, 'emailReply', 'sg-evt-1')
    const again = await engage(leadId, 'emailReply', 'sg-evt-1')
    expect(again).toMatchObject({ duplicate: true, score: first.score })
    // A VP at a large software company: the reply alone lifts the score past 70, so the
    // journey passes through Contacted straight into Qualification.
    await untilStage(leadId, 'Qualification')
    expect((await journey(leadId)).sequence!.stoppedReason).toBe('replied')
    const stages = () =>
      database.db.activity.findMany({
        where: { leadId, kind: 'stage_change' },
        // Recorded one after another; uuidv7 ids keep that order (both share the signal's time).
        orderBy: { id: 'asc' },
      })
    await waitFor(async () => (await stages()).length === 3, 10_000, 'three stage changes on the timeline')
    expect((await stages()).map((a) => (a.details as { to: string }).to)).toEqual([
      'Nurturing',
      'Contacted',
      'Qualification',
    ])
    expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).status).toBe('QUALIFIED')

    const invalid = await app.inject({
      method: 'POST',
      url: `/v1/leads/${leadId}/qualification`,
      payload: {
        framework: 'BANT',
        criteria: { timeline: { status: 'confirmed', targetDate: '2031-02-30' } },
      },
    })
    expect(invalid.statusCode, invalid.body).toBe(422)
    expect(invalid.headers['content-type']).toContain('application/problem+json')
    expect(invalid.json().errors[0].pointer).toBe('/body/criteria/timeline/targetDate')

    const bant = await app.inject({
      method: 'POST',
      url: `/v1/leads/${leadId}/qualification`,
      payload: {
        framework: 'BANT',
        criteria: {
          budget: { status: 'confirmed', amount: 1500000, currency: 'INR' },
          authority: { status: 'confirmed', role: 'decision_maker' },
          need: { status: 'confirmed' },
          timeline: { status: 'partial', targetDate: '2031-03-01' },
        },
      },
    })
    expect(bant.statusCode, bant.body).toBe(200)
    expect(bant.json()).toMatchObject({ bant: { score: 88 }, qualified: true })
    const stored = await app.inject({ method: 'GET', url: `/v1/leads/${leadId}/qualification` })
    expect(stored.json()).toMatchObject({ summary: { bant: { score: 88 } }, updatedBy: 'user:test-admin' })

    const eligibility = await app.inject({ method: 'GET', url: `/v1/leads/${leadId}/conversion/eligibility` })
    expect(eligibility.json()).toEqual({ eligible: true, stage: 'Qualification', reasons: [] })
    const preview = await app.inject({
      method: 'POST',
      url: `/v1/leads/${leadId}/conversion/preview`,
      payload: conversion,
    })
    expect(preview.statusCode, preview.body).toBe(200)
    expect(preview.json().account).toMatchObject({
      action: 'create',
      domain: 'acme-industries.in',
      name: 'Acme Industries',
    })
    expect(await database.db.account.count()).toBe(0)

    const converted = await app.inject({
      method: 'POST',
      url: `/v1/leads/${leadId}/conversion`,
      payload: conversion,
    })
    expect(converted.statusCode, converted.body).toBe(201)
    const ids = converted.json<{ accountId: string; contactId: string; opportunityId: string }>()
    const retried = await app.inject({
      method: 'POST',
      url: `/v1/leads/${leadId}/conversion`,
      payload: conversion,
    })
    expect(retried.statusCode).toBe(201)
    expect(retried.json()).toEqual(converted.json())

    const [account, contacts, opportunities, lead] = await Promise.all([
      database.db.account.findUniqueOrThrow({ where: { id: ids.accountId } }),
      database.db.contact.findMany({ where: { accountId: ids.accountId } }),
      database.db.opportunity.findMany({ where: { accountId: ids.accountId } }),
      database.db.lead.findUniqueOrThrow({ where: { id: leadId } }),
    ])
    expect(account).toMatchObject({
      domain: 'acme-industries.in',
      name: 'Acme Industries',
      isActive: true,
      primaryContactId: ids.contactId,
    })
    expect(contacts).toMatchObject([
      { id: ids.contactId, leadId, roles: ['decision_maker'], consentStatus: 'granted' },
    ])
    expect(opportunities).toMatchObject([
      {
        id: ids.opportunityId,
        currency: 'INR',
        stage: 'qualification',
        probability: 10,
        forecastCategory: 'pipeline',
      },
    ])
    expect(lead).toMatchObject({ status: 'CONVERTED', journeyStage: 'Converted' })
    // Every record the conversion wrote is in the audit trail, in the conversion's transaction.
    const audit = await database.db.auditEvent.findMany({ orderBy: { id: 'asc' } })
    expect(audit.map((a) => `${a.entity}:${a.action}`)).toEqual([
      'lead:create',
      'lead:engagement',
      'account:create',
      'contact:create',
      'opportunity:create',
      'lead:convert',
    ])
    expect(audit.find((a) => a.entity === 'account')?.changes).toMatchObject({
      domain: { from: null, to: 'acme-industries.in' },
    })
    expect(
      await database.db.activity.count({ where: { kind: 'conversion', accountId: ids.accountId } }),
    ).toBe(1)

    // The account's lifecycle workflow starts through the outbox and scores its health.
    const client = testTemporalClient(config, database.db)
    try {
      await waitFor(
        async () =>
          (await database.db.account.findUniqueOrThrow({ where: { id: ids.accountId } })).healthUpdatedAt !==
          null,
        20_000,
        'the account lifecycle to score health',
      )
      // Created as MQA; its open opportunity makes it sales-qualified (SQA) at the first refresh.
      const refreshed = await database.db.account.findUniqueOrThrow({ where: { id: ids.accountId } })
      expect(refreshed).toMatchObject({ lifecycleStage: 'SQA', type: 'prospect' })
      expect(refreshed.healthScore).toBeGreaterThan(50)
      const change = await database.db.activity.findFirstOrThrow({
        where: { accountId: ids.accountId, kind: 'lifecycle_change' },
      })
      expect(change.details).toMatchObject({ from: 'MQA', to: 'SQA' })
      const description = await client.client.workflow.getHandle(accountLifecycleId(ids.accountId)).describe()
      expect(description.status.name).toBe('RUNNING')
      await client.client.workflow.getHandle(accountLifecycleId(ids.accountId)).terminate('test done')
    } finally {
      await client.connection.close()
    }

    // A second lead from the same company converts into the same account, matched by domain.
    const colleague = await capture({ firstName: 'Ravi', lastName: 'Kumar' })
    await toQualification(colleague)
    const match = await app.inject({
      method: 'POST',
      url: `/v1/leads/${colleague}/conversion/preview`,
      payload: conversion,
    })
    expect(match.json().account).toMatchObject({ action: 'match', matchedBy: 'domain', id: ids.accountId })
  })

  it('a conversion that fails midway leaves nothing behind, and a retry converts', async () => {
    await activateNeverQuietPolicy()
    const leadId = await capture()
    await toQualification(leadId)
    // The last write of the conversion fails: everything before it must roll back.
    await database.db.$executeRawUnsafe(`
      CREATE FUNCTION fail_conversion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated failure at the last step'; END $$`)
    await database.db.$executeRawUnsafe(
      'CREATE TRIGGER fail_conversion BEFORE INSERT ON lead_conversion FOR EACH ROW EXECUTE FUNCTION fail_conversion()',
    )
    try {
      const failed = await app.inject({
        method: 'POST',
        url: `/v1/leads/${leadId}/conversion`,
        payload: conversion,
      })
      expect(failed.statusCode).toBeGreaterThanOrEqual(500)
      expect(failed.headers['content-type']).toContain('application/problem+json')
      const counts = await Promise.all([
        database.db.account.count(),
        database.db.contact.count(),
        database.db.opportunity.count(),
        database.db.opportunityStageChange.count(),
        database.db.leadConversion.count(),
        database.db.activity.count({ where: { kind: 'conversion' } }),
        database.db.outboxEvent.count({ where: { topic: 'account.lead_converted' } }),
      ])
      expect(counts).toEqual([0, 0, 0, 0, 0, 0, 0])
      expect((await database.db.lead.findUniqueOrThrow({ where: { id: leadId } })).status).toBe('QUALIFIED')
      expect((await journey(leadId)).stage).toBe('Qualification')
    } finally {
      await database.db.$executeRawUnsafe('DROP TRIGGER fail_conversion ON lead_conversion')
      await database.db.$executeRawUnsafe('DROP FUNCTION fail_conversion()')
    }
    const converted = await app.inject({
      method: 'POST',
      url: `/v1/leads/${leadId}/conversion`,
      payload: conversion,
    })
    expect(converted.statusCode, converted.body).toBe(201)
    expect(await database.db.account.count()).toBe(1)
  })

  it('a task completed through the API tells the journey, and an opt-out stops the sequence', async () => {
    await activateNeverQuietPolicy()
    const leadId = await capture()
    await untilStage(leadId, 'Nurturing')
    const task = await openJourneyTask(database.db, {
      leadId,
      workflowId: `lead/${leadId}`,
      kind: 'first_contact',
      cycle: 1,
      attempt: 1,
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    })
    const inbox = await app.inject({ method: 'GET', url: `/v1/tasks?leadId=${leadId}&status=open` })
    expect(inbox.json().items).toMatchObject([{ id: task.id, kind: 'first_contact', overdue: false }])
    const done = await app.inject({
      method: 'POST',
      url: `/v1/tasks/${task.id}/complete`,
      payload: { outcome: 'contacted' },
    })
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toMatchObject({ status: 'done', outcome: 'contacted' })
    const conflict = await app.inject({
      method: 'POST',
      url: `/v1/tasks/${task.id}/complete`,
      payload: { outcome: 'no_answer' },
    })
    expect(conflict.statusCode).toBe(409)
    await untilStage(leadId, 'Contacted')

    const optOut = await app.inject({
      method: 'POST',
      url: `/v1/leads/${leadId}/consent`,
      payload: { status: 'withdrawn', source: 'unsubscribe-link', reason: 'too many emails' },
    })
    expect(optOut.statusCode, optOut.body).toBe(200)
    expect(optOut.json()).toMatchObject({ status: 'withdrawn', marketing: { email: false, whatsapp: false } })
    await waitFor(
      async () => (await journey(leadId)).sequence?.stoppedReason === 'opted_out',
      20_000,
      'the sequence to stop',
    )
    expect(await database.db.consentRecord.count({ where: { leadId } })).toBe(2)
  })
})
