/*
 * Conversion rates as reports show them: a fraction from 0 to 1, four decimals (0.3333 is
 * 33.33 %). Pure.
 */

/**
 * `part` over `whole`, rounded to four decimals; 0 when `whole` is 0, so an empty period
 * reads as "nothing converted" rather than an error or NaN.
 */
export function rate(part: number, whole: number): number {
  if (whole <= 0) return 0
  return Math.round((part / whole) * 10_000) / 10_000
}

/** Minutes rounded to two decimals, or null when there is nothing to measure. */
export function roundedMinutes(minutes: number | null): number | null {
  if (minutes === null || !Number.isFinite(minutes)) return null
  return Math.round(minutes * 100) / 100
}
