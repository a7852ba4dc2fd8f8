import { describe, expect, it } from 'vitest'
import { pickInvoiceLines, priceOrderLines } from '../../../domain/billing/order-line.rules.js'

const draft = {
  description: 'Annual licence',
  hsnSac: '997331',
  quantity: 2.5,
  unitPrice: 33.33,
  gstRate: 18,
}

describe('pricing order lines', () => {
  it('prices each line in paise (half-up) and totals them', () => {
    const r = priceOrderLines([draft, { ...draft, quantity: 1, unitPrice: 1000, gstRate: 5 }])
    expect(r).toMatchObject({
      ok: true,
      subtotalPaise: 83_33 + 1000_00,
      lines: [
        { lineNo: 1, quantityMilli: 2500, unitPricePaise: 33_33, rateBp: 1800, amountPaise: 83_33 },
        { lineNo: 2, quantityMilli: 1000, unitPricePaise: 1000_00, rateBp: 500, amountPaise: 1000_00 },
      ],
    })
  })

  it('names each field that breaks a rule', () => {
    const r = priceOrderLines([
      { ...draft, quantity: 1.0001, unitPrice: 10.005, gstRate: 7 },
      { ...draft, quantity: 0 },
    ])
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.pointer)).toEqual([
      '/body/lines/0/quantity',
      '/body/lines/0/unitPrice',
      '/body/lines/0/gstRate',
      '/body/lines/1/quantity',
    ])
  })

  it('refuses a line too large to hold exactly', () => {
    const r = priceOrderLines([{ ...draft, quantity: 10_000_000, unitPrice: 100_000_000_000 }])
    expect(r.ok).toBe(false)
  })
})

describe('picking what an invoice bills', () => {
  const lines = [
    { id: 'a', lineNo: 1, quantityMilli: 10_000, invoicedMilli: 4_000 },
    { id: 'b', lineNo: 2, quantityMilli: 1_000, invoicedMilli: 1_000 },
    { id: 'c', lineNo: 3, quantityMilli: 2_500, invoicedMilli: 0 },
  ]

  it('bills everything not yet invoiced by default', () => {
    expect(pickInvoiceLines(lines, undefined)).toEqual({
      ok: true,
      picks: [
        { orderLineId: 'a', quantityMilli: 6_000 },
        { orderLineId: 'c', quantityMilli: 2_500 },
      ],
    })
  })

  it('refuses a fully invoiced order', () => {
    const done = lines.map((l) => ({ ...l, invoicedMilli: l.quantityMilli }))
    expect(pickInvoiceLines(done, undefined)).toMatchObject({
      ok: false,
      errors: [{ pointer: '/body/orderId' }],
    })
  })

  it('bills what is asked, up to what is left, and refuses over-invoicing, strangers and repeats', () => {
    expect(pickInvoiceLines(lines, [{ orderLineId: 'a', quantity: 6 }])).toEqual({
      ok: true,
      picks: [{ orderLineId: 'a', quantityMilli: 6_000 }],
    })
    const r = pickInvoiceLines(lines, [
      { orderLineId: 'a', quantity: 6.001 },
      { orderLineId: 'x', quantity: 1 },
      { orderLineId: 'c', quantity: 1 },
      { orderLineId: 'c', quantity: 1 },
    ])
    expect(r).toMatchObject({
      ok: false,
      errors: [
        { pointer: '/body/lines/0/quantity', message: expect.stringContaining('exceeds') },
        { pointer: '/body/lines/1/orderLineId' },
        { pointer: '/body/lines/3/orderLineId', message: 'appears more than once' },
      ],
    })
  })
})
