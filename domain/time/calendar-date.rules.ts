/*
 * Calendar dates written 'YYYY-MM-DD' (close dates, target dates, "today"), checked by hand
 * in the proleptic Gregorian calendar rather than with `Date`: `Date.parse` rolls 2026-02-30
 * over to 2026-03-02, and `Date.UTC` reads years 0-99 as 1900-1999. Years 0001-9999 only,
 * so string order equals date order.
 */

export interface CalendarDate {
  year: number
  month: number
  day: number
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** The date's parts, or null for anything that is not a real 'YYYY-MM-DD' date. */
export function parseCalendarDate(value: unknown): CalendarDate | null {
  if (typeof value !== 'string') return null
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (match === null) return null
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  return { year, month, day }
}

/** Days since 1970-01-01 for a real 'YYYY-MM-DD' date, null for anything else. */
export function calendarDay(value: string): number | null {
  const date = parseCalendarDate(value)
  if (date === null) return null
  const { month, day } = date
  // Howard Hinnant's days_from_civil: years start in March so the leap day comes last.
  const y = month <= 2 ? date.year - 1 : date.year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/** Whether `value` is a real calendar date written 'YYYY-MM-DD' (2026-02-30 is not one). */
export function isCalendarDate(value: unknown): value is string {
  return parseCalendarDate(value) !== null
}
