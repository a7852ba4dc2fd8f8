import { uuidv7 } from 'uuidv7'
import { fromMinorUnits, toMinorUnits } from '../../domain/billing/money.rules.js'
import { enqueue } from '../../ingestion/outbox/outbox.repository.js'
import { recordActivity } from '../../ingestion/activity-log.js'
import { fieldChanges, recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Db } from '../../platform/database/prisma.js'
import { ConflictError, DomainRuleError } from '../../platform/errors.js'
import { moneyDecimal, paise } from './amounts.js'
import { lockInvoice } from './invoices.js'
import { accountChanged } from '../account-changed.js'

/*
 * Payments against an invoice: partial payments add up until the balance is nil. The
 * reference (UTR, cheque number, gateway id) is unique per invoice, so a payment recorded
 * twice (a retried request, a bank feed replayed) is kept once: the same reference with the
 * same amount and method answers with the payment already recorded, another amount or
 * method is a conflict.
 */

export const PAYMENT_METHODS = ['bank_transfer', 'upi', 'card', 'cheque', 'cash', 'other'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

/** A clock running a little fast at the bank or the caller is not a payment from the future. */
const CLOCK_SKEW_MS = 5 * 60_000

export interface RecordPayment {
  amount: number
  method: PaymentMethod
  reference: string
  /** ISO timestamp; default: now. */
  receivedAt?: string | undefined
}

function rule(pointer: string, message: string, detail: string): DomainRuleError {
  return new DomainRuleError(detail, [{ pointer, message }])
}

/**
 * Records a payment: amount paid, status (issued → partially_paid → paid) and paid date move
 * in the same transaction, and the collection workflow and the account's health hear of it
 * through the outbox.
 */
export async function recordPayment(
  db: Db,
  ctx: WriteContext,
  invoiceId: string,
  cmd: RecordPayment,
  now = new Date(),
) {
  const amountPaise = toMinorUnits(cmd.amount, 2)
  if (amountPaise === null || amountPaise <= 0)
    throw rule('/body/amount', 'must be more than 0, with at most 2 decimals', 'The amount is not valid.')
  const reference = cmd.reference.trim()
  // The schema's minLength counts spaces: '   ' would be stored as an empty reference.
  if (reference === '') throw rule('/body/reference', 'must not be blank', 'The payment reference is blank.')
  const receivedAt = cmd.receivedAt ? new Date(cmd.receivedAt) : now
  if (receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw rule('/body/receivedAt', 'cannot be in the future', 'The payment date is in the future.')

  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId)
    const existing = invoice.payments.find((p) => p.reference === reference)
    if (existing) {
      if (paise(existing.amount) === amountPaise && existing.method === cmd.method)
        return { payment: existing, created: false }
      throw new ConflictError(
        `Payment ${existing.id} with reference ${reference} is already recorded on invoice ${invoice.number} ` +
          `for ${moneyDecimal(paise(existing.amount))} by ${existing.method}.`,
      )
    }
    if (invoice.status === 'void') throw rule('/params/id', 'is void', 'A void invoice takes no payments.')
    const balance = paise(invoice.total) - paise(invoice.amountPaid)
    if (amountPaise > balance)
      throw rule(
        '/body/amount',
        `exceeds the balance due (${fromMinorUnits(balance)})`,
        `The payment exceeds the balance due of invoice ${invoice.number}.`,
      )
    const payment = await tx.payment.create({
      data: {
        id: uuidv7(),
        invoiceId,
        accountId: invoice.accountId,
        amount: moneyDecimal(amountPaise),
        currency: invoice.currency,
        method: cmd.method,
        reference,
        receivedAt,
        createdBy: ctx.actor.id,
      },
    })
    const paidPaise = paise(invoice.amountPaid) + amountPaise
    const settled = paidPaise === paise(invoice.total)
    // Paid when the last money arrived: a payment recorded late (a cheque entered after a
    // later transfer) must not date the settlement before a payment it includes.
    const lastReceivedAt = invoice.payments.reduce(
      (latest, p) => (p.receivedAt > latest ? p.receivedAt : latest),
      receivedAt,
    )
    const update = {
      amountPaid: moneyDecimal(paidPaise),
      status: settled ? 'paid' : 'partially_paid',
      paidAt: settled ? lastReceivedAt : null,
    }
    await tx.invoice.update({ where: { id: invoiceId }, data: { ...update, updatedBy: ctx.actor.id } })
    await recordAudit(tx, ctx, {
      entity: 'payment',
      entityId: payment.id,
      action: 'create',
      changes: fieldChanges(null, {
        invoiceId,
        amount: payment.amount,
        currency: payment.currency,
        method: payment.method,
        reference,
        receivedAt,
      }),
    })
    await recordAudit(tx, ctx, {
      entity: 'invoice',
      entityId: invoiceId,
      action: 'payment',
      changes: fieldChanges(invoice, update),
    })
    await recordActivity(tx, {
      kind: 'payment_received',
      direction: 'inbound',
      subject: `Payment of ${moneyDecimal(amountPaise)} ${invoice.currency} for invoice ${invoice.number}`,
      details: { invoiceId, paymentId: payment.id, method: cmd.method, settled },
      accountId: invoice.accountId,
      occurredAt: receivedAt,
      actorId: ctx.actor.id,
      dedupeKey: `payment/${payment.id}`,
    })
    await enqueue(
      tx,
      'invoice.changed',
      invoiceId,
      { invoiceId, reason: 'payment' },
      ctx.requestId ?? undefined,
    )
    await accountChanged(tx, ctx, invoice.accountId, settled ? 'invoice_paid' : 'payment')
    return { payment, created: true }
  })
}
