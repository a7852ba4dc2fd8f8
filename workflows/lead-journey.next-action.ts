import { DEFAULT_JOURNEY_POLICY } from '../domain/journey/journey-policy.js'
import type { JourneySnapshot, JourneyStep, JourneyTask, NextStep } from './lead-journey.messages.js'

/*
 * What the journey does next and when: the one place that reads the playbook's timers.
 * Pure over the snapshot and the workflow clock, so the query shows exactly what the
 * workflow will do.
 */

/** Attempts at first contact before an unreachable lead goes back to marketing. */
export const MAX_CONTACT_ATTEMPTS = 3

const HOUR = 3_600_000

export type JourneyAction =
  | { kind: 'send'; at: number; step: JourneyStep }
  | { kind: 'open_task'; at: number }
  | { kind: 'reroute_task'; at: number; task: JourneyTask }
  | { kind: 'escalate_task'; at: number; task: JourneyTask }
  | { kind: 'follow_up_task'; at: number; attempt: number }
  | { kind: 'recycle_unreachable'; at: number }
  | { kind: 'restart_nurture'; at: number }

const ms = (iso: string) => new Date(iso).getTime()

function sendAction(s: JourneySnapshot): JourneyAction | null {
  if (s.sequence.stoppedReason !== null) return null
  if (s.stage !== 'Nurturing' && s.stage !== 'Contacted' && s.stage !== 'New') return null
  const step = s.sequence.steps.find((st) => st.status === 'planned')
  return step ? { kind: 'send', at: ms(step.dueAt), step } : null
}

/**
 * Whether an overdue task goes to the next owner rather than the manager: only the first
 * contact (the SLA), only while nobody has reached the lead, and at most maxReroutes times.
 * A policy loaded before re-routing existed has no maxReroutes: it gets the default.
 */
function reroutes(s: JourneySnapshot, task: JourneyTask): boolean {
  const max = s.policy.maxReroutes ?? DEFAULT_JOURNEY_POLICY.maxReroutes
  return task.kind === 'first_contact' && s.contactedAt === null && (task.reroutes ?? 0) < max
}

function taskAction(s: JourneySnapshot, now: number): JourneyAction | null {
  if (s.stage !== 'New' && s.stage !== 'Nurturing' && s.stage !== 'Contacted') return null
  const contactTasks = s.tasks.filter((t) => t.kind !== 'escalation')
  const open = contactTasks.find((t) => t.status === 'open')
  if (open)
    return { kind: reroutes(s, open) ? 'reroute_task' : 'escalate_task', at: ms(open.dueAt), task: open }
  if (s.contactedAt !== null) return null
  // An escalated attempt is in the manager's hands until their task is done.
  const last = contactTasks[contactTasks.length - 1]
  if (last?.status === 'escalated') return null
  if (!last) return { kind: 'open_task', at: ms(s.cycleStartedAt) + s.policy.firstContactWithinHours * HOUR }
  // The last attempt was done (or escalated and then done) without reaching the person.
  if (last.status === 'done') {
    return last.attempt >= MAX_CONTACT_ATTEMPTS
      ? { kind: 'recycle_unreachable', at: now }
      : { kind: 'follow_up_task', at: now, attempt: last.attempt + 1 }
  }
  return null
}

/** The earliest thing due, or null when the journey only waits for people. */
export function nextAction(s: JourneySnapshot, now: number): JourneyAction | null {
  // Before the lead's context (and so the policy) has loaded there is nothing to plan.
  if (!s.policy) return null
  if (s.stage === 'Recycled') return s.recycleAt ? { kind: 'restart_nurture', at: ms(s.recycleAt) } : null
  const candidates = [sendAction(s), taskAction(s, now)].filter((a): a is JourneyAction => a !== null)
  candidates.sort((a, b) => a.at - b.at)
  return candidates[0] ?? null
}

const LABELS: Record<JourneyAction['kind'], (a: JourneyAction) => string> = {
  send: (a) => (a.kind === 'send' ? `send ${a.step.channel} "${a.step.stepId}"` : ''),
  open_task: () => 'open a first-contact task for the owner',
  reroute_task: () => 're-route the overdue first-contact task to the next owner',
  escalate_task: () => "escalate the overdue task to the owner's manager",
  follow_up_task: (a) => (a.kind === 'follow_up_task' ? `open contact attempt ${a.attempt}` : ''),
  recycle_unreachable: () => 'recycle: not reachable',
  restart_nurture: () => 'start the next nurture cycle',
}

/** The next step as people read it (API and console). */
export function describeNext(s: JourneySnapshot, now: number): NextStep | null {
  const action = nextAction(s, now)
  if (action) {
    const kind = action.kind === 'recycle_unreachable' ? 'restart_nurture' : action.kind
    return { kind, label: LABELS[action.kind](action), dueAt: new Date(action.at).toISOString() }
  }
  if (s.stage === 'Contacted' || s.stage === 'Qualification')
    return {
      kind: 'await_sdr',
      label: s.stage === 'Qualification' ? 'qualify and convert' : 'work the lead',
      dueAt: null,
    }
  return null
}
