import { ApplicationFailure } from '@temporalio/activity'
import { EmailSendError } from '../connectors/sendgrid/errors.js'
import {
  collectionView,
  escalateOverdueInvoice,
  moveReminder,
  prepareReminder,
  recordInvoiceOverdue,
  reminderSent,
  type CollectionView,
  type ReminderOutcome,
  type ReminderRequest,
} from '../crm/billing/collection.js'
import { composeReminderEmail } from '../crm/billing/reminder-email.js'
import type { ActivityDeps } from './index.js'

/*
 * The invoice collection workflow's side effects. Every one is idempotent (see
 * crm/billing/collection.ts), takes the workflow's time rather than reading the clock, and
 * passes ids only in and out: contacts and amounts are read here, never put in history.
 */
export function createBillingActivities(deps: ActivityDeps) {
  const { db } = deps
  return {
    /** Status, dates and reminder progress of an invoice. */
    async loadInvoiceForCollection(input: { invoiceId: string }): Promise<CollectionView> {
      return collectionView(db, input.invoiceId)
    },

    /** The invoice turned overdue: on the timeline once, and the account's health recomputed. */
    async markInvoiceOverdue(input: { invoiceId: string; at: string }): Promise<{ recorded: boolean }> {
      return recordInvoiceOverdue(db, input.invoiceId, new Date(input.at))
    },

    /** 30 days overdue: the account owner's collections task and the escalation entry. */
    async escalateOverdueInvoice(input: {
      invoiceId: string
      at: string
      workflowId: string
    }): Promise<{ taskId: string | null }> {
      return escalateOverdueInvoice(db, { ...input, at: new Date(input.at) })
    },

    /**
     * Emails the billing contact the reminder of one level, at most once however often it
     * is retried: the claim (a timeline entry keyed by invoice and level) is settled before
     * and after the SendGrid call, as nurture emails are. A reminder SendGrid refuses is not
     * retried; one that may or may not have gone out is recorded `unconfirmed`, never resent.
     */
    async sendInvoiceReminder(input: ReminderRequest): Promise<ReminderOutcome> {
      const prepared = await prepareReminder(db, input)
      if (prepared.kind === 'done') return prepared.outcome
      const { activityId } = prepared
      const email = composeReminderEmail(prepared.facts)
      let providerMessageId: string | null
      try {
        const result = await deps.email.send({
          to: prepared.to,
          from: deps.emailFrom,
          subject: email.subject,
          text: email.text,
          // Echoed by SendGrid's Event Webhook: ties a bounce to the invoice and the claim.
          customArgs: { invoiceId: input.invoiceId, activityId, reminderLevel: String(input.level) },
          categories: ['invoice-reminder'],
        })
        providerMessageId = result.providerMessageId
      } catch (err) {
        const failure = err instanceof EmailSendError ? err : null
        if (failure?.kind === 'ambiguous') {
          await moveReminder(db, activityId, ['sending'], 'unconfirmed', { lastError: failure.message })
          return { status: 'unconfirmed', activityId }
        }
        if (failure?.kind === 'rejected') {
          await moveReminder(db, activityId, ['sending'], 'failed', { lastError: failure.message })
          throw ApplicationFailure.create({
            type: 'EmailRejected',
            message: failure.message,
            nonRetryable: true,
          })
        }
        // Not accepted (throttled, down, unreachable): a retry may claim it again.
        await moveReminder(db, activityId, ['sending'], 'retry', {
          lastError: err instanceof Error ? err.message : String(err),
        })
        throw err
      }
      const status = deps.email.provider === 'log' ? 'simulated' : 'sent'
      await reminderSent(db, input, activityId, { status, provider: deps.email.provider, providerMessageId })
      return { status, activityId }
    },
  }
}
