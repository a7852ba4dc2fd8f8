import { parseCalendarDate } from '../time/calendar-date.rules.js'

/*
 * India's financial year runs from 1 April to 31 March (General Clauses Act 1897, s. 3(21)),
 * and invoice series restart each year: 31 March 2027 is in 2026-27, 1 April 2027 in 2027-28.
 */

/**
 * The financial year of a 'YYYY-MM-DD' date, written as document_sequence stores it:
 * '2026-27' (the second year as two digits, '2099-00' for 2099-2100).
 *
 * @throws RangeError for anything but a real calendar date.
 */
export function financialYearOf(date: string): string {
  const parts = parseCalendarDate(date)
  if (parts === null) throw new RangeError(`not a calendar date: ${date}`)
  const start = parts.month >= 4 ? parts.year : parts.year - 1
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`
}

/** '2026-27' → '26-27': the form printed inside document numbers, which must stay short. */
export function shortFinancialYear(financialYear: string): string {
  if (!/^\d{4}-\d{2}$/.test(financialYear)) throw new RangeError(`not a financial year: ${financialYear}`)
  return financialYear.slice(2)
}
