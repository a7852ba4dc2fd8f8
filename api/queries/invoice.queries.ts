import { dateOnly, money, paise, quantity } from '../../crm/billing/amounts.js'
import {
  findInvoice,
  OPEN_INVOICE_STATUSES,
  type InvoiceStatus,
  type InvoiceWithDetail,
  type PartySnapshot,
} from '../../crm/billing/invoices.js'
import type { PaymentMethod } from '../../crm/billing/payments.js'
import { daysOverdue, isOverdue } from '../../domain/billing/billing-dates.rules.js'
import { indiaDate } from '../../domain/time/india-date.rules.js'
import { fromMinorUnits } from '../../domain/billing/money.rules.js'
import type { TaxRegime } from '../../domain/billing/gst.rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { ListInvoicesQuery, ListPaymentsQuery } from '../schemas/invoice.schema.js'
import { afterCursor, toPage } from './keyset.js'

type InvoiceRow = Awaited<ReturnType<Db['invoice']['findFirstOrThrow']>>
type PaymentRow = Awaited<ReturnType<Db['payment']['findFirstOrThrow']>>

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toInvoiceSummary(i: InvoiceRow, now: Date) {
  const dueDate = dateOnly(i.dueDate)
  const open = (OPEN_INVOICE_STATUSES as readonly string[]).includes(i.status)
  const today = indiaDate(now.getTime())
  return {
    id: i.id,
    number: i.number,
    financialYear: i.financialYear,
    accountId: i.accountId,
    orderId: i.orderId,
    contactId: i.contactId,
    issueDate: dateOnly(i.issueDate),
    dueDate,
    currency: i.currency,
    supplierStateCode: i.supplierStateCode,
    placeOfSupply: i.placeOfSupply,
    taxRegime: i.taxRegime as TaxRegime,
    subtotal: money(i.subtotal),
    cgst: money(i.cgst),
    sgst: money(i.sgst),
    igst: money(i.igst),
    roundOff: money(i.roundOff),
    total: money(i.total),
    amountPaid: money(i.amountPaid),
    balanceDue: i.status === 'void' ? 0 : fromMinorUnits(paise(i.total) - paise(i.amountPaid)),
    status: i.status as InvoiceStatus,
    overdue: isOverdue({ open, dueDate }, today),
    daysOverdue: daysOverdue({ open, dueDate }, today),
    reminderLevel: i.reminderLevel,
    lastReminderAt: iso(i.lastReminderAt),
    paidAt: iso(i.paidAt),
    voidedAt: iso(i.voidedAt),
    voidReason: i.voidReason,
    createdAt: i.createdAt.toISOString(),
    createdBy: i.createdBy,
  }
}

export function toPayment(p: PaymentRow) {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    accountId: p.accountId,
    amount: money(p.amount),
    currency: p.currency,
    method: p.method as PaymentMethod,
    reference: p.reference,
    receivedAt: p.receivedAt.toISOString(),
    createdAt: p.createdAt.toISOString(),
    createdBy: p.createdBy,
  }
}

export function toInvoice(i: InvoiceWithDetail, now: Date) {
  return {
    ...toInvoiceSummary(i, now),
    seller: i.seller as unknown as PartySnapshot,
    buyer: i.buyer as unknown as PartySnapshot,
    lines: i.lines.map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      orderLineId: l.orderLineId,
      description: l.description,
      hsnSac: l.hsnSac,
      quantity: quantity(l.quantity),
      unitPrice: money(l.unitPrice),
      taxableValue: money(l.taxableValue),
      gstRate: Number(l.gstRate),
      cgst: money(l.cgst),
      sgst: money(l.sgst),
      igst: money(l.igst),
      total: money(l.total),
    })),
    payments: i.payments.map(toPayment),
  }
}

/** One invoice with its lines and payments; one outside `visible` is not found. */
export async function getInvoiceRow(
  db: Db,
  id: string,
  visible: Prisma.InvoiceWhereInput,
): Promise<InvoiceWithDetail> {
  const invoice = await findInvoice(db, id, visible)
  if (!invoice) throw new NotFoundError('invoice', id)
  return invoice
}

/**
 * Invoices, latest issue date first (then id), keyset-paginated. overdue=true keeps open
 * invoices whose due date is before today in India. Only those within `visible` (the
 * caller's row-level access).
 */
export async function listInvoices(
  db: Db,
  q: ListInvoicesQuery,
  visible: Prisma.InvoiceWhereInput,
  now = new Date(),
) {
  const today = indiaDate(now.getTime())
  const where: Prisma.InvoiceWhereInput = {
    AND: [
      visible,
      {
        ...(q.accountId ? { accountId: q.accountId } : {}),
        ...(q.orderId ? { orderId: q.orderId } : {}),
        ...(q.status ? { status: q.status } : {}),
      },
      q.overdue === true
        ? { status: { in: [...OPEN_INVOICE_STATUSES] }, dueDate: { lt: new Date(`${today}T00:00:00.000Z`) } }
        : q.overdue === false
          ? {
              NOT: {
                status: { in: [...OPEN_INVOICE_STATUSES] },
                dueDate: { lt: new Date(`${today}T00:00:00.000Z`) },
              },
            }
          : {},
      afterCursor(q.cursor, 'issueDate', 'desc', true, 'uuid') ?? {},
    ],
  }
  const rows = await db.invoice.findMany({
    where,
    orderBy: [{ issueDate: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  })
  return toPage(
    rows,
    q.limit,
    (i) => i.issueDate,
    (i) => toInvoiceSummary(i, now),
  )
}

/** An invoice's payments in the order received, keyset-paginated; none of an invoice outside `visible`. */
export async function listPayments(
  db: Db,
  invoiceId: string,
  q: ListPaymentsQuery,
  visible: Prisma.InvoiceWhereInput,
) {
  const exists = await db.invoice.findFirst({
    where: { AND: [{ id: invoiceId }, visible] },
    select: { id: true },
  })
  if (!exists) throw new NotFoundError('invoice', invoiceId)
  const rows = await db.payment.findMany({
    where: { AND: [{ invoiceId }, afterCursor(q.cursor, 'receivedAt', 'asc', true, 'uuid') ?? {}] },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  })
  return toPage(rows, q.limit, (p) => p.receivedAt, toPayment)
}
