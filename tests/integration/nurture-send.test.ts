import { ApplicationFailure } from '@temporalio/activity'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createNurtureActivities,
  type NurtureDeps,
  type NurtureSend,
} from '../../activities/nurture.activities.js'
import { NOT_CONNECTED_WHATSAPP, type WhatsAppSender } from '../../activities/whatsapp-sender.js'
import { EmailSendError } from '../../connectors/sendgrid/errors.js'
import { createSendGridTransport } from '../../connectors/sendgrid/transport.js'
import type { QuietHours } from '../../domain/journey/quiet-hours.rules.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'
import { startSendGridStandIn, type SendGridStandIn } from '../support/sendgrid-stand-in.js'

/*
 * sendNurtureMessage on real parts: PostgreSQL, SendGrid's own library talking to the loopback
 * stand-in. The activity is a plain function here; each call is what one Temporal attempt does.
 */

let database: TestDatabase
let sendgrid: SendGridStandIn
const API_KEY = 'SG.test-key'
const FROM = { email: 'hello@leadwire.test', name: 'Leadwire' }
const QUIET: QuietHours = { start: '20:00', end: '09:00', weekendsQuiet: false }
const IST = ['Asia/Kolkata']
/** Tuesday 10 March 2026, 11:30 in Kolkata: inside sending hours. */
const DAYTIME = new Date('2026-03-10T06:00:00.000Z')
const OPT_IN_AT = new Date('2026-03-01T10:00:00.000Z')

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})
// A fresh stand-in per test: no scripted failure is left over, and X-Message-Id starts at sg-1.
beforeEach(async () => {
  sendgrid = await startSendGridStandIn()
})
afterEach(async () => {
  await sendgrid?.close()
  await truncateAll(database.db)
})

function activities(overrides: Partial<NurtureDeps> = {}) {
  return createNurtureActivities({
    db: database.db,
    email: createSendGridTransport({ apiKey: API_KEY, baseUrl: sendgrid.url }),
    emailFrom: FROM,
    whatsapp: NOT_CONNECTED_WHATSAPP,
    clock: () => DAYTIME,
    ...overrides,
  }).sendNurtureMessage
}

interface LeadSeed {
  email?: string | null
  phone?: string | null
  consent?: { status: 'granted' | 'unknown'; channels: string[] }
  status?: 'NEW' | 'CONVERTED'
}

/** A lead row and, when consent was given, its consent record (as ingestion writes them). */
async function insertLead(seed: LeadSeed = {}) {
  const id = uuidv7()
  const consent = seed.consent ?? { status: 'granted', channels: ['email'] }
  const granted = consent.status === 'granted'
  await database.db.lead.create({
    data: {
      id,
      channel: 'web_form',
      status: seed.status ?? 'NEW',
      firstName: 'Meera',
      lastName: 'Iyer',
      email: seed.email === undefined ? `meera.${id.slice(-8)}@acme-industries.in` : seed.email,
      phone: seed.phone ?? null,
      company: 'Acme Industries',
      consentStatus: consent.status,
      consentChannels: consent.channels,
      consentAt: granted ? OPT_IN_AT : null,
      optInAt: granted ? OPT_IN_AT : null,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  const record = granted
    ? await database.db.consentRecord.create({
        data: {
          leadId: id,
          status: 'granted',
          channels: consent.channels,
          source: 'web_form:demo',
          textVersion: 'v3',
          at: OPT_IN_AT,
          recordedBy: 'test',
        },
      })
    : null
  const lead = await database.db.lead.findUniqueOrThrow({ where: { id } })
  return { lead, consentRecordId: record?.id ?? null }
}

function sendInput(leadId: string, overrides: Partial<NurtureSend> = {}): NurtureSend {
  return {
    leadId,
    sequenceId: 'default-nurture',
    cycle: 1,
    stepId: 'welcome',
    channel: 'email',
    template: 'nurture-welcome',
    zones: IST,
    quietHours: QUIET,
    ...overrides,
  }
}

const keyOf = (i: NurtureSend) => `${i.leadId}/${i.channel}/${i.sequenceId}/${i.cycle}/${i.stepId}`
const messageRow = (i: NurtureSend) =>
  database.db.outboundMessage.findUniqueOrThrow({ where: { dedupeKey: keyOf(i) } })

/** The rejection of a call that must fail. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => {
      throw new Error(`expected the call to fail, it returned ${JSON.stringify(value)}`)
    },
    (err: unknown) => err,
  )
}

type MailBody = {
  from: { email: string; name?: string }
  subject: string
  personalizations: { to: { email: string; name?: string }[] }[]
  content: { type: string; value: string }[]
  custom_args: Record<string, string>
  categories: string[]
}

describe('sendNurtureMessage: at most one email per step', () => {
  it('sends once, records the consent it relied on, and answers a retry without sending again', async () => {
    const { lead, consentRecordId } = await insertLead()
    const input = sendInput(lead.id)
    const send = activities()

    const outcome = await send(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({ status: 'sent', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
    const request = sendgrid.requests[0]!
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/v3/mail/send')
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`)
    const body = request.body as MailBody
    expect(body.personalizations).toEqual([{ to: [{ email: lead.email, name: 'Meera Iyer' }] }])
    expect(body.custom_args).toEqual({ leadId: lead.id, messageId: row.id, messageKey: keyOf(input) })
    expect(body.categories).toEqual(['nurture', 'default-nurture'])
    expect(body.from).toEqual(FROM)
    expect(body.subject).toBe('Thanks for your interest')
    expect(body.content).toHaveLength(1)
    expect(body.content[0]!.type).toBe('text/plain')
    expect(body.content[0]!.value).toMatch(/^Hi Meera,\n\n.*the team at Acme Industries\.\n\nLeadwire$/)

    expect(consentRecordId).not.toBeNull()
    expect(row).toMatchObject({
      leadId: lead.id,
      channel: 'email',
      sequenceId: 'default-nurture',
      stepId: 'welcome',
      template: 'nurture-welcome',
      cycle: 1,
      status: 'sent',
      skipReason: null,
      provider: 'sendgrid',
      providerMessageId: 'sg-1',
      consentRecordId,
      attempts: 1,
      sentAt: DAYTIME,
      lastError: null,
    })

    const timeline = await database.db.activity.findMany({ where: { leadId: lead.id } })
    expect(timeline).toHaveLength(1)
    expect(timeline[0]).toMatchObject({
      kind: 'email',
      direction: 'outbound',
      subject: 'Thanks for your interest',
      actorId: 'system:journey',
      occurredAt: DAYTIME,
      dedupeKey: `message/${keyOf(input)}`,
      details: {
        messageId: row.id,
        template: 'nurture-welcome',
        step: 'welcome',
        cycle: 1,
        provider: 'sendgrid',
        status: 'sent',
      },
    })

    // A Temporal retry of the same step: the same answer, nothing sent, nothing recorded twice.
    await expect(send(input)).resolves.toEqual({ status: 'sent', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
    expect(await database.db.outboundMessage.count()).toBe(1)
    expect(await database.db.activity.count()).toBe(1)
    expect(await messageRow(input)).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: 'sg-1' })
  })

  it('sends one email when 20 attempts of the same step run at once', async () => {
    const { lead } = await insertLead()
    const input = sendInput(lead.id)
    const send = activities()

    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => send(input)))

    expect(sendgrid.requests).toHaveLength(1)
    const row = await messageRow(input)
    expect(row).toMatchObject({ status: 'sent', provider: 'sendgrid', providerMessageId: 'sg-1' })
    // Exactly one attempt made the call; the others were superseded (and would be retried by
    // Temporal) or found the step sent. Who wins depends on timing, what they may answer does not.
    const superseded = `send ${keyOf(input)} was claimed by a newer attempt`
    const answers = settled.map((s) =>
      s.status === 'fulfilled' ? s.value : { rejected: (s.reason as Error).message },
    )
    for (const answer of answers)
      expect([{ status: 'sent', messageId: row.id }, { rejected: superseded }]).toContainEqual(answer)
    expect(answers.filter((a) => 'status' in a)).not.toHaveLength(0)
    expect(await database.db.outboundMessage.count()).toBe(1)
    expect(await database.db.activity.count({ where: { leadId: lead.id, kind: 'email' } })).toBe(1)

    // The retry Temporal makes for a superseded attempt finds the step sent.
    await expect(send(input)).resolves.toEqual({ status: 'sent', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
  })
})

describe('sendNurtureMessage: consent is read again right before the send', () => {
  it('skips and stops the sequence when consent was withdrawn just before, citing the withdrawal', async () => {
    const { lead, consentRecordId: grantId } = await insertLead()
    const input = sendInput(lead.id)
    const withdrawnAt = new Date('2026-03-09T12:00:00.000Z')
    await database.db.lead.update({
      where: { id: lead.id },
      data: { consentStatus: 'withdrawn', optOutAt: withdrawnAt, optOutReason: 'unsubscribe link' },
    })
    const withdrawal = await database.db.consentRecord.create({
      data: {
        leadId: lead.id,
        status: 'withdrawn',
        channels: [],
        source: 'email:unsubscribe',
        at: withdrawnAt,
        recordedBy: 'test',
      },
    })
    expect(withdrawal.id).not.toBe(grantId)

    const outcome = await activities()(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({ status: 'skipped', reason: 'opted_out', stopSequence: true, messageId: row.id })
    expect(sendgrid.requests).toHaveLength(0)
    expect(row).toMatchObject({
      status: 'skipped',
      skipReason: 'opted_out',
      consentRecordId: withdrawal.id,
      provider: null,
      sentAt: null,
    })
    expect(await database.db.activity.count()).toBe(0)
    // A retry answers the recorded skip.
    await expect(activities()(input)).resolves.toEqual(outcome)
    expect(sendgrid.requests).toHaveLength(0)
  })

  it('skips a lead that never consented (no_consent, stops the sequence)', async () => {
    const { lead } = await insertLead({ consent: { status: 'unknown', channels: [] } })
    const input = sendInput(lead.id)

    const outcome = await activities()(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({
      status: 'skipped',
      reason: 'no_consent',
      stopSequence: true,
      messageId: row.id,
    })
    expect(row).toMatchObject({ status: 'skipped', skipReason: 'no_consent', consentRecordId: null })
    expect(sendgrid.requests).toHaveLength(0)
  })

  it('skips a converted lead (lead_closed, stops the sequence)', async () => {
    const { lead, consentRecordId } = await insertLead({ status: 'CONVERTED' })
    const input = sendInput(lead.id)

    const outcome = await activities()(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({
      status: 'skipped',
      reason: 'lead_closed',
      stopSequence: true,
      messageId: row.id,
    })
    expect(row).toMatchObject({ status: 'skipped', skipReason: 'lead_closed', consentRecordId })
    expect(sendgrid.requests).toHaveLength(0)
  })

  it('skips only this step for a lead without an email address (no_email)', async () => {
    const { lead } = await insertLead({ email: null })
    const input = sendInput(lead.id)

    const outcome = await activities()(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({ status: 'skipped', reason: 'no_email', stopSequence: false, messageId: row.id })
    expect(row).toMatchObject({ status: 'skipped', skipReason: 'no_email' })
    expect(sendgrid.requests).toHaveLength(0)
  })
})

describe('sendNurtureMessage: quiet hours on the real clock', () => {
  it('defers a send at 23:30 in Kolkata to 09:00 the next morning, then sends it', async () => {
    const { lead } = await insertLead()
    const input = sendInput(lead.id, { quietHours: QUIET, zones: ['Asia/Kolkata'] })

    // Tuesday 23:30 IST.
    const late = await activities({ clock: () => new Date('2026-03-10T18:00:00.000Z') })(input)

    expect(late).toEqual({ status: 'deferred', reason: 'quiet_hours', retryAt: '2026-03-11T03:30:00.000Z' })
    expect(sendgrid.requests).toHaveLength(0)
    expect(await messageRow(input)).toMatchObject({
      status: 'deferred',
      skipReason: 'quiet_hours',
      attempts: 1,
    })

    // Wednesday 08:59 IST: still quiet, the same retry time.
    const early = await activities({ clock: () => new Date('2026-03-11T03:29:00.000Z') })(input)
    expect(early).toEqual({ status: 'deferred', reason: 'quiet_hours', retryAt: '2026-03-11T03:30:00.000Z' })
    expect(sendgrid.requests).toHaveLength(0)

    // Wednesday 09:05 IST: the deferred row is claimed again and the email goes out.
    const morning = new Date('2026-03-11T03:35:00.000Z')
    const sent = await activities({ clock: () => morning })(input)

    const row = await messageRow(input)
    expect(sent).toEqual({ status: 'sent', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
    expect(row).toMatchObject({ status: 'sent', attempts: 3, sentAt: morning, providerMessageId: 'sg-1' })
    expect(await database.db.outboundMessage.count()).toBe(1)
  })
})

describe('sendNurtureMessage: vendor failures', () => {
  it('throws a retryable error on a 500 and sends on the next attempt', async () => {
    const { lead } = await insertLead()
    const input = sendInput(lead.id)
    sendgrid.respondWith({ status: 500, body: { errors: [{ message: 'internal error' }] } })

    const err = await failureOf(activities()(input))

    expect(err).toBeInstanceOf(EmailSendError)
    expect(err).not.toBeInstanceOf(ApplicationFailure)
    expect(err).toMatchObject({ kind: 'unavailable', status: 500 })
    expect(await messageRow(input)).toMatchObject({
      status: 'retry',
      lastError: 'SendGrid failed to accept the send (500): internal error',
      providerMessageId: null,
    })
    expect(await database.db.activity.count()).toBe(0)

    const retried = await activities()(input)

    const row = await messageRow(input)
    expect(retried).toEqual({ status: 'sent', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(2)
    expect(row).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: 'sg-1' })
    expect(await database.db.activity.count({ where: { kind: 'email' } })).toBe(1)
  })

  it('fails for good on a 400: a non-retryable EmailRejected failure, the row failed', async () => {
    const { lead } = await insertLead()
    const input = sendInput(lead.id)
    sendgrid.respondWith({
      status: 400,
      body: { errors: [{ message: 'Does not contain a valid address.', field: 'personalizations.0.to' }] },
    })

    const err = await failureOf(activities()(input))

    expect(err).toBeInstanceOf(ApplicationFailure)
    const failure = err as ApplicationFailure
    expect(failure.type).toBe('EmailRejected')
    expect(failure.nonRetryable).toBe(true)
    expect(failure.message).toBe(
      'SendGrid rejected the send (400): personalizations.0.to: Does not contain a valid address.',
    )
    expect(await messageRow(input)).toMatchObject({
      status: 'failed',
      skipReason: 'rejected_by_vendor',
      lastError: failure.message,
    })
    expect(sendgrid.requests).toHaveLength(1)

    // Should it be called again anyway, it answers the recorded failure and sends nothing.
    const row = await messageRow(input)
    await expect(activities()(input)).resolves.toEqual({
      status: 'skipped',
      reason: 'rejected_by_vendor',
      stopSequence: false,
      messageId: row.id,
    })
    expect(sendgrid.requests).toHaveLength(1)
  })

  it('answers unconfirmed when SendGrid drops the connection, and never sends again', async () => {
    const { lead } = await insertLead()
    const input = sendInput(lead.id)
    sendgrid.respondWith({ status: 202, destroy: true })

    const outcome = await activities()(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({ status: 'unconfirmed', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
    expect(row).toMatchObject({
      status: 'unconfirmed',
      providerMessageId: null,
      lastError: 'SendGrid send outcome unknown (ECONNRESET): it may have been accepted',
    })

    await expect(activities()(input)).resolves.toEqual({ status: 'unconfirmed', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
    expect(await database.db.activity.count()).toBe(0)
  })

  it('answers unconfirmed when SendGrid answers after the timeout, and never sends again', async () => {
    const { lead } = await insertLead()
    const input = sendInput(lead.id)
    sendgrid.respondWith({ status: 202, delayMs: 1_000, headers: { 'X-Message-Id': 'sg-late' } })
    const send = activities({
      email: createSendGridTransport({ apiKey: API_KEY, baseUrl: sendgrid.url, timeoutMs: 200 }),
    })

    const outcome = await send(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({ status: 'unconfirmed', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
    expect(row).toMatchObject({
      status: 'unconfirmed',
      providerMessageId: null,
      lastError: 'SendGrid send outcome unknown (ECONNABORTED): it may have been accepted',
    })

    await expect(send(input)).resolves.toEqual({ status: 'unconfirmed', messageId: row.id })
    expect(sendgrid.requests).toHaveLength(1)
  })

  it('answers unconfirmed, without sending, when an attempt died after calling the vendor', async () => {
    const { lead } = await insertLead()
    const input = sendInput(lead.id)
    // What a process that died between the vendor call and the update leaves behind.
    const id = uuidv7()
    await database.db.outboundMessage.create({
      data: {
        id,
        dedupeKey: keyOf(input),
        leadId: lead.id,
        channel: 'email',
        sequenceId: input.sequenceId,
        stepId: input.stepId,
        template: input.template,
        cycle: input.cycle,
        status: 'sending',
        attempts: 1,
        claimedAt: DAYTIME,
      },
    })

    const outcome = await activities()(input)

    expect(outcome).toEqual({ status: 'unconfirmed', messageId: id })
    expect(sendgrid.requests).toHaveLength(0)
    expect(await messageRow(input)).toMatchObject({
      status: 'unconfirmed',
      attempts: 1,
      lastError: 'an earlier attempt stopped after calling the vendor',
    })
    await expect(activities()(input)).resolves.toEqual({ status: 'unconfirmed', messageId: id })
    expect(sendgrid.requests).toHaveLength(0)
  })
})

describe('sendNurtureMessage: WhatsApp', () => {
  const PHONE = '+919876543210'
  const waInput = (leadId: string) =>
    sendInput(leadId, { channel: 'whatsapp', stepId: 'wa-intro', template: 'wa-intro' })

  it('skips the step, without stopping the sequence, while no WhatsApp connection is paired', async () => {
    const { lead } = await insertLead({
      phone: PHONE,
      consent: { status: 'granted', channels: ['whatsapp'] },
    })
    const input = waInput(lead.id)

    const outcome = await activities({ whatsapp: NOT_CONNECTED_WHATSAPP })(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({
      status: 'skipped',
      reason: 'channel_not_connected',
      stopSequence: false,
      messageId: row.id,
    })
    expect(row).toMatchObject({ status: 'skipped', skipReason: 'channel_not_connected', channel: 'whatsapp' })
    expect(sendgrid.requests).toHaveLength(0)
  })

  it('sends once through a connected sender, to the lead’s phone, with the rendered wa-intro text', async () => {
    const { lead, consentRecordId } = await insertLead({
      phone: PHONE,
      consent: { status: 'granted', channels: ['whatsapp'] },
    })
    const input = waInput(lead.id)
    const calls: Parameters<WhatsAppSender['send']>[0][] = []
    const whatsapp: WhatsAppSender = {
      provider: 'test',
      connected: true,
      async send(message) {
        calls.push(message)
        return { providerMessageId: `wamid.${calls.length}` }
      },
    }
    const send = activities({ whatsapp })

    const outcome = await send(input)

    const row = await messageRow(input)
    expect(outcome).toEqual({ status: 'sent', messageId: row.id })
    expect(calls).toEqual([
      {
        toE164: PHONE,
        text: 'Hi Meera, this is Leadwire. Thanks for your interest! Reply here any time with questions.',
        idempotencyKey: keyOf(input),
      },
    ])
    expect(row).toMatchObject({
      status: 'sent',
      channel: 'whatsapp',
      provider: 'test',
      providerMessageId: 'wamid.1',
      consentRecordId,
      sentAt: DAYTIME,
    })
    const timeline = await database.db.activity.findMany({ where: { leadId: lead.id } })
    expect(timeline).toHaveLength(1)
    expect(timeline[0]).toMatchObject({
      kind: 'whatsapp',
      direction: 'outbound',
      subject: 'default-nurture: wa-intro',
    })

    await expect(send(input)).resolves.toEqual({ status: 'sent', messageId: row.id })
    expect(calls).toHaveLength(1)
    expect(sendgrid.requests).toHaveLength(0)
  })
})
