import { calendarDay } from '../time/calendar-date.rules.js'
import { IST_OFFSET_MS } from '../time/india-date.rules.js'

/*
 * A contract's way to its end date: the renewal opportunity `renewalLeadDays` before it,
 * reminders 60, 30 and 7 days before it, and expiry once the end date is over. The
 * contractRenewal workflow sleeps from one milestone to the next; the milestones are keyed
 * by the end date, so moving the end date gives a fresh set and never re-fires an old one.
 *
 * Times: a contract's dates are Indian calendar dates. Milestones fire at 09:00 India time
 * (03:30 UTC) on their day, when the owner is at work; the end date is covered in full, so
 * expiry comes at the following midnight India time.
 */

const DAY = 86_400_000
const MILESTONE_OFFSET_MS = 3.5 * 3_600_000

/** Days before the end date a reminder goes to the owner. */
export const RENEWAL_REMINDER_DAYS: readonly number[] = [60, 30, 7]

export interface RenewalTerms {
  /** Last day covered, 'YYYY-MM-DD'. */
  endDate: string
  /** Days before the end date the renewal opportunity is opened (0..365). */
  renewalLeadDays: number
}

export type RenewalMilestone =
  | { kind: 'renewal_opportunity'; key: string; at: number; daysBefore: number }
  | { kind: 'reminder'; key: string; at: number; daysBefore: number }
  | { kind: 'expiry'; key: string; at: number }

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
export function dateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10)
}

/**
 * Every milestone of a contract, soonest first (the renewal opportunity before a reminder
 * on the same day). An invalid end date yields none.
 */
export function renewalSchedule(
  terms: RenewalTerms,
  reminderDays: readonly number[] = RENEWAL_REMINDER_DAYS,
): RenewalMilestone[] {
  const end = calendarDay(terms.endDate)
  if (end === null) return []
  const on = (daysBefore: number) => (end - daysBefore) * DAY + MILESTONE_OFFSET_MS
  const milestones: RenewalMilestone[] = [
    {
      kind: 'renewal_opportunity',
      key: `renewal_opportunity/${terms.endDate}`,
      at: on(terms.renewalLeadDays),
      daysBefore: terms.renewalLeadDays,
    },
    ...reminderDays.map((daysBefore): RenewalMilestone => ({
      kind: 'reminder',
      key: `reminder/${daysBefore}/${terms.endDate}`,
      at: on(daysBefore),
      daysBefore,
    })),
    { kind: 'expiry', key: `expiry/${terms.endDate}`, at: (end + 1) * DAY - IST_OFFSET_MS },
  ]
  const rank = { renewal_opportunity: 0, reminder: 1, expiry: 2 } as const
  return milestones.sort((a, b) => a.at - b.at || rank[a.kind] - rank[b.kind])
}

export interface DueMilestones {
  /** What to do now, in order. */
  fire: RenewalMilestone[]
  /** Keys of every milestone now behind us, fired or deliberately skipped. */
  settled: string[]
}

/**
 * The milestones to act on at `now`, given the keys already settled.
 *
 * - The renewal opportunity is opened whenever its day has come, even late (a contract
 *   entered 20 days before its end still needs its renewal worked).
 * - Reminders are skipped when they fell due before the contract existed (`since`), and
 *   only the latest due reminder is sent (after an outage, "7 days left" replaces the
 *   stale "30 days left"); none is sent once expiry is due.
 * - Expiry fires once the end date is over.
 */
export function dueRenewalMilestones(
  schedule: readonly RenewalMilestone[],
  now: number,
  settled: readonly string[],
  since: number,
): DueMilestones {
  const due = schedule.filter((m) => m.at <= now && !settled.includes(m.key))
  const expiry = due.find((m) => m.kind === 'expiry')
  const reminders = due.filter((m) => m.kind === 'reminder' && m.at >= since)
  const latestReminder = expiry ? undefined : reminders[reminders.length - 1]
  const fire = due.filter(
    (m) => m.kind === 'renewal_opportunity' || m === latestReminder || m.kind === 'expiry',
  )
  return { fire, settled: due.map((m) => m.key) }
}

/** When the next unsettled milestone falls, or null when none is left. */
export function nextMilestoneAt(
  schedule: readonly RenewalMilestone[],
  settled: readonly string[],
): number | null {
  const next = schedule.find((m) => !settled.includes(m.key))
  return next ? next.at : null
}
