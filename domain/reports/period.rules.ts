import { calendarDay, parseCalendarDate } from '../time/calendar-date.rules.js'

/*
 * Report periods: whole calendar days, `from` and `to` both included ('YYYY-MM-DD'). Pure:
 * "today" is an argument.
 */

/** The longest period a report covers, in years: longer scans are exports, not reports. */
export const MAX_PERIOD_YEARS = 5

export interface Period {
  /** First day, included. */
  from: string
  /** Last day, included. */
  to: string
}

/** A problem with a period parameter; `field` is `from` or `to`. */
export interface PeriodError {
  field: 'from' | 'to'
  message: string
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** 'YYYY-MM-DD' of a day number since 1970-01-01 (Howard Hinnant's civil_from_days). */
export function dateOfDay(dayNumber: number): string {
  const z = dayNumber + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/**
 * The date `days` days after `date` (before, when negative).
 *
 * @throws RangeError when `date` is not a real 'YYYY-MM-DD' date.
 */
export function addDays(date: string, days: number): string {
  const day = calendarDay(date)
  if (day === null) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`)
  return dateOfDay(day + days)
}

/**
 * The calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) containing `date`, the same
 * quarters the forecast's "commit" uses.
 *
 * @throws RangeError when `date` is not a real 'YYYY-MM-DD' date.
 */
export function quarterOf(date: string): Period {
  const d = parseCalendarDate(date)
  if (d === null) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`)
  const firstMonth = Math.floor((d.month - 1) / 3) * 3 + 1
  const from = `${pad(d.year, 4)}-${pad(firstMonth)}-01`
  const nextQuarter =
    firstMonth === 10 ? `${pad(d.year + 1, 4)}-01-01` : `${pad(d.year, 4)}-${pad(firstMonth + 3)}-01`
  return { from, to: addDays(nextQuarter, -1) }
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
function addYears(date: string, years: number): string {
  const d = parseCalendarDate(date)!
  const day = d.month === 2 && d.day === 29 && parseCalendarDate(`${pad(d.year + years, 4)}-02-29`) === null
  return `${pad(d.year + years, 4)}-${pad(d.month)}-${day ? 28 : pad(d.day)}`
}

/**
 * The period a report covers, or why the requested one cannot be used.
 *
 * - Each bound is a real 'YYYY-MM-DD' date. A missing `from` is the first day of today's
 *   calendar quarter, a missing `to` its last day: with neither, the report covers the
 *   current quarter.
 * - `from` must not be after `to` (one day, from = to, is fine).
 * - The period spans at most MAX_PERIOD_YEARS years: `to` must come before the same day
 *   five years after `from` (2021-01-01 to 2025-12-31 is the longest from 2021-01-01).
 *
 * @param input - The `from` and `to` query parameters, either may be absent.
 * @param today - The caller's date, 'YYYY-MM-DD', in the report's time zone.
 */
export function resolvePeriod(
  input: { from?: string | undefined; to?: string | undefined },
  today: string,
): { period: Period; errors: [] } | { period: null; errors: PeriodError[] } {
  const quarter = quarterOf(today)
  const from = input.from ?? quarter.from
  const to = input.to ?? quarter.to
  const errors: PeriodError[] = []
  if (parseCalendarDate(from) === null)
    errors.push({ field: 'from', message: 'must be a real date YYYY-MM-DD' })
  if (parseCalendarDate(to) === null) errors.push({ field: 'to', message: 'must be a real date YYYY-MM-DD' })
  if (errors.length > 0) return { period: null, errors }
  if (from > to)
    return { period: null, errors: [{ field: 'to', message: `must not be before from (${from})` }] }
  const limit = addYears(from, MAX_PERIOD_YEARS)
  if (parseCalendarDate(limit) === null || to >= limit) {
    return {
      period: null,
      errors: [
        { field: 'to', message: `must be within ${MAX_PERIOD_YEARS} years of from (before ${limit})` },
      ],
    }
  }
  return { period: { from, to }, errors: [] }
}
