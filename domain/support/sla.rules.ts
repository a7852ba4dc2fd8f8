import {
  DEFAULT_SLA_POLICY,
  SECOND_ESCALATION_FACTOR,
  type SlaPolicy,
  type TicketPriority,
  type TicketStatus,
} from './sla-policy.js'

/*
 * A support ticket's SLA clocks, as pure arithmetic over epoch milliseconds ("now" is always
 * an argument). The API applies these rules when a ticket changes; the ticketSla workflow
 * uses the same ones to know when to wake up and what is due; its activities check them
 * again under the row lock, so a response that lands at the deadline is judged once.
 *
 * Two clocks, both from the ticket's creation:
 * - first response: stops when someone first responds. Pending does not stop it (a ticket
 *   is pending because we asked the customer something, which is a response).
 * - resolution: stops while the ticket is pending (waiting on the customer) and while it is
 *   resolved; the stopped time accrues in `pausedSeconds` and pushes the deadline back when
 *   the clock runs again. A reopened ticket therefore gets back the time it had left.
 * Resolved and closed tickets have no running clock. Closed is final.
 */

const HOUR = 3_600_000

/** The fields the SLA rules read; times in epoch milliseconds. */
export interface SlaTicket {
  priority: TicketPriority
  status: TicketStatus
  createdAt: number
  firstRespondedAt: number | null
  resolvedAt: number | null
  closedAt: number | null
  /** Start of the current pending spell. */
  pendingSince: number | null
  /** Whole seconds the resolution clock was stopped in finished spells. */
  pausedSeconds: number
  firstResponseDueAt: number
  /** The resolution deadline as of the end of the last finished spell. */
  resolutionDueAt: number
  firstResponseBreachedAt: number | null
  resolutionBreachedAt: number | null
  /** 0 none, 1 the assignee's manager, 2 the account owner. */
  escalationLevel: number
}

export interface SlaDeadlines {
  firstResponseDueAt: number
  resolutionDueAt: number
}

/** Whether the ticket still has a running SLA (new, open or pending). */
export function isSlaActive(status: TicketStatus): boolean {
  return status === 'new' || status === 'open' || status === 'pending'
}

/**
 * Deadlines from the creation time and the priority's targets; the resolution deadline
 * moves back by the seconds the resolution clock was stopped. Changing the priority calls
 * this again with the new priority (deadlines always count from creation, never from the
 * change).
 */
export function slaDeadlines(
  createdAt: number,
  priority: TicketPriority,
  pausedSeconds: number,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): SlaDeadlines {
  const targets = policy[priority]
  return {
    firstResponseDueAt: createdAt + targets.firstResponseHours * HOUR,
    resolutionDueAt: createdAt + targets.resolutionHours * HOUR + pausedSeconds * 1000,
  }
}

/** When level 2 (the account owner) is due: the resolution target again, past the deadline. */
export function secondEscalationAt(t: SlaTicket, policy: SlaPolicy = DEFAULT_SLA_POLICY): number {
  const resolution = policy[t.priority].resolutionHours * HOUR
  return t.createdAt + SECOND_ESCALATION_FACTOR * resolution + t.pausedSeconds * 1000
}

const secondsBetween = (from: number, to: number) => Math.max(0, Math.floor((to - from) / 1000))

export type StatusChange = { ok: true; changes: Partial<SlaTicket> } | { ok: false; reason: string }

/**
 * The fields a status change sets.
 *
 * - Closed is final: any other status is refused (open a new ticket instead).
 * - Leaving pending adds the spell to `pausedSeconds`; leaving resolved for open or pending
 *   (a reopen) adds the time it spent resolved, so the resolution deadline moves back by
 *   both. Resolved → closed keeps the resolution time.
 * - Entering pending starts a spell; resolved stamps `resolvedAt`; closed stamps `closedAt`
 *   (and `resolvedAt` if the ticket was never resolved). A reopen clears both.
 * - The same status again changes nothing.
 */
export function changeStatus(
  t: SlaTicket,
  to: Exclude<TicketStatus, 'new'>,
  now: number,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): StatusChange {
  if (t.status === to) return { ok: true, changes: {} }
  if (t.status === 'closed') return { ok: false, reason: 'a closed ticket is final; open a new ticket' }
  let paused = t.pausedSeconds
  if (t.status === 'pending' && t.pendingSince !== null) paused += secondsBetween(t.pendingSince, now)
  if (t.status === 'resolved' && to !== 'closed' && t.resolvedAt !== null)
    paused += secondsBetween(t.resolvedAt, now)
  return {
    ok: true,
    changes: {
      status: to,
      pausedSeconds: paused,
      pendingSince: to === 'pending' ? now : null,
      resolvedAt: to === 'resolved' ? now : to === 'closed' ? (t.resolvedAt ?? now) : null,
      closedAt: to === 'closed' ? now : null,
      resolutionDueAt: slaDeadlines(t.createdAt, t.priority, paused, policy).resolutionDueAt,
    },
  }
}

export type SlaClockState = 'running' | 'paused' | 'met' | 'missed' | 'stopped'

export interface SlaClock {
  /** The deadline as it stands now (a pending ticket's resolution deadline moves with the clock). */
  dueAt: number
  state: SlaClockState
  /** A breach was recorded for this clock. */
  breached: boolean
  /** Seconds to the deadline while running or paused (negative once overdue); null otherwise. */
  secondsLeft: number | null
}

/**
 * Both clocks as a person reads them at `now`: met/missed once stopped by a response or a
 * resolution, paused while pending (resolution only), stopped when the ticket was closed or
 * resolved without the clock ever being met.
 */
export function slaClocks(t: SlaTicket, now: number): { firstResponse: SlaClock; resolution: SlaClock } {
  const active = isSlaActive(t.status)
  const left = (due: number) => Math.floor((due - now) / 1000)

  const frDue = t.firstResponseDueAt
  const firstResponse: SlaClock =
    t.firstRespondedAt !== null
      ? {
          dueAt: frDue,
          state: t.firstRespondedAt <= frDue ? 'met' : 'missed',
          breached: t.firstResponseBreachedAt !== null,
          secondsLeft: null,
        }
      : {
          dueAt: frDue,
          state: active ? 'running' : 'stopped',
          breached: t.firstResponseBreachedAt !== null,
          secondsLeft: active ? left(frDue) : null,
        }

  const pausedNow = t.status === 'pending' && t.pendingSince !== null ? Math.max(0, now - t.pendingSince) : 0
  const resDue = t.resolutionDueAt + pausedNow
  const breached = t.resolutionBreachedAt !== null
  let resolution: SlaClock
  if (t.status === 'pending')
    resolution = { dueAt: resDue, state: 'paused', breached, secondsLeft: left(resDue) }
  else if (active) resolution = { dueAt: resDue, state: 'running', breached, secondsLeft: left(resDue) }
  else {
    const at = t.resolvedAt ?? t.closedAt
    const state: SlaClockState = at === null ? 'stopped' : at <= resDue && !breached ? 'met' : 'missed'
    resolution = { dueAt: resDue, state, breached, secondsLeft: null }
  }
  return { firstResponse, resolution }
}

export type SlaAction =
  { kind: 'breach'; clock: 'first_response' | 'resolution' } | { kind: 'escalate'; level: 1 | 2 }

/**
 * What is due at `now`, in the order to apply it: breaches first, then escalations.
 *
 * - first-response breach (once): nobody responded and the deadline has passed while the
 *   ticket is active, or the clock stopped late (the first response, or a resolution
 *   without any response, came after the deadline).
 * - resolution breach (once): the deadline has passed while the ticket is active and not
 *   pending, or it was resolved or closed after the deadline.
 *   Judging a stopped clock too means a breach is recorded even when the watcher was down
 *   at the deadline and the response came before it woke.
 * - level 1 (the assignee's manager): the ticket is active and a breach is recorded or due.
 * - level 2 (the account owner): active and not pending at SECOND_ESCALATION_FACTOR times
 *   the resolution target.
 * A resolved or closed ticket is never escalated: its SLA stopped.
 */
export function dueSlaActions(
  t: SlaTicket,
  now: number,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
): SlaAction[] {
  const active = isSlaActive(t.status)
  const running = active && t.status !== 'pending'
  const stoppedAt = active ? null : (t.resolvedAt ?? t.closedAt)
  const actions: SlaAction[] = []
  const frStopped = t.firstRespondedAt ?? stoppedAt
  const frMissed =
    frStopped !== null ? frStopped > t.firstResponseDueAt : active && now >= t.firstResponseDueAt
  if (t.firstResponseBreachedAt === null && frMissed)
    actions.push({ kind: 'breach', clock: 'first_response' })
  const resMissed = stoppedAt !== null ? stoppedAt > t.resolutionDueAt : running && now >= t.resolutionDueAt
  if (t.resolutionBreachedAt === null && resMissed) actions.push({ kind: 'breach', clock: 'resolution' })
  if (!active) return actions
  const breached = actions.length > 0 || t.firstResponseBreachedAt !== null || t.resolutionBreachedAt !== null
  if (breached && t.escalationLevel < 1) actions.push({ kind: 'escalate', level: 1 })
  if (running && t.escalationLevel < 2 && now >= secondEscalationAt(t, policy))
    actions.push({ kind: 'escalate', level: 2 })
  return actions
}

/**
 * The next instant something may become due, or null when nothing can without a change to
 * the ticket (resolved, closed, pending with the response given, or every step taken).
 */
export function nextSlaCheckAt(t: SlaTicket, policy: SlaPolicy = DEFAULT_SLA_POLICY): number | null {
  if (!isSlaActive(t.status)) return null
  const candidates: number[] = []
  if (t.firstRespondedAt === null && t.firstResponseBreachedAt === null) candidates.push(t.firstResponseDueAt)
  if (t.status !== 'pending') {
    if (t.resolutionBreachedAt === null) candidates.push(t.resolutionDueAt)
    if (t.escalationLevel < 2) candidates.push(secondEscalationAt(t, policy))
  }
  return candidates.length ? Math.min(...candidates) : null
}
