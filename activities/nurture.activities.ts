import { ApplicationFailure } from '@temporalio/activity'
import { uuidv7 } from 'uuidv7'
import { isQuietAt, nextAllowedSendTime, type QuietHours } from '../domain/journey/quiet-hours.rules.js'
import type { SequenceChannel } from '../domain/journey/nurture-sequence.rules.js'
import { EmailSendError } from '../connectors/sendgrid/errors.js'
import { WhatsAppSendError } from '../connectors/whatsapp/errors.js'
import type { EmailTransport } from '../connectors/sendgrid/transport.js'
import type { UnsubscribeLinks } from '../connectors/sendgrid/unsubscribe-links.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { blockedReason } from '../ingestion/consent-state.js'
import type { Db } from '../platform/database/prisma.js'
import { composeEmail, isDynamicTemplate, renderTemplate } from './message-templates.js'
import { withdrawQueuedWhatsApp, type WhatsAppSender } from './whatsapp-sender.js'

export interface NurtureDeps {
  db: Db
  email: EmailTransport
  emailFrom: { email: string; name: string }
  whatsapp: WhatsAppSender
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

/** Skips that end the whole sequence, not just this step. */
const STOPPING = new Set(['opted_out', 'consent_denied', 'no_consent', 'lead_closed', 'dnd'])

type MessageRow = { id: string; status: string; skip_reason: string | null; attempts: number }

/**
 * Sends one nurture step, at most once however often Temporal retries it:
 *
 * 1. Claim the step's row in outbound_message (key: lead, channel, sequence, cycle, step).
 *    A row already sent, skipped or unconfirmed answers with that outcome.
 * 2. Re-read the lead, its consent and DND *now*, right before the vendor call, and record
 *    the consent record the decision relied on. Closed leads and missing consent skip.
 * 3. Quiet hours are checked on the real clock (a send delayed by an outage must not go
 *    out at 3 a.m.): the journey is told when to try again.
 * 4. Mark the row `sending` (only the latest attempt may), call the vendor, mark it sent
 *    and put it on the timeline. An attempt that died after the vendor call leaves the row
 *    `sending`; its retry marks it `unconfirmed` and never sends a second copy.
 */
export function createNurtureActivities(deps: NurtureDeps) {
  const clock = deps.clock ?? (() => new Date())

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
        if (row.status === 'skipped' || row.status === 'failed')
          return {
            status: 'skipped',
            reason: row.skipReason ?? row.status,
            stopSequence: STOPPING.has(row.skipReason ?? ''),
            messageId: row.id,
          }
        return { status: row.status as 'sent' | 'simulated' | 'unconfirmed', messageId: row.id }
      }

      const lead = await db.lead.findUnique({
        where: { id: input.leadId },
        include: { owner: { select: { name: true, email: true } } },
      })
      const [consent] = await db.$queryRaw<{ id: bigint }[]>`
        SELECT id FROM consent_record WHERE lead_id = ${input.leadId}::uuid ORDER BY at DESC, id DESC LIMIT 1`
      const consentRecordId = consent?.id ?? null
      const skip = async (reason: string): Promise<NurtureSendOutcome> => {
        await finish(claim.id, mine, 'skipped', { skipReason: reason, consentRecordId })
        return { status: 'skipped', reason, stopSequence: STOPPING.has(reason), messageId: claim.id }
      }
      if (!lead || lead.isDuplicate || lead.status === 'CONVERTED' || lead.status === 'DISQUALIFIED')
        return skip('lead_closed')
      const address = input.channel === 'email' ? lead.email : lead.phone
      if (!address) return skip(input.channel === 'email' ? 'no_email' : 'no_phone')
      const blocked = blockedReason(lead, input.channel)
      if (blocked) return skip(blocked)
      if (input.channel === 'whatsapp' && !deps.whatsapp.connected) return skip('channel_not_connected')
      if (isQuietAt(now, input.zones, input.quietHours)) {
        const retryAt = nextAllowedSendTime(now, input.zones, input.quietHours).toISOString()
        await finish(claim.id, mine, 'deferred', { skipReason: 'quiet_hours' })
        return { status: 'deferred', reason: 'quiet_hours', retryAt }
      }

      const vars = {
        firstName: lead.firstName,
        company: lead.company,
        senderName: lead.owner?.name ?? deps.emailFrom.name,
      }
      // The message, built once: an email with its unsubscribe link (or a SendGrid dynamic
      // template), or WhatsApp text.
      const email =
        input.channel === 'email'
          ? composeEmail(
              input.template,
              vars,
              deps.unsubscribe?.({ leadId: input.leadId, messageId: claim.id }),
            )
          : null
      const whatsapp = input.channel === 'whatsapp' ? renderTemplate(input.template, vars) : null
      const message = email ?? whatsapp
      if (!message && !isDynamicTemplate(input.template)) return skip('unknown_template')

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
              ...(lead.firstName ? { name: [lead.firstName, lead.lastName].filter(Boolean).join(' ') } : {}),
            },
            from: deps.emailFrom,
            ...(lead.owner?.email ? { replyTo: { email: lead.owner.email, name: lead.owner.name } } : {}),
            ...email!,
            // Echoed on every Event Webhook event: ties opens, clicks, bounces to lead and row.
            customArgs: { leadId: input.leadId, messageId: claim.id, messageKey: key },
            categories: ['nurture', input.sequenceId],
          })
          providerMessageId = result.providerMessageId
        } else {
          provider = deps.whatsapp.provider
          const result = await deps.whatsapp.send({
            toE164: address,
            text: whatsapp?.text ?? '',
            idempotencyKey: key,
          })
          providerMessageId = result.providerMessageId
        }
      } catch (err) {
        // Both vendors' errors carry the same kinds (rejected, throttled, unavailable, ambiguous).
        const failure = err instanceof EmailSendError || err instanceof WhatsAppSendError ? err : null
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
