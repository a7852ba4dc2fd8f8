import { at, checkKeys, isObject } from '../rules/rule-set-validation.js'

/*
 * Quiet hours: when a lead must not be messaged, judged on the lead's own wall clock. This
 * runs inside the journey workflow, so it is pure and synchronous and never reads the clock:
 * every instant comes in as an argument. Zone offsets come from Intl.DateTimeFormat (the
 * only time-zone database available in the workflow sandbox), so the answers follow the tz
 * data of the Node build that runs the worker.
 */

/** A daily window, in the lead's local time, during which no message may be sent. */
export interface QuietHours {
  /** 'HH:MM' local: quiet from this minute (inclusive). */
  start: string
  /**
   * 'HH:MM' local: quiet until this minute (exclusive). Earlier than `start` means the
   * window wraps midnight (20:00 → 09:00); equal to `start` means no daily quiet window.
   */
  end: string
  /** Saturday and Sunday are quiet all day. */
  weekendsQuiet: boolean
}

/** Evenings and nights off, weekends allowed: the usual B2B cadence in India. */
export const DEFAULT_QUIET_HOURS: QuietHours = Object.freeze({
  start: '20:00',
  end: '09:00',
  weekendsQuiet: false,
})

/** A wall-clock reading in one time zone. */
export interface LocalParts {
  year: number
  /** 1..12 */
  month: number
  day: number
  /** 0..23 */
  hour: number
  minute: number
  /** 0 = Sunday .. 6 = Saturday */
  weekday: number
}

const SECOND_MS = 1_000
const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
const MINUTES_PER_DAY = 1_440
/** How far nextAllowedSendTime looks for an instant allowed in every zone before falling back. */
const SEARCH_DAYS = 8
/** Used when no usable zone is given, so quiet hours still apply somewhere (see usableZones). */
const FALLBACK_ZONE = 'UTC'

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/

/*
 * One formatter per zone: constructing an Intl.DateTimeFormat costs far more than using one,
 * and a journey plans several messages for the same few zones. Only valid zones are cached.
 *
 * - hourCycle 'h23', not hour12: false: with the latter en-US prints midnight as "24:00".
 * - Gregorian calendar and Latin digits are pinned in the locale so Number() can read the parts.
 * - Seconds are read because historical offsets (local mean time) are not whole minutes.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone)
  if (formatter === undefined) {
    // IANA names start with a letter. Offset strings ("+05:30") are refused here although
    // newer engines accept them as zones: the answer must not change with the Node version,
    // or a journey replayed after an upgrade would plan differently.
    if (!/^[A-Za-z]/.test(zone)) throw new RangeError(`Invalid time zone specified: ${zone}`)
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(zone, formatter)
  }
  return formatter
}

function instantOf(date: Date): number {
  const ms = date.getTime()
  if (!Number.isFinite(ms)) throw new RangeError('Invalid Date')
  return ms
}

/**
 * The local wall-clock time at `ms` in `zone`, written as if it were a UTC instant (so
 * getUTCHours() of it is the local hour). Minus `ms`, it is the zone's offset at `ms`.
 */
function wallClock(ms: number, zone: string): number {
  const whole = Math.floor(ms / SECOND_MS) * SECOND_MS
  const n: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {}
  for (const { type, value } of formatterFor(zone).formatToParts(whole)) n[type] = Number(value)
  const local = Date.UTC(
    n.year ?? 0,
    (n.month ?? 1) - 1,
    n.day ?? 1,
    n.hour ?? 0,
    n.minute ?? 0,
    n.second ?? 0,
  )
  return local + (ms - whole)
}

/** The zone's UTC offset at `ms`, in milliseconds (IST is +19_800_000). */
const offsetAt = (ms: number, zone: string) => wallClock(ms, zone) - ms

/**
 * The wall-clock reading of `at` in `timeZone`.
 *
 * @throws RangeError when `timeZone` is not a valid IANA zone (check with
 *   {@link isValidTimeZone}) or `at` is an Invalid Date.
 */
export function localParts(at: Date, timeZone: string): LocalParts {
  const wall = new Date(wallClock(instantOf(at), timeZone))
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  }
}

/**
 * Whether Intl knows `zone` as an IANA time zone. Never throws. Intl also accepts aliases
 * ("Asia/Calcutta", "US/Eastern") and any letter case ("asia/kolkata"); offset strings
 * ("+05:30") are refused whatever the engine (see formatterFor).
 */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '') return false
  try {
    formatterFor(zone)
    return true
  } catch {
    return false
  }
}

/*
 * The zones to honour: invalid ones are dropped rather than thrown on, because a bad zone
 * in a lead's data would otherwise fail the workflow task on every retry. With none left,
 * UTC: quiet hours at a guessed offset are still better than messages at any hour. Callers
 * that know better (the tenant's zone) should pass it instead of an empty list.
 */
function usableZones(zones: readonly string[]): string[] {
  const usable = [...new Set(zones)].filter(isValidTimeZone)
  return usable.length > 0 ? usable : [FALLBACK_ZONE]
}

/** QuietHours as minute-of-day intervals [from, to) in which sending is allowed. */
interface Allowed {
  weekendsQuiet: boolean
  /** In time order; never empty, so every day that is not a quiet weekend day has a sendable minute. */
  intervals: (readonly [number, number])[]
}

function minuteOfDay(hhmm: string, name: string): number {
  const match = HH_MM.exec(hhmm)
  // Parsed QuietHours are always well formed; a hand-built one that is not would otherwise
  // compare as NaN and make every minute sendable.
  if (!match) throw new RangeError(`quiet hours ${name} must be HH:MM (00:00 to 23:59), got "${hhmm}"`)
  return Number(match[1]) * 60 + Number(match[2])
}

function allowedOf(quiet: QuietHours): Allowed {
  const start = minuteOfDay(quiet.start, 'start')
  const end = minuteOfDay(quiet.end, 'end')
  // Allowed all day when start === end; between end and start when the window wraps
  // midnight; otherwise before start (unless that is midnight) and from end.
  const intervals: Allowed['intervals'] =
    start === end
      ? [[0, MINUTES_PER_DAY]]
      : start > end
        ? [[end, start]]
        : start === 0
          ? [[end, MINUTES_PER_DAY]]
          : [
              [0, start],
              [end, MINUTES_PER_DAY],
            ]
  return { weekendsQuiet: quiet.weekendsQuiet, intervals }
}

/** Day number since 1970-01-01 (a Thursday) to weekday, 0 = Sunday. */
const weekdayOf = (dayNumber: number) => (((dayNumber + 4) % 7) + 7) % 7
const isWeekend = (dayNumber: number) => {
  const weekday = weekdayOf(dayNumber)
  return weekday === 0 || weekday === 6
}

/** Whether a wall-clock time (see wallClock) is quiet. Seconds do not matter: 08:59:59 is quiet until 09:00. */
function isQuietWall(wall: number, allowed: Allowed): boolean {
  const day = Math.floor(wall / DAY_MS)
  if (allowed.weekendsQuiet && isWeekend(day)) return true
  const minute = Math.floor((wall - day * DAY_MS) / MINUTE_MS)
  return !allowed.intervals.some(([from, to]) => from <= minute && minute < to)
}

/** The first wall-clock time at or after `wall` that is not quiet, by jumping to interval starts. */
function firstAllowedWall(wall: number, allowed: Allowed): number {
  if (!isQuietWall(wall, allowed)) return wall
  const today = Math.floor(wall / DAY_MS)
  // Every weekday has an allowed interval, so the longest quiet stretch (Friday evening
  // to Monday morning) ends within three days; a week is a generous bound.
  for (let day = today; day <= today + 7; day++) {
    if (allowed.weekendsQuiet && isWeekend(day)) continue
    for (const [from] of allowed.intervals) {
      const candidate = day * DAY_MS + from * MINUTE_MS
      if (candidate > wall) return candidate
    }
  }
  return wall + 7 * DAY_MS // unreachable, see above
}

/**
 * The first whole second in (lo, hi] at which the offset is no longer `offset`. Offsets
 * change at whole seconds, so a bisection over seconds finds the DST transition exactly in
 * about 18 steps for a three-day span. Requires offsetAt(lo) === offset !== offsetAt(hi).
 */
function offsetChangeAfter(zone: string, lo: number, hi: number, offset: number): number {
  let loS = Math.floor(lo / SECOND_MS)
  let hiS = Math.floor(hi / SECOND_MS)
  while (hiS - loS > 1) {
    const mid = Math.floor((loS + hiS) / 2)
    if (offsetAt(mid * SECOND_MS, zone) === offset) loS = mid
    else hiS = mid
  }
  return hiS * SECOND_MS
}

/**
 * The earliest instant >= t at which `zone` is not quiet. Within one UTC offset the wall
 * clock runs in step with the instant, so the answer is the next allowed wall time shifted
 * back by the offset. When the offset changes before then (DST), the search restarts at the
 * change: after spring-forward the wall clock may already be past the window's end, and
 * after fall-back it may be back before the window's start.
 *
 * Assumes the offset changes at most once between two checks (a span of three days at
 * most); no zone in the tz database changes twice that quickly.
 */
function quietEnd(zone: string, t: number, allowed: Allowed): number {
  let x = t
  for (let pass = 0; pass < 4; pass++) {
    const offset = offsetAt(x, zone)
    const target = firstAllowedWall(x + offset, allowed) - offset
    if (target === x) return x
    if (offsetAt(target, zone) === offset) return target
    x = offsetChangeAfter(zone, x, target, offset)
  }
  // Still quiet after several offset changes: the caller checks again from here.
  return x
}

/*
 * The earliest instant >= start allowed in every zone; with none within SEARCH_DAYS, the
 * earliest allowed in the first zone (see nextAllowedSendTime for why).
 */
function nextAllowed(start: number, zones: readonly string[], allowed: Allowed): number {
  // Each zone pushes t to the end of its quiet stretch; t only grows and never passes the
  // earliest instant allowed everywhere, so the first pass in which no zone moves it ends.
  const limit = start + SEARCH_DAYS * DAY_MS
  let t = start
  while (t <= limit) {
    let moved = false
    for (const zone of zones) {
      const end = quietEnd(zone, t, allowed)
      if (end > t) {
        t = end
        moved = true
      }
    }
    if (!moved) return t
  }
  const first = zones[0]!
  t = start
  while (isQuietWall(wallClock(t, first), allowed)) t = quietEnd(first, t, allowed)
  return t
}

/**
 * Whether a message may not go out at `at` for a lead who may be in any of `zones`: true
 * when it is quiet in at least one of them. A country can span several zones and we rarely
 * know which one the lead is in, so only daytime in all of them is safe.
 *
 * Exactly when nextAllowedSendTime would move `at`, so a send-time check with this and a
 * deferral to nextAllowedSendTime agree. That includes its fallback: when the zones share no
 * allowed instant within 8 days, only the first usable zone counts here too; otherwise
 * every instant would be quiet and a deferred message would be deferred forever.
 *
 * Invalid zones are ignored; with no valid zone, UTC is used (see usableZones).
 *
 * @throws RangeError when `quiet` has a malformed time or `at` is an Invalid Date.
 */
export function isQuietAt(at: Date, zones: readonly string[], quiet: QuietHours): boolean {
  const t = instantOf(at)
  return nextAllowed(t, usableZones(zones), allowedOf(quiet)) !== t
}

/**
 * When a message planned for `at` may go out: `at` itself (the same Date) when it is not
 * quiet in any zone, else the earliest later instant that is allowed in every zone.
 *
 * Cost: it jumps from window boundary to window boundary (and bisects only across a DST
 * change), so a deferral over a weekend takes a few dozen Intl calls, not one per minute;
 * an allowed instant takes one per zone.
 *
 * Fallback: when no instant within 8 days is allowed in every zone (zones about 12 hours or
 * more apart with a long quiet window, such as New York and Shanghai with 20:00-09:00), only
 * the first usable zone is honoured, so the message still goes out in that zone's daytime
 * rather than never. Order zones by where the lead most likely is. isQuietAt applies the
 * same fallback, and the function returns its own results unchanged.
 *
 * Invalid zones are ignored; with no valid zone, UTC is used (see usableZones).
 *
 * @throws RangeError when `quiet` has a malformed time or `at` is an Invalid Date.
 */
export function nextAllowedSendTime(at: Date, zones: readonly string[], quiet: QuietHours): Date {
  const start = instantOf(at)
  const next = nextAllowed(start, usableZones(zones), allowedOf(quiet))
  return next === start ? at : new Date(next)
}

/**
 * Checks stored or submitted quiet hours: 'HH:MM' times from 00:00 to 23:59 and a boolean,
 * no other keys. Pushes one "path message" entry per problem onto `issues`; the result is
 * only meaningful when none was pushed (defaults stand in for the bad values).
 *
 * @param path - Where the object sits in the enclosing document, e.g. "journey.quietHours";
 *   "" for the top level.
 */
export function parseQuietHours(json: unknown, path: string, issues: string[]): QuietHours {
  if (!isObject(json)) {
    issues.push(`${path === '' ? 'quiet hours' : path} must be an object`)
    return { ...DEFAULT_QUIET_HOURS }
  }
  checkKeys(json, ['start', 'end', 'weekendsQuiet'], path, issues)
  const readTime = (key: 'start' | 'end'): string => {
    const v = json[key]
    if (typeof v === 'string' && HH_MM.test(v)) return v
    issues.push(`${at(path, key)} must be a time HH:MM (00:00 to 23:59)`)
    return DEFAULT_QUIET_HOURS[key]
  }
  const start = readTime('start')
  const end = readTime('end')
  if (typeof json.weekendsQuiet !== 'boolean') issues.push(`${at(path, 'weekendsQuiet')} must be a boolean`)
  return { start, end, weekendsQuiet: json.weekendsQuiet === true }
}
