import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createInvoice, voidInvoice } from '../../../crm/billing/invoices.js'
import { renderInvoicePdf } from '../../../crm/billing/invoice-pdf.js'
import { recordPayment } from '../../../crm/billing/payments.js'
import { billingSettings } from '../../../crm/billing/seller.js'
import { assertCanAddFrom, assertRecordAccess } from '../../../security/record-access.js'
import { throughAccount } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import {
  getInvoiceRow,
  listInvoices,
  listPayments,
  toInvoice,
  toPayment,
} from '../../queries/invoice.queries.js'
import {
  CreateInvoiceBody,
  Invoice,
  InvoiceParams,
  InvoicePage,
  InvoicePdf,
  ListInvoicesQuery,
  ListPaymentsQuery,
  Payment,
  PaymentPage,
  RecordPaymentBody,
  VoidInvoiceBody,
} from '../../schemas/invoice.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/*
 * GST invoices and their payments. An invoice never changes after issue: it is paid (in
 * parts or at once) or voided. Issuing one starts its collection workflow (reminders,
 * then a collections task) through the outbox; payments and voids tell it. An invoice is
 * seen with its account (security/visibility.ts); any other answers 404 to reads, the PDF,
 * payments and voids alike.
 */
const invoices: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db
  // Read once: a SELLER_GSTIN that fails its checksum stops the API at start-up.
  const settings = billingSettings(app.services.config)

  app.post(
    '',
    {
      config: { access: { object: 'invoice', action: 'create' } },
      schema: {
        tags: ['invoices'],
        summary: 'Issue a GST invoice from a sales order',
        description:
          'Bills the given order lines (default: everything not yet invoiced; more than is left is a 422) of an ' +
          'order on an account the caller may edit (404 otherwise). ' +
          'Numbered consecutively per financial year (April-March) with no gaps. Place of supply is the buyer’s ' +
          'state (account stateCode, else its GSTIN): the seller’s own state gives CGST + SGST, another state ' +
          'IGST, a buyer abroad an export with IGST. Tax per line in paise, rounded half-up; the total is ' +
          'rounded to the rupee with a round-off line. Seller and buyer are copied onto the invoice.',
        body: CreateInvoiceBody,
        response: { 201: Invoice, ...problemResponses },
      },
    },
    async (request, reply) => {
      const order = { type: 'order' as const, id: request.body.orderId }
      await assertCanAddFrom(db, principalOf(request), order, 'invoice')
      const invoice = await createInvoice(db, writeContext(request), settings, request.body)
      return reply
        .code(201)
        .header('location', `/v1/invoices/${invoice.id}`)
        .send(toInvoice(invoice, new Date()))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'invoice', action: 'read' } },
      schema: {
        tags: ['invoices'],
        summary: 'List invoices, latest issue date first',
        description:
          'Filters combine with AND; overdue=true keeps invoices with an open balance whose due date is before ' +
          'today (India time). Pages continue with `cursor` = the previous page’s `nextCursor`.',
        querystring: ListInvoicesQuery,
        response: { 200: InvoicePage, ...problemResponses },
      },
    },
    async (request) => listInvoices(db, request.query, await throughAccount(principalOf(request), 'invoice')),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'invoice', action: 'read' } },
      schema: {
        tags: ['invoices'],
        summary: 'Get an invoice with its lines, payments and balance',
        params: InvoiceParams,
        response: { 200: Invoice, ...problemResponses },
      },
    },
    async (request) => {
      const visible = await throughAccount(principalOf(request), 'invoice')
      return toInvoice(await getInvoiceRow(db, request.params.id, visible), new Date())
    },
  )

  app.get(
    '/:id/pdf',
    {
      config: { access: { object: 'invoice', action: 'read' } },
      schema: {
        tags: ['invoices'],
        summary: 'Download the invoice as a PDF',
        params: InvoiceParams,
        response: { 200: InvoicePdf, ...problemResponses },
      },
    },
    async (request, reply) => {
      const visible = await throughAccount(principalOf(request), 'invoice')
      const invoice = await getInvoiceRow(db, request.params.id, visible)
      const pdf = await renderInvoicePdf(invoice)
      const filename = `${invoice.number.replace(/\//g, '-')}.pdf`
      return (
        reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${filename}"`)
          // Bytes as they are: the JSON serializer never sees a Buffer (the schema only documents it).
          .send(pdf as unknown as string)
      )
    },
  )

  app.post(
    '/:id/void',
    {
      config: { access: { object: 'invoice', action: 'update' } },
      schema: {
        tags: ['invoices'],
        summary: 'Void an invoice that has no payments',
        description:
          'The invoice keeps its number (never reused) and its quantities go back to the order. An invoice with ' +
          'payments cannot be voided (422). Voiding a void invoice answers with it unchanged.',
        params: InvoiceParams,
        body: VoidInvoiceBody,
        response: { 200: Invoice, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'invoice', request.params.id, 'edit')
      return toInvoice(
        await voidInvoice(db, writeContext(request), request.params.id, request.body.reason),
        new Date(),
      )
    },
  )

  app.post(
    '/:id/payments',
    {
      config: { access: { object: 'invoice', action: 'update' } },
      schema: {
        tags: ['invoices'],
        summary: 'Record a payment against an invoice',
        description:
          'Partial payments add up; more than the balance due is a 422. The reference is unique per invoice: the ' +
          'same reference, amount and method again answers 200 with the payment already recorded; another amount ' +
          'or method is a 409. The invoice becomes partially_paid or paid in the same transaction.',
        params: InvoiceParams,
        body: RecordPaymentBody,
        response: { 200: Payment, 201: Payment, ...problemResponses },
      },
    },
    async (request, reply) => {
      await assertRecordAccess(db, principalOf(request), 'invoice', request.params.id, 'edit')
      const { payment, created } = await recordPayment(
        db,
        writeContext(request),
        request.params.id,
        request.body,
      )
      return reply.code(created ? 201 : 200).send(toPayment(payment))
    },
  )

  app.get(
    '/:id/payments',
    {
      config: { access: { object: 'invoice', action: 'read' } },
      schema: {
        tags: ['invoices'],
        summary: 'List the payments of an invoice, in the order received',
        params: InvoiceParams,
        querystring: ListPaymentsQuery,
        response: { 200: PaymentPage, ...problemResponses },
      },
    },
    async (request) =>
      listPayments(
        db,
        request.params.id,
        request.query,
        await throughAccount(principalOf(request), 'invoice'),
      ),
  )
}

export default invoices
