import { isValidTimeZone } from '../../domain/journey/quiet-hours.rules.js'
import { localDate, startOfLocalDay } from '../../domain/reports/local-day.rules.js'
import { addDays, resolvePeriod } from '../../domain/reports/period.rules.js'
import { LeadwireError } from '../../platform/errors.js'

/*
 * Turning the `from`/`to`/`tz` query parameters into the instants SQL compares with. Days
 * are the caller's days: a lead captured at 23:30 in Kolkata on 31 March belongs to March
 * there, though it is 18:00 UTC.
 */

/** The period as asked for, and the instants bounding it: [start, end). */
export interface ReportWindow {
  /** First day, included, 'YYYY-MM-DD'. */
  from: string
  /** Last day, included, 'YYYY-MM-DD'. */
  to: string
  timeZone: string
  /** Today in `timeZone`, 'YYYY-MM-DD'. */
  today: string
  /** The first instant of `from`. */
  start: Date
  /** The first instant of the day after `to`. */
  end: Date
}

const badQuery = (field: string, message: string) =>
  new LeadwireError('malformed_request', 400, `Invalid request querystring: ${field} ${message}.`, {
    errors: [{ pointer: `/querystring/${field}`, message }],
  })

/** The `tz` parameter, or the default zone when absent; 400 for a zone Intl does not know. */
export function requestedTimeZone(tz: string | undefined, fallback: string): string {
  const zone = tz ?? fallback
  if (!isValidTimeZone(zone)) throw badQuery('tz', 'must be an IANA time zone such as Asia/Kolkata')
  return zone
}

/** The report's window; 400 problem+json naming the parameter when the period cannot be used. */
export function reportWindow(
  q: { from?: string | undefined; to?: string | undefined; tz?: string | undefined },
  defaultTimeZone: string,
  now: Date,
): ReportWindow {
  const timeZone = requestedTimeZone(q.tz, defaultTimeZone)
  const today = localDate(now, timeZone)
  const resolved = resolvePeriod(q, today)
  if (resolved.period === null) {
    const first = resolved.errors[0]!
    throw new LeadwireError('malformed_request', 400, `Invalid period: ${first.field} ${first.message}.`, {
      errors: resolved.errors.map((e) => ({ pointer: `/querystring/${e.field}`, message: e.message })),
    })
  }
  const { from, to } = resolved.period
  return {
    from,
    to,
    timeZone,
    today,
    start: startOfLocalDay(from, timeZone),
    end: startOfLocalDay(addDays(to, 1), timeZone),
  }
}
