import { describe, expect, it } from 'vitest'
import {
  collectionSchedule,
  nextCollectionAction,
  type CollectionProgress,
} from '../../../domain/billing/reminder-schedule.rules.js'

const NONE: CollectionProgress = { done: [], reminderLevel: 0, overdueRecorded: false }
const at = (iso: string) => Date.parse(iso)

describe('collection schedule', () => {
  it('reminds 3 days before, on the due date, 7, 14 and 30 days after, at 10:00 India time', () => {
    const schedule = collectionSchedule('2027-03-01', '2027-03-31')
    expect(schedule.map((s) => [s.id, s.date, new Date(s.at).toISOString()])).toEqual([
      ['before_due', '2027-03-28', '2027-03-28T04:30:00.000Z'],
      ['on_due', '2027-03-31', '2027-03-31T04:30:00.000Z'],
      ['overdue', '2027-04-01', '2027-03-31T18:30:00.000Z'],
      ['overdue_7', '2027-04-07', '2027-04-07T04:30:00.000Z'],
      ['overdue_14', '2027-04-14', '2027-04-14T04:30:00.000Z'],
      ['overdue_30', '2027-04-30', '2027-04-30T04:30:00.000Z'],
    ])
    expect(schedule.filter((s) => s.escalate).map((s) => s.id)).toEqual(['overdue_30'])
  })

  it('drops reminders dated on or before the issue date (a short payment term)', () => {
    expect(collectionSchedule('2027-03-30', '2027-03-31').map((s) => s.id)).toEqual([
      'on_due',
      'overdue',
      'overdue_7',
      'overdue_14',
      'overdue_30',
    ])
    expect(collectionSchedule('2027-03-31', '2027-03-31')[0]?.id).toBe('overdue')
  })
})

describe('next collection action', () => {
  const schedule = collectionSchedule('2027-03-01', '2027-03-31')

  it('waits for the first step, then runs each in turn', () => {
    expect(nextCollectionAction(schedule, NONE, at('2027-03-01T06:00:00Z'))).toEqual({
      kind: 'wait',
      until: at('2027-03-28T04:30:00Z'),
    })
    const first = nextCollectionAction(schedule, NONE, at('2027-03-28T04:30:00Z'))
    expect(first).toMatchObject({ kind: 'run', step: { id: 'before_due', level: 1 }, stale: false })
    expect(
      nextCollectionAction(schedule, { ...NONE, done: ['before_due'] }, at('2027-03-28T04:30:01Z')),
    ).toEqual({
      kind: 'wait',
      until: at('2027-03-31T04:30:00Z'),
    })
  })

  it('passes over reminders made stale by a later one that is due too, but never the overdue or escalation step', () => {
    const late = at('2027-04-20T00:00:00Z') // after overdue_14, before overdue_30
    const steps: string[] = []
    const stale: string[] = []
    const done: CollectionProgress['done'][number][] = []
    for (;;) {
      const next = nextCollectionAction(schedule, { ...NONE, done }, late)
      if (next.kind !== 'run') {
        expect(next).toEqual({ kind: 'wait', until: at('2027-04-30T04:30:00Z') })
        break
      }
      ;(next.stale ? stale : steps).push(next.step.id)
      done.push(next.step.id)
    }
    expect(steps).toEqual(['overdue', 'overdue_14'])
    expect(stale).toEqual(['before_due', 'on_due', 'overdue_7'])
  })

  it('counts what the invoice records as done: a restarted run does not remind twice', () => {
    const progress = { done: [], reminderLevel: 5, overdueRecorded: true }
    expect(nextCollectionAction(schedule, progress, at('2027-06-01T00:00:00Z'))).toEqual({ kind: 'finished' })
    expect(
      nextCollectionAction(
        schedule,
        { done: [], reminderLevel: 3, overdueRecorded: true },
        at('2027-04-08T00:00:00Z'),
      ),
    ).toEqual({ kind: 'wait', until: at('2027-04-14T04:30:00Z') })
  })
})
