import { at, checkKeys, isObject, oneOf } from '../rules/rule-set-validation.js'
import {
  DEFAULT_CONVERSION_TRIGGER,
  JOURNEY_STAGES,
  type ConversionTrigger,
  type JourneyStage,
} from './journey-stage.rules.js'
import {
  DEFAULT_NURTURE_SEQUENCE,
  parseNurtureSequence,
  type NurtureSequence,
} from './nurture-sequence.rules.js'
import { DEFAULT_QUIET_HOURS, parseQuietHours, type QuietHours } from './quiet-hours.rules.js'

/*
 * The journey playbook as versioned data (rule_set kind "journey"): the nurture cadence,
 * quiet hours, the SDR first-contact SLA with its re-routes and escalation, the qualification
 * trigger and the recycle period. A journey loads the active version when it starts (or starts a new
 * nurture cycle) and keeps it: the version is recorded in its history, so a policy change
 * never alters a journey halfway through a cycle, and replay stays deterministic.
 */
export interface JourneyPolicy {
  version: number
  sequence: NurtureSequence
  quietHours: QuietHours
  /** An owner gets a first-contact task when the lead is not contacted within this. */
  firstContactWithinHours: number
  /**
   * The task is due this long after it opens. An overdue first-contact task is re-routed to
   * the next eligible owner (with a fresh due time), up to maxReroutes times; after that, or
   * when nobody else is eligible, it escalates to the owner's manager.
   */
  taskDueHours: number
  /** Re-routes of an overdue first-contact task before it escalates; 0 escalates at once. */
  maxReroutes: number
  /** The escalation task's own due time. */
  escalationDueHours: number
  conversionTrigger: ConversionTrigger
  /** A recycled lead starts a new nurture cycle after this many days. */
  recycleAfterDays: number
}

export const DEFAULT_JOURNEY_POLICY: JourneyPolicy = {
  version: 0,
  sequence: DEFAULT_NURTURE_SEQUENCE,
  quietHours: DEFAULT_QUIET_HOURS,
  firstContactWithinHours: 7 * 24,
  taskDueHours: 48,
  // One second chance: a lead that sat untouched with two people in a row needs a manager.
  maxReroutes: 1,
  escalationDueHours: 24,
  conversionTrigger: DEFAULT_CONVERSION_TRIGGER,
  recycleAfterDays: 90,
}

const KEYS = [
  'version',
  'sequence',
  'quietHours',
  'firstContactWithinHours',
  'taskDueHours',
  'maxReroutes',
  'escalationDueHours',
  'conversionTrigger',
  'recycleAfterDays',
] as const

/** More hand-offs than this and the lead has spent days going round a team nobody works. */
const MAX_REROUTES = 10

function readHours(v: unknown, path: string, issues: string[], max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
    issues.push(`${path} must be a number above 0 and at most ${max}`)
    return 1
  }
  return v
}

export type JourneyPolicyResult = { ok: true; value: JourneyPolicy } | { ok: false; issues: string[] }

/**
 * Validates a stored or submitted journey policy. Every key may be left out to keep the
 * default; unknown keys are refused, as in the other rule sets.
 */
export function parseJourneyPolicy(json: unknown): JourneyPolicyResult {
  const issues: string[] = []
  if (!isObject(json)) return { ok: false, issues: ['the journey policy must be an object'] }
  checkKeys(json, KEYS, '', issues)
  const policy: JourneyPolicy = { ...DEFAULT_JOURNEY_POLICY }
  if (json['version'] !== undefined) {
    if (!Number.isInteger(json['version']) || (json['version'] as number) < 0)
      issues.push('version must be an integer >= 0')
    else policy.version = json['version'] as number
  }
  if (json['sequence'] !== undefined) {
    const sequence = parseNurtureSequence(json['sequence'])
    if (sequence.ok) policy.sequence = sequence.value
    else issues.push(...sequence.issues.map((i) => `sequence.${i}`))
  }
  if (json['quietHours'] !== undefined)
    policy.quietHours = parseQuietHours(json['quietHours'], 'quietHours', issues)
  const yearOfHours = 24 * 365
  if (json['firstContactWithinHours'] !== undefined)
    policy.firstContactWithinHours = readHours(
      json['firstContactWithinHours'],
      'firstContactWithinHours',
      issues,
      yearOfHours,
    )
  if (json['taskDueHours'] !== undefined)
    policy.taskDueHours = readHours(json['taskDueHours'], 'taskDueHours', issues, yearOfHours)
  if (json['maxReroutes'] !== undefined) {
    const n = json['maxReroutes']
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_REROUTES)
      issues.push(`maxReroutes must be an integer from 0 to ${MAX_REROUTES}`)
    else policy.maxReroutes = n as number
  }
  if (json['escalationDueHours'] !== undefined)
    policy.escalationDueHours = readHours(
      json['escalationDueHours'],
      'escalationDueHours',
      issues,
      yearOfHours,
    )
  if (json['recycleAfterDays'] !== undefined)
    policy.recycleAfterDays = readHours(json['recycleAfterDays'], 'recycleAfterDays', issues, 3650)
  const trigger = json['conversionTrigger']
  if (trigger !== undefined) {
    if (!isObject(trigger)) issues.push('conversionTrigger must be an object')
    else {
      checkKeys(trigger, ['scoreAbove', 'stage'], 'conversionTrigger', issues)
      const scoreAbove = trigger['scoreAbove']
      const stage = trigger['stage']
      if (!Number.isInteger(scoreAbove) || (scoreAbove as number) < 0 || (scoreAbove as number) > 99)
        issues.push(`${at('conversionTrigger', 'scoreAbove')} must be an integer from 0 to 99`)
      const stages: readonly string[] = ['Nurturing', 'Contacted']
      if (typeof stage !== 'string' || !stages.includes(stage))
        issues.push(`${at('conversionTrigger', 'stage')} ${oneOf(stages)}`)
      else if (Number.isInteger(scoreAbove))
        policy.conversionTrigger = { scoreAbove: scoreAbove as number, stage: stage as JourneyStage }
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: policy }
}

/** The journey stages a trigger may name (exported for the API schema). */
export const TRIGGER_STAGES: readonly JourneyStage[] = JOURNEY_STAGES.filter(
  (s) => s === 'Nurturing' || s === 'Contacted',
)
