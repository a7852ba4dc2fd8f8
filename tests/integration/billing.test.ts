import { PDFParse } from 'pdf-parse'
import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { nextDocumentNumber } from '../../crm/document-numbers.js'
import { addDays } from '../../domain/time/india-date.rules.js'
import { financialYearOf } from '../../domain/billing/financial-year.rules.js'
import { BUYER_KA, LINES, SELLER_GSTIN, today, useBillingApp, type InvoiceBody } from '../support/billing.js'
import { expectProblem } from '../support/problem.js'

/*
 * Orders, GST invoices and payments through the API on a real PostgreSQL: orders only
 * from won deals, gapless invoice numbers under concurrency, CGST+SGST or IGST by place of
 * supply, partial and idempotent payments, voids, the overdue filter and the PDF.
 */

const { db, inject, post, deal, order, invoice } = useBillingApp()
const fy = () => financialYearOf(today())
const short = () => fy().slice(2)

async function outbox(topic: string) {
  return db().outboxEvent.findMany({ where: { topic }, orderBy: { id: 'asc' } })
}

describe('sales orders', () => {
  it('are made only from a won opportunity, numbered SO/<fy>/<n>, once per opportunity', async () => {
    const open = await deal(undefined, 'proposal')
    const refused = expectProblem(
      await post('/v1/orders', { opportunityId: open.opportunityId, lines: LINES }),
      422,
      'rule_violation',
    )
    expect(refused.errors?.[0]?.pointer).toBe('/body/opportunityId')
    expectProblem(await post('/v1/orders', { opportunityId: uuidv7(), lines: LINES }), 404, 'not_found')

    const won = await deal()
    const lines = [
      ...LINES,
      { description: 'Onboarding', hsnSac: '998314', quantity: 2.5, unitPrice: 33.33, gstRate: 18 },
    ]
    const created = await post('/v1/orders', { opportunityId: won.opportunityId, lines, notes: 'PO 4471' })
    expect(created.statusCode, created.body).toBe(201)
    const o = created.json()
    expect(o).toMatchObject({
      number: `SO/${short()}/000001`,
      accountId: won.accountId,
      opportunityId: won.opportunityId,
      status: 'confirmed',
      currency: 'INR',
      subtotal: 100083.33,
      notes: 'PO 4471',
    })
    expect(o.lines).toMatchObject([
      { lineNo: 1, quantity: 1, unitPrice: 100000, gstRate: 18, amount: 100000, invoicedQuantity: 0 },
      { lineNo: 2, quantity: 2.5, unitPrice: 33.33, amount: 83.33, remainingQuantity: 2.5 },
    ])

    // The same order again is a safe retry; other lines are a conflict naming the order.
    const again = await post('/v1/orders', { opportunityId: won.opportunityId, lines, notes: 'PO 4471' })
    expect(again.statusCode).toBe(200)
    expect(again.json().id).toBe(o.id)
    const other = expectProblem(
      await post('/v1/orders', { opportunityId: won.opportunityId, lines: LINES }),
      409,
      'conflict',
    )
    expect(other.detail).toContain(o.number)
    expect(await db().salesOrder.count()).toBe(1)
    expect(await db().auditEvent.count({ where: { entity: 'order', entityId: o.id } })).toBe(1)
  })

  it('validates lines: HSN/SAC digits, GST rate, decimals', async () => {
    const won = await deal()
    const bad = { ...LINES[0], hsnSac: '99A', gstRate: 7, quantity: 1.0001 }
    const res = expectProblem(
      await post('/v1/orders', { opportunityId: won.opportunityId, lines: [bad] }),
      422,
      'validation_failed',
    )
    expect(res.errors?.length).toBeGreaterThan(0)
    const decimals = expectProblem(
      await post('/v1/orders', {
        opportunityId: won.opportunityId,
        lines: [{ ...LINES[0], quantity: 1.0001 }],
      }),
      422,
      'rule_violation',
    )
    expect(decimals.errors).toEqual([expect.objectContaining({ pointer: '/body/lines/0/quantity' })])
  })

  it('lists newest first with filters and cursors, and shows one with its lines', async () => {
    const a = await deal()
    const b = await deal()
    const first = await order(a.opportunityId)
    const second = await order(b.opportunityId)
    const page1 = (await inject({ url: '/v1/orders?limit=1' })).json()
    expect(page1.items.map((o: { id: string }) => o.id)).toEqual([second.id])
    const page2 = (await inject({ url: `/v1/orders?limit=1&cursor=${page1.nextCursor}` })).json()
    expect(page2).toMatchObject({ items: [{ id: first.id }], nextCursor: null })
    const filtered = (await inject({ url: `/v1/orders?accountId=${a.accountId}&status=confirmed` })).json()
    expect(filtered.items.map((o: { id: string }) => o.id)).toEqual([first.id])
    const one = await inject({ url: `/v1/orders/${first.id}` })
    expect(one.json().lines).toHaveLength(1)
    expectProblem(await inject({ url: `/v1/orders/${uuidv7()}` }), 404, 'not_found')
  })
})

describe('GST invoices', () => {
  it('charges CGST + SGST within the seller’s state and snapshots seller, buyer and billing contact', async () => {
    const d = await deal()
    const o = await order(d.opportunityId, [
      ...LINES,
      { description: 'Onboarding', hsnSac: '998314', quantity: 2.5, unitPrice: 33.33, gstRate: 5 },
    ])
    const inv = await invoice({ orderId: o.id })
    expect(inv).toMatchObject({
      number: `INV/${short()}/000001`,
      status: 'issued',
      taxRegime: 'intra_state',
      placeOfSupply: '27',
      subtotal: 100083.33,
      cgst: 9002.08, // 9000.00 + 2.08 (2.5 % of 83.33 = 2.08325)
      sgst: 9002.08,
      igst: 0,
      roundOff: -0.49, // 118087.49 → 118087
      total: 118087,
      balanceDue: 118087,
      contactId: d.billingId,
      issueDate: today(),
      dueDate: addDays(today(), 15),
      overdue: false,
      seller: { gstin: SELLER_GSTIN },
      buyer: { gstin: d.gstin, stateCode: '27', country: 'IN' },
    })
    expect(inv.number.length).toBeLessThanOrEqual(16)
    expect(inv.lines).toMatchObject([
      { taxableValue: 100000, cgst: 9000, sgst: 9000, igst: 0, total: 118000 },
      { taxableValue: 83.33, cgst: 2.08, sgst: 2.08, total: 87.49 },
    ])
    const stored = (await inject({ url: `/v1/orders/${o.id}` })).json()
    expect(stored.status).toBe('invoiced')
    expect(stored.lines.map((l: { invoicedQuantity: number }) => l.invoicedQuantity)).toEqual([1, 2.5])
    expect((await outbox('invoice.issued')).map((e) => e.payload)).toEqual([{ invoiceId: inv.id }])
    expect(
      await db().auditEvent.count({ where: { entity: 'invoice', entityId: inv.id, action: 'create' } }),
    ).toBe(1)
    // Nothing left to invoice.
    expectProblem(await post('/v1/invoices', { orderId: o.id }), 422, 'rule_violation')
  })

  it('charges IGST to another state (place of supply from the GSTIN) and on exports', async () => {
    const ka = await deal({ gstin: BUYER_KA, stateCode: null, country: 'IN' })
    const inter = await invoice({ orderId: (await order(ka.opportunityId)).id })
    expect(inter).toMatchObject({
      taxRegime: 'inter_state',
      placeOfSupply: '29',
      cgst: 0,
      sgst: 0,
      igst: 18000,
      total: 118000,
      buyer: { stateCode: '29' },
    })
    const abroad = await deal({ gstin: null, stateCode: null, country: 'US' })
    const exported = await invoice({ orderId: (await order(abroad.opportunityId)).id })
    expect(exported).toMatchObject({
      taxRegime: 'export',
      placeOfSupply: '96',
      igst: 18000,
      buyer: { country: 'US' },
    })
    const nowhere = await deal({ gstin: null, stateCode: null, country: null })
    const refused = expectProblem(
      await post('/v1/invoices', { orderId: (await order(nowhere.opportunityId)).id }),
      422,
      'rule_violation',
    )
    expect(refused.errors?.[0]?.pointer).toBe('/body/orderId')
  })

  it('bills an order in parts and refuses over-invoicing a line', async () => {
    const d = await deal()
    const o = await order(d.opportunityId, [{ ...LINES[0], quantity: 10, unitPrice: 1000 }])
    const lineId = o.lines[0]!.id
    const part = await invoice({
      orderId: o.id,
      lines: [{ orderLineId: lineId, quantity: 4 }],
      contactId: d.primaryId,
    })
    expect(part).toMatchObject({ subtotal: 4000, cgst: 360, sgst: 360, total: 4720, contactId: d.primaryId })
    expect((await inject({ url: `/v1/orders/${o.id}` })).json().status).toBe('partially_invoiced')
    const over = expectProblem(
      await post('/v1/invoices', { orderId: o.id, lines: [{ orderLineId: lineId, quantity: 6.5 }] }),
      422,
      'rule_violation',
    )
    expect(over.errors?.[0]?.pointer).toBe('/body/lines/0/quantity')
    const rest = await invoice({ orderId: o.id })
    expect(rest.lines[0]?.quantity).toBe(6)
    expectProblem(await post('/v1/invoices', { orderId: uuidv7() }), 404, 'not_found')
    expectProblem(
      await post('/v1/invoices', { orderId: o.id, issueDate: addDays(today(), 2) }),
      422,
      'rule_violation',
    )
  })

  it('numbers 10 concurrent invoices consecutively, with no gaps or duplicates', async () => {
    const orders = []
    for (let i = 0; i < 10; i++) orders.push(await order((await deal()).opportunityId))
    const results = await Promise.all(orders.map((o) => post('/v1/invoices', { orderId: o.id })))
    for (const r of results) expect(r.statusCode, r.body).toBe(201)
    const numbers = results.map((r) => r.json<InvoiceBody>().number).sort()
    expect(numbers).toEqual(
      Array.from({ length: 10 }, (_, i) => `INV/${short()}/${String(i + 1).padStart(6, '0')}`),
    )
    const counter = await db().documentSequence.findUnique({
      where: { series_financialYear: { series: 'INV', financialYear: fy() } },
    })
    expect(counter?.lastValue).toBe(10)
  })

  it('leaves no gap when an invoice’s transaction rolls back after taking its number', async () => {
    const first = await invoice({ orderId: (await order((await deal()).opportunityId)).id })
    expect(first.number).toBe(`INV/${short()}/000001`)
    await expect(
      db().$transaction(async (tx) => {
        expect((await nextDocumentNumber(tx, 'INV', fy())).number).toBe(`INV/${short()}/000002`)
        throw new Error('the invoice insert failed')
      }),
    ).rejects.toThrow('the invoice insert failed')
    const next = await invoice({ orderId: (await order((await deal()).opportunityId)).id })
    expect(next.number).toBe(`INV/${short()}/000002`)
  })

  it('voids an invoice without payments: it keeps its number and the order can be billed again', async () => {
    const d = await deal()
    const o = await order(d.opportunityId)
    const inv = await invoice({ orderId: o.id })
    const voided = await post(`/v1/invoices/${inv.id}/void`, { reason: 'Wrong billing address' })
    expect(voided.statusCode, voided.body).toBe(200)
    expect(voided.json()).toMatchObject({
      number: inv.number,
      status: 'void',
      voidReason: 'Wrong billing address',
      balanceDue: 0,
    })
    expect((await inject({ url: `/v1/orders/${o.id}` })).json()).toMatchObject({
      status: 'confirmed',
      lines: [{ invoicedQuantity: 0 }],
    })
    expect((await post(`/v1/invoices/${inv.id}/void`, { reason: 'again' })).json().voidReason).toBe(
      'Wrong billing address',
    )
    expect((await outbox('invoice.changed')).map((e) => e.payload)).toEqual([
      { invoiceId: inv.id, reason: 'void' },
    ])
    expectProblem(
      await post(`/v1/invoices/${inv.id}/payments`, { amount: 1, method: 'upi', reference: 'UTR1' }),
      422,
      'rule_violation',
    )
    const again = await invoice({ orderId: o.id })
    expect(again.number).toBe(`INV/${short()}/000002`)
  })
})

describe('payments', () => {
  it('pays in parts until paid, records a reference once, refuses over-payment and voiding a paid invoice', async () => {
    const d = await deal()
    const inv = await invoice({ orderId: (await order(d.opportunityId)).id })
    const url = `/v1/invoices/${inv.id}/payments`
    const first = await post(url, {
      amount: 50000,
      method: 'bank_transfer',
      reference: 'UTR0001',
      receivedAt: new Date().toISOString(),
    })
    expect(first.statusCode, first.body).toBe(201)
    const afterFirst = (await inject({ url: `/v1/invoices/${inv.id}` })).json<InvoiceBody>()
    expect(afterFirst).toMatchObject({
      status: 'partially_paid',
      amountPaid: 50000,
      balanceDue: 68000,
      paidAt: null,
    })

    // The same payment again records nothing; the same reference with another amount conflicts.
    const replay = await post(url, { amount: 50000, method: 'bank_transfer', reference: 'UTR0001' })
    expect(replay.statusCode).toBe(200)
    expect(replay.json().id).toBe(first.json().id)
    expectProblem(
      await post(url, { amount: 5000, method: 'bank_transfer', reference: 'UTR0001' }),
      409,
      'conflict',
    )
    const over = expectProblem(
      await post(url, { amount: 68000.01, method: 'upi', reference: 'UPI-2' }),
      422,
      'rule_violation',
    )
    expect(over.errors?.[0]?.pointer).toBe('/body/amount')
    expectProblem(
      await post(url, { amount: 10.005, method: 'upi', reference: 'UPI-2' }),
      422,
      'rule_violation',
    )
    expectProblem(await post(`/v1/invoices/${inv.id}/void`, { reason: 'x' }), 422, 'rule_violation')

    const last = await post(url, { amount: 68000, method: 'upi', reference: 'UPI-2' })
    expect(last.statusCode).toBe(201)
    const paid = (await inject({ url: `/v1/invoices/${inv.id}` })).json<InvoiceBody>()
    expect(paid).toMatchObject({ status: 'paid', amountPaid: 118000, balanceDue: 0 })
    expect(paid.paidAt).not.toBeNull()
    expect(paid.payments).toHaveLength(2)
    expectProblem(await post(url, { amount: 1, method: 'cash', reference: 'R-3' }), 422, 'rule_violation')

    const listed = (await inject({ url: `${url}?limit=1` })).json()
    expect(listed.items).toHaveLength(1)
    const rest = (await inject({ url: `${url}?limit=1&cursor=${listed.nextCursor}` })).json()
    expect(rest.items[0].reference).toBe('UPI-2')

    expect((await outbox('invoice.changed')).map((e) => e.payload)).toEqual([
      { invoiceId: inv.id, reason: 'payment' },
      { invoiceId: inv.id, reason: 'payment' },
    ])
    expect((await outbox('account.changed')).map((e) => e.payload)).toEqual([
      { accountId: d.accountId, reason: 'payment' },
      { accountId: d.accountId, reason: 'invoice_paid' },
    ])
    expect(await db().auditEvent.count({ where: { entity: 'payment' } })).toBe(2)
    expectProblem(
      await post(`/v1/invoices/${uuidv7()}/payments`, { amount: 1, method: 'cash', reference: 'R' }),
      404,
      'not_found',
    )
  })
})

describe('invoice lists', () => {
  it('filters overdue invoices (open balance, due date before today) and reports days overdue', async () => {
    const late = await deal()
    const overdue = await invoice({
      orderId: (await order(late.opportunityId)).id,
      issueDate: addDays(today(), -40),
      dueDate: addDays(today(), -10),
    })
    expect(overdue).toMatchObject({ overdue: true, daysOverdue: 10 })
    const dueToday = await invoice({
      orderId: (await order((await deal()).opportunityId)).id,
      issueDate: addDays(today(), -30),
      dueDate: today(),
    })
    const paidLate = await invoice({
      orderId: (await order((await deal()).opportunityId)).id,
      issueDate: addDays(today(), -50),
      dueDate: addDays(today(), -20),
    })
    await post(`/v1/invoices/${paidLate.id}/payments`, {
      amount: 118000,
      method: 'cheque',
      reference: 'CHQ 001122',
    })

    const list = (await inject({ url: '/v1/invoices?overdue=true' })).json()
    expect(list.items.map((i: InvoiceBody) => i.id)).toEqual([overdue.id])
    const all = (await inject({ url: '/v1/invoices' })).json()
    // Latest issue date first.
    expect(all.items.map((i: InvoiceBody) => i.id)).toEqual([dueToday.id, overdue.id, paidLate.id])
    const mine = (await inject({ url: `/v1/invoices?accountId=${late.accountId}&status=issued` })).json()
    expect(mine.items.map((i: InvoiceBody) => i.id)).toEqual([overdue.id])
    const page = (await inject({ url: '/v1/invoices?limit=2' })).json()
    const next = (await inject({ url: `/v1/invoices?limit=2&cursor=${page.nextCursor}` })).json()
    expect([...page.items, ...next.items].map((i: InvoiceBody) => i.id)).toEqual(
      all.items.map((i: InvoiceBody) => i.id),
    )
  })
})

describe('invoice PDF', () => {
  it('renders a tax invoice with the number, GSTINs, taxes, total and amount in words', async () => {
    const d = await deal()
    const inv = await invoice({ orderId: (await order(d.opportunityId)).id })
    const res = await inject({ url: `/v1/invoices/${inv.id}/pdf` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) })
    const { text } = await parser.getText()
    await parser.destroy()
    const flat = text.replace(/\s+/g, ' ')
    expect(flat).toContain('Tax Invoice')
    expect(flat).toContain(inv.number)
    expect(flat).toContain(SELLER_GSTIN)
    expect(flat).toContain(d.gstin)
    expect(flat).toContain('CGST')
    expect(flat).toContain('SGST')
    expect(flat).toContain('997331')
    expect(flat).toContain('1,18,000.00')
    expect(flat).toContain('27 - Maharashtra')
    expect(flat).toContain('Rupees One Lakh Eighteen Thousand Only')
  })
})
