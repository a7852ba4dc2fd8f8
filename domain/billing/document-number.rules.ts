import { shortFinancialYear } from './financial-year.rules.js'

/*
 * Document numbers: `<series>/<yy-yy>/<counter>`, e.g. INV/26-27/000001.
 *
 * A tax invoice needs "a consecutive serial number not exceeding sixteen characters, in one
 * or multiple series, containing alphabets or numerals or special characters hyphen or dash
 * and slash ..., unique for a financial year" (CGST Rules 2017, rule 46(b); the rules are
 * published by CBIC at https://cbic-gst.gov.in). So the year is printed short
 * ('26-27'), and the counter gets the room the series leaves: 6 digits after 'INV'.
 */

export const MAX_DOCUMENT_NUMBER_LENGTH = 16
/** A series of at most 4 characters leaves the counter at least 5 digits (99,999 a year). */
export const DOCUMENT_SERIES_PATTERN = /^[A-Z0-9]{1,4}$/

/** Digits the counter may use after the series and the year (and two slashes). */
export function counterWidth(series: string): number {
  return Math.min(6, MAX_DOCUMENT_NUMBER_LENGTH - series.length - 7)
}

/**
 * The number of the `value`-th document of a series in a financial year ('2026-27').
 *
 * @throws RangeError when the series is not 1-4 letters or digits, or the counter no longer
 *   fits (the year's series is exhausted: a new series must be configured).
 */
export function formatDocumentNumber(series: string, financialYear: string, value: number): string {
  if (!DOCUMENT_SERIES_PATTERN.test(series)) throw new RangeError(`invalid document series: ${series}`)
  const width = counterWidth(series)
  if (!Number.isSafeInteger(value) || value < 1 || String(value).length > width)
    throw new RangeError(`${series} ${financialYear}: counter ${value} does not fit ${width} digits`)
  return `${series}/${shortFinancialYear(financialYear)}/${String(value).padStart(width, '0')}`
}
