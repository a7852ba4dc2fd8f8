import { uuidv7 } from 'uuidv7'
import { GST_STATE_CODES } from '../../domain/account/gstin.rules.js'
import { addDays, indiaDate } from '../../domain/time/india-date.rules.js'
import { financialYearOf } from '../../domain/billing/financial-year.rules.js'
import {
  invoiceTotals,
  placeOfSupply,
  taxLine,
  taxRegime,
  type PlaceOfSupply,
} from '../../domain/billing/gst.rules.js'
import { pickInvoiceLines } from '../../domain/billing/order-line.rules.js'
import { enqueue } from '../../ingestion/outbox/outbox.repository.js'
import { recordActivity } from '../../ingestion/activity-log.js'
import { fieldChanges, recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { asJson, type Db, type Tx } from '../../platform/database/prisma.js'
import { DomainRuleError, NotFoundError } from '../../platform/errors.js'
import {
  basisPoints,
  dateValue,
  milli,
  moneyDecimal,
  paise,
  quantityDecimal,
  rateDecimal,
} from './amounts.js'
import { nextDocumentNumber } from '../document-numbers.js'
import { orderStatusFor } from './orders.js'
import type { BillingSettings } from './seller.js'
import { accountChanged } from '../account-changed.js'

/*
 * Tax invoices, issued from a sales order. Everything an invoice prints is fixed at issue:
 * seller and buyer are copied onto it, each line's taxes are computed in paise, and its
 * number is taken from the (series, financial year) counter in the same transaction, so
 * numbers are consecutive with no gaps and no duplicates. An issued invoice is never
 * edited or deleted: it is paid, or voided (keeping its number, as the law requires).
 */

export const INVOICE_STATUSES = ['issued', 'partially_paid', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]
export const OPEN_INVOICE_STATUSES: readonly InvoiceStatus[] = ['issued', 'partially_paid']

/**
 * The place of supply of an export in GST returns: code 96, "Other Countries" (GSTN's
 * state-code list for GSTR-1), as IGST applies and no Indian state is the destination.
 */
export const EXPORT_PLACE_OF_SUPPLY = '96'

/** GST came into force on 1 July 2017: no tax invoice is dated earlier (nor numbered in a year before it). */
export const GST_START_DATE = '2017-07-01'
/**
 * The longest payment term, as INVOICE_PAYMENT_TERMS_DAYS allows: the collection schedule
 * runs to 30 days past the due date, and a due date like 9999-12-31 would put it beyond
 * the dates it can compute (the workflow would fail on every attempt).
 */
export const MAX_PAYMENT_TERM_DAYS = 365

/** A party as the invoice prints it. */
export interface PartySnapshot {
  name: string
  gstin: string | null
  address: string | null
  stateCode: string | null
  stateName: string | null
  /** ISO 3166-1 alpha-2. */
  country: string
}

export interface CreateInvoice {
  orderId: string
  lines?: { orderLineId: string; quantity: number }[] | undefined
  issueDate?: string | undefined
  dueDate?: string | undefined
  contactId?: string | undefined
}

const invoiceDetail = {
  lines: { orderBy: { lineNo: 'asc' } },
  payments: { orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.InvoiceInclude

/** An invoice with its lines and payments; `visible` (row-level access) leaves out one the caller may not see. */
export function findInvoice(db: Db | Tx, id: string, visible: Prisma.InvoiceWhereInput = {}) {
  return db.invoice.findFirst({ where: { AND: [{ id }, visible] }, include: invoiceDetail })
}
export type InvoiceWithDetail = NonNullable<Awaited<ReturnType<typeof findInvoice>>>

export async function lockInvoice(tx: Tx, id: string) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM invoice WHERE id = ${id}::uuid FOR UPDATE`
  if (!row) throw new NotFoundError('invoice', id)
  return (await findInvoice(tx, id))!
}

function rule(pointer: string, message: string, detail = message): DomainRuleError {
  return new DomainRuleError(detail, [{ pointer, message }])
}

type AccountRow = NonNullable<Awaited<ReturnType<Tx['account']['findUnique']>>>

function buyerSnapshot(account: AccountRow, place: PlaceOfSupply): PartySnapshot {
  const address = [
    account.addressLine1,
    account.addressLine2,
    account.city,
    account.state,
    account.postalCode,
  ]
    .filter((part): part is string => Boolean(part && part.trim()))
    .join(', ')
  const stateCode = place.kind === 'india' ? place.stateCode : null
  return {
    name: account.name,
    gstin: account.gstin,
    address: address || null,
    stateCode,
    stateName: stateCode ? (GST_STATE_CODES[stateCode] ?? null) : null,
    country: place.kind === 'abroad' ? place.country : 'IN',
  }
}

/** The billing contact: the one asked for, else the account's billing contact, else its primary one. */
async function billingContactId(tx: Tx, account: AccountRow, requested: string | undefined) {
  if (requested) {
    const contact = await tx.contact.findFirst({ where: { id: requested, accountId: account.id } })
    if (!contact) throw rule('/body/contactId', 'is not a contact of the order’s account')
    if (!contact.isActive) throw rule('/body/contactId', 'is no longer an active contact')
    return contact.id
  }
  const billing = await tx.contact.findFirst({
    where: { accountId: account.id, isActive: true, roles: { has: 'billing' } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  })
  return billing?.id ?? account.primaryContactId ?? null
}

/**
 * Issues a tax invoice for (part of) an order. One transaction: the order is locked (two
 * invoices of one order cannot both bill the same quantity), the number is taken, the
 * invoice and its lines are written, the order's invoiced quantities move on, and the
 * collection workflow is started through the outbox.
 */
export async function createInvoice(
  db: Db,
  ctx: WriteContext,
  settings: BillingSettings,
  cmd: CreateInvoice,
  now = new Date(),
): Promise<InvoiceWithDetail> {
  const today = indiaDate(now.getTime())
  const issueDate = cmd.issueDate ?? today
  const dueDate = cmd.dueDate ?? addDays(issueDate, settings.paymentTermsDays)
  if (issueDate > today) throw rule('/body/issueDate', 'cannot be after today (India time)')
  if (issueDate < GST_START_DATE)
    throw rule('/body/issueDate', `cannot be before ${GST_START_DATE}, when GST came into force`)
  if (dueDate < issueDate) throw rule('/body/dueDate', 'cannot be before the issue date')
  if (dueDate > addDays(issueDate, MAX_PAYMENT_TERM_DAYS))
    throw rule('/body/dueDate', `cannot be more than ${MAX_PAYMENT_TERM_DAYS} days after the issue date`)
  const { seller } = settings

  return db.$transaction(
    async (tx) => {
      const [locked] = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM sales_order WHERE id = ${cmd.orderId}::uuid FOR UPDATE`
      if (!locked) throw new NotFoundError('order', cmd.orderId)
      const order = await tx.salesOrder.findUniqueOrThrow({
        where: { id: cmd.orderId },
        include: { lines: { orderBy: { lineNo: 'asc' } }, account: true },
      })
      if (order.status === 'cancelled') throw rule('/body/orderId', 'is cancelled')
      const balances = order.lines.map((l) => ({
        id: l.id,
        lineNo: l.lineNo,
        quantityMilli: milli(l.quantity),
        invoicedMilli: milli(l.invoicedQuantity),
      }))
      const picked = pickInvoiceLines(balances, cmd.lines)
      if (!picked.ok) throw new DomainRuleError('These lines cannot be invoiced.', picked.errors)

      const place = placeOfSupply(order.account)
      if (!place)
        throw rule(
          '/body/orderId',
          'its account has no place of supply: set the account’s stateCode or GSTIN (or its country, for an export)',
          'The place of supply is unknown.',
        )
      const regime = taxRegime(seller.stateCode, place)
      const contactId = await billingContactId(tx, order.account, cmd.contactId)
      const byId = new Map(order.lines.map((l) => [l.id, l]))
      const lines = picked.picks.map((pick, i) => {
        const orderLine = byId.get(pick.orderLineId)!
        const input = {
          quantityMilli: pick.quantityMilli,
          unitPricePaise: paise(orderLine.unitPrice),
          rateBp: basisPoints(orderLine.gstRate),
        }
        return { lineNo: i + 1, orderLine, input, taxed: taxLine(input, regime, seller.gstin !== null) }
      })
      // Indian invoices round the payable total to the rupee; other currencies keep their cents.
      const totals = invoiceTotals(
        lines.map((l) => l.taxed),
        order.currency === 'INR',
      )
      const financialYear = financialYearOf(issueDate)
      const { number } = await nextDocumentNumber(tx, settings.series, financialYear)
      const id = uuidv7()
      const sellerSnapshot: PartySnapshot = {
        name: seller.name,
        gstin: seller.gstin,
        address: seller.address,
        stateCode: seller.stateCode,
        stateName: seller.stateName,
        country: 'IN',
      }
      const buyer = buyerSnapshot(order.account, place)
      const values = {
        number,
        financialYear,
        accountId: order.accountId,
        orderId: order.id,
        contactId,
        issueDate,
        dueDate,
        currency: order.currency,
        supplierStateCode: seller.stateCode,
        placeOfSupply: place.kind === 'india' ? place.stateCode : EXPORT_PLACE_OF_SUPPLY,
        taxRegime: regime,
        subtotal: moneyDecimal(totals.subtotal),
        cgst: moneyDecimal(totals.cgst),
        sgst: moneyDecimal(totals.sgst),
        igst: moneyDecimal(totals.igst),
        roundOff: moneyDecimal(totals.roundOff),
        total: moneyDecimal(totals.total),
        // Nothing to collect (free lines, or a total under 50 paise rounded away): settled at
        // issue, else it would sit open forever (no payment can be more than 0), turn overdue
        // and be chased for ₹0.00 up to a collections task.
        status: totals.total === 0 ? 'paid' : 'issued',
        paidAt: totals.total === 0 ? now : null,
      }
      await tx.invoice.create({
        data: {
          id,
          ...values,
          issueDate: dateValue(issueDate),
          dueDate: dateValue(dueDate),
          seller: asJson(sellerSnapshot),
          buyer: asJson(buyer),
          createdBy: ctx.actor.id,
          updatedBy: ctx.actor.id,
          lines: {
            create: lines.map((l) => ({
              id: uuidv7(),
              lineNo: l.lineNo,
              orderLineId: l.orderLine.id,
              description: l.orderLine.description,
              hsnSac: l.orderLine.hsnSac,
              quantity: quantityDecimal(l.input.quantityMilli),
              unitPrice: moneyDecimal(l.input.unitPricePaise),
              taxableValue: moneyDecimal(l.taxed.taxable),
              gstRate: rateDecimal(l.input.rateBp),
              cgst: moneyDecimal(l.taxed.cgst),
              sgst: moneyDecimal(l.taxed.sgst),
              igst: moneyDecimal(l.taxed.igst),
              total: moneyDecimal(l.taxed.total),
            })),
          },
        },
      })
      await recordAudit(tx, ctx, {
        entity: 'invoice',
        entityId: id,
        action: 'create',
        changes: fieldChanges(null, {
          ...values,
          seller: sellerSnapshot,
          buyer,
          lines: lines.map((l) => ({
            orderLineId: l.orderLine.id,
            quantity: quantityDecimal(l.input.quantityMilli),
            taxableValue: moneyDecimal(l.taxed.taxable),
            gstRate: rateDecimal(l.input.rateBp),
          })),
        }),
      })
      await moveOrderOn(tx, ctx, order.id, order.status, balances, (lineId) =>
        picked.picks.filter((p) => p.orderLineId === lineId).reduce((s, p) => s + p.quantityMilli, 0),
      )
      await recordActivity(tx, {
        kind: 'invoice_issued',
        direction: 'internal',
        subject: `Invoice ${number} issued`,
        details: { invoiceId: id, number, total: values.total, currency: order.currency, dueDate },
        accountId: order.accountId,
        contactId,
        opportunityId: order.opportunityId,
        occurredAt: now,
        actorId: ctx.actor.id,
        dedupeKey: `invoice-issued/${id}`,
      })
      await enqueue(tx, 'invoice.issued', id, { invoiceId: id }, ctx.requestId ?? undefined)
      return (await findInvoice(tx, id))!
    },
    // Invoices of one order, and every invoice of a series, queue behind each other's locks.
    { maxWait: 10_000, timeout: 20_000 },
  )
}

/**
 * Adds (or, for a voided invoice, gives back) invoiced quantities on an order's lines and
 * moves its status (confirmed → partially_invoiced → invoiced), with the audit row.
 */
export async function moveOrderOn(
  tx: Tx,
  ctx: WriteContext,
  orderId: string,
  status: string,
  balances: { id: string; quantityMilli: number; invoicedMilli: number }[],
  deltaMilli: (orderLineId: string) => number,
): Promise<void> {
  const next = balances.map((b) => ({ ...b, invoicedMilli: b.invoicedMilli + deltaMilli(b.id) }))
  for (const line of next) {
    if (line.invoicedMilli === balances.find((b) => b.id === line.id)!.invoicedMilli) continue
    await tx.salesOrderLine.update({
      where: { id: line.id },
      data: { invoicedQuantity: quantityDecimal(line.invoicedMilli) },
    })
  }
  const nextStatus = orderStatusFor(next)
  if (nextStatus === status) return
  await tx.salesOrder.update({
    where: { id: orderId },
    data: { status: nextStatus, updatedBy: ctx.actor.id },
  })
  await recordAudit(tx, ctx, {
    entity: 'order',
    entityId: orderId,
    action: 'update',
    changes: { status: { from: status, to: nextStatus } },
  })
}

/**
 * Voids an invoice that has no payments: it keeps its number (a tax invoice number is never
 * reused), its quantities go back to the order, and the collection workflow hears of it.
 * Voiding a void invoice answers with it unchanged.
 */
export async function voidInvoice(
  db: Db,
  ctx: WriteContext,
  invoiceId: string,
  reason: string,
  now = new Date(),
): Promise<InvoiceWithDetail> {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, invoiceId)
    if (invoice.status === 'void') return invoice
    if (invoice.payments.length > 0 || paise(invoice.amountPaid) > 0)
      throw rule(
        '/params/id',
        'has payments recorded: it cannot be voided',
        'An invoice with payments cannot be voided.',
      )
    await tx.invoice.update({
      where: { id: invoiceId },
      data: { status: 'void', voidedAt: now, voidReason: reason, updatedBy: ctx.actor.id },
    })
    await recordAudit(tx, ctx, {
      entity: 'invoice',
      entityId: invoiceId,
      action: 'void',
      changes: fieldChanges(invoice, { status: 'void', voidedAt: now, voidReason: reason }),
    })
    if (invoice.orderId) {
      await tx.$queryRaw`SELECT id FROM sales_order WHERE id = ${invoice.orderId}::uuid FOR UPDATE`
      const order = await tx.salesOrder.findUniqueOrThrow({
        where: { id: invoice.orderId },
        include: { lines: true },
      })
      const balances = order.lines.map((l) => ({
        id: l.id,
        quantityMilli: milli(l.quantity),
        invoicedMilli: milli(l.invoicedQuantity),
      }))
      await moveOrderOn(
        tx,
        ctx,
        order.id,
        order.status,
        balances,
        (lineId) =>
          -invoice.lines.filter((l) => l.orderLineId === lineId).reduce((s, l) => s + milli(l.quantity), 0),
      )
    }
    await recordActivity(tx, {
      kind: 'invoice_voided',
      direction: 'internal',
      subject: `Invoice ${invoice.number} voided`,
      details: { invoiceId, number: invoice.number, reason },
      accountId: invoice.accountId,
      occurredAt: now,
      actorId: ctx.actor.id,
      dedupeKey: `invoice-voided/${invoiceId}`,
    })
    await enqueue(tx, 'invoice.changed', invoiceId, { invoiceId, reason: 'void' }, ctx.requestId ?? undefined)
    await accountChanged(tx, ctx, invoice.accountId, 'invoice_void')
    return (await findInvoice(tx, invoiceId))!
  })
}
