import { addDays, indiaInstant } from '../time/india-date.rules.js'

/*
 * The collection schedule of an issued invoice, which the workflow `invoice/<id>` follows:
 *
 *   due − 3 days   level 1  friendly reminder ("due on ...")
 *   due date       level 2  reminder ("due today")
 *   due + 1 day    -        the invoice is overdue: the account's health is recomputed
 *   due + 7 days   level 3  overdue reminder
 *   due + 14 days  level 4  overdue reminder
 *   due + 30 days  level 5  final notice; a collections task for the account owner, and
 *                           the invoice is escalated (the workflow's part ends there)
 *
 * Reminders go out at 10:00 India time (a working hour for the buyer's accounts team); the
 * overdue step runs at midnight India time, when the due date turns into "yesterday".
 * A reminder dated on or before the issue date is dropped (the invoice email itself says
 * as much). When several reminders are already due at once (a backdated invoice, a worker
 * that was down), only the latest is sent: one "30 days overdue" notice, not a burst of
 * five emails. The overdue and escalation steps are never dropped.
 */

export type CollectionStepId = 'before_due' | 'on_due' | 'overdue' | 'overdue_7' | 'overdue_14' | 'overdue_30'

export interface CollectionStep {
  id: CollectionStepId
  /** remind: email the billing contact; mark_overdue: tell the account's health. */
  action: 'remind' | 'mark_overdue'
  /** The reminder level (1-5) a remind step records on the invoice. */
  level: number | null
  /** Days from the due date. */
  offsetDays: number
  /** India time of day, 'HH:mm'. */
  time: string
  /** Opens the collections task and escalates. */
  escalate: boolean
}

export const REMINDER_TIME = '10:00'

export const COLLECTION_STEPS: readonly CollectionStep[] = [
  { id: 'before_due', action: 'remind', level: 1, offsetDays: -3, time: REMINDER_TIME, escalate: false },
  { id: 'on_due', action: 'remind', level: 2, offsetDays: 0, time: REMINDER_TIME, escalate: false },
  { id: 'overdue', action: 'mark_overdue', level: null, offsetDays: 1, time: '00:00', escalate: false },
  { id: 'overdue_7', action: 'remind', level: 3, offsetDays: 7, time: REMINDER_TIME, escalate: false },
  { id: 'overdue_14', action: 'remind', level: 4, offsetDays: 14, time: REMINDER_TIME, escalate: false },
  { id: 'overdue_30', action: 'remind', level: 5, offsetDays: 30, time: REMINDER_TIME, escalate: true },
]

export interface PlannedStep extends CollectionStep {
  date: string
  /** When it is due, ms since the epoch. */
  at: number
}

/** The steps of an invoice issued on `issueDate` and due on `dueDate` ('YYYY-MM-DD'), in order. */
export function collectionSchedule(issueDate: string, dueDate: string): PlannedStep[] {
  return COLLECTION_STEPS.map((step) => {
    const date = addDays(dueDate, step.offsetDays)
    return { ...step, date, at: indiaInstant(date, step.time) }
  }).filter((step) => step.action !== 'remind' || step.escalate || step.date > issueDate)
}

/** What is already behind the invoice: steps this run did, and what the record says. */
export interface CollectionProgress {
  done: readonly CollectionStepId[]
  /** invoice.reminder_level: reminders up to this level went out (or were recorded). */
  reminderLevel: number
  overdueRecorded: boolean
}

export type CollectionAction =
  | { kind: 'finished' }
  | { kind: 'wait'; until: number }
  /** Run the step; `stale`: a later reminder is due too, so this one is passed over unsent. */
  | { kind: 'run'; step: PlannedStep; stale: boolean }

function isDone(step: PlannedStep, p: CollectionProgress): boolean {
  if (p.done.includes(step.id)) return true
  if (step.action === 'mark_overdue') return p.overdueRecorded
  return step.level !== null && step.level <= p.reminderLevel
}

/** The next thing to do at `now` (ms): run the earliest pending step, wait for it, or stop. */
export function nextCollectionAction(
  schedule: readonly PlannedStep[],
  progress: CollectionProgress,
  now: number,
): CollectionAction {
  const pending = schedule.filter((s) => !isDone(s, progress))
  const first = pending[0]
  if (!first) return { kind: 'finished' }
  if (first.at > now) return { kind: 'wait', until: first.at }
  const laterReminderDue = pending.some((s) => s !== first && s.action === 'remind' && s.at <= now)
  return { kind: 'run', step: first, stale: first.action === 'remind' && !first.escalate && laterReminderDue }
}
