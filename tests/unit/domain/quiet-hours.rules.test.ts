import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_QUIET_HOURS,
  isQuietAt,
  isValidTimeZone,
  localParts,
  nextAllowedSendTime,
  parseQuietHours,
  type QuietHours,
} from '../../../domain/journey/quiet-hours.rules.js'

/*
 * Calendar facts the expected instants are computed from (2026):
 * - 2026-01-15 is a Thursday; 16 Fri, 17 Sat, 18 Sun, 19 Mon.
 * - Asia/Kolkata is +05:30 and Asia/Kathmandu +05:45 all year; Asia/Shanghai +08:00.
 * - America/New_York: EST -05:00, EDT -04:00 from Sun 2026-03-08 07:00Z (02:00 EST jumps to
 *   03:00 EDT) to Sun 2026-11-01 06:00Z (02:00 EDT falls back to 01:00 EST).
 * - America/Los_Angeles: PST -08:00 in January.
 * - Europe/London: GMT, BST +01:00 from Sun 2026-03-29 01:00Z to Sun 2026-10-25 01:00Z.
 */

const DEFAULT = DEFAULT_QUIET_HOURS // 20:00 -> 09:00, weekends allowed
const WEEKENDS: QuietHours = { start: '20:00', end: '09:00', weekendsQuiet: true }
const LUNCH: QuietHours = { start: '13:00', end: '14:00', weekendsQuiet: false }
const NEVER: QuietHours = { start: '00:00', end: '00:00', weekendsQuiet: false }
const WEEKENDS_ONLY: QuietHours = { start: '09:00', end: '09:00', weekendsQuiet: true }

const KOLKATA = ['Asia/Kolkata']
const NEW_YORK = ['America/New_York']
const US_COASTS = ['America/New_York', 'America/Los_Angeles']

const next = (iso: string, zones: readonly string[], quiet: QuietHours) =>
  nextAllowedSendTime(new Date(iso), zones, quiet).toISOString()
const quietAt = (iso: string, zones: readonly string[], quiet: QuietHours) =>
  isQuietAt(new Date(iso), zones, quiet)

describe('DEFAULT_QUIET_HOURS', () => {
  it('is 20:00 to 09:00 with weekends allowed, and frozen', () => {
    expect(DEFAULT_QUIET_HOURS).toEqual({ start: '20:00', end: '09:00', weekendsQuiet: false })
    expect(Object.isFrozen(DEFAULT_QUIET_HOURS)).toBe(true)
  })
})

describe('localParts', () => {
  it.each([
    // 03:30Z + 05:30 = 09:00 IST on Thursday the 15th.
    [
      '2026-01-15T03:30:00Z',
      'Asia/Kolkata',
      { year: 2026, month: 1, day: 15, hour: 9, minute: 0, weekday: 4 },
    ],
    // 03:15Z + 05:45 = 09:00 NPT.
    [
      '2026-01-15T03:15:00Z',
      'Asia/Kathmandu',
      { year: 2026, month: 1, day: 15, hour: 9, minute: 0, weekday: 4 },
    ],
    // Friday 18:30Z + 05:30 = Saturday 00:00 IST: the local date, not the UTC one.
    [
      '2026-01-16T18:30:00Z',
      'Asia/Kolkata',
      { year: 2026, month: 1, day: 17, hour: 0, minute: 0, weekday: 6 },
    ],
    // Midnight is hour 0 (Intl's en-US with hour12: false would say 24).
    [
      '2026-01-15T05:00:00Z',
      'America/New_York',
      { year: 2026, month: 1, day: 15, hour: 0, minute: 0, weekday: 4 },
    ],
    // Last EST minute before spring-forward: 06:59Z - 5 h = 01:59 Sunday.
    [
      '2026-03-08T06:59:00Z',
      'America/New_York',
      { year: 2026, month: 3, day: 8, hour: 1, minute: 59, weekday: 0 },
    ],
    // One minute later the clock reads 03:00 EDT (07:00Z - 4 h); 02:xx never happens.
    [
      '2026-03-08T07:00:00Z',
      'America/New_York',
      { year: 2026, month: 3, day: 8, hour: 3, minute: 0, weekday: 0 },
    ],
    // Fall-back: 01:30 happens twice, first in EDT (05:30Z - 4 h) ...
    [
      '2026-11-01T05:30:00Z',
      'America/New_York',
      { year: 2026, month: 11, day: 1, hour: 1, minute: 30, weekday: 0 },
    ],
    // ... then in EST (06:30Z - 5 h).
    [
      '2026-11-01T06:30:00Z',
      'America/New_York',
      { year: 2026, month: 11, day: 1, hour: 1, minute: 30, weekday: 0 },
    ],
    // BST: 12:00Z + 1 h.
    [
      '2026-07-01T12:00:00Z',
      'Europe/London',
      { year: 2026, month: 7, day: 1, hour: 13, minute: 0, weekday: 3 },
    ],
    // Seconds are dropped, not rounded: 08:59:59.999 IST is minute 08:59.
    [
      '2026-01-15T03:29:59.999Z',
      'Asia/Kolkata',
      { year: 2026, month: 1, day: 15, hour: 8, minute: 59, weekday: 4 },
    ],
  ])('%s in %s', (iso, zone, expected) => {
    expect(localParts(new Date(iso), zone)).toEqual(expected)
  })

  it('throws a RangeError for an unknown zone, an offset string or an Invalid Date', () => {
    expect(() => localParts(new Date('2026-01-15T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError)
    expect(() => localParts(new Date('2026-01-15T00:00:00Z'), '+05:30')).toThrow(RangeError)
    expect(() => localParts(new Date(Number.NaN), 'Asia/Kolkata')).toThrow(RangeError)
  })
})

describe('isValidTimeZone', () => {
  it.each(['America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Europe/London', 'UTC', 'Etc/GMT+5'])(
    'accepts %s',
    (zone) => expect(isValidTimeZone(zone)).toBe(true),
  )

  it('accepts what Intl accepts: aliases and any letter case', () => {
    expect(isValidTimeZone('Asia/Calcutta')).toBe(true)
    expect(isValidTimeZone('US/Eastern')).toBe(true)
    expect(isValidTimeZone('asia/kolkata')).toBe(true)
  })

  it.each(['', 'Mars/Olympus', 'not a zone', 'Z', '+05:30', '-03:00', 'GMT+5:30', '  '])(
    'refuses %j without throwing',
    (zone) => expect(isValidTimeZone(zone)).toBe(false),
  )

  it('refuses a value that is not a string (untyped JSON)', () => {
    // Intl would read an undefined zone as the host's zone, which must not count as valid.
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false)
    expect(isValidTimeZone(330 as unknown as string)).toBe(false)
  })
})

describe('isQuietAt', () => {
  it.each([
    ['2026-01-15T03:29:00Z', true], // 08:59 IST: still night
    ['2026-01-15T03:30:00Z', false], // 09:00 IST: the end minute is allowed
    ['2026-01-15T14:29:00Z', false], // 19:59 IST
    ['2026-01-15T14:30:00Z', true], // 20:00 IST: the start minute is quiet
    ['2026-01-15T18:30:00Z', true], // 00:00 IST Friday: inside the wrapped window
  ])('wrapped window 20:00-09:00 in Kolkata at %s: %s', (iso, quiet) => {
    expect(quietAt(iso, KOLKATA, DEFAULT)).toBe(quiet)
  })

  it.each([
    ['2026-01-15T07:29:00Z', false], // 12:59 IST
    ['2026-01-15T07:30:00Z', true], // 13:00 IST
    ['2026-01-15T08:29:00Z', true], // 13:59 IST
    ['2026-01-15T08:30:00Z', false], // 14:00 IST
    ['2026-01-15T18:30:00Z', false], // 00:00 IST: a window that does not wrap leaves the night open
  ])('same-day window 13:00-14:00 in Kolkata at %s: %s', (iso, quiet) => {
    expect(quietAt(iso, KOLKATA, LUNCH)).toBe(quiet)
  })

  it('start equal to end is never quiet', () => {
    for (const iso of ['2026-01-15T18:30:00Z', '2026-01-15T03:30:00Z', '2026-01-15T14:30:00Z']) {
      expect(quietAt(iso, KOLKATA, NEVER)).toBe(false)
      expect(quietAt(iso, KOLKATA, { ...NEVER, start: '20:00', end: '20:00' })).toBe(false)
    }
  })

  it('weekends are quiet all day only when weekendsQuiet is set', () => {
    const saturdayNoon = '2026-01-17T06:30:00Z' // 12:00 IST Saturday
    expect(quietAt(saturdayNoon, KOLKATA, WEEKENDS)).toBe(true)
    expect(quietAt(saturdayNoon, KOLKATA, DEFAULT)).toBe(false)
    expect(quietAt('2026-01-18T18:29:00Z', KOLKATA, WEEKENDS_ONLY)).toBe(true) // Sunday 23:59 IST
    expect(quietAt('2026-01-18T18:30:00Z', KOLKATA, WEEKENDS_ONLY)).toBe(false) // Monday 00:00 IST
    expect(quietAt('2026-01-16T18:29:00Z', KOLKATA, WEEKENDS_ONLY)).toBe(false) // Friday 23:59 IST
  })

  it("judges the weekend by the lead's calendar, not UTC's", () => {
    // Friday 19:00Z: Saturday 00:30 in Kolkata, Friday 14:00 in New York.
    expect(quietAt('2026-01-16T19:00:00Z', KOLKATA, WEEKENDS_ONLY)).toBe(true)
    expect(quietAt('2026-01-16T19:00:00Z', NEW_YORK, WEEKENDS_ONLY)).toBe(false)
  })

  it('is quiet when it is quiet in any of the zones', () => {
    expect(quietAt('2026-01-15T14:00:00Z', US_COASTS, DEFAULT)).toBe(true) // NY 09:00, LA 06:00
    expect(quietAt('2026-01-15T17:00:00Z', US_COASTS, DEFAULT)).toBe(false) // NY 12:00, LA 09:00
    expect(quietAt('2026-01-16T00:59:00Z', US_COASTS, DEFAULT)).toBe(false) // NY 19:59, LA 16:59
    expect(quietAt('2026-01-16T01:00:00Z', US_COASTS, DEFAULT)).toBe(true) // NY 20:00, LA 17:00
  })

  it('ignores invalid zones, and uses UTC when none is usable', () => {
    const zones = ['Mars/Olympus', 'Asia/Kolkata', '']
    expect(quietAt('2026-01-15T03:29:00Z', zones, DEFAULT)).toBe(true) // 08:59 IST
    expect(quietAt('2026-01-15T03:30:00Z', zones, DEFAULT)).toBe(false) // 09:00 IST
    for (const none of [[], ['Mars/Olympus'], ['+05:30']]) {
      expect(quietAt('2026-01-15T08:59:00Z', none, DEFAULT)).toBe(true)
      expect(quietAt('2026-01-15T09:00:00Z', none, DEFAULT)).toBe(false)
    }
  })

  it('throws a RangeError for malformed hand-built quiet hours rather than never being quiet', () => {
    const at = new Date('2026-01-15T18:30:00Z')
    expect(() => isQuietAt(at, KOLKATA, { ...DEFAULT, start: '9:00' })).toThrow(RangeError)
    expect(() => isQuietAt(at, KOLKATA, { ...DEFAULT, end: '24:00' })).toThrow(RangeError)
    expect(() => isQuietAt(new Date(Number.NaN), KOLKATA, DEFAULT)).toThrow(RangeError)
  })
})

describe('nextAllowedSendTime', () => {
  it('returns the very same Date when it is allowed', () => {
    const at = new Date('2026-01-15T06:30:00.123Z') // 12:00:00.123 IST
    expect(nextAllowedSendTime(at, KOLKATA, DEFAULT)).toBe(at)
  })

  it.each<[string, string, readonly string[], QuietHours, string]>([
    // 21:30 IST Thursday -> 09:00 IST Friday = 03:30Z.
    ['evening, half-hour offset', '2026-01-15T16:00:00Z', KOLKATA, DEFAULT, '2026-01-16T03:30:00.000Z'],
    // 20:45 NPT -> 09:00 NPT next day = 03:15Z.
    [
      'evening, 45-minute offset',
      '2026-01-15T15:00:00Z',
      ['Asia/Kathmandu'],
      DEFAULT,
      '2026-01-16T03:15:00.000Z',
    ],
    // 05:30 IST -> 09:00 IST the same day.
    ['early morning', '2026-01-15T00:00:00Z', KOLKATA, DEFAULT, '2026-01-15T03:30:00.000Z'],
    // 08:59:30.500 IST -> 09:00:00.000 IST.
    ['seconds before the end', '2026-01-15T03:29:30.500Z', KOLKATA, DEFAULT, '2026-01-15T03:30:00.000Z'],
    // 13:15 IST -> 14:00 IST.
    ['same-day window', '2026-01-15T07:45:00Z', KOLKATA, LUNCH, '2026-01-15T08:30:00.000Z'],
    // Friday 20:30 IST -> Monday 09:00 IST = 03:30Z on the 19th.
    ['Friday night, weekends quiet', '2026-01-16T15:00:00Z', KOLKATA, WEEKENDS, '2026-01-19T03:30:00.000Z'],
    // Saturday 12:00 IST -> Monday 09:00 IST.
    ['Saturday, weekends quiet', '2026-01-17T06:30:00Z', KOLKATA, WEEKENDS, '2026-01-19T03:30:00.000Z'],
    // Friday 20:30 IST with weekends allowed -> Saturday 09:00 IST.
    ['Friday night, weekends allowed', '2026-01-16T15:00:00Z', KOLKATA, DEFAULT, '2026-01-17T03:30:00.000Z'],
    // Saturday 12:00 IST, no daily window -> Monday 00:00 IST = Sunday 18:30Z.
    ['weekend only', '2026-01-17T06:30:00Z', KOLKATA, WEEKENDS_ONLY, '2026-01-18T18:30:00.000Z'],
    // Saturday, nights 00:00-06:00 -> Monday 06:00 IST = 00:30Z.
    [
      'weekend then a window from midnight',
      '2026-01-17T06:30:00Z',
      KOLKATA,
      { start: '00:00', end: '06:00', weekendsQuiet: true },
      '2026-01-19T00:30:00.000Z',
    ],
  ])('%s: %s -> %s', (_label, at, zones, quiet, expected) => {
    expect(next(at, zones, quiet)).toBe(expected)
  })

  describe('across DST changes', () => {
    it('spring-forward night in New York: 09:00 EDT, not 09:00 EST', () => {
      // Sunday 00:00 EST (05:00Z); the night loses an hour, so 09:00 EDT is 13:00Z (14:00Z
      // if the EST offset were kept).
      expect(next('2026-03-08T05:00:00Z', NEW_YORK, DEFAULT)).toBe('2026-03-08T13:00:00.000Z')
    })

    it('fall-back night in New York: 09:00 EST, not 09:00 EDT', () => {
      // Sunday 00:00 EDT (04:00Z); the night gains an hour, so 09:00 EST is 14:00Z.
      expect(next('2026-11-01T04:00:00Z', NEW_YORK, DEFAULT)).toBe('2026-11-01T14:00:00.000Z')
    })

    it('a window ending in the skipped hour ends at the jump', () => {
      // Quiet 22:00-02:30; at 01:00 EST (06:00Z) the clock jumps from 01:59:59 EST straight to
      // 03:00 EDT at 07:00Z, already past 02:30.
      const quiet: QuietHours = { start: '22:00', end: '02:30', weekendsQuiet: false }
      expect(next('2026-03-08T06:00:00Z', NEW_YORK, quiet)).toBe('2026-03-08T07:00:00.000Z')
    })

    it('a window in the repeated hour ends when the clock goes back before its start', () => {
      // Quiet 01:30-03:00; at 01:45 EDT (05:45Z) the clock falls back to 01:00 EST at 06:00Z,
      // before 01:30, so sending is allowed from then (not from 03:00 EST = 08:00Z).
      const quiet: QuietHours = { start: '01:30', end: '03:00', weekendsQuiet: false }
      expect(next('2026-11-01T05:45:00Z', NEW_YORK, quiet)).toBe('2026-11-01T06:00:00.000Z')
      expect(quietAt('2026-11-01T06:29:00Z', NEW_YORK, quiet)).toBe(false) // 01:29 EST
      expect(quietAt('2026-11-01T06:30:00Z', NEW_YORK, quiet)).toBe(true) // 01:30 EST, again
    })

    it('a window ending in the repeated hour ends at the occurrence that comes next', () => {
      const quiet: QuietHours = { start: '22:00', end: '01:30', weekendsQuiet: false }
      // 01:15 EDT (05:15Z) -> 01:30 EDT = 05:30Z.
      expect(next('2026-11-01T05:15:00Z', NEW_YORK, quiet)).toBe('2026-11-01T05:30:00.000Z')
      // 01:15 EST (06:15Z), the second pass -> 01:30 EST = 06:30Z.
      expect(next('2026-11-01T06:15:00Z', NEW_YORK, quiet)).toBe('2026-11-01T06:30:00.000Z')
      // 01:00 EST (06:00Z) is before 01:30 again, so it is quiet once more.
      expect(quietAt('2026-11-01T06:00:00Z', NEW_YORK, quiet)).toBe(true)
    })

    it('London: GMT to BST and back', () => {
      // Saturday 21:00 GMT -> Sunday 09:00 BST = 08:00Z.
      expect(next('2026-03-28T21:00:00Z', ['Europe/London'], DEFAULT)).toBe('2026-03-29T08:00:00.000Z')
      // Saturday 22:00 BST (21:00Z) -> Sunday 09:00 GMT = 09:00Z.
      expect(next('2026-10-24T21:00:00Z', ['Europe/London'], DEFAULT)).toBe('2026-10-25T09:00:00.000Z')
    })
  })

  describe('several zones', () => {
    it('waits until it is daytime on both US coasts', () => {
      // 01:30Z Friday: NY 20:30 (quiet until 09:00 EST = 14:00Z), then LA is 06:00, quiet until
      // 09:00 PST = 17:00Z.
      expect(next('2026-01-16T01:30:00Z', US_COASTS, DEFAULT)).toBe('2026-01-16T17:00:00.000Z')
      // 12:00Z: NY 07:00, LA 04:00 -> LA's 09:00 = 17:00Z.
      expect(next('2026-01-15T12:00:00Z', US_COASTS, DEFAULT)).toBe('2026-01-15T17:00:00.000Z')
      // The zone order does not matter while a common window exists.
      expect(next('2026-01-16T01:30:00Z', [...US_COASTS].reverse(), DEFAULT)).toBe('2026-01-16T17:00:00.000Z')
    })

    it('finds a half-hour overlap ten and a half hours apart, across a quiet weekend', () => {
      // Allowed: Kolkata 03:30-14:30Z, New York 14:00-01:00Z: overlap 14:00-14:30Z.
      const zones = ['America/New_York', 'Asia/Kolkata']
      // Friday 14:30Z (Kolkata 20:00) -> Saturday 14:00Z with weekends allowed ...
      expect(next('2026-01-16T14:30:00Z', zones, DEFAULT)).toBe('2026-01-17T14:00:00.000Z')
      // ... and Monday 14:00Z (NY 09:00, Kolkata 19:30) when weekends are quiet.
      expect(next('2026-01-16T14:30:00Z', zones, WEEKENDS)).toBe('2026-01-19T14:00:00.000Z')
      expect(next('2026-01-16T14:29:00Z', zones, WEEKENDS)).toBe('2026-01-16T14:29:00.000Z')
    })

    it('falls back to the first zone when the zones share no allowed time', () => {
      // Allowed: New York 14:00-01:00Z, Shanghai 01:00-12:00Z: never both.
      const at = '2026-01-15T02:00:00Z' // NY 21:00, Shanghai 10:00
      // First zone New York -> 09:00 EST = 14:00Z.
      expect(next(at, ['America/New_York', 'Asia/Shanghai'], DEFAULT)).toBe('2026-01-15T14:00:00.000Z')
      // First zone Shanghai -> now.
      expect(next(at, ['Asia/Shanghai', 'America/New_York'], DEFAULT)).toBe('2026-01-15T02:00:00.000Z')
    })

    it('searches 8 days before falling back: an overlap that opens when New York leaves DST', () => {
      // Quiet 20:30-09:00. Shanghai allows 01:00-12:30Z. New York allows 13:00-00:30Z in EDT
      // (no overlap) and 14:00-01:30Z in EST, overlapping 01:00-01:30Z. The first overlap
      // after the change (Nov 1, 06:00Z) is 2026-11-02T01:00Z (NY Sun 20:00, Shanghai Mon 09:00).
      const zones = ['America/New_York', 'Asia/Shanghai']
      const quiet: QuietHours = { start: '20:30', end: '09:00', weekendsQuiet: false }
      // 7 days 23 hours ahead: found.
      expect(next('2026-10-25T02:00:00Z', zones, quiet)).toBe('2026-11-02T01:00:00.000Z')
      // 8 days 23 hours ahead: too far, so New York alone: Oct 23 22:00 EDT -> 09:00 EDT = 13:00Z.
      expect(next('2026-10-24T02:00:00Z', zones, quiet)).toBe('2026-10-24T13:00:00.000Z')
      // Inside the overlap it is allowed; at its end it waits a day for the next one.
      expect(next('2026-11-02T01:29:00Z', zones, quiet)).toBe('2026-11-02T01:29:00.000Z')
      expect(next('2026-11-02T01:30:00Z', zones, quiet)).toBe('2026-11-03T01:00:00.000Z')
    })

    it('agrees with isQuietAt under the fallback, so a deferred send is not deferred forever', () => {
      const zones = ['America/New_York', 'Asia/Shanghai']
      const due = nextAllowedSendTime(new Date('2026-01-15T02:00:00Z'), zones, DEFAULT)
      expect(isQuietAt(due, zones, DEFAULT)).toBe(false)
      expect(nextAllowedSendTime(due, zones, DEFAULT)).toBe(due)
      expect(quietAt('2026-01-15T02:00:00Z', zones, DEFAULT)).toBe(true)
    })

    it('ignores invalid zones, and uses UTC when none is usable', () => {
      expect(next('2026-01-15T16:00:00Z', ['Nowhere/Special', 'Asia/Kolkata'], DEFAULT)).toBe(
        '2026-01-16T03:30:00.000Z',
      )
      expect(next('2026-01-15T21:00:00Z', [], DEFAULT)).toBe('2026-01-16T09:00:00.000Z')
      expect(next('2026-01-15T21:00:00Z', ['Mars/Olympus'], DEFAULT)).toBe('2026-01-16T09:00:00.000Z')
    })
  })

  it('throws a RangeError for an Invalid Date', () => {
    expect(() => nextAllowedSendTime(new Date(Number.NaN), KOLKATA, DEFAULT)).toThrow(RangeError)
  })

  describe('efficiency', () => {
    afterEach(() => {
      vi.restoreAllMocks()
    })

    it('jumps between window boundaries instead of walking minute by minute', () => {
      const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts')
      // Friday 14:30Z to Monday 14:00Z: 71.5 hours, 4290 minutes in two zones.
      expect(next('2026-01-16T14:30:00Z', ['America/New_York', 'Asia/Kolkata'], WEEKENDS)).toBe(
        '2026-01-19T14:00:00.000Z',
      )
      expect(spy.mock.calls.length).toBeLessThan(40)
      spy.mockClear()
      // An allowed instant costs one Intl call per zone.
      next('2026-01-15T17:00:00Z', US_COASTS, DEFAULT)
      expect(spy.mock.calls.length).toBe(2)
    })
  })

  describe('agrees with a minute-by-minute reference', () => {
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))

    // An independent statement of the rule, on localParts alone.
    const quietIn = (ms: number, zone: string, q: QuietHours) => {
      const p = localParts(new Date(ms), zone)
      if (q.weekendsQuiet && (p.weekday === 0 || p.weekday === 6)) return true
      const m = p.hour * 60 + p.minute
      const [s, e] = [minutes(q.start), minutes(q.end)]
      if (s === e) return false
      return s < e ? s <= m && m < e : m >= s || m < e
    }
    const firstAllowed = (ms: number, zones: readonly string[], q: QuietHours): number | null => {
      if (!zones.some((z) => quietIn(ms, z, q))) return ms
      let t = Math.ceil(ms / 60_000) * 60_000
      for (let i = 0; i <= 8 * 1440; i++, t += 60_000) {
        if (!zones.some((z) => quietIn(t, z, q))) return t
      }
      return null
    }
    const reference = (ms: number, zones: readonly string[], q: QuietHours) =>
      firstAllowed(ms, zones, q) ?? firstAllowed(ms, zones.slice(0, 1), q)

    const cases: [readonly string[], QuietHours][] = [
      [NEW_YORK, DEFAULT],
      [NEW_YORK, { start: '01:30', end: '03:00', weekendsQuiet: false }],
      [NEW_YORK, { start: '22:00', end: '02:30', weekendsQuiet: true }],
      [['Europe/London'], WEEKENDS],
      [['Asia/Kathmandu'], LUNCH],
      // Lord Howe moves its clock by 30 minutes (Apr 5 and Oct 4, 2026).
      [['Australia/Lord_Howe'], { start: '01:45', end: '02:15', weekendsQuiet: false }],
      [US_COASTS, WEEKENDS],
      [['America/New_York', 'Asia/Kolkata'], DEFAULT],
      [
        ['America/Sao_Paulo', 'Europe/London', 'Asia/Kathmandu'],
        { start: '18:00', end: '08:00', weekendsQuiet: false },
      ],
      [['America/New_York', 'Asia/Shanghai'], DEFAULT],
    ]
    const anchors = [
      Date.parse('2026-03-07T12:00:00Z'),
      Date.parse('2026-10-31T12:00:00Z'),
      Date.parse('2026-03-28T12:00:00Z'),
      Date.parse('2026-10-24T12:00:00Z'),
      Date.parse('2026-04-04T12:00:00Z'),
      Date.parse('2026-10-03T12:00:00Z'),
      Date.parse('2026-06-10T00:00:00Z'),
    ]

    it('for instants around every DST change in the sample zones', () => {
      // A fixed linear congruential sequence: the same instants on every run.
      let seed = 20260115
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
      let compared = 0
      for (const [zones, quiet] of cases) {
        for (const anchor of anchors) {
          for (let k = 0; k < 3; k++) {
            // Anywhere in the two days after the anchor, at an odd second.
            const ms = anchor + Math.floor(random() * 2 * 86_400) * 1000 + 17
            const expected = reference(ms, zones, quiet)
            const actual = nextAllowedSendTime(new Date(ms), zones, quiet).getTime()
            expect({
              at: new Date(ms).toISOString(),
              zones,
              quiet,
              due: new Date(actual).toISOString(),
            }).toEqual({
              at: new Date(ms).toISOString(),
              zones,
              quiet,
              due: new Date(expected!).toISOString(),
            })
            expect(isQuietAt(new Date(ms), zones, quiet)).toBe(expected !== ms)
            compared++
          }
        }
      }
      expect(compared).toBe(cases.length * anchors.length * 3)
    })
  })
})

describe('parseQuietHours', () => {
  const PATH = 'journey.quietHours'
  const parse = (json: unknown, path = PATH) => {
    const issues: string[] = []
    const value = parseQuietHours(json, path, issues)
    return { value, issues }
  }

  it('accepts valid quiet hours and returns a fresh copy', () => {
    const json = { start: '22:30', end: '07:15', weekendsQuiet: true }
    const { value, issues } = parse(json)
    expect(issues).toEqual([])
    expect(value).toEqual(json)
    expect(value).not.toBe(json)
  })

  it('accepts the default, the first and last minute of the day, and start equal to end', () => {
    expect(parse(JSON.parse(JSON.stringify(DEFAULT_QUIET_HOURS)))).toEqual({
      value: DEFAULT_QUIET_HOURS,
      issues: [],
    })
    expect(parse({ start: '00:00', end: '23:59', weekendsQuiet: false }).issues).toEqual([])
    expect(parse({ start: '12:00', end: '12:00', weekendsQuiet: true }).issues).toEqual([])
  })

  it.each([['9:00'], ['24:00'], ['09:60'], ['0900'], [' 09:00'], ['09:00:00'], [900], [null], [undefined]])(
    'refuses start %j',
    (start) => {
      expect(parse({ start, end: '09:00', weekendsQuiet: false }).issues).toEqual([
        'journey.quietHours.start must be a time HH:MM (00:00 to 23:59)',
      ])
    },
  )

  it('refuses a bad end and a weekendsQuiet that is not a boolean', () => {
    expect(parse({ start: '20:00', end: '25:00', weekendsQuiet: 'true' }).issues).toEqual([
      'journey.quietHours.end must be a time HH:MM (00:00 to 23:59)',
      'journey.quietHours.weekendsQuiet must be a boolean',
    ])
  })

  it('requires every key, so nothing defaults silently', () => {
    expect(parse({}).issues).toEqual([
      'journey.quietHours.start must be a time HH:MM (00:00 to 23:59)',
      'journey.quietHours.end must be a time HH:MM (00:00 to 23:59)',
      'journey.quietHours.weekendsQuiet must be a boolean',
    ])
  })

  it('refuses unknown keys', () => {
    expect(parse({ ...DEFAULT_QUIET_HOURS, timeZone: 'Asia/Kolkata', Start: '21:00' }).issues).toEqual([
      'journey.quietHours.timeZone is not allowed',
      'journey.quietHours.Start is not allowed',
    ])
  })

  it.each([[null], [[]], ['20:00-09:00'], [5]])('refuses %j, which is not an object', (json) => {
    const { value, issues } = parse(json)
    expect(issues).toEqual(['journey.quietHours must be an object'])
    expect(value).toEqual(DEFAULT_QUIET_HOURS)
  })

  it('names top-level problems without a path prefix', () => {
    expect(parse(null, '').issues).toEqual(['quiet hours must be an object'])
    expect(parse({ start: 'x', end: '09:00', weekendsQuiet: false, extra: 1 }, '').issues).toEqual([
      'extra is not allowed',
      'start must be a time HH:MM (00:00 to 23:59)',
    ])
  })

  it('appends to the issues already collected', () => {
    const issues = ['earlier problem']
    parseQuietHours({ start: '20:00', end: '09:00' }, PATH, issues)
    expect(issues).toEqual(['earlier problem', 'journey.quietHours.weekendsQuiet must be a boolean'])
  })
})
