import { isGstRate, lineAmountPaise } from './gst.rules.js'
import { MAX_AMOUNT_MINOR, toMinorUnits } from './money.rules.js'

/*
 * Sales-order lines as the API receives them (JSON numbers), checked and turned into the
 * integers billing computes with. Quantities carry up to 3 decimals (2.5 kg, 0.125 licences
 * for a pro-rated month), prices up to 2 (paise).
 */

export interface BillingFieldError {
  /** JSON pointer into the request, e.g. /body/lines/0/quantity. */
  pointer: string
  message: string
}

export interface OrderLineDraft {
  description: string
  hsnSac: string
  quantity: number
  unitPrice: number
  gstRate: number
}

export interface PricedOrderLine {
  lineNo: number
  description: string
  hsnSac: string
  quantityMilli: number
  unitPricePaise: number
  rateBp: number
  /** quantity × unit price, rounded half-up to the paisa (before tax). */
  amountPaise: number
}

export type PricedOrder =
  { ok: true; lines: PricedOrderLine[]; subtotalPaise: number } | { ok: false; errors: BillingFieldError[] }

/** Each line checked and priced; every problem is reported with the field it concerns. */
export function priceOrderLines(drafts: readonly OrderLineDraft[], pointer = '/body/lines'): PricedOrder {
  const errors: BillingFieldError[] = []
  const lines: PricedOrderLine[] = []
  drafts.forEach((d, i) => {
    const at = (field: string) => `${pointer}/${i}/${field}`
    const quantityMilli = toMinorUnits(d.quantity, 3)
    const unitPricePaise = toMinorUnits(d.unitPrice, 2)
    const rateBp = toMinorUnits(d.gstRate, 2)
    if (quantityMilli === null || quantityMilli <= 0)
      errors.push({ pointer: at('quantity'), message: 'must be more than 0, with at most 3 decimals' })
    if (unitPricePaise === null || unitPricePaise < 0)
      errors.push({ pointer: at('unitPrice'), message: 'must be 0 or more, with at most 2 decimals' })
    if (rateBp === null || !isGstRate(d.gstRate))
      errors.push({ pointer: at('gstRate'), message: 'must be a GST rate: 0, 0.25, 3, 5, 12, 18, 28 or 40' })
    if (
      quantityMilli === null ||
      quantityMilli <= 0 ||
      unitPricePaise === null ||
      unitPricePaise < 0 ||
      rateBp === null
    )
      return
    const amountPaise = lineAmountPaise(quantityMilli, unitPricePaise)
    if (BigInt(amountPaise) > MAX_AMOUNT_MINOR) {
      errors.push({ pointer: at('quantity'), message: 'quantity × unit price is too large for one line' })
      return
    }
    lines.push({
      lineNo: i + 1,
      description: d.description,
      hsnSac: d.hsnSac,
      quantityMilli,
      unitPricePaise,
      rateBp,
      amountPaise,
    })
  })
  if (errors.length > 0) return { ok: false, errors }
  const subtotalPaise = lines.reduce((s, l) => s + l.amountPaise, 0)
  if (BigInt(subtotalPaise) > MAX_AMOUNT_MINOR)
    return { ok: false, errors: [{ pointer, message: 'the order total is too large' }] }
  return { ok: true, lines, subtotalPaise }
}

export interface OrderLineBalance {
  id: string
  lineNo: number
  quantityMilli: number
  invoicedMilli: number
}

export interface InvoicePick {
  orderLineId: string
  quantityMilli: number
}

/**
 * Which order lines (and how much of each) an invoice bills. Nothing requested: whatever is
 * not invoiced yet. Requested: each line must belong to the order, appear once, and not be
 * billed beyond its ordered quantity (over-invoicing is refused, never clipped).
 */
export function pickInvoiceLines(
  orderLines: readonly OrderLineBalance[],
  requested: readonly { orderLineId: string; quantity: number }[] | undefined,
  pointer = '/body/lines',
): { ok: true; picks: InvoicePick[] } | { ok: false; errors: BillingFieldError[] } {
  const byId = new Map(orderLines.map((l) => [l.id, l]))
  if (requested === undefined) {
    const picks = [...orderLines]
      .sort((a, b) => a.lineNo - b.lineNo)
      .filter((l) => l.quantityMilli > l.invoicedMilli)
      .map((l) => ({ orderLineId: l.id, quantityMilli: l.quantityMilli - l.invoicedMilli }))
    if (picks.length === 0)
      return { ok: false, errors: [{ pointer: '/body/orderId', message: 'the order is fully invoiced' }] }
    return { ok: true, picks }
  }
  const errors: BillingFieldError[] = []
  const picks: InvoicePick[] = []
  const seen = new Set<string>()
  requested.forEach((r, i) => {
    const line = byId.get(r.orderLineId)
    const quantityMilli = toMinorUnits(r.quantity, 3)
    if (!line) errors.push({ pointer: `${pointer}/${i}/orderLineId`, message: 'is not a line of this order' })
    else if (seen.has(r.orderLineId))
      errors.push({ pointer: `${pointer}/${i}/orderLineId`, message: 'appears more than once' })
    else if (quantityMilli === null || quantityMilli <= 0)
      errors.push({
        pointer: `${pointer}/${i}/quantity`,
        message: 'must be more than 0, with at most 3 decimals',
      })
    else if (quantityMilli > line.quantityMilli - line.invoicedMilli)
      errors.push({
        pointer: `${pointer}/${i}/quantity`,
        message: `exceeds what is left to invoice on line ${line.lineNo} (${(line.quantityMilli - line.invoicedMilli) / 1000})`,
      })
    else picks.push({ orderLineId: line.id, quantityMilli })
    seen.add(r.orderLineId)
  })
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, picks }
}
