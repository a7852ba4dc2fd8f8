import {
  decideAssignment,
  type AssignmentDecision,
  type AssignmentInput,
  type AssignmentState,
} from '../assignment/assign.rules.js'
import type { AssignmentRuleSet } from '../assignment/assignment-rules.js'
import type { DraftLead } from '../lead/draft-lead.js'
import { scoreLead, type ScoreResult } from '../scoring/score.rules.js'
import type { EngagementEvent, ScoringRuleSet } from '../scoring/scoring-rules.js'
import { isObject } from './rule-set-validation.js'

/*
 * Replaying a decision: a score or assignment decision keeps in lead_decision.inputs
 * everything its pure rule read, so running the rule again on those inputs under the stored
 * rule version must give the stored outcome, field for field. A difference means the rule
 * code, the stored version or the stored inputs changed since the decision was made.
 */

/**
 * The lead fields assignment criteria read (assign.rules.ts matchCriteria): all an assignment
 * decision keeps of the lead. Names and contact points stay in the score decision only.
 */
export const ASSIGNMENT_LEAD_FIELDS = ['channel', 'country', 'state', 'industry'] as const
export type AssignmentLead = Pick<DraftLead, (typeof ASSIGNMENT_LEAD_FIELDS)[number]>

/** lead_decision.inputs of a score decision. `cause` and `by` say why it was rescored. */
export interface ScoreDecisionInputs {
  /** The lead as scored; the batch path leaves out empty fields (see storedDraft). */
  lead: Partial<DraftLead>
  engagement: Partial<Record<EngagementEvent, number>>
  cause?: string
  by?: string
}

/**
 * lead_decision.inputs of an assignment decision: decideAssignment's input, the state it saw
 * and the people it was told to skip (an SLA re-route's `exclude`). Other members (why it was
 * decided, which task) are the caller's notes and play no part in a replay.
 */
export interface AssignmentDecisionInputs {
  /** The criteria fields (a capture's) or the whole lead (a re-route's). */
  lead: AssignmentLead | Partial<DraftLead>
  score: number
  now: string
  /** The pool members and cursors as this decision saw them (after the earlier leads of its batch). */
  state: AssignmentState
  exclude?: readonly string[]
}

/**
 * What a capture's assignment decision stores: its input with the lead cut down to the
 * criteria fields, and a copy of the state (the caller goes on changing its own).
 */
export function assignmentDecisionInputs(
  input: AssignmentInput,
  state: AssignmentState,
): AssignmentDecisionInputs {
  const lead = Object.fromEntries(ASSIGNMENT_LEAD_FIELDS.map((f) => [f, input.lead[f]])) as AssignmentLead
  const people = Object.fromEntries(Object.entries(state.people).map(([id, p]) => [id, { ...p }]))
  return { lead, score: input.score, now: input.now, state: { people, cursors: { ...state.cursors } } }
}

const EMPTY_DRAFT: DraftLead = {
  channel: 'api',
  receivedAt: '',
  externalId: null,
  firstName: null,
  lastName: null,
  email: null,
  emailDomain: null,
  freeEmail: false,
  phone: null,
  phoneCountry: null,
  phoneType: null,
  company: null,
  title: null,
  website: null,
  companyDomain: null,
  industry: null,
  companySize: null,
  annualRevenue: null,
  currency: null,
  country: null,
  state: null,
  city: null,
  budget: null,
  authority: null,
  need: null,
  timeline: null,
  honeypot: null,
}

/**
 * A stored lead back to a whole DraftLead. The batch path stores drafts without their null
 * and false fields, and rules compare with `=== null`: a missing field must read as null
 * (and freeEmail as false), never as undefined.
 */
export function storedDraft(stored: Partial<DraftLead>): DraftLead {
  const draft: Record<string, unknown> = { ...EMPTY_DRAFT }
  for (const key of Object.keys(EMPTY_DRAFT)) {
    const value = (stored as Record<string, unknown>)[key]
    if (value !== undefined) draft[key] = value
  }
  return draft as unknown as DraftLead
}

/** A value as jsonb hands it back: what a replayed outcome is compared in. */
export const asStored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

const show = (v: unknown) => (v === undefined ? '(missing)' : JSON.stringify(v))

/**
 * The first place two JSON values differ, as "path: stored ≠ replayed", or null when they are
 * equal. Object keys compare as sets (jsonb does not keep their order), arrays in order.
 */
export function firstDifference(stored: unknown, replayed: unknown, path = ''): string | null {
  const here = path === '' ? '(outcome)' : path
  if (Array.isArray(stored) && Array.isArray(replayed)) {
    const n = Math.max(stored.length, replayed.length)
    for (let i = 0; i < n; i++) {
      const d = firstDifference(stored[i], replayed[i], `${path}[${i}]`)
      if (d !== null) return d
    }
    return null
  }
  if (isObject(stored) && isObject(replayed)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(replayed)])].sort()
    for (const key of keys) {
      const d = firstDifference(stored[key], replayed[key], path === '' ? key : `${path}.${key}`)
      if (d !== null) return d
    }
    return null
  }
  return stored === replayed ? null : `${here}: ${show(stored)} ≠ ${show(replayed)}`
}

export type ReplayVerdict<T> =
  | { status: 'reproduced'; replayed: T }
  | { status: 'mismatch'; replayed: T; difference: string }
  /** The inputs are gone (an erasure empties them) or predate replayable decisions. */
  | { status: 'unreplayable'; reason: string }

function verdict<T>(stored: unknown, replayed: T): ReplayVerdict<T> {
  const difference = firstDifference(stored, asStored(replayed))
  return difference === null
    ? { status: 'reproduced', replayed }
    : { status: 'mismatch', replayed, difference }
}

export function readScoreInputs(inputs: unknown): ScoreDecisionInputs | string {
  if (!isObject(inputs) || Object.keys(inputs).length === 0) return 'inputs erased'
  if (!isObject(inputs.lead) || !isObject(inputs.engagement)) return 'inputs hold no lead and engagement'
  return inputs as unknown as ScoreDecisionInputs
}

export function readAssignmentInputs(inputs: unknown): AssignmentDecisionInputs | string {
  if (!isObject(inputs) || Object.keys(inputs).length === 0) return 'inputs erased'
  if (!isObject(inputs.state)) return 'recorded without the state it saw (before decisions kept it)'
  if (!isObject(inputs.lead) || typeof inputs.score !== 'number' || typeof inputs.now !== 'string')
    return 'inputs hold no lead, score and time'
  return inputs as unknown as AssignmentDecisionInputs
}

/** The score the rules give the stored inputs. */
export function rescore(inputs: ScoreDecisionInputs, rules: ScoringRuleSet): ScoreResult {
  return scoreLead({ lead: storedDraft(inputs.lead), engagement: inputs.engagement }, rules)
}

/** The owner the rules give the stored inputs, judged against the stored state. */
export function reassign(
  inputs: AssignmentDecisionInputs,
  rules: AssignmentRuleSet,
  overrides: { score?: number; state?: AssignmentState } = {},
): AssignmentDecision {
  const { lead, score, now, state, exclude } = inputs
  return decideAssignment(
    { lead: storedDraft(lead), score: overrides.score ?? score, now },
    rules,
    overrides.state ?? state,
    exclude ? { exclude } : {},
  )
}

/** Re-runs a stored score decision under its rule version and compares the outcomes. */
export function replayScoreDecision(
  inputs: unknown,
  outcome: unknown,
  rules: ScoringRuleSet,
): ReplayVerdict<ScoreResult> {
  const read = readScoreInputs(inputs)
  if (typeof read === 'string') return { status: 'unreplayable', reason: read }
  return verdict(outcome, rescore(read, rules))
}

/** Re-runs a stored assignment decision under its rule version, against the state it saw. */
export function replayAssignmentDecision(
  inputs: unknown,
  outcome: unknown,
  rules: AssignmentRuleSet,
): ReplayVerdict<AssignmentDecision> {
  const read = readAssignmentInputs(inputs)
  if (typeof read === 'string') return { status: 'unreplayable', reason: read }
  return verdict(outcome, reassign(read, rules))
}
