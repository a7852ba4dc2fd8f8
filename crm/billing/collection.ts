import { daysOverdue, isOverdue } from '../../domain/billing/billing-dates.rules.js'
import { indiaDate } from '../../domain/time/india-date.rules.js'
import type { CollectionStepId } from '../../domain/billing/reminder-schedule.rules.js'
import { recordActivity } from '../../ingestion/activity-log.js'
import { recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Db } from '../../platform/database/prisma.js'
import { openTaskOnce } from '../tasks.js'
import { dateOnly, paise } from './amounts.js'
import { formatMoney } from './format.js'
import { OPEN_INVOICE_STATUSES, type InvoiceStatus, type PartySnapshot } from './invoices.js'
import type { ReminderFacts } from './reminder-email.js'
import { accountChanged } from '../account-changed.js'

/*
 * The collection workflow's writes (through billing.activities.ts). Each takes the
 * workflow's time `at` and is idempotent by a dedupe key: the reminder of a level is
 * claimed by its timeline entry (`invoice-reminder/<invoiceId>/<level>`), the overdue fact
 * and the escalation by theirs, the collections task by its own key. A retried or replayed
 * activity finds what it did and does nothing twice.
 */

export const COLLECTIONS_ACTOR = 'system:collections'
/** Where a collections task waits when the account has no owner. */
export const COLLECTIONS_QUEUE = 'collections'

const collectionsContext = (invoiceId: string): WriteContext => ({
  actor: { id: COLLECTIONS_ACTOR },
  requestId: `invoice/${invoiceId}`,
})

const isOpen = (status: string) => (OPEN_INVOICE_STATUSES as readonly string[]).includes(status)

/** What the workflow needs: status, dates and progress; ids and no personal data. */
export interface CollectionView {
  found: boolean
  status: InvoiceStatus | null
  open: boolean
  issueDate: string | null
  dueDate: string | null
  reminderLevel: number
  overdueRecorded: boolean
}

export async function collectionView(db: Db, invoiceId: string): Promise<CollectionView> {
  const invoice = await db.invoice.findUnique({ where: { id: invoiceId } })
  if (!invoice)
    return {
      found: false,
      status: null,
      open: false,
      issueDate: null,
      dueDate: null,
      reminderLevel: 0,
      overdueRecorded: false,
    }
  const overdue = await db.activity.findUnique({ where: { dedupeKey: `invoice-overdue/${invoiceId}` } })
  return {
    found: true,
    status: invoice.status as InvoiceStatus,
    open: isOpen(invoice.status),
    issueDate: dateOnly(invoice.issueDate),
    dueDate: dateOnly(invoice.dueDate),
    reminderLevel: invoice.reminderLevel,
    overdueRecorded: overdue !== null,
  }
}

/**
 * Records, once, that an invoice has become overdue (on the account's timeline) and tells
 * the account's health, which counts overdue invoices. Nothing when it was paid or voided
 * meanwhile, or is not overdue at `at` after all (its due date moved).
 */
export async function recordInvoiceOverdue(
  db: Db,
  invoiceId: string,
  at: Date,
): Promise<{ recorded: boolean }> {
  return db.$transaction(async (tx) => {
    const invoice = await tx.invoice.findUnique({ where: { id: invoiceId } })
    if (!invoice) return { recorded: false }
    const dueDate = dateOnly(invoice.dueDate)
    if (!isOverdue({ open: isOpen(invoice.status), dueDate }, indiaDate(at.getTime())))
      return { recorded: false }
    const balance = paise(invoice.total) - paise(invoice.amountPaid)
    const { created } = await recordActivity(tx, {
      kind: 'invoice_overdue',
      direction: 'internal',
      subject: `Invoice ${invoice.number} is overdue (${formatMoney(balance, invoice.currency)} due on ${dueDate})`,
      details: { invoiceId, number: invoice.number, dueDate, balance: balance / 100 },
      accountId: invoice.accountId,
      occurredAt: at,
      actorId: COLLECTIONS_ACTOR,
      dedupeKey: `invoice-overdue/${invoiceId}`,
    })
    if (created)
      await accountChanged(
        tx,
        { actor: { id: COLLECTIONS_ACTOR }, requestId: `invoice/${invoiceId}` },
        invoice.accountId,
        'invoice_overdue',
      )
    return { recorded: created }
  })
}

/**
 * At 30 days overdue: a collections task for the account owner (or the collections queue)
 * and an escalation entry on the account's timeline naming the owner's manager. Once only.
 */
export async function escalateOverdueInvoice(
  db: Db,
  input: { invoiceId: string; at: Date; workflowId: string },
): Promise<{ taskId: string | null }> {
  const { invoiceId, at } = input
  return db.$transaction(async (tx) => {
    const invoice = await tx.invoice.findUnique({ where: { id: invoiceId }, include: { account: true } })
    if (!invoice || !isOpen(invoice.status)) return { taskId: null }
    const ownerId = invoice.account.ownerId
    const owner = ownerId
      ? await tx.user.findUnique({ where: { id: ownerId }, select: { managerId: true } })
      : null
    const balance = formatMoney(paise(invoice.total) - paise(invoice.amountPaid), invoice.currency)
    const dueDate = dateOnly(invoice.dueDate)
    const task = await openTaskOnce(tx, {
      kind: 'collections',
      title: `Collect invoice ${invoice.number}: ${balance} overdue since ${dueDate}`,
      description:
        `${invoice.account.name} has not paid invoice ${invoice.number} (due ${dueDate}) after five reminders. ` +
        'Call the billing contact, agree a payment date, and record the payment or the outcome.',
      leadId: null,
      accountId: invoice.accountId,
      contactId: invoice.contactId,
      invoiceId,
      priority: 'high',
      assigneeId: ownerId,
      queue: ownerId ? null : COLLECTIONS_QUEUE,
      dueAt: new Date(at.getTime() + 86_400_000),
      workflowId: input.workflowId,
      dedupeKey: `invoice/${invoiceId}/collections`,
      actorId: COLLECTIONS_ACTOR,
    })
    const { created } = await recordActivity(tx, {
      kind: 'invoice_escalated',
      direction: 'internal',
      subject: `Invoice ${invoice.number} escalated to collections`,
      details: { invoiceId, taskId: task.id, ownerId, managerId: owner?.managerId ?? null },
      accountId: invoice.accountId,
      taskId: task.id,
      occurredAt: at,
      actorId: COLLECTIONS_ACTOR,
      dedupeKey: `invoice-escalated/${invoiceId}`,
    })
    if (created)
      await recordAudit(tx, collectionsContext(invoiceId), {
        entity: 'invoice',
        entityId: invoiceId,
        action: 'escalate',
        changes: { collectionsTaskId: { from: null, to: task.id } },
      })
    return { taskId: task.id }
  })
}

// ---------------------------------------------------------------------------------------
// Reminders: the timeline entry is the claim. Its details.status moves
//   pending → sending → sent | simulated | unconfirmed | failed, or pending → skipped,
// and only from the state an attempt left it in, so overlapping retries never send twice.
// ---------------------------------------------------------------------------------------

export type ReminderStatus =
  'pending' | 'retry' | 'sending' | 'sent' | 'simulated' | 'skipped' | 'unconfirmed' | 'failed'

export interface ReminderOutcome {
  status: Exclude<ReminderStatus, 'pending' | 'retry' | 'sending'>
  reason?: string | undefined
  activityId: string | null
}

export interface ReminderRequest {
  invoiceId: string
  level: number
  step: CollectionStepId
  /** The workflow's time, ISO. */
  at: string
}

export type PreparedReminder =
  | { kind: 'done'; outcome: ReminderOutcome }
  | {
      kind: 'send'
      activityId: string
      to: { email: string; name?: string }
      facts: ReminderFacts
    }

/** Moves a claim on, but only from the states given; false when another attempt got there first. */
export async function moveReminder(
  db: Db,
  activityId: string,
  from: ReminderStatus[],
  to: ReminderStatus,
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const patch = JSON.stringify({ ...extra, status: to })
  const count = await db.$executeRaw`
    UPDATE activity SET details = details || ${patch}::jsonb
     WHERE id = ${activityId}::uuid AND details->>'status' = ANY(${from}::text[])`
  return count === 1
}

/** Raises the invoice's reminder level (never lowers it), with its audit row. */
async function raiseReminderLevel(
  db: Db,
  invoiceId: string,
  level: number,
  sentAt: Date | null,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ reminder_level: number }[]>`
      SELECT reminder_level FROM invoice WHERE id = ${invoiceId}::uuid FOR UPDATE`
    if (!before || before.reminder_level >= level) return
    await tx.invoice.update({
      where: { id: invoiceId },
      data: {
        reminderLevel: level,
        ...(sentAt ? { lastReminderAt: sentAt } : {}),
        updatedBy: COLLECTIONS_ACTOR,
      },
    })
    await recordAudit(tx, collectionsContext(invoiceId), {
      entity: 'invoice',
      entityId: invoiceId,
      action: 'reminder',
      changes: {
        reminderLevel: { from: before.reminder_level, to: level },
        ...(sentAt ? { lastReminderAt: { from: null, to: sentAt.toISOString() } } : {}),
      },
    })
  })
}

/**
 * Claims the reminder of a level and decides whether to send it: a claim already settled
 * answers with its outcome; a paid or void invoice, or a contact without an email, is
 * recorded as skipped (the level still counts, so the workflow moves on). Otherwise the
 * claim moves to `sending` and the caller sends.
 */
export async function prepareReminder(db: Db, r: ReminderRequest): Promise<PreparedReminder> {
  const at = new Date(r.at)
  const invoice = await db.invoice.findUnique({ where: { id: r.invoiceId } })
  if (!invoice) return { kind: 'done', outcome: { status: 'skipped', reason: 'not_found', activityId: null } }
  const contact = invoice.contactId ? await db.contact.findUnique({ where: { id: invoice.contactId } }) : null
  const claim = await recordActivity(db, {
    kind: 'invoice_reminder',
    direction: 'outbound',
    subject: `Payment reminder ${r.level} for invoice ${invoice.number}`,
    details: {
      status: 'pending',
      invoiceId: r.invoiceId,
      number: invoice.number,
      level: r.level,
      step: r.step,
    },
    accountId: invoice.accountId,
    contactId: contact?.id ?? null,
    occurredAt: at,
    actorId: COLLECTIONS_ACTOR,
    dedupeKey: `invoice-reminder/${r.invoiceId}/${r.level}`,
  })
  const row = await db.activity.findUniqueOrThrow({ where: { id: claim.id } })
  const status = (row.details as { status?: ReminderStatus }).status ?? 'pending'
  if (status === 'sending') {
    // An earlier attempt stopped after calling SendGrid: it may have gone out. Never twice.
    await moveReminder(db, claim.id, ['sending'], 'unconfirmed', {
      lastError: 'an earlier attempt stopped after calling the vendor',
    })
    return { kind: 'done', outcome: { status: 'unconfirmed', activityId: claim.id } }
  }
  if (status !== 'pending' && status !== 'retry')
    return {
      kind: 'done',
      outcome: { status, reason: (row.details as { reason?: string }).reason, activityId: claim.id },
    }

  // `reachedLevel`: the collection did reach this level, only nobody could be emailed.
  const skip = async (reason: string, reachedLevel: boolean): Promise<PreparedReminder> => {
    await moveReminder(db, claim.id, ['pending', 'retry'], 'skipped', { reason })
    if (reachedLevel) await raiseReminderLevel(db, r.invoiceId, r.level, null)
    return { kind: 'done', outcome: { status: 'skipped', reason, activityId: claim.id } }
  }
  if (!isOpen(invoice.status)) return skip(`invoice_${invoice.status}`, false)
  if (!contact) return skip('no_contact', true)
  if (!contact.isActive) return skip('contact_inactive', true)
  const email = contact.email?.trim()
  if (!email) return skip('no_email', true)

  if (!(await moveReminder(db, claim.id, ['pending', 'retry'], 'sending')))
    throw new Error(`reminder ${row.dedupeKey} was claimed by another attempt`)
  const buyer = invoice.buyer as unknown as PartySnapshot
  const seller = invoice.seller as unknown as PartySnapshot
  const dueDate = dateOnly(invoice.dueDate)
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ')
  return {
    kind: 'send',
    activityId: claim.id,
    to: { email, ...(name ? { name } : {}) },
    facts: {
      level: r.level,
      invoiceNumber: invoice.number,
      issueDate: dateOnly(invoice.issueDate),
      dueDate,
      currency: invoice.currency,
      totalPaise: paise(invoice.total),
      balancePaise: paise(invoice.total) - paise(invoice.amountPaid),
      daysOverdue: daysOverdue({ open: true, dueDate }, indiaDate(at.getTime())),
      sellerName: seller.name,
      buyerName: buyer.name,
      contactFirstName: contact.firstName,
    },
  }
}

/** The vendor took the reminder: the claim is settled and the invoice's level rises. */
export async function reminderSent(
  db: Db,
  r: ReminderRequest,
  activityId: string,
  sent: { status: 'sent' | 'simulated'; provider: string; providerMessageId: string | null },
): Promise<void> {
  await moveReminder(db, activityId, ['sending', 'unconfirmed'], sent.status, {
    provider: sent.provider,
    providerMessageId: sent.providerMessageId,
  })
  await raiseReminderLevel(db, r.invoiceId, r.level, new Date(r.at))
}
