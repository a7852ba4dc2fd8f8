/*
 * Reading stored timestamps (touch times, opt-in and opt-out times) so they can be ordered.
 * Pure: the answer depends on the string alone, never on the clock or the host's time zone.
 */

const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

/**
 * Milliseconds since the epoch for an ISO 8601 timestamp, NaN when it cannot be read.
 *
 * The rule:
 * - Accepted: `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:mm`, optional
 *   `:ss`, an optional fraction (cut, not rounded, to milliseconds) and an optional offset
 *   `Z`, `±HH:mm` or `±HHmm`. `T` and `Z` may be lower case; surrounding spaces are ignored.
 *   Anything else (`20260101`, `T10` without minutes, week or ordinal dates) is NaN.
 * - A date alone is midnight UTC, and a time without an offset is read as UTC. `Date.parse`
 *   would read the latter as local time (ECMA-262 Date Time String Format,
 *   https://tc39.es/ecma262/#sec-date-time-string-format), which would make the answer
 *   depend on the worker's time zone.
 * - Impossible field values are rejected (NaN): month 00 or 13, day 00 or 32, hour 25,
 *   minute or second 60 (no leap seconds), offset hour 24. `24:00` is accepted as the next
 *   day's midnight, as ECMA-262 allows. The calendar itself is not checked here: a day
 *   from 29 to 31 that the month does not have rolls over in V8 (`2026-02-30` reads as
 *   2026-03-02), as `Date.parse` does.
 *
 * The string is rebuilt in the exact format ECMA-262 requires before `Date.parse` sees it,
 * so no engine-specific fallback parser is involved.
 *
 * @param value - The timestamp as stored or received.
 * @returns Milliseconds since 1970-01-01T00:00:00Z, or NaN.
 */
export function instantMs(value: string): number {
  const match = ISO_8601.exec(value.trim())
  if (!match) return Number.NaN
  const [, date, hm, seconds, fraction, offset] = match
  if (hm === undefined) return Date.parse(`${date}T00:00:00.000Z`)
  const ms = (fraction ?? '').padEnd(3, '0').slice(0, 3)
  const zone =
    offset === undefined || offset.toUpperCase() === 'Z'
      ? 'Z'
      : offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')
  return Date.parse(`${date}T${hm}:${seconds ?? '00'}.${ms}${zone}`)
}
