import { describe, expect, it } from 'vitest'
import { localDate, startOfLocalDay } from '../../../domain/reports/local-day.rules.js'
import {
  MAX_PERIOD_YEARS,
  addDays,
  dateOfDay,
  quarterOf,
  resolvePeriod,
} from '../../../domain/reports/period.rules.js'
import { calendarDay } from '../../../domain/time/calendar-date.rules.js'

describe('localDate', () => {
  it('is the calendar date on the zone’s wall clock', () => {
    const at = new Date('2026-03-31T18:45:00Z')
    expect(localDate(at, 'Asia/Kolkata')).toBe('2026-04-01') // 00:15 IST
    expect(localDate(at, 'UTC')).toBe('2026-03-31')
    expect(localDate(at, 'America/Los_Angeles')).toBe('2026-03-31')
    expect(localDate(new Date('2026-01-01T10:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-01-02') // UTC+14
  })
})

describe('startOfLocalDay', () => {
  it('is local midnight as an instant', () => {
    expect(startOfLocalDay('2026-04-01', 'Asia/Kolkata').toISOString()).toBe('2026-03-31T18:30:00.000Z')
    expect(startOfLocalDay('2026-04-01', 'UTC').toISOString()).toBe('2026-04-01T00:00:00.000Z')
    expect(startOfLocalDay('2026-04-01', 'Asia/Kathmandu').toISOString()).toBe('2026-03-31T18:15:00.000Z')
  })

  it('follows daylight saving time on both sides of a change', () => {
    // New York springs forward at 02:00 on 8 March 2026: that day starts in EST, the next in EDT.
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z')
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z')
    // London falls back on 25 October 2026: the day starts in BST and lasts 25 hours.
    expect(startOfLocalDay('2026-10-25', 'Europe/London').toISOString()).toBe('2026-10-24T23:00:00.000Z')
    expect(startOfLocalDay('2026-10-26', 'Europe/London').toISOString()).toBe('2026-10-26T00:00:00.000Z')
  })

  it('starts a day whose midnight was skipped at the jump (Chile moves 00:00 to 01:00)', () => {
    // Santiago leaves UTC-4 for UTC-3 at 00:00 local on 6 September 2026.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago')
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z')
    expect(localDate(start, 'America/Santiago')).toBe('2026-09-06')
    expect(localDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05')
  })

  it('refuses what is not a calendar date', () => {
    expect(() => startOfLocalDay('2026-02-30', 'UTC')).toThrow(RangeError)
    expect(() => startOfLocalDay('2026-02-01', 'Mars/Olympus')).toThrow(RangeError)
  })
})

describe('calendar arithmetic', () => {
  it('dateOfDay inverts calendarDay across leap years and centuries', () => {
    for (const d of ['1970-01-01', '2000-02-29', '2024-12-31', '2100-03-01', '1899-12-31', '0001-01-01']) {
      expect(dateOfDay(calendarDay(d)!)).toBe(d)
    }
  })

  it('addDays crosses months and years', () => {
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
    expect(() => addDays('2026-13-01', 1)).toThrow(RangeError)
  })

  it('quarterOf is the calendar quarter', () => {
    expect(quarterOf('2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(quarterOf('2026-05-17')).toEqual({ from: '2026-04-01', to: '2026-06-30' })
    expect(quarterOf('2026-09-30')).toEqual({ from: '2026-07-01', to: '2026-09-30' })
    expect(quarterOf('2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' })
  })
})

describe('resolvePeriod', () => {
  const today = '2026-05-17'

  it('defaults to today’s quarter, each bound on its own', () => {
    expect(resolvePeriod({}, today)).toEqual({ period: { from: '2026-04-01', to: '2026-06-30' }, errors: [] })
    expect(resolvePeriod({ from: '2026-05-01' }, today).period).toEqual({
      from: '2026-05-01',
      to: '2026-06-30',
    })
    expect(resolvePeriod({ to: '2026-04-30' }, today).period).toEqual({
      from: '2026-04-01',
      to: '2026-04-30',
    })
  })

  it('accepts one day', () => {
    expect(resolvePeriod({ from: '2026-05-17', to: '2026-05-17' }, today).period).toEqual({
      from: '2026-05-17',
      to: '2026-05-17',
    })
  })

  it('refuses from after to', () => {
    expect(resolvePeriod({ from: '2026-05-18', to: '2026-05-17' }, today)).toEqual({
      period: null,
      errors: [{ field: 'to', message: 'must not be before from (2026-05-18)' }],
    })
  })

  it(`allows at most ${MAX_PERIOD_YEARS} years`, () => {
    expect(resolvePeriod({ from: '2021-01-01', to: '2025-12-31' }, today).period).not.toBeNull()
    expect(resolvePeriod({ from: '2021-01-01', to: '2026-01-01' }, today)).toEqual({
      period: null,
      errors: [{ field: 'to', message: 'must be within 5 years of from (before 2026-01-01)' }],
    })
    // 29 February five years on is 28 February.
    expect(resolvePeriod({ from: '2024-02-29', to: '2029-02-27' }, today).period).not.toBeNull()
    expect(resolvePeriod({ from: '2024-02-29', to: '2029-02-28' }, today).period).toBeNull()
  })

  it('names each impossible date', () => {
    expect(resolvePeriod({ from: '2026-02-30', to: '2026-13-01' }, today)).toEqual({
      period: null,
      errors: [
        { field: 'from', message: 'must be a real date YYYY-MM-DD' },
        { field: 'to', message: 'must be a real date YYYY-MM-DD' },
      ],
    })
  })
})
