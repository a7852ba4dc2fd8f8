import { PDFParse } from 'pdf-parse'
import { describe, expect, it } from 'vitest'
import { encodeCursor } from '../../api/queries/cursor.js'
import { addDays } from '../../domain/time/india-date.rules.js'
import { LINES, today, useBillingApp } from '../support/billing.js'
import { expectProblem } from '../support/problem.js'

/*
 * Billing edge cases found in review, through the API on a real PostgreSQL: cursors that
 * are not ours, dates outside what an invoice can carry, invoices with nothing to collect,
 * blank payment references, payments recorded out of order, and the PDF's closing block
 * on long invoices.
 */

const { db, inject, post, deal, order, invoice } = useBillingApp()

describe('list cursors', () => {
  it('answers 400, not 500, for a cursor whose id is not a uuid', async () => {
    const inv = await invoice({ orderId: (await order((await deal()).opportunityId)).id })
    const bad = encodeCursor({ v: new Date().toISOString(), id: 'not-a-uuid' })
    for (const url of ['/v1/invoices', '/v1/orders', `/v1/invoices/${inv.id}/payments`])
      expectProblem(await inject({ url: `${url}?cursor=${bad}` }), 400, 'malformed_request')
  })
})

describe('invoice dates', () => {
  it('refuses an issue date before GST (1 July 2017) with a 422, not a 500', async () => {
    const o = await order((await deal()).opportunityId)
    for (const issueDate of ['0001-01-01', '2017-06-30']) {
      const res = expectProblem(
        await post('/v1/invoices', { orderId: o.id, issueDate }),
        422,
        'rule_violation',
      )
      expect(res.errors?.[0]?.pointer).toBe('/body/issueDate')
    }
    expect((await invoice({ orderId: o.id, issueDate: '2017-07-01', dueDate: '2017-07-31' })).status).toBe(
      'issued',
    )
  })

  it('refuses a due date the collection schedule cannot reach (more than 365 days after issue)', async () => {
    const o = await order((await deal()).opportunityId)
    for (const dueDate of ['9999-12-31', addDays(today(), 366)]) {
      const res = expectProblem(await post('/v1/invoices', { orderId: o.id, dueDate }), 422, 'rule_violation')
      expect(res.errors?.[0]?.pointer).toBe('/body/dueDate')
    }
    expect(await db().invoice.count()).toBe(0)
    await invoice({ orderId: o.id, dueDate: addDays(today(), 365) })
  })
})

describe('invoices with nothing to collect', () => {
  it('are paid at issue: never open, overdue or chased for ₹0.00', async () => {
    const free = await order((await deal()).opportunityId, [{ ...LINES[0], unitPrice: 0 }])
    const inv = await invoice({
      orderId: free.id,
      issueDate: addDays(today(), -40),
      dueDate: addDays(today(), -10),
    })
    expect(inv).toMatchObject({ total: 0, status: 'paid', overdue: false, balanceDue: 0 })
    expect(inv.paidAt).not.toBeNull()

    // 40 paise at 0 % rounds to a total of ₹0 as well.
    const tiny = await order((await deal()).opportunityId, [{ ...LINES[0], unitPrice: 0.4, gstRate: 0 }])
    expect(await invoice({ orderId: tiny.id })).toMatchObject({ total: 0, roundOff: -0.4, status: 'paid' })
    const overdue = (await inject({ url: '/v1/invoices?overdue=true' })).json<{ items: unknown[] }>()
    expect(overdue.items).toEqual([])
  })
})

describe('payments', () => {
  it('refuses a reference that is only spaces', async () => {
    const inv = await invoice({ orderId: (await order((await deal()).opportunityId)).id })
    const res = expectProblem(
      await post(`/v1/invoices/${inv.id}/payments`, { amount: 1, method: 'upi', reference: '   ' }),
      422,
      'rule_violation',
    )
    expect(res.errors?.[0]?.pointer).toBe('/body/reference')
    expect(await db().payment.count()).toBe(0)
  })

  it('dates the settlement by the last money received, whatever order payments are recorded in', async () => {
    const inv = await invoice({ orderId: (await order((await deal()).opportunityId)).id })
    const url = `/v1/invoices/${inv.id}/payments`
    const later = new Date(Date.now() - 60_000).toISOString()
    const earlier = new Date(Date.now() - 3 * 86_400_000).toISOString()
    expect(
      (await post(url, { amount: 100000, method: 'upi', reference: 'UPI-9', receivedAt: later })).statusCode,
    ).toBe(201)
    expect(
      (await post(url, { amount: 18000, method: 'cheque', reference: 'CHQ-1', receivedAt: earlier }))
        .statusCode,
    ).toBe(201)
    const paid = (await inject({ url: `/v1/invoices/${inv.id}` })).json<{
      status: string
      paidAt: string
    }>()
    expect(paid).toMatchObject({ status: 'paid', paidAt: later })
  })
})

describe('invoice PDF of many lines', () => {
  it('keeps the totals, amount in words and signature together on the last page', async () => {
    // 32-34 lines end just above the rows' page reserve: the closing block used to break
    // across pages, one line of it per page (34 lines printed on 4 pages).
    for (const count of [31, 33, 34]) {
      const lines = Array.from({ length: count }, (_, i) => ({
        ...LINES[0],
        description: `Licence seat ${i + 1}`,
      }))
      const inv = await invoice({ orderId: (await order((await deal()).opportunityId, lines)).id })
      const res = await inject({ url: `/v1/invoices/${inv.id}/pdf` })
      expect(res.statusCode).toBe(200)
      const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) })
      const { pages } = await parser.getText()
      await parser.destroy()
      const last = pages.length - 1
      const pageOf = (text: string) => pages.findIndex((p) => p.text.includes(text))
      expect(pages.length, `${count} lines`).toBeLessThanOrEqual(2)
      for (const text of ['Round off', 'Amount in words', 'Authorised signatory', 'computer-generated'])
        expect(pageOf(text), `${count} lines: ${text}`).toBe(last)
      expect(pages.map((p) => p.text).join(' ')).toContain(`Licence seat ${count}`)
    }
  })
})
