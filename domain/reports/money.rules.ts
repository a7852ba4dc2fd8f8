/*
 * Money in reports: sums kept per currency (INR and USD never add up) and in integer
 * hundredths, so folding many rows never drifts the way floating rupees would. Pure.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/

/**
 * A decimal with at most two places (as PostgreSQL prints NUMERIC(…, 2)) in hundredths:
 * '1234.5' is 123450n.
 *
 * @throws RangeError for anything else (more places, exponents, empty text).
 */
export function toHundredths(decimal: string): bigint {
  const match = DECIMAL.exec(decimal.trim())
  if (!match) throw new RangeError(`not a decimal with at most 2 places: ${JSON.stringify(decimal)}`)
  const [, sign, whole, fraction = ''] = match
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'))
  return sign === '-' ? -value : value
}

/** Hundredths divided by 100, rounded half away from zero: weighted sums are amount × percent. */
export function divideByHundred(value: bigint): bigint {
  const half = value < 0n ? -50n : 50n
  return (value + half) / 100n
}

/** Hundredths as the JSON number the API sends (at most two decimals). */
export const fromHundredths = (value: bigint): number => Number(value) / 100

/** Running sums per currency of any number of named amounts, all in hundredths. */
export class CurrencySums<K extends string> {
  private readonly sums = new Map<string, Record<K, bigint>>()

  constructor(private readonly keys: readonly K[]) {}

  add(currency: string, values: Record<K, bigint>): void {
    const sum =
      this.sums.get(currency) ?? (Object.fromEntries(this.keys.map((k) => [k, 0n])) as Record<K, bigint>)
    for (const k of this.keys) sum[k] += values[k]
    this.sums.set(currency, sum)
  }

  /** One entry per currency, alphabetical, each sum still in hundredths. */
  entries(): { currency: string; sums: Record<K, bigint> }[] {
    return [...this.sums.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, sums]) => ({ currency, sums }))
  }
}
