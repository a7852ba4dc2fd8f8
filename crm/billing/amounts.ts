import { fromMinorUnits, milliOf, paiseOf } from '../../domain/billing/money.rules.js'

/*
 * Between the integers billing computes with and the Decimal columns: written as exact
 * decimal strings (never through a float), read back exactly.
 */

function decimalString(minor: number, places: number): string {
  const scale = 10 ** places
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(places, '0')}`
}

/** Paise as a Decimal(18,2) value: 11800050 → '118000.50'. */
export const moneyDecimal = (paise: number) => decimalString(paise, 2)
/** Thousandths as a Decimal(18,3) value: 2500 → '2.500'. */
export const quantityDecimal = (milli: number) => decimalString(milli, 3)
/** A rate in basis points as Decimal(5,2): 1800 → '18.00'. */
export const rateDecimal = (bp: number) => decimalString(bp, 2)

type DecimalLike = { toString(): string }
/** A Decimal column in paise. */
export const paise = (d: DecimalLike) => paiseOf(d.toString())
/** A Decimal(18,3) quantity in thousandths. */
export const milli = (d: DecimalLike) => milliOf(d.toString())
/** A Decimal(5,2) rate in basis points. */
export const basisPoints = (d: DecimalLike) => paiseOf(d.toString())
/** A Decimal as the JSON number the API answers with (at most 2 decimals for money). */
export const money = (d: DecimalLike) => fromMinorUnits(paise(d))
export const quantity = (d: DecimalLike) => fromMinorUnits(milli(d), 3)

/** A Date column (@db.Date) as 'YYYY-MM-DD'. */
export const dateOnly = (d: Date) => d.toISOString().slice(0, 10)
/** 'YYYY-MM-DD' as the Date Prisma writes to a @db.Date column. */
export const dateValue = (date: string) => new Date(`${date}T00:00:00.000Z`)
