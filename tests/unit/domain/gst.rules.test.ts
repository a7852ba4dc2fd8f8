import { describe, expect, it } from 'vitest'
import { gstinCheckCharacter } from '../../../domain/account/gstin.rules.js'
import {
  canonicalStateCode,
  invoiceTotals,
  isGstRate,
  lineAmountPaise,
  placeOfSupply,
  supplierStateCode,
  taxLine,
  taxRegime,
  type TaxLineInput,
} from '../../../domain/billing/gst.rules.js'

const MAHARASHTRA_GSTIN = '27AAPFU0939F1ZV'
const KARNATAKA_GSTIN = `29AABCT1332L1Z${gstinCheckCharacter('29AABCT1332L1Z')}`

/** `quantity` units at `unitPricePaise`, taxed at `ratePercent`. */
const line = (quantity: number, unitPricePaise: number, ratePercent: number): TaxLineInput => ({
  quantityMilli: Math.round(quantity * 1000),
  unitPricePaise,
  rateBp: Math.round(ratePercent * 100),
})

describe('place of supply', () => {
  it("is the buyer's state code, else the state of its GSTIN", () => {
    expect(placeOfSupply({ country: 'IN', stateCode: '29', gstin: MAHARASHTRA_GSTIN })).toEqual({
      kind: 'india',
      stateCode: '29',
    })
    expect(placeOfSupply({ country: null, stateCode: null, gstin: KARNATAKA_GSTIN })).toEqual({
      kind: 'india',
      stateCode: '29',
    })
    expect(placeOfSupply({ country: 'in', stateCode: '7', gstin: null })).toEqual({
      kind: 'india',
      stateCode: '07',
    })
  })

  it('is abroad for a buyer whose country is not India, whatever its state code says', () => {
    expect(placeOfSupply({ country: 'US', stateCode: '27', gstin: null })).toEqual({
      kind: 'abroad',
      country: 'US',
    })
  })

  it('is unknown without a state code, a readable GSTIN or a foreign country', () => {
    expect(placeOfSupply({ country: 'IN', stateCode: null, gstin: null })).toBeNull()
    expect(placeOfSupply({ country: null, stateCode: '00', gstin: '27AAPFU0939F1ZX' })).toBeNull()
  })

  it("takes the seller's state from its GSTIN when registered", () => {
    expect(supplierStateCode({ gstin: KARNATAKA_GSTIN, stateCode: '27' })).toBe('29')
    expect(supplierStateCode({ gstin: null, stateCode: '27' })).toBe('27')
    expect(canonicalStateCode('99')).toBe('99')
    expect(canonicalStateCode('98')).toBeNull()
  })
})

describe('tax regime', () => {
  it('is intra_state (CGST + SGST) within one state, inter_state (IGST) across states, export abroad', () => {
    expect(taxRegime('27', { kind: 'india', stateCode: '27' })).toBe('intra_state')
    expect(taxRegime('27', { kind: 'india', stateCode: '29' })).toBe('inter_state')
    expect(taxRegime('27', { kind: 'abroad', country: 'AE' })).toBe('export')
  })

  it('reads legacy code 25 (Daman and Diu) as 26, the territory it merged into', () => {
    expect(taxRegime('26', { kind: 'india', stateCode: '25' })).toBe('intra_state')
  })
})

describe('line tax in paise', () => {
  it('splits an intra-state rate into CGST and SGST at half the rate each', () => {
    expect(taxLine(line(1, 100_000_00, 18), 'intra_state', true)).toEqual({
      taxable: 100_000_00,
      cgst: 9_000_00,
      sgst: 9_000_00,
      igst: 0,
      total: 118_000_00,
    })
  })

  it('charges IGST at the full rate across states and on exports', () => {
    const inter = taxLine(line(2, 50_000_00, 18), 'inter_state', true)
    expect(inter).toEqual({ taxable: 100_000_00, cgst: 0, sgst: 0, igst: 18_000_00, total: 118_000_00 })
    expect(taxLine(line(2, 50_000_00, 18), 'export', true)).toEqual(inter)
  })

  it('rounds each component half-up to the paisa, so CGST + SGST may differ from IGST by a paisa', () => {
    // 18 % of ₹0.25: IGST 4.5 paise → 5; CGST 2.25 → 2 and SGST 2.25 → 2.
    expect(taxLine(line(1, 25, 18), 'inter_state', true).igst).toBe(5)
    expect(taxLine(line(1, 25, 18), 'intra_state', true)).toMatchObject({ cgst: 2, sgst: 2, total: 29 })
    // 0.25 % of ₹999.99: CGST 0.125 % = 124.99875 paise → 125.
    expect(taxLine(line(1, 999_99, 0.25), 'intra_state', true)).toMatchObject({ cgst: 125, sgst: 125 })
    // Exactly half a paisa rounds up: 5 % of ₹0.10 is 0.5 paise IGST → 1.
    expect(taxLine(line(1, 10, 5), 'inter_state', true).igst).toBe(1)
  })

  it('prices fractional quantities half-up: 2.5 × ₹33.33 = ₹83.325 → ₹83.33', () => {
    expect(lineAmountPaise(2500, 33_33)).toBe(83_33)
    expect(lineAmountPaise(1, 1)).toBe(0) // 0.001 × 1 paisa
    expect(lineAmountPaise(500, 1)).toBe(1) // 0.5 paisa → 1
  })

  it('charges no tax when the seller is not registered, and no tax at 0 %', () => {
    expect(taxLine(line(1, 1000_00, 18), 'intra_state', false)).toEqual({
      taxable: 1000_00,
      cgst: 0,
      sgst: 0,
      igst: 0,
      total: 1000_00,
    })
    expect(taxLine(line(3, 100_00, 0), 'inter_state', true).total).toBe(300_00)
  })

  it('knows the GST rates', () => {
    for (const rate of [0, 0.25, 3, 5, 12, 18, 28, 40]) expect(isGstRate(rate)).toBe(true)
    for (const rate of [1, 2.5, 6, 9, 14, 100, -18]) expect(isGstRate(rate)).toBe(false)
  })
})

describe('invoice totals', () => {
  it('adds mixed rates line by line and rounds the total to the rupee with a round-off', () => {
    const lines = [
      taxLine(line(3, 333_33, 18), 'intra_state', true), // 999.99 → CGST 90.00 (89.9991), SGST 90.00
      taxLine(line(1, 1234_56, 5), 'intra_state', true), // 1234.56 → CGST 30.86 (30.864), SGST 30.86
      taxLine(line(0.5, 999_99, 12), 'intra_state', true), // 500.00 (499.995) → CGST 30.00, SGST 30.00
    ]
    expect(lines.map((l) => l.taxable)).toEqual([999_99, 1234_56, 500_00])
    const totals = invoiceTotals(lines, true)
    expect(totals).toEqual({
      subtotal: 2734_55,
      cgst: 150_86,
      sgst: 150_86,
      igst: 0,
      roundOff: -27, // 3036.27 → 3036
      total: 3036_00,
    })
  })

  it('rounds 50 paise up, and a round-off is never more than 50 paise either way', () => {
    const up = invoiceTotals([{ taxable: 100_50, cgst: 0, sgst: 0, igst: 0, total: 100_50 }], true)
    expect(up).toMatchObject({ roundOff: 50, total: 101_00 })
    const down = invoiceTotals([{ taxable: 100_49, cgst: 0, sgst: 0, igst: 0, total: 100_49 }], true)
    expect(down).toMatchObject({ roundOff: -49, total: 100_00 })
  })

  it('keeps the exact total (no round-off) when asked not to round (invoices in another currency)', () => {
    const t = invoiceTotals([taxLine(line(1, 10_01, 18), 'export', true)], false)
    expect(t).toMatchObject({ subtotal: 10_01, igst: 1_80, roundOff: 0, total: 11_81 })
  })

  it('totals nothing as zero', () => {
    expect(invoiceTotals([], true)).toEqual({ subtotal: 0, cgst: 0, sgst: 0, igst: 0, roundOff: 0, total: 0 })
  })
})
