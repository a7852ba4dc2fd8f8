import { uuidv7 } from 'uuidv7'
import { expect, it } from 'vitest'
import { createNurtureActivities, type NurtureSend } from '../../activities/nurture.activities.js'
import { WhatsAppSendError } from '../../connectors/whatsapp/errors.js'
import { WHATSAPP_CONNECTOR_ID } from '../../connectors/whatsapp/manifest.js'
import { claimOutgoing, queueOutgoing } from '../../connectors/whatsapp/outgoing-queue.js'
import { createQueuedWhatsAppSender } from '../../connectors/whatsapp/outgoing-sender.js'
import type { EmailTransport } from '../../connectors/sendgrid/transport.js'
import { useTestApp } from '../support/app.js'

/*
 * Opt-out honoured by WhatsApp, the one outbound channel whose send happens after the
 * consent check in another process: the journey's activity checks consent and queues the
 * message, and the process holding the WhatsApp socket sends it whenever it gets to it (up
 * to a day later). A message must not outlive the check that allowed it: one the holder has
 * not taken is withdrawn before the step is retried, and the retry checks consent again.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db
const DAYTIME = new Date('2026-03-10T06:00:00.000Z')

const noEmail: EmailTransport = {
  provider: 'log',
  send: () => Promise.reject(new Error('no email in these tests')),
}

async function whatsappLead() {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: {
      channel: 'whatsapp',
      firstName: 'Nila',
      phone: '+91 98765 40001',
      consent: { granted: true, channels: ['whatsapp'], source: 'whatsapp' },
    },
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string }>().id
}

/** The socket's holder is up (its heartbeat is fresh), but it is slow to send. */
async function connectedSender() {
  await db().connectorState.upsert({
    where: { connectorId: WHATSAPP_CONNECTOR_ID },
    create: { connectorId: WHATSAPP_CONNECTOR_ID, status: 'connected' },
    update: { status: 'connected' },
  })
  const sender = createQueuedWhatsAppSender(db(), { timeoutMs: 200, pollMs: 20 })
  expect(await sender.refresh()).toBe(true)
  return sender
}

function input(leadId: string): NurtureSend {
  return {
    leadId,
    sequenceId: 'default-nurture',
    cycle: 1,
    stepId: 'wa-intro',
    channel: 'whatsapp',
    template: 'wa-intro',
    zones: ['Asia/Kolkata'],
    quietHours: { start: '00:00', end: '00:00', weekendsQuiet: false },
  }
}

const keyOf = (i: NurtureSend) => `${i.leadId}/${i.channel}/${i.sequenceId}/${i.cycle}/${i.stepId}`

async function optOut(leadId: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/consent`,
    payload: { status: 'withdrawn', source: 'STOP reply' },
  })
  expect(res.statusCode, res.body).toBe(200)
}

it('withdraws a queued message the holder did not send in time, so an opt-out before the retry stops it', async () => {
  const leadId = await whatsappLead()
  const sender = await connectedSender()
  const send = createNurtureActivities({
    db: db(),
    email: noEmail,
    emailFrom: { email: 'hello@leadwire.test', name: 'Leadwire' },
    whatsapp: sender,
    clock: () => DAYTIME,
  }).sendNurtureMessage
  const step = input(leadId)

  // Consent allowed it; the holder did not get to it within the activity's wait.
  const failure = await send(step).then(
    () => null,
    (err: unknown) => err,
  )
  expect(failure).toBeInstanceOf(WhatsAppSendError)
  expect((failure as WhatsAppSendError).kind).toBe('unavailable')

  await optOut(leadId)
  // The holder's next poll finds nothing to send to the person who opted out.
  expect(await claimOutgoing(db())).toBeNull()
  // The step's retry checks consent again and stops the sequence.
  await expect(send(step)).resolves.toMatchObject({
    status: 'skipped',
    reason: 'opted_out',
    stopSequence: true,
  })
  expect(await db().whatsAppOutgoing.count()).toBe(0)
  sender.close()
})

it('takes back a message an attempt queued before dying, and checks consent again', async () => {
  const leadId = await whatsappLead()
  const sender = await connectedSender()
  const step = input(leadId)
  // What an attempt that died right after queueing leaves: its claim `sending`, the message queued.
  await db().outboundMessage.create({
    data: {
      id: uuidv7(),
      dedupeKey: keyOf(step),
      leadId,
      channel: 'whatsapp',
      sequenceId: step.sequenceId,
      stepId: step.stepId,
      template: step.template,
      status: 'sending',
      attempts: 1,
    },
  })
  await queueOutgoing(db(), { toE164: '+919876540001', text: 'Hi Nila', idempotencyKey: keyOf(step) })
  await optOut(leadId)

  const send = createNurtureActivities({
    db: db(),
    email: noEmail,
    emailFrom: { email: 'hello@leadwire.test', name: 'Leadwire' },
    whatsapp: sender,
    clock: () => DAYTIME,
  }).sendNurtureMessage
  await expect(send(step)).resolves.toMatchObject({
    status: 'skipped',
    reason: 'opted_out',
    stopSequence: true,
  })
  expect(await claimOutgoing(db())).toBeNull()
  sender.close()
})
