import { ApplicationFailure } from '@temporalio/activity'
import { uuidv7 } from 'uuidv7'
import { isQuietAt, nextAllowedSendTime, type QuietHours } from '../domain/journey/quiet-hours.rules.js'
import type { SequenceChannel } from '../domain/journey/nurture-sequence.rules.js'
import { EmailSendError } from '../connectors/sendgrid/errors.js'
import { WhatsAppSendError } from '../connectors/whatsapp/errors.js'
import type { EmailTransport } from '../connectors/sendgrid/transport.js'
import type { UnsubscribeLinks } from '../connectors/sendgrid/unsubscribe-links.js'
import { SmsSendError } from '../connectors/twilio/sms-errors.js'
import { NOT_CONFIGURED_SMS, type SmsSender } from '../connectors/twilio/sms-sender.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { blockedReason, marketingChannels } from '../ingestion/consent-state.js'
import { fieldChanges, recordAudit } from '../platform/audit.js'
import type { Db } from '../platform/database/prisma.js'
import { readConsentNow, type ConsentNow } from './consent-now.js'
import { composeEmail, renderTemplate } from './message-templates.js'
import { withdrawQueuedWhatsApp, type WhatsAppSender } from './whatsapp-sender.js'

export interface NurtureDeps {
  db: Db
  email: EmailTransport
  emailFrom: { email: string; name: string }
  whatsapp: WhatsAppSender
  /** Twilio SMS. Without it (no SMS account configured) SMS steps are skipped as `channel_not_configured`. */
  sms?: SmsSender
  /**
   * Signs each marketing email's unsubscribe link (footer + List-Unsubscribe headers). The
   * worker always sets it (platform/worker-runtime.ts); without it emails go out as rendered.
   */
  unsubscribe?: UnsubscribeLinks
  clock?: () => Date
}

export interface NurtureSend {
  leadId: string
  sequenceId: string
  cycle: number
  stepId: string
  channel: SequenceChannel
  template: string
  zones: string[]
  quietHours: QuietHours
}

export type NurtureSendOutcome =
  | { status: 'sent' | 'simulated' | 'unconfirmed'; messageId: string }
  | { status: 'skipped'; reason: string; stopSequence: boolean; messageId: string }
  | { status: 'deferred'; reason: string; retryAt: string }

/** Skips that end the whole sequence, not just this step (for `dnd` see stopsSequence). */
const STOPPING = new Set(['opted_out', 'consent_denied', 'no_consent', 'lead_closed'])

/**
 * DND rules out SMS (and calls) only: email and WhatsApp are outside the registry, so the
 * sequence goes on while one of them may still carry it.
 */
function stopsSequence(reason: string, consent: ConsentNow | null): boolean {
  if (reason !== 'dnd') return STOPPING.has(reason)
  if (!consent) return true
  const left = marketingChannels(consent)
  return !left.email && !left.whatsapp && !left.sms
}

const JOURNEY = { actor: { id: 'system:journey' } }

type MessageRow = { id: string; status: string; skip_reason: string | null; attempts: number }

/**
 * Sends one nurture step, at most once however often Temporal retries it:
 *
 * 1. Claim the step's row in outbound_message (key: lead, channel, sequence, cycle, step).
 *    A row already sent, skipped or unconfirmed answers with that outcome.
 * 2. Re-read the lead, its consent and DND *now*, right before the vendor call, and record
 *    the consent record the decision relied on. Closed leads and missing consent skip; a
 *    skip is audited, naming that consent record, in the transaction that records it.
 * 3. Quiet hours are checked on the real clock (a send delayed by an outage must not go
 *    out at 3 a.m.): the journey is told when to try again.
 * 4. Mark the row `sending` (only the latest attempt may), call the vendor, mark it sent
 *    and put it on the timeline. An attempt that died after the vendor call leaves the row
 *    `sending`; its retry marks it `unconfirmed` and never sends a second copy.
 */
export function createNurtureActivities(deps: NurtureDeps) {
  const clock = deps.clock ?? (() => new Date())
  const sms = deps.sms ?? NOT_CONFIGURED_SMS

  /**
   * Moves a row on, but only from the state this attempt left it in: an overlapping attempt
   * (a retry started while a slow one still runs) must never overwrite a newer outcome.
   */
  async function finish(
    id: string,
    from: { status: string; attempts?: number },
    status: string,
    extra: Record<string, unknown> = {},
  ): Promise<boolean> {
    const { count } = await deps.db.outboundMessage.updateMany({
      where: { id, status: from.status, ...(from.attempts !== undefined ? { attempts: from.attempts } : {}) },
      data: { status, ...extra },
    })
    return count === 1
  }

  const activities = {
    async sendNurtureMessage(input: NurtureSend): Promise<NurtureSendOutcome> {
      const { db } = deps
      const key = `${input.leadId}/${input.channel}/${input.sequenceId}/${input.cycle}/${input.stepId}`
      const now = clock()
      const claimed = await db.$queryRaw<MessageRow[]>`
        INSERT INTO outbound_message (id, dedupe_key, lead_id, channel, sequence_id, step_id, template, cycle,
                                      status, attempts, claimed_at, updated_at)
        VALUES (${uuidv7()}::uuid, ${key}, ${input.leadId}::uuid, ${input.channel}, ${input.sequenceId},
                ${input.stepId}, ${input.template}, ${input.cycle}, 'pending', 1, ${now}, ${now})
        ON CONFLICT (dedupe_key) DO UPDATE
          SET attempts = outbound_message.attempts + 1, status = 'pending', claimed_at = ${now}, updated_at = ${now}
          WHERE outbound_message.status IN ('pending', 'deferred', 'retry')
        RETURNING id, status, skip_reason, attempts`
      const claim = claimed[0]
      const mine = claim ? { status: 'pending', attempts: claim.attempts } : { status: 'pending' }
      const sending = { status: 'sending', attempts: claim?.attempts ?? 0 }
      if (!claim) {
        const row = await db.outboundMessage.findUniqueOrThrow({ where: { dedupeKey: key } })
        if (row.status === 'sending') {
          // For WhatsApp the "vendor call" only queued the message for the socket's holder.
          // Still queued means it never went out: take it back and start over, so consent
          // is checked again before anything is sent (the person may have opted out since).
          if (row.channel === 'whatsapp' && (await withdrawQueuedWhatsApp(db, key))) {
            await finish(row.id, { status: 'sending' }, 'retry', {
              lastError: 'withdrawn from the queue unsent',
            })
            return activities.sendNurtureMessage(input)
          }
          // The attempt that called the vendor may still finish and mark it sent; if it does
          // first, this changes nothing and the retry answers with what it recorded.
          const marked = await finish(row.id, { status: 'sending' }, 'unconfirmed', {
            lastError: 'an earlier attempt stopped after calling the vendor',
          })
          if (!marked) return activities.sendNurtureMessage(input)
          return { status: 'unconfirmed', messageId: row.id }
        }
        if (row.status === 'skipped' || row.status === 'failed') {
          const reason = row.skipReason ?? row.status
          const consent = reason === 'dnd' ? await readConsentNow(db, input.leadId) : null
          return {
            status: 'skipped',
            reason,
            stopSequence: stopsSequence(reason, consent),
            messageId: row.id,
          }
        }
        return { status: row.status as 'sent' | 'simulated' | 'unconfirmed', messageId: row.id }
      }

      // Consent as it stands now, not as it stood when the journey planned this step.
      const lead = await readConsentNow(db, input.leadId)
      const consentRecordId = lead?.consentRecordId ?? null
      const skip = async (reason: string): Promise<NurtureSendOutcome> => {
        await db.$transaction(async (tx) => {
          const { count } = await tx.outboundMessage.updateMany({
            where: { id: claim.id, status: mine.status, attempts: claim.attempts },
            data: { status: 'skipped', skipReason: reason, consentRecordId },
          })
          if (count === 1)
            await recordAudit(tx, JOURNEY, {
              entity: 'outbound_message',
              entityId: claim.id,
              action: 'skip',
              changes: fieldChanges(null, {
                leadId: input.leadId,
                channel: input.channel,
                stepId: input.stepId,
                cycle: input.cycle,
                skipReason: reason,
                consentRecordId,
              }),
            })
        })
        return {
          status: 'skipped',
          reason,
          stopSequence: stopsSequence(reason, lead),
          messageId: claim.id,
        }
      }
      if (!lead || lead.isDuplicate || lead.status === 'CONVERTED' || lead.status === 'DISQUALIFIED')
        return skip('lead_closed')
      const address = input.channel === 'email' ? lead.email : lead.phone
      if (!address) return skip(input.channel === 'email' ? 'no_email' : 'no_phone')
      const blocked = blockedReason(lead, input.channel)
      if (blocked) return skip(blocked)
      if (input.channel === 'whatsapp' && !deps.whatsapp.connected) return skip('channel_not_connected')
      if (input.channel === 'sms' && !sms.configured) return skip('channel_not_configured')
      if (isQuietAt(now, input.zones, input.quietHours)) {
        const retryAt = nextAllowedSendTime(now, input.zones, input.quietHours).toISOString()
        await finish(claim.id, mine, 'deferred', { skipReason: 'quiet_hours' })
        return { status: 'deferred', reason: 'quiet_hours', retryAt }
      }

      const names = await db.lead.findUniqueOrThrow({
        where: { id: input.leadId },
        select: {
          firstName: true,
          lastName: true,
          company: true,
          owner: { select: { name: true, email: true } },
        },
      })
      const vars = {
        firstName: names.firstName,
        company: names.company,
        senderName: names.owner?.name ?? deps.emailFrom.name,
      }
      // The message, built once: an email with its unsubscribe link (or a SendGrid dynamic
      // template), or WhatsApp or SMS text.
      const email =
        input.channel === 'email'
          ? composeEmail(
              input.template,
              vars,
              deps.unsubscribe?.({ leadId: input.leadId, messageId: claim.id }),
            )
          : null
      const text = input.channel === 'email' ? null : renderTemplate(input.template, vars)
      const message = email ?? text
      if (!message) return skip('unknown_template')

      // Only the attempt holding the latest claim may call the vendor.
      const { count } = await db.outboundMessage.updateMany({
        where: { id: claim.id, status: 'pending', attempts: claim.attempts },
        data: { status: 'sending', consentRecordId },
      })
      if (count !== 1) throw new Error(`send ${key} was claimed by a newer attempt`)

      let providerMessageId: string | null
      let provider: string
      try {
        if (input.channel === 'email') {
          provider = deps.email.provider
          const result = await deps.email.send({
            to: {
              email: address,
              ...(names.firstName
                ? { name: [names.firstName, names.lastName].filter(Boolean).join(' ') }
                : {}),
            },
            from: deps.emailFrom,
            ...(names.owner?.email ? { replyTo: { email: names.owner.email, name: names.owner.name } } : {}),
            ...email!,
            // Echoed on every Event Webhook event: ties opens, clicks, bounces to lead and row.
            customArgs: { leadId: input.leadId, messageId: claim.id, messageKey: key },
            categories: ['nurture', input.sequenceId],
          })
          providerMessageId = result.providerMessageId
        } else if (input.channel === 'sms') {
          provider = sms.provider
          const result = await sms.send({ toE164: address, text: text?.text ?? '' })
          providerMessageId = result.providerMessageId
        } else {
          provider = deps.whatsapp.provider
          const result = await deps.whatsapp.send({
            toE164: address,
            text: text?.text ?? '',
            idempotencyKey: key,
          })
          providerMessageId = result.providerMessageId
        }
      } catch (err) {
        // Every vendor's errors carry the same kinds (rejected, throttled, unavailable, ambiguous).
        const failure =
          err instanceof EmailSendError || err instanceof WhatsAppSendError || err instanceof SmsSendError
            ? err
            : null
        if (failure?.kind === 'ambiguous') {
          await finish(claim.id, sending, 'unconfirmed', { lastError: failure.message })
          return { status: 'unconfirmed', messageId: claim.id }
        }
        if (failure?.kind === 'rejected') {
          await finish(claim.id, sending, 'failed', {
            lastError: failure.message,
            skipReason: 'rejected_by_vendor',
          })
          throw ApplicationFailure.create({
            type: 'EmailRejected',
            message: failure.message,
            nonRetryable: true,
          })
        }
        // A WhatsApp message the socket's holder has not taken yet is withdrawn: the retry
        // checks consent again and queues it anew, so no message outlives the check that
        // allowed it (the holder may get to its queue only hours later).
        if (failure?.kind === 'unavailable' && input.channel === 'whatsapp')
          await withdrawQueuedWhatsApp(db, key)
        // Not accepted (throttled, down, unreachable): the row may be claimed again.
        await finish(claim.id, sending, 'retry', {
          lastError: err instanceof Error ? err.message : String(err),
        })
        throw err
      }

      const status = provider === 'log' ? 'simulated' : 'sent'
      const sentAt = clock()
      await db.$transaction(async (tx) => {
        // The vendor accepted it: that is final, even over an `unconfirmed` a retry wrote
        // while this attempt was still waiting for the answer.
        await tx.outboundMessage.updateMany({
          where: { id: claim.id, status: { in: ['sending', 'unconfirmed'] } },
          data: { status, provider, providerMessageId, sentAt, skipReason: null, lastError: null },
        })
        await recordActivity(tx, {
          kind: input.channel,
          direction: 'outbound',
          subject: message?.subject || `${input.sequenceId}: ${input.stepId}`,
          details: {
            messageId: claim.id,
            template: input.template,
            step: input.stepId,
            cycle: input.cycle,
            provider,
            status,
          },
          leadId: input.leadId,
          occurredAt: sentAt,
          actorId: 'system:journey',
          dedupeKey: `message/${key}`,
        })
      })
      return { status, messageId: claim.id }
    },
  }
  return activities
}
