import { mkdir, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { WhatsAppSender } from '../../activities/whatsapp-sender.js'
import { createSendGridTransport } from '../../connectors/sendgrid/transport.js'
import { createTwilioSmsSender } from '../../connectors/twilio/sms-sender.js'
import { leadJourneyId } from '../../workflows/lead-journey.messages.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startSendGridStandIn, type SendGridStandIn } from '../support/sendgrid-stand-in.js'
import { startTestWorker, testTemporalClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'
import { startTwilioStandIn, type TwilioStandIn } from '../support/twilio-stand-in.js'

/*
 * Proof of "consent checked at the moment of sending" (issue 10, item 2), on real parts:
 * PostgreSQL, the Temporal dev server, a real worker with the real activities and relay, the
 * API, and each vendor's own library talking to a loopback stand-in (SendGrid, Twilio SMS;
 * WhatsApp's sender is a recorder, since its socket holder is another process).
 *
 * The playbook is shrunk to seconds: first-contact task at 3 s, first message on each channel
 * at 8 s, two more SMS at 12 s and 14 s. Consent changes go through POST /v1/leads/{id}/consent,
 * which writes the consent_record the outcome must cite.
 */

const SECOND_IN_HOURS = 1 / 3600
const POLICY = {
  quietHours: { start: '00:00', end: '00:00', weekendsQuiet: false },
  firstContactWithinHours: 3 * SECOND_IN_HOURS,
  taskDueHours: 1,
  sequence: {
    id: 'consent-at-send',
    version: 1,
    steps: [
      { id: 'first-email', channel: 'email', template: 'nurture-welcome', afterHours: 8 * SECOND_IN_HOURS },
      { id: 'first-sms', channel: 'sms', template: 'sms-intro', afterHours: 8 * SECOND_IN_HOURS },
      { id: 'first-whatsapp', channel: 'whatsapp', template: 'wa-intro', afterHours: 8 * SECOND_IN_HOURS },
      { id: 'second-sms', channel: 'sms', template: 'sms-follow-up', afterHours: 12 * SECOND_IN_HOURS },
      { id: 'third-sms', channel: 'sms', template: 'sms-follow-up', afterHours: 14 * SECOND_IN_HOURS },
    ],
  },
}
const TWILIO_SID = `AC${'5eed'.repeat(8)}`

let database: TestDatabase
let sendgrid: SendGridStandIn
let twilio: TwilioStandIn
const whatsappSent: { toE164: string; idempotencyKey: string }[] = []
const recordingWhatsApp: WhatsAppSender = {
  provider: 'whatsapp-stand-in',
  connected: true,
  async send(m) {
    whatsappSent.push({ toE164: m.toE164, idempotencyKey: m.idempotencyKey })
    return { providerMessageId: `wa-${whatsappSent.length}` }
  },
}
let worker: TestWorker
let app: FastifyInstance
let temporal: ReturnType<typeof testTemporalClient>
const taskQueue = uniqueTaskQueue('consent-at-send')
const config = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue })
const journeys: string[] = []
const figures: Record<string, unknown> = {}

beforeAll(async () => {
  database = await createTestDatabase()
  ;[sendgrid, twilio] = await Promise.all([startSendGridStandIn(), startTwilioStandIn()])
  worker = await startTestWorker({
    config,
    db: database.db,
    databaseUrl: database.url,
    taskQueue,
    activityOverrides: {
      email: createSendGridTransport({ apiKey: 'SG.consent-at-send', baseUrl: sendgrid.url }),
      sms: createTwilioSmsSender({
        accountSid: TWILIO_SID,
        authToken: 'twilio-test-token',
        from: '+918069000000',
        baseUrl: twilio.url,
      }),
      whatsapp: recordingWhatsApp,
    },
  })
  app = await buildTestApp({ config, db: database.db })
  temporal = testTemporalClient(config, database.db)
  // Before any journey starts, so the worker's rule cache loads this policy.
  await api('POST', '/v1/rule-sets/journey', { definition: POLICY })
})
afterEach(async () => {
  // Each journey ends with its test: nothing it does later may count in the next one.
  await Promise.all(
    journeys.splice(0).map((id) =>
      temporal.client.workflow
        .getHandle(leadJourneyId(id))
        .terminate('test done')
        .catch(() => undefined),
    ),
  )
})
afterAll(async () => {
  figures['vendorRequestsReceived'] = {
    sendgrid: sendgrid?.requests.length,
    twilioSms: twilio?.requests.length,
    whatsapp: whatsappSent.length,
  }
  if (database) {
    const rows = await database.db.outboundMessage.groupBy({ by: ['status'], _count: true })
    figures['outboundMessages'] = Object.fromEntries(rows.map((r) => [r.status, r._count]))
    figures['sendsAttempted'] = rows.reduce((n, r) => n + r._count, 0)
    figures['sendsSkipped'] = rows.find((r) => r.status === 'skipped')?._count ?? 0
    figures['skipsAudited'] = await database.db.auditEvent.count({
      where: { entity: 'outbound_message', action: 'skip' },
    })
    // Every contact task of the file's leads, the (a) leads' too: those consented to no calls.
    figures['contactTasks'] = {
      opened: await database.db.task.count({ where: { kind: 'first_contact' } }),
      notOpenedAsCallAudited: await database.db.auditEvent.count({
        where: { entity: 'task', action: 'call_skipped' },
      }),
    }
  }
  await mkdir('test-results/guarantees', { recursive: true })
  await writeFile('test-results/guarantees/consent-at-send.json', `${JSON.stringify(figures, null, 2)}\n`)
  await temporal?.connection.close()
  await app?.close()
  await worker?.stop()
  await Promise.all([sendgrid?.close(), twilio?.close()])
  await database?.drop()
})

async function api<T>(method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>): Promise<T> {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300)
  return res.json<T>()
}

let phones = Math.floor(Math.random() * 9e7)
/** A distinct Indian mobile number per lead (dedupe would merge two leads sharing one). */
const nextPhone = () => `+9197${String(phones++).padStart(8, '0')}`

const NAMES = ['Asha', 'Bhavna', 'Chitra', 'Deepak', 'Esha', 'Farhan', 'Gopal', 'Hema', 'Irfan', 'Jaya']
const COMPANIES = ['Anand Textiles', 'Bharat Castings', 'Coastal Foods', 'Deccan Pumps', 'Everest Tiles']
let captured = 0

/** A new master lead: names and companies differ, or fuzzy dedupe would link them as one person. */
async function capture(contact: { email?: boolean; phone?: boolean }, channels: string[]) {
  const suffix = uuidv7().slice(-8)
  const phone = contact.phone ? nextPhone() : undefined
  const n = captured++
  const firstName = NAMES[n % NAMES.length]!
  const { id } = await api<{ id: string }>('POST', '/v1/leads', {
    channel: 'web_form',
    firstName,
    lastName: `Test${suffix}`,
    ...(contact.email ? { email: `${firstName.toLowerCase()}.${suffix}@customer-${suffix}.in` } : {}),
    ...(phone ? { phone } : {}),
    company: `${COMPANIES[n % COMPANIES.length]!} ${suffix}`,
    country: 'IN',
    consent: { granted: true, channels, source: 'web_form:demo', textVersion: 'v3' },
  })
  journeys.push(id)
  const lead = await database.db.lead.findUniqueOrThrow({ where: { id } })
  expect(lead.isDuplicate, 'a new master lead').toBe(false)
  return { id, phone }
}

type Step = { stepId: string; channel: string; status: string; dueAt: string; note?: string }
type Journey = {
  stage: string
  sequence?: { stoppedReason: string | null; steps: Step[] }
  tasks?: { taskId: string; status: string }[]
}
const journey = (leadId: string) => api<Journey>('GET', `/v1/leads/${leadId}/journey`)
const stepOf = async (leadId: string, stepId: string) =>
  (await journey(leadId)).sequence?.steps.find((s) => s.stepId === stepId)

type ConsentResult = { consentRecordId: string; marketing: Record<string, boolean> }
const changeConsent = (leadId: string, body: Record<string, unknown>) =>
  api<ConsentResult>('POST', `/v1/leads/${leadId}/consent`, body)

const outbound = (leadId: string) =>
  database.db.outboundMessage.findMany({ where: { leadId }, orderBy: { createdAt: 'asc' } })
const audits = (entity: string, entityId: string, action: string) =>
  database.db.auditEvent.findMany({ where: { entity, entityId, action } })
const changesOf = (audit: { changes: unknown }) =>
  audit.changes as Record<string, { from: unknown; to: unknown }>

describe('consent is read again at the moment of sending', () => {
  it('skips a send whose consent was withdrawn one second before it was due, on email, SMS and WhatsApp, citing the withdrawal', async () => {
    const leads = {
      email: await capture({ email: true }, ['email']),
      sms: await capture({ phone: true }, ['sms']),
      whatsapp: await capture({ phone: true }, ['whatsapp']),
    }
    const channels = Object.keys(leads) as (keyof typeof leads)[]
    // Each journey planned its channel's first message from the consent it read at the start.
    const due: Record<string, number> = {}
    for (const ch of channels) {
      await expect
        .poll(async () => (await stepOf(leads[ch].id, `first-${ch}`))?.status, {
          timeout: 20_000,
          interval: 100,
        })
        .toBe('planned')
      due[ch] = new Date((await stepOf(leads[ch].id, `first-${ch}`))!.dueAt).getTime()
    }

    // From here the journeys must not hear of the withdrawal (as when the relay lags or is
    // down): only the send activity's own re-read can stop the message.
    await worker.runtime.relay!.stop()
    try {
      const withdrawals = await Promise.all(
        channels.map(async (ch) => {
          await sleep(Math.max(0, due[ch]! - 1000 - Date.now()))
          const result = await changeConsent(leads[ch].id, { status: 'withdrawn', source: 'STOP reply' })
          const record = await database.db.consentRecord.findUniqueOrThrow({
            where: { id: BigInt(result.consentRecordId) },
          })
          return { ch, result, record }
        }),
      )
      for (const { ch, record } of withdrawals) {
        // The premise: the withdrawal was on record before the send fell due.
        expect(record.status).toBe('withdrawn')
        expect(record.recordedAt.getTime()).toBeLessThan(due[ch]!)
      }
      figures['withdrawalLeadMs'] = Object.fromEntries(
        withdrawals.map(({ ch, record }) => [ch, due[ch]! - record.recordedAt.getTime()]),
      )

      for (const { ch, result } of withdrawals) {
        const leadId = leads[ch].id
        await expect
          .poll(async () => (await outbound(leadId)).map((m) => m.status), { timeout: 20_000, interval: 100 })
          .toEqual(['skipped'])
        const [message] = await outbound(leadId)
        expect(message).toMatchObject({
          channel: ch,
          stepId: `first-${ch}`,
          skipReason: 'opted_out',
          consentRecordId: BigInt(result.consentRecordId),
          provider: null,
          sentAt: null,
        })
        const [skip, ...more] = await audits('outbound_message', message!.id, 'skip')
        expect(more).toHaveLength(0)
        expect(skip!.actorId).toBe('system:journey')
        expect(changesOf(skip!)).toMatchObject({
          consentRecordId: { from: null, to: result.consentRecordId },
          skipReason: { from: null, to: 'opted_out' },
          channel: { from: null, to: ch },
        })
        // The journey took the skip as an opt-out: nothing later is sent either.
        await expect
          .poll(async () => (await journey(leadId)).sequence?.stoppedReason, {
            timeout: 10_000,
            interval: 100,
          })
          .toBe('opted_out')
        expect(await stepOf(leadId, `first-${ch}`)).toMatchObject({ status: 'skipped', note: 'opted_out' })
      }

      // Nothing reached any vendor, and the journeys never heard of the withdrawal.
      expect(sendgrid.requests).toHaveLength(0)
      expect(twilio.requests).toHaveLength(0)
      expect(whatsappSent).toHaveLength(0)
      const unheard = await database.db.outboxEvent.count({
        where: {
          topic: 'lead.contactability_changed',
          aggregateId: { in: channels.map((ch) => leads[ch].id) },
          dispatchedAt: null,
        },
      })
      expect(unheard).toBe(3)
      figures['withdrawnBeforeSend'] = { sends: 3, skipped: 3, vendorRequests: 0 }
    } finally {
      await worker.runtime.relay!.start()
    }
  })

  it('sends to a lead whose consent stands, through the same path: the control', async () => {
    const { id, phone } = await capture({ phone: true }, ['sms'])
    await expect
      .poll(async () => (await outbound(id)).map((m) => m.status), { timeout: 20_000, interval: 100 })
      .toEqual(['sent'])
    const [message] = await outbound(id)
    const capturedConsent = await database.db.consentRecord.findFirstOrThrow({ where: { leadId: id } })
    expect(message).toMatchObject({ channel: 'sms', provider: 'twilio', consentRecordId: capturedConsent.id })
    expect(message!.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/)
    const mine = twilio.requests.filter((r) => r.form['To'] === phone)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      path: `/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`,
      basicAuth: `${TWILIO_SID}:twilio-test-token`,
      form: { From: '+918069000000' },
    })
    expect(mine[0]!.form['Body']).toContain('Reply STOP to opt out.')
  })

  it('stops a waiting SMS sequence when the number is put on DND, and sends nothing more', async () => {
    const { id, phone } = await capture({ phone: true }, ['sms'])
    const sentTo = () => twilio.requests.filter((r) => r.form['To'] === phone).length
    await expect
      .poll(async () => (await outbound(id)).map((m) => [m.stepId, m.status]), {
        timeout: 20_000,
        interval: 100,
      })
      .toEqual([['first-sms', 'sent']])
    expect(sentTo()).toBe(1)

    // The sequence now waits for its second SMS; the DND registry lookup comes back positive.
    const dnd = await changeConsent(id, { status: 'unchanged', dnd: true, source: 'ncpr lookup' })
    expect(dnd.marketing).toMatchObject({ sms: false })
    await expect
      .poll(async () => (await journey(id)).sequence, { timeout: 20_000, interval: 100 })
      .toMatchObject({
        stoppedReason: 'dnd',
        steps: [
          { stepId: 'first-sms', status: 'sent' },
          { stepId: 'second-sms', status: 'cancelled', note: 'dnd' },
          { stepId: 'third-sms', status: 'cancelled', note: 'dnd' },
        ],
      })

    // Let the cancelled steps' times pass: still only the first SMS.
    const lastDue = Math.max(
      ...((await journey(id)).sequence?.steps ?? []).map((s) => new Date(s.dueAt).getTime()),
    )
    await sleep(Math.max(0, lastDue + 1500 - Date.now()))
    expect(sentTo()).toBe(1)
    expect((await outbound(id)).map((m) => m.stepId)).toEqual(['first-sms'])
    figures['dndWhileWaiting'] = { sent: 1, cancelled: 2, vendorRequestsForLead: sentTo() }
  })
})

describe('a call task is opened as a call only when calling is allowed', () => {
  it('opens the contact task of a lead put on DND while it waited as an email task, citing the DND record', async () => {
    // Calling was allowed when the journey started; the number goes on DND before the task opens.
    const dndLead = await capture({ email: true, phone: true }, ['email', 'phone'])
    const control = await capture({ email: true, phone: true }, ['email', 'phone'])
    const dnd = await changeConsent(dndLead.id, { status: 'unchanged', dnd: true, source: 'ncpr lookup' })
    const contactTask = (leadId: string) =>
      database.db.task.findFirst({ where: { leadId, kind: 'first_contact' } })

    await expect.poll(() => contactTask(dndLead.id), { timeout: 20_000, interval: 100 }).toBeTruthy()
    const task = (await contactTask(dndLead.id))!
    expect(task).toMatchObject({
      title: 'First contact by email: the lead has not been reached yet',
      status: 'open',
      consentRecordId: BigInt(dnd.consentRecordId),
    })
    expect(task.description).toBe(
      'Do not call: the number is on India’s Do Not Call registry (TRAI NCPR). Email the lead instead.',
    )
    const [skipped, ...more] = await audits('task', task.id, 'call_skipped')
    expect(more).toHaveLength(0)
    expect(changesOf(skipped!)).toMatchObject({
      consentRecordId: { from: null, to: dnd.consentRecordId },
      skipReason: { from: null, to: 'dnd' },
      contactBy: { from: null, to: 'email' },
    })
    const [created] = await audits('task', task.id, 'create')
    expect(changesOf(created!).consentRecordId).toEqual({ from: null, to: dnd.consentRecordId })
    // The journey goes on with its task as before.
    await expect
      .poll(async () => (await journey(dndLead.id)).tasks?.map((t) => [t.taskId, t.status]), {
        timeout: 10_000,
        interval: 100,
      })
      .toEqual([[task.id, 'open']])

    // The control: no DND, a call task, citing the consent given at capture, no skip recorded.
    await expect.poll(() => contactTask(control.id), { timeout: 20_000, interval: 100 }).toBeTruthy()
    const callTask = (await contactTask(control.id))!
    const given = await database.db.consentRecord.findFirstOrThrow({ where: { leadId: control.id } })
    expect(callTask).toMatchObject({
      title: 'First contact: the lead has not been reached yet',
      description: null,
      consentRecordId: given.id,
    })
    expect(await audits('task', callTask.id, 'call_skipped')).toHaveLength(0)
    figures['callTasks'] = { openedAsCall: 1, openedAsEmailForDnd: 1 }
  })
})
