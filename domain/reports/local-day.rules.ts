import { localParts } from '../journey/quiet-hours.rules.js'
import { parseCalendarDate } from '../time/calendar-date.rules.js'

/*
 * Calendar days as people in a time zone live them: "today" for an SDR in Kolkata, and the
 * instant a report's day begins there. Reports and the task inbox both cut time this way,
 * so "due today" and "created on 1 April" agree. Pure: the clock is always an argument.
 */

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The zone's UTC offset at `ms` in milliseconds, to the minute (IST is +19_800_000). */
function offsetAt(ms: number, zone: string): number {
  const p = localParts(new Date(ms), zone)
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute)
  return wall - (ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS))
}

/**
 * The calendar date ('YYYY-MM-DD') that `at` falls on in `zone`.
 *
 * @throws RangeError when `zone` is not an IANA zone (check with isValidTimeZone).
 */
export function localDate(at: Date, zone: string): string {
  const p = localParts(at, zone)
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
}

/**
 * The first instant of calendar day `date` in `zone`: local midnight, or, where a daylight
 * saving jump skips midnight (Chile moves 00:00 to 01:00), the moment of the jump.
 *
 * @throws RangeError when `date` is not a real 'YYYY-MM-DD' date or `zone` is not an IANA zone.
 */
export function startOfLocalDay(date: string, zone: string): Date {
  const d = parseCalendarDate(date)
  if (d === null) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`)
  const wall = Date.UTC(d.year, d.month - 1, d.day)
  // Two passes: the offset at the guess may differ from the offset at the answer (DST).
  let at = wall - offsetAt(wall, zone)
  at = wall - offsetAt(at, zone)
  // Midnight did not exist: `at` read the later offset and landed on the evening before.
  // The day starts at the jump, which the earlier offset (a day before) places exactly.
  if (localDate(new Date(at), zone) < date) at = wall - offsetAt(at - DAY_MS, zone)
  return new Date(at)
}
