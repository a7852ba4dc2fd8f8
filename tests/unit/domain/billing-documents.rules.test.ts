import { describe, expect, it } from 'vitest'
import { amountInWords, numberInIndianWords } from '../../../domain/billing/amount-in-words.rules.js'
import { daysOverdue, isOverdue } from '../../../domain/billing/billing-dates.rules.js'
import { addDays, indiaDate, indiaInstant } from '../../../domain/time/india-date.rules.js'
import { counterWidth, formatDocumentNumber } from '../../../domain/billing/document-number.rules.js'
import { financialYearOf, shortFinancialYear } from '../../../domain/billing/financial-year.rules.js'
import { divideRoundHalfUp, milliOf, paiseOf, toMinorUnits } from '../../../domain/billing/money.rules.js'

describe('financial year (April to March)', () => {
  it('turns over between 31 March and 1 April', () => {
    expect(financialYearOf('2027-03-31')).toBe('2026-27')
    expect(financialYearOf('2027-04-01')).toBe('2027-28')
    expect(financialYearOf('2026-04-01')).toBe('2026-27')
    expect(financialYearOf('2026-01-15')).toBe('2025-26')
    expect(financialYearOf('2099-12-31')).toBe('2099-00')
  })

  it('refuses what is not a calendar date', () => {
    expect(() => financialYearOf('2027-02-29')).toThrow(RangeError)
    expect(() => financialYearOf('31/03/2027')).toThrow(RangeError)
  })

  it('prints the year short inside document numbers', () => {
    expect(shortFinancialYear('2026-27')).toBe('26-27')
  })
})

describe('document numbers (CGST rule 46: at most 16 characters)', () => {
  it('numbers INV/26-27/000001 in 16 characters', () => {
    const n = formatDocumentNumber('INV', '2026-27', 1)
    expect(n).toBe('INV/26-27/000001')
    expect(n).toHaveLength(16)
    expect(formatDocumentNumber('SO', '2026-27', 42)).toBe('SO/26-27/000042')
  })

  it('gives a longer series fewer counter digits, and never more than 16 characters', () => {
    expect(counterWidth('GSTI')).toBe(5)
    expect(formatDocumentNumber('GSTI', '2026-27', 99_999)).toBe('GSTI/26-27/99999')
    for (const series of ['I', 'IN', 'INV', 'GSTI'])
      expect(formatDocumentNumber(series, '2027-28', 7).length).toBeLessThanOrEqual(16)
  })

  it('refuses an exhausted counter, a zero counter and a series with other characters', () => {
    expect(() => formatDocumentNumber('INV', '2026-27', 1_000_000)).toThrow(RangeError)
    expect(() => formatDocumentNumber('INV', '2026-27', 0)).toThrow(RangeError)
    expect(() => formatDocumentNumber('IN V', '2026-27', 1)).toThrow(RangeError)
    expect(() => formatDocumentNumber('INVOICE', '2026-27', 1)).toThrow(RangeError)
  })
})

describe('amount in words (Indian system)', () => {
  it('reads thousands, lakhs and crores', () => {
    expect(numberInIndianWords(0)).toBe('Zero')
    expect(numberInIndianWords(15)).toBe('Fifteen')
    expect(numberInIndianWords(105)).toBe('One Hundred Five')
    expect(numberInIndianWords(1000)).toBe('One Thousand')
    expect(numberInIndianWords(118_000)).toBe('One Lakh Eighteen Thousand')
    expect(numberInIndianWords(1_00_00_000)).toBe('One Crore')
    expect(numberInIndianWords(1_23_45_678)).toBe(
      'One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight',
    )
    expect(numberInIndianWords(99_99_99_999)).toBe(
      'Ninety Nine Crore Ninety Nine Lakh Ninety Nine Thousand Nine Hundred Ninety Nine',
    )
    expect(numberInIndianWords(1_00_00_00_000)).toBe('One Hundred Crore')
    expect(numberInIndianWords(12_34_56_78_90_123)).toBe(
      'One Lakh Twenty Three Thousand Four Hundred Fifty Six Crore Seventy Eight Lakh Ninety Thousand One Hundred Twenty Three',
    )
  })

  it("says 'Rupees ... Only', with 'and ... Paise' when there are paise", () => {
    expect(amountInWords(118_000_00)).toBe('Rupees One Lakh Eighteen Thousand Only')
    expect(amountInWords(118_000_50)).toBe('Rupees One Lakh Eighteen Thousand and Fifty Paise Only')
    expect(amountInWords(1_05)).toBe('Rupees One and Five Paise Only')
    expect(amountInWords(0)).toBe('Rupees Zero Only')
    expect(amountInWords(99)).toBe('Rupees Zero and Ninety Nine Paise Only')
  })

  it('names other currencies by their own units', () => {
    expect(amountInWords(1000_25, 'USD')).toBe('US Dollars One Thousand and Twenty Five Cents Only')
    expect(amountInWords(7_00, 'JPY')).toBe('JPY Seven Only')
  })

  it('refuses negative and fractional amounts', () => {
    expect(() => amountInWords(-1)).toThrow(RangeError)
    expect(() => numberInIndianWords(1.5)).toThrow(RangeError)
  })
})

describe('money as integers', () => {
  it('scales numbers with at most the allowed decimals, and refuses more', () => {
    expect(toMinorUnits(0.29, 2)).toBe(29)
    expect(toMinorUnits(1.005, 3)).toBe(1005)
    expect(toMinorUnits(118000.5, 2)).toBe(11800050)
    expect(toMinorUnits(1.255, 2)).toBeNull()
    expect(toMinorUnits(0.0001, 3)).toBeNull()
    expect(toMinorUnits(Number.NaN, 2)).toBeNull()
  })

  it('reads Decimal strings exactly', () => {
    expect(paiseOf('118000.50')).toBe(11800050)
    expect(paiseOf('-0.27')).toBe(-27)
    expect(paiseOf('5')).toBe(500)
    expect(milliOf('2.5')).toBe(2500)
    expect(milliOf('0.001')).toBe(1)
  })

  it('rounds half away from zero', () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n)
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n)
    expect(divideRoundHalfUp(-5n, 10n)).toBe(-1n)
    expect(divideRoundHalfUp(15n, 10n)).toBe(2n)
  })
})

describe('invoice dates (India time)', () => {
  it('takes today in India, which turns over at 18:30 UTC', () => {
    expect(indiaDate(Date.parse('2027-03-31T18:29:59Z'))).toBe('2027-03-31')
    expect(indiaDate(Date.parse('2027-03-31T18:30:00Z'))).toBe('2027-04-01')
    expect(indiaInstant('2027-04-01', '10:00')).toBe(Date.parse('2027-04-01T04:30:00Z'))
  })

  it('adds days across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2027-01-31', 30)).toBe('2027-03-02')
    expect(addDays('2027-03-01', -3)).toBe('2027-02-26')
  })

  it('is overdue only with an open balance after the due date', () => {
    expect(isOverdue({ open: true, dueDate: '2027-03-31' }, '2027-03-31')).toBe(false)
    expect(isOverdue({ open: true, dueDate: '2027-03-31' }, '2027-04-01')).toBe(true)
    expect(isOverdue({ open: false, dueDate: '2027-03-01' }, '2027-04-01')).toBe(false)
    expect(daysOverdue({ open: true, dueDate: '2027-03-01' }, '2027-04-01')).toBe(31)
    expect(daysOverdue({ open: true, dueDate: '2027-05-01' }, '2027-04-01')).toBe(0)
  })
})
