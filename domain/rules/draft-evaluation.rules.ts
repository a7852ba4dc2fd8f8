import type { AssignmentPathStep, AssignmentState, Person } from '../assignment/assign.rules.js'
import type { AssignmentRuleSet } from '../assignment/assignment-rules.js'
import { scoreBand, type ScoreBand, type ScoreResult } from '../scoring/score.rules.js'
import type { ScoringRuleSet } from '../scoring/scoring-rules.js'
import {
  readAssignmentInputs,
  readScoreInputs,
  reassign,
  rescore,
  type AssignmentDecisionInputs,
} from './decision-replay.rules.js'

/*
 * What a draft rule set would change, lead by lead, judged from the stored decisions: the
 * draft is run on the inputs each decision kept, instead of the version that made it.
 */

/** One stored decision as the evaluation reads it. */
export interface StoredDecision {
  inputs: unknown
  outcome: unknown
  /** The rule version that made it. */
  version: number
}

/** A lead's decisions that a draft can change. */
export interface LeadHistory {
  leadId: string
  /** The score decision made at capture: the score its assignment was given. */
  captureScore: StoredDecision | null
  /** Its latest score decision: the score it has now. */
  latestScore: StoredDecision | null
  /** The assignment decision made at capture. */
  assignment: StoredDecision | null
}

/** Where a lead is placed: an owner, or (with no owner) a queue, and the rule path taken. */
export interface Placement {
  ownerId: string | null
  queue: string | null
  ruleId: string | null
  path: AssignmentPathStep[]
}

export interface LeadSide {
  score: number
  band: ScoreBand
  /** The scoring rules that gave points, in rule-set order. */
  scoreRules: string[]
  /** Null when the lead had no assignment decision to re-run (quarantined, or recorded before replay). */
  placement: Placement | null
}

export type DraftChangeKind = 'band' | 'owner'

export interface DraftEvaluation {
  leadId: string
  current: LeadSide
  draft: LeadSide
  /** Empty when the draft changes neither the band nor the placement. */
  changed: DraftChangeKind[]
}

const scoreSide = (score: ScoreResult) => ({
  score: score.score,
  band: scoreBand(score.score),
  scoreRules: score.breakdown.map((l) => l.ruleId),
})

const placementOf = (d: Placement): Placement => ({
  ownerId: d.ownerId,
  queue: d.queue,
  ruleId: d.ruleId,
  path: d.path,
})

/** A queue counts as a placement too: a lead moving from one queue to another is re-routed. */
const placedAt = (p: Placement | null) => (p === null ? null : (p.ownerId ?? `queue:${p.queue}`))

function compare(leadId: string, current: LeadSide, draft: LeadSide): DraftEvaluation {
  const changed: DraftChangeKind[] = []
  if (current.band !== draft.band) changed.push('band')
  if (placedAt(current.placement) !== placedAt(draft.placement)) changed.push('owner')
  return { leadId, current, draft, changed }
}

function readable(d: StoredDecision | null): { inputs: AssignmentDecisionInputs; outcome: Placement } | null {
  if (d === null) return null
  const inputs = readAssignmentInputs(d.inputs)
  return typeof inputs === 'string' ? null : { inputs, outcome: d.outcome as Placement }
}

/**
 * A scoring draft: the lead's latest score inputs rescored under the draft give its band; its
 * capture's score inputs rescored under the draft feed its assignment again (same assignment
 * version, same state), since a rule's minimum score may now route it elsewhere.
 * Null when the lead's score inputs are gone (erased).
 *
 * @param assignmentRules The version that made the lead's assignment decision, or null if unknown.
 */
export function evaluateScoringDraft(
  lead: LeadHistory,
  draft: ScoringRuleSet,
  assignmentRules: AssignmentRuleSet | null,
): DraftEvaluation | null {
  const latest = lead.latestScore && readScoreInputs(lead.latestScore.inputs)
  if (!latest || typeof latest === 'string') return null
  const assignment = readable(lead.assignment)
  const atCapture = lead.captureScore && readScoreInputs(lead.captureScore.inputs)
  const current: LeadSide = {
    ...scoreSide(lead.latestScore!.outcome as ScoreResult),
    placement: assignment && placementOf(assignment.outcome),
  }
  let placement = current.placement
  if (assignment && assignmentRules && atCapture && typeof atCapture !== 'string') {
    const score = rescore(atCapture, draft).score
    placement = placementOf(reassign(assignment.inputs, assignmentRules, { score }))
  }
  return compare(lead.leadId, current, { ...scoreSide(rescore(latest, draft)), placement })
}

/**
 * An assignment draft: the lead's capture assignment re-run under the draft, against the
 * state that decision saw. The draft's pool members that decision did not see (they were in
 * no pool of the version then active) are judged by `present`, their records as they are now.
 * Scores do not change. Null when the lead has no assignment decision to re-run.
 */
export function evaluateAssignmentDraft(
  lead: LeadHistory,
  draft: AssignmentRuleSet,
  present: Record<string, Person>,
): DraftEvaluation | null {
  const assignment = readable(lead.assignment)
  if (assignment === null || lead.latestScore === null) return null
  const score = scoreSide(lead.latestScore.outcome as ScoreResult)
  const seen = assignment.inputs.state
  const state: AssignmentState = { people: { ...present, ...seen.people }, cursors: seen.cursors }
  return compare(
    lead.leadId,
    { ...score, placement: placementOf(assignment.outcome) },
    { ...score, placement: placementOf(reassign(assignment.inputs, draft, { state })) },
  )
}
