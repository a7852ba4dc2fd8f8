import { Type, type Static } from 'typebox'
import { INVOICE_STATUSES } from '../../crm/billing/invoices.js'
import { PAYMENT_METHODS } from '../../crm/billing/payments.js'
import { PageOf, PageQueryFields } from './page.schema.js'
import { Nullable, Text } from './primitives.js'

const Uuid = Type.String({ format: 'uuid' })
const Day = (description: string) => Type.String({ format: 'date', description })
const Time = Type.String({ format: 'date-time' })
const NullableTime = Type.Union([Time, Type.Null()])

export const CreateInvoiceBody = Type.Object(
  {
    orderId: Uuid,
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            orderLineId: Uuid,
            quantity: Type.Number({
              exclusiveMinimum: 0,
              maximum: 10_000_000,
              description: 'At most 3 decimals.',
            }),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 100,
          description: 'What to bill; omitted: everything on the order not invoiced yet.',
        },
      ),
    ),
    issueDate: Type.Optional(
      Day('Default: today in India (Asia/Kolkata). Not in the future, nor before 2017-07-01 (GST).'),
    ),
    dueDate: Type.Optional(
      Day('Default: issueDate + INVOICE_PAYMENT_TERMS_DAYS. From issueDate to 365 days after it.'),
    ),
    contactId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          "The billing contact reminders go to. Default: the account's contact with the billing role, else its primary contact.",
      }),
    ),
  },
  { additionalProperties: false, title: 'CreateInvoice' },
)
export type CreateInvoiceBody = Static<typeof CreateInvoiceBody>

export const Party = Type.Object(
  {
    name: Type.String(),
    gstin: Nullable(Type.String()),
    address: Nullable(Type.String()),
    stateCode: Nullable(Type.String()),
    stateName: Nullable(Type.String()),
    country: Type.String({ description: 'ISO 3166-1 alpha-2.' }),
  },
  { title: 'InvoiceParty' },
)

const InvoiceFields = {
  id: Uuid,
  number: Type.String({
    description: 'Consecutive per financial year, at most 16 characters: INV/26-27/000001.',
  }),
  financialYear: Type.String({ description: 'April to March, e.g. 2026-27.' }),
  accountId: Uuid,
  orderId: Nullable(Uuid),
  contactId: Nullable(Uuid),
  issueDate: Day('Date of issue.'),
  dueDate: Day('Payment due date.'),
  currency: Type.String(),
  supplierStateCode: Nullable(Type.String()),
  placeOfSupply: Nullable(
    Type.String({
      description: "GST state code of the buyer's location; 96 (Other Countries) for an export.",
    }),
  ),
  taxRegime: Type.Enum(['intra_state', 'inter_state', 'export'], {
    description: 'intra_state: CGST + SGST; inter_state and export: IGST.',
  }),
  subtotal: Type.Number({ description: 'Taxable value.' }),
  cgst: Type.Number(),
  sgst: Type.Number(),
  igst: Type.Number(),
  roundOff: Type.Number({ description: 'What rounding the total to the rupee added or took off.' }),
  total: Type.Number(),
  amountPaid: Type.Number(),
  balanceDue: Type.Number(),
  status: Type.Enum([...INVOICE_STATUSES]),
  overdue: Type.Boolean({ description: 'An open balance and a due date before today (India time).' }),
  daysOverdue: Type.Integer({ minimum: 0 }),
  reminderLevel: Type.Integer({ description: 'Reminders sent so far (0-5; 5 is the final notice).' }),
  lastReminderAt: NullableTime,
  paidAt: NullableTime,
  voidedAt: NullableTime,
  voidReason: Nullable(Type.String()),
  createdAt: Time,
  createdBy: Type.String(),
}

export const InvoiceSummary = Type.Object(InvoiceFields, { title: 'InvoiceSummary' })

export const InvoiceLine = Type.Object(
  {
    id: Uuid,
    lineNo: Type.Integer(),
    orderLineId: Nullable(Uuid),
    description: Type.String(),
    hsnSac: Nullable(Type.String()),
    quantity: Type.Number(),
    unitPrice: Type.Number(),
    taxableValue: Type.Number(),
    gstRate: Type.Number(),
    cgst: Type.Number(),
    sgst: Type.Number(),
    igst: Type.Number(),
    total: Type.Number(),
  },
  { title: 'InvoiceLine' },
)

export const Payment = Type.Object(
  {
    id: Uuid,
    invoiceId: Uuid,
    accountId: Uuid,
    amount: Type.Number(),
    currency: Type.String(),
    method: Type.Enum([...PAYMENT_METHODS]),
    reference: Type.String(),
    receivedAt: Time,
    createdAt: Time,
    createdBy: Type.String(),
  },
  { title: 'Payment' },
)

export const Invoice = Type.Object(
  {
    ...InvoiceFields,
    seller: Party,
    buyer: Party,
    lines: Type.Array(InvoiceLine),
    payments: Type.Array(Payment),
  },
  { title: 'Invoice' },
)

export const InvoiceParams = Type.Object({ id: Uuid })

export const ListInvoicesQuery = Type.Object(
  {
    accountId: Type.Optional(Uuid),
    orderId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum([...INVOICE_STATUSES])),
    overdue: Type.Optional(
      Type.Boolean({ description: 'true: only invoices with an open balance past their due date.' }),
    ),
    ...PageQueryFields,
  },
  { additionalProperties: false },
)
export type ListInvoicesQuery = Static<typeof ListInvoicesQuery>

export const InvoicePage = PageOf(InvoiceSummary, 'InvoicePage')

export const VoidInvoiceBody = Type.Object(
  { reason: Text(500) },
  { additionalProperties: false, title: 'VoidInvoice' },
)

export const RecordPaymentBody = Type.Object(
  {
    amount: Type.Number({
      exclusiveMinimum: 0,
      maximum: 10_000_000_000_000,
      description: 'In the invoice currency, at most 2 decimals; not more than the balance due.',
    }),
    method: Type.Enum([...PAYMENT_METHODS]),
    reference: Text(100, {
      description:
        'UTR, cheque number, gateway or receipt id: unique per invoice, so the same payment is recorded once.',
    }),
    receivedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now.' })),
  },
  { additionalProperties: false, title: 'RecordPayment' },
)
export type RecordPaymentBody = Static<typeof RecordPaymentBody>

export const ListPaymentsQuery = Type.Object({ ...PageQueryFields }, { additionalProperties: false })
export type ListPaymentsQuery = Static<typeof ListPaymentsQuery>

export const PaymentPage = PageOf(Payment, 'PaymentPage')

/** GET /{id}/pdf: the invoice as a PDF document. */
export const InvoicePdf = {
  description: 'The tax invoice as a PDF (A4).',
  content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
}
