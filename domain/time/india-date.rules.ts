import { isCalendarDate } from './calendar-date.rules.js'

/*
 * Dates in India: invoices, tickets and contracts are dated in Asia/Kolkata, which is
 * UTC+05:30 all year (India has no daylight saving time), so a fixed offset is exact and
 * keeps these rules free of time-zone data.
 */

const DAY_MS = 86_400_000
export const IST_OFFSET_MS = 5.5 * 3_600_000

/** The date in India at an instant (ms since the epoch), 'YYYY-MM-DD'. */
export function indiaDate(instantMs: number): string {
  return new Date(instantMs + IST_OFFSET_MS).toISOString().slice(0, 10)
}

/** The instant a date's India time `hh:mm` occurs, ms since the epoch. */
export function indiaInstant(date: string, time = '00:00'): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`)
  return Date.parse(`${date}T${time}:00.000Z`) - IST_OFFSET_MS
}

/** The date `days` after (or before, when negative) a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`)
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  if (!isCalendarDate(from) || !isCalendarDate(to)) throw new RangeError('not calendar dates')
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}
