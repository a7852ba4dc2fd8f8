import { describe, expect, it } from 'vitest'
import { validateContractTerms } from '../../../domain/renewal/contract.rules.js'
import {
  dueRenewalMilestones,
  nextMilestoneAt,
  renewalSchedule,
} from '../../../domain/renewal/renewal-schedule.rules.js'
import { addDays, indiaDate } from '../../../domain/time/india-date.rules.js'

const at = (iso: string) => Date.parse(iso)

describe('renewalSchedule', () => {
  const schedule = renewalSchedule({ endDate: '2027-03-31', renewalLeadDays: 90 })

  it('opens the renewal lead days ahead, reminds at 60/30/7 days, expires after the end date (India time)', () => {
    expect(schedule.map((m) => [m.kind, new Date(m.at).toISOString()])).toEqual([
      ['renewal_opportunity', '2026-12-31T03:30:00.000Z'],
      ['reminder', '2027-01-30T03:30:00.000Z'],
      ['reminder', '2027-03-01T03:30:00.000Z'],
      ['reminder', '2027-03-24T03:30:00.000Z'],
      ['expiry', '2027-03-31T18:30:00.000Z'],
    ])
  })

  it('keys milestones by the end date, so a new end date gets fresh ones', () => {
    const moved = renewalSchedule({ endDate: '2027-06-30', renewalLeadDays: 90 })
    expect(moved.map((m) => m.key).filter((k) => schedule.some((m) => m.key === k))).toEqual([])
  })

  it('puts the opportunity before a reminder on the same day, and handles a zero lead', () => {
    const same = renewalSchedule({ endDate: '2027-03-31', renewalLeadDays: 30 })
    expect(same.slice(1, 3).map((m) => m.kind)).toEqual(['renewal_opportunity', 'reminder'])
    const zero = renewalSchedule({ endDate: '2027-03-31', renewalLeadDays: 0 })
    expect(zero.map((m) => m.kind)).toEqual([
      'reminder',
      'reminder',
      'reminder',
      'renewal_opportunity',
      'expiry',
    ])
  })

  it('has no milestones for an invalid end date', () => {
    expect(renewalSchedule({ endDate: '2027-02-30', renewalLeadDays: 90 })).toEqual([])
  })
})

describe('dueRenewalMilestones', () => {
  const schedule = renewalSchedule({ endDate: '2027-03-31', renewalLeadDays: 90 })
  const created = at('2026-06-01T00:00:00Z')

  it('fires nothing before the first milestone, and names when to wake', () => {
    expect(dueRenewalMilestones(schedule, at('2026-12-31T03:29:59Z'), [], created)).toEqual({
      fire: [],
      settled: [],
    })
    expect(nextMilestoneAt(schedule, [])).toBe(at('2026-12-31T03:30:00Z'))
  })

  it('fires each milestone once', () => {
    const first = dueRenewalMilestones(schedule, at('2026-12-31T03:30:00Z'), [], created)
    expect(first.fire.map((m) => m.kind)).toEqual(['renewal_opportunity'])
    expect(dueRenewalMilestones(schedule, at('2027-01-01T00:00:00Z'), first.settled, created).fire).toEqual(
      [],
    )
    expect(nextMilestoneAt(schedule, first.settled)).toBe(at('2027-01-30T03:30:00Z'))
  })

  it('sends only the latest overdue reminder after an outage, and none once expiry is due', () => {
    const late = dueRenewalMilestones(schedule, at('2027-03-25T00:00:00Z'), [], created)
    expect(late.fire.map((m) => `${m.kind}:${'daysBefore' in m ? m.daysBefore : ''}`)).toEqual([
      'renewal_opportunity:90',
      'reminder:7',
    ])
    expect(late.settled).toHaveLength(4)
    const over = dueRenewalMilestones(schedule, at('2027-04-02T00:00:00Z'), [], created)
    expect(over.fire.map((m) => m.kind)).toEqual(['renewal_opportunity', 'expiry'])
  })

  it('skips reminders that fell due before the contract existed, but still opens the opportunity', () => {
    const entered = at('2027-03-10T00:00:00Z') // 21 days before the end
    const due = dueRenewalMilestones(schedule, entered, [], entered)
    expect(due.fire.map((m) => m.kind)).toEqual(['renewal_opportunity'])
    expect(nextMilestoneAt(schedule, due.settled)).toBe(at('2027-03-24T03:30:00Z'))
  })
})

describe('dates', () => {
  it('adds days across months and leap years, and reads the India date of an instant', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2027-03-31', 1)).toBe('2027-04-01')
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31')
    expect(indiaDate(at('2027-03-31T18:29:59Z'))).toBe('2027-03-31')
    expect(indiaDate(at('2027-03-31T18:30:00Z'))).toBe('2027-04-01')
  })
})

describe('validateContractTerms', () => {
  const today = '2026-11-24'
  it('accepts sane terms', () => {
    expect(
      validateContractTerms(
        { startDate: '2026-04-01', endDate: '2027-03-31', value: 120000.5, renewalLeadDays: 90 },
        today,
      ),
    ).toEqual([])
  })
  it('refuses an end not after the start, an end in the past, bad money and lead days', () => {
    expect(validateContractTerms({ startDate: '2027-01-01', endDate: '2027-01-01' }, today)).toEqual([
      { pointer: '/endDate', message: 'must be after the start date (2027-01-01)' },
    ])
    expect(validateContractTerms({ startDate: '2025-01-01', endDate: '2026-11-23' }, today)[0]?.pointer).toBe(
      '/endDate',
    )
    expect(validateContractTerms({ value: 10.005 }, today)[0]?.pointer).toBe('/value')
    expect(validateContractTerms({ value: -1 }, today)[0]?.pointer).toBe('/value')
    expect(validateContractTerms({ renewalLeadDays: 366 }, today)[0]?.pointer).toBe('/renewalLeadDays')
    expect(validateContractTerms({ startDate: '2027-02-30' }, today)[0]?.pointer).toBe('/startDate')
  })
})
