/*
 * Money and quantities as integers: amounts in paise (hundredths), quantities in
 * thousandths, GST rates in basis points (hundredths of a percent). Tax is computed on these
 * integers, never on floating rupees, so 0.1 + 0.2 never shows up on an invoice.
 */

/** The most a single amount may reach (in minor units): far below 2^53, so sums stay exact. */
export const MAX_AMOUNT_MINOR = 10n ** 15n

/**
 * The value scaled to `decimals` places as an integer, or null when it has more places
 * (or is not finite). `1.25` with 2 places is 125; `1.255` is null.
 *
 * Exact for the numbers JSON carries: an integer divided by a power of ten gives the double
 * nearest to that decimal, which is the double the JSON parser produced for it.
 */
export function toMinorUnits(value: number, decimals: number): number | null {
  if (!Number.isFinite(value)) return null
  const scale = 10 ** decimals
  const minor = Math.round(value * scale)
  if (!Number.isSafeInteger(minor) || minor / scale !== value) return null
  return minor
}

/** A minor-unit integer back to a JSON number: 12345 paise is 123.45. */
export function fromMinorUnits(minor: number | bigint, decimals = 2): number {
  return Number(minor) / 10 ** decimals
}

/**
 * numerator / denominator rounded half away from zero (half-up for the positive amounts
 * invoices hold): 2.5 paise is 3 paise, as Indian invoicing practice rounds.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  const negative = numerator < 0n
  const n = negative ? -numerator : numerator
  const q = (2n * n + denominator) / (2n * denominator)
  return negative ? -q : q
}

/** A decimal string ('118000.50', as Prisma's Decimal prints) in paise, exactly. */
export function paiseOf(decimal: string | number | { toString(): string }): number {
  const text = typeof decimal === 'number' ? decimal.toFixed(2) : decimal.toString()
  const match = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec(text.trim())
  if (!match) throw new RangeError(`not a decimal amount: ${text}`)
  const [, sign, whole, fraction = ''] = match
  const paise = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  return sign === '-' ? -paise : paise
}

/** A decimal string with 3 places ('2.500') in thousandths, exactly. */
export function milliOf(decimal: string | { toString(): string }): number {
  const match = /^(\d+)(?:\.(\d{1,3})\d*)?$/.exec(decimal.toString().trim())
  if (!match) throw new RangeError(`not a decimal quantity: ${decimal.toString()}`)
  const [, whole, fraction = ''] = match
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0'))
}
