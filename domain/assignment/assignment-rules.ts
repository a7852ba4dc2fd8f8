import { LEAD_CHANNELS } from '../lead/lead-capture.js'
import { at, checkKeys, isObject, oneOf, readString, readStringList } from '../rules/rule-set-validation.js'

/*
 * Assignment rules are versioned data, like scoring rules: stored as JSON
 * (rule_set.definition), validated by parseAssignmentRuleSet when saved and loaded, and
 * every decision records the version and the rule path it took, so a day can be replayed.
 */

export const ASSIGNMENT_STRATEGIES = ['round_robin', 'load_balanced', 'weighted_round_robin'] as const
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number]

/**
 * Which leads a rule takes. Every criterion that is present must match; a rule with no
 * criteria takes every lead (a catch-all at the end of the list). Text values compare
 * ignoring case and surrounding spaces.
 */
export interface AssignmentCriteria {
  /** ISO 3166-1 alpha-2 codes, as DraftLead.country holds them. */
  countries?: string[]
  states?: string[]
  industries?: string[]
  /** LeadChannel values ('web_form', 'whatsapp'...). */
  channels?: string[]
  /** The lead's score must be at least this (0..100). */
  minScore?: number
}

export interface AssignmentRule {
  /** Also the cursor key for the rule, so it cannot contain ':' (see decideAssignment). */
  id: string
  label: string
  when: AssignmentCriteria
  /** User ids in rotation order. */
  pool: string[]
  strategy: AssignmentStrategy
}

export interface AssignmentRuleSet {
  version: number
  /** Tried in order; the first that matches and has someone eligible wins. */
  rules: AssignmentRule[]
  /** Queue for leads no rule could give an owner. */
  fallbackQueue: string
}

/** Thrown by parseAssignmentRuleSet; `issues` holds one "path message" entry per problem found. */
export class AssignmentRuleSetError extends Error {
  override readonly name = 'AssignmentRuleSetError'
  readonly issues: readonly string[]

  constructor(issues: readonly string[]) {
    super(`Invalid assignment rule set: ${issues.join('; ')}`)
    this.issues = issues
  }
}

function parseCriteria(v: unknown, path: string, issues: string[]): AssignmentCriteria {
  if (!isObject(v)) {
    issues.push(`${path} must be an object`)
    return {}
  }
  checkKeys(v, ['countries', 'states', 'industries', 'channels', 'minScore'], path, issues)
  const when: AssignmentCriteria = {}
  // An empty list would match no lead at all; leaving the criterion out is how to say "any".
  const omit = (what: string) => `leave it out to match any ${what}`

  if (v.countries !== undefined) {
    when.countries = readStringList(v.countries, at(path, 'countries'), issues, omit('country'))
    when.countries.forEach((c, i) => {
      if (c !== '' && !/^[A-Za-z]{2}$/.test(c)) {
        issues.push(`${path}.countries[${i}] must be an ISO 3166-1 alpha-2 code such as IN, not "${c}"`)
      }
    })
  }
  if (v.states !== undefined)
    when.states = readStringList(v.states, at(path, 'states'), issues, omit('state'))
  if (v.industries !== undefined) {
    when.industries = readStringList(v.industries, at(path, 'industries'), issues, omit('industry'))
  }
  if (v.channels !== undefined) {
    when.channels = readStringList(v.channels, at(path, 'channels'), issues, omit('channel'))
    when.channels.forEach((c, i) => {
      if (c !== '' && !(LEAD_CHANNELS as readonly string[]).includes(c)) {
        issues.push(`${path}.channels[${i}] ${oneOf(LEAD_CHANNELS)}`)
      }
    })
  }
  if (v.minScore !== undefined) {
    const s = v.minScore
    if (typeof s !== 'number' || !Number.isFinite(s)) issues.push(`${path}.minScore must be a number`)
    else if (s < 0 || s > 100) issues.push(`${path}.minScore must be between 0 and 100`)
    else when.minScore = s
  }
  return when
}

function parseRule(v: unknown, path: string, issues: string[]): AssignmentRule {
  if (!isObject(v)) {
    issues.push(`${path} must be an object`)
    return { id: '', label: '', when: {}, pool: [], strategy: 'round_robin' }
  }
  checkKeys(v, ['id', 'label', 'when', 'pool', 'strategy'], path, issues)

  const id = readString(v.id, at(path, 'id'), issues)
  // Cursor keys are `${ruleId}` and `${ruleId}:${userId}`; a ':' in a rule id could make two keys collide.
  if (id.includes(':')) issues.push(`${path}.id must not contain ":"`)
  const label = readString(v.label, at(path, 'label'), issues)
  const when = parseCriteria(v.when, at(path, 'when'), issues)

  const pool = readStringList(v.pool, at(path, 'pool'), issues, 'a rule needs at least one person')
  pool.forEach((userId, i) => {
    // A person listed twice would silently get a double share; weights exist for that.
    if (userId !== '' && pool.indexOf(userId) !== i) issues.push(`${path}.pool[${i}] repeats "${userId}"`)
  })

  const strategy = v.strategy
  if (!(ASSIGNMENT_STRATEGIES as readonly unknown[]).includes(strategy)) {
    issues.push(`${path}.strategy ${oneOf(ASSIGNMENT_STRATEGIES)}`)
  }

  return { id, label, when, pool, strategy: strategy as AssignmentStrategy }
}

/**
 * Checks stored or submitted JSON against the AssignmentRuleSet shape and returns a fresh
 * copy. Call it when a rule set is saved and again when it is loaded.
 *
 * Besides the shape it refuses what would misroute leads quietly: unknown keys, empty
 * criterion lists (they match nothing), country names instead of ISO codes, unknown channels,
 * empty or repeated pools, duplicate rule ids and rule ids containing ':' (cursor keys).
 *
 * @throws AssignmentRuleSetError listing every problem with its path, e.g. "rules[1].pool must be an array of strings".
 */
export function parseAssignmentRuleSet(data: unknown): AssignmentRuleSet {
  const issues: string[] = []
  if (!isObject(data)) throw new AssignmentRuleSetError(['rule set must be an object'])
  checkKeys(data, ['version', 'rules', 'fallbackQueue'], '', issues)

  const version = data.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    issues.push('version must be a positive integer')
  }

  let rules: AssignmentRule[] = []
  if (Array.isArray(data.rules)) rules = data.rules.map((r, i) => parseRule(r, `rules[${i}]`, issues))
  else issues.push('rules must be an array')

  const firstIndex = new Map<string, number>()
  rules.forEach((r, i) => {
    if (r.id === '') return
    const first = firstIndex.get(r.id)
    if (first !== undefined) issues.push(`rules[${i}].id "${r.id}" is already used by rules[${first}]`)
    else firstIndex.set(r.id, i)
  })

  const fallbackQueue = readString(data.fallbackQueue, 'fallbackQueue', issues)

  if (issues.length > 0) throw new AssignmentRuleSetError(issues)
  return { version: version as number, rules, fallbackQueue }
}

// Frozen because every process shares this one object: copy it to make a new version.
const NO_RULES: AssignmentRule[] = []
Object.freeze(NO_RULES)

/** No rules: every lead goes to the 'unassigned' queue until a team sets up territories. */
export const DEFAULT_ASSIGNMENT_RULES: AssignmentRuleSet = Object.freeze({
  version: 1,
  rules: NO_RULES,
  fallbackQueue: 'unassigned',
})
