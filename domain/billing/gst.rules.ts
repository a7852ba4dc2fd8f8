import { GST_STATE_CODES, isSameStateSupply, parseGstin } from '../account/gstin.rules.js'
import { divideRoundHalfUp } from './money.rules.js'

/*
 * GST on a tax invoice: which taxes apply (CGST + SGST within a state, IGST across states
 * and on exports), and each line's tax in paise.
 *
 * - Place of supply of a service to a registered or known buyer is the buyer's location
 *   (IGST Act 2017, s. 12(2)): we take the buyer's state code, else the state in its GSTIN.
 *   The Acts cited here are published by CBIC at https://cbic-gst.gov.in.
 * - Supplier and place of supply in the same state: CGST + SGST, half the rate each
 *   (CGST Act s. 9, IGST Act s. 8); different states: IGST at the full rate (IGST Act s. 7);
 *   a buyer outside India: IGST too (an export is an inter-state supply, IGST Act s. 7(5)).
 *   Zero-rating an export under a Letter of Undertaking (IGST Act s. 16) is not handled:
 *   exports are invoiced with IGST paid, which the exporter may claim back as a refund.
 * - Each tax component of each line is rounded half-up to the paisa; the invoice total is
 *   rounded to the rupee with a visible round-off line (CGST Act s. 170 allows rounding tax
 *   to the nearest rupee; invoices commonly round the total and show the difference).
 * - A seller without a GSTIN is not registered and may not collect GST (CGST Act s. 24,
 *   s. 31(3)(c)): its invoices carry no tax (a bill of supply).
 */

/**
 * GST rates in percent: the long-standing slabs, the special rates for precious stones
 * (0.25) and metals (3), and 40 for the demerit goods of the September 2025 rationalisation
 * (56th GST Council meeting), which moved most goods from 12 and 28 but left both in use.
 */
export const GST_RATES = [0, 0.25, 3, 5, 12, 18, 28, 40] as const
export type GstRate = (typeof GST_RATES)[number]

export type TaxRegime = 'intra_state' | 'inter_state' | 'export'

export interface Party {
  /** ISO 3166-1 alpha-2; null when unknown (read as India). */
  country: string | null
  stateCode: string | null
  gstin: string | null
}

export type PlaceOfSupply = { kind: 'india'; stateCode: string } | { kind: 'abroad'; country: string }

export function isGstRate(rate: number): rate is GstRate {
  return (GST_RATES as readonly number[]).includes(rate)
}

/** A GST state code in canonical form ('7' → '07'), or null when it is not one. */
export function canonicalStateCode(code: string | null | undefined): string | null {
  if (code === null || code === undefined || !/^\s*[0-9]{1,2}\s*$/.test(code)) return null
  const padded = code.trim().padStart(2, '0')
  return Object.hasOwn(GST_STATE_CODES, padded) ? padded : null
}

/**
 * Where the supply is made, from the buyer: abroad when its country is known and not India,
 * else its state code, else the state in its GSTIN; null when none of these tells.
 */
export function placeOfSupply(buyer: Party): PlaceOfSupply | null {
  const country = buyer.country?.trim().toUpperCase() || null
  if (country !== null && country !== 'IN') return { kind: 'abroad', country }
  const fromCode = canonicalStateCode(buyer.stateCode)
  if (fromCode) return { kind: 'india', stateCode: fromCode }
  if (buyer.gstin) {
    const parsed = parseGstin(buyer.gstin)
    if (parsed.ok) return { kind: 'india', stateCode: parsed.stateCode }
  }
  return null
}

/** The seller's state: its GSTIN's state when registered (the registration decides), else the given code. */
export function supplierStateCode(seller: Pick<Party, 'gstin' | 'stateCode'>): string | null {
  if (seller.gstin) {
    const parsed = parseGstin(seller.gstin)
    if (parsed.ok) return parsed.stateCode
  }
  return canonicalStateCode(seller.stateCode)
}

/** Which taxes the supply bears: see the file comment for the sections of the Acts. */
export function taxRegime(supplierState: string, place: PlaceOfSupply): TaxRegime {
  if (place.kind === 'abroad') return 'export'
  return isSameStateSupply(supplierState, place.stateCode) ? 'intra_state' : 'inter_state'
}

export interface TaxLineInput {
  /** Quantity in thousandths (2.5 units is 2500). */
  quantityMilli: number
  /** Unit price in paise. */
  unitPricePaise: number
  /** Rate in basis points (18 % is 1800, 0.25 % is 25). */
  rateBp: number
}

/** One line's amounts, all in paise. */
export interface TaxedLine {
  taxable: number
  cgst: number
  sgst: number
  igst: number
  total: number
}

/** Quantity × unit price in paise, rounded half-up: 2.5 × ₹33.33 is ₹83.33 (8332.5 paise → 8333). */
export function lineAmountPaise(quantityMilli: number, unitPricePaise: number): number {
  return Number(divideRoundHalfUp(BigInt(quantityMilli) * BigInt(unitPricePaise), 1000n))
}

/** taxable × rate, with the rate in basis points and `parts` the share (2 for CGST or SGST). */
function taxOn(taxable: number, rateBp: number, parts: 1 | 2): number {
  return Number(divideRoundHalfUp(BigInt(taxable) * BigInt(rateBp), 10_000n * BigInt(parts)))
}

/**
 * A line's taxable value and taxes. Intra-state: CGST and SGST at half the rate each, each
 * rounded on its own, so the pair can differ from IGST by a paisa (18 % of ₹0.25 is 2 + 2
 * paise, or 5 paise of IGST). Inter-state and export: IGST at the full rate. Unregistered
 * seller: no tax.
 */
export function taxLine(line: TaxLineInput, regime: TaxRegime, chargesGst: boolean): TaxedLine {
  const taxable = lineAmountPaise(line.quantityMilli, line.unitPricePaise)
  let cgst = 0
  let sgst = 0
  let igst = 0
  if (chargesGst && regime === 'intra_state') {
    cgst = taxOn(taxable, line.rateBp, 2)
    sgst = cgst
  } else if (chargesGst) igst = taxOn(taxable, line.rateBp, 1)
  return { taxable, cgst, sgst, igst, total: taxable + cgst + sgst + igst }
}

export interface InvoiceTotals {
  subtotal: number
  cgst: number
  sgst: number
  igst: number
  /** What rounding to the rupee added (positive) or took off (negative), in paise. */
  roundOff: number
  total: number
}

/**
 * The invoice's totals from its lines, in paise. The total is rounded to the whole rupee
 * (half-up: 50 paise goes up) when `roundToRupee`, and the difference is the round-off line.
 */
export function invoiceTotals(lines: readonly TaxedLine[], roundToRupee: boolean): InvoiceTotals {
  const sum = (pick: (l: TaxedLine) => number) => lines.reduce((s, l) => s + pick(l), 0)
  const subtotal = sum((l) => l.taxable)
  const cgst = sum((l) => l.cgst)
  const sgst = sum((l) => l.sgst)
  const igst = sum((l) => l.igst)
  const exact = subtotal + cgst + sgst + igst
  const total = roundToRupee ? Number(divideRoundHalfUp(BigInt(exact), 100n)) * 100 : exact
  return { subtotal, cgst, sgst, igst, roundOff: total - exact, total }
}
