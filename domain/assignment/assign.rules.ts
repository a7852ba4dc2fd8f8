import type { DraftLead } from '../lead/draft-lead.js'
import type {
  AssignmentCriteria,
  AssignmentRule,
  AssignmentRuleSet,
  AssignmentStrategy,
} from './assignment-rules.js'

/** A possible owner as the caller read them (app_user), in the same transaction that will save the decision. */
export interface Person {
  userId: string
  available: boolean
  /** ISO 8601; the person is back (eligible again) from this instant on. */
  outOfOfficeUntil: string | null
  /** Most open leads this person should hold. */
  capacity: number
  openLoad: number
  /** Relative share in weighted pools (2 = twice as many leads as weight 1). */
  weight: number
}

export interface AssignmentState {
  /** By user id. A pool member without an entry here is never eligible. */
  people: Record<string, Person>
  /**
   * assignment_cursor rows: `${ruleId}` holds a round-robin position, `${ruleId}:${userId}`
   * how many leads that person has had from a weighted rule.
   */
  cursors: Record<string, number>
}

/** One rule that was tried, in order, and why it did or did not decide. */
export interface AssignmentPathStep {
  ruleId: string
  /** Whether the lead met the rule's criteria (even if nobody in its pool was eligible). */
  matched: boolean
  why: string
}

export interface AssignmentDecision {
  ownerId: string | null
  /** Set only when nobody could be assigned: the rule set's fallbackQueue. */
  queue: string | null
  ruleId: string | null
  strategy: AssignmentStrategy | null
  version: number
  reason: string
  /** Every rule tried, up to and including the one that decided. */
  path: AssignmentPathStep[]
  /**
   * The assignment_cursor row to write, in the same transaction as the assignment, or null
   * (load-balanced and fallback decisions keep no cursor). For weighted rules `ruleId` is the
   * per-person key `${ruleId}:${userId}`.
   */
  cursor: { ruleId: string; value: number } | null
}

export interface AssignmentInput {
  lead: DraftLead
  score: number
  /** ISO 8601; the caller's clock (the workflow's deterministic one inside Temporal). */
  now: string
}

export interface AssignmentOptions {
  /**
   * People who may not take this lead whatever their availability: a lead re-routed because
   * its owner missed the first-contact SLA skips everyone who already had it this cycle.
   */
  exclude?: readonly string[]
}

interface Pick {
  ownerId: string
  /** What the strategy did, e.g. "round robin, next in pool after u1 → u2". */
  how: string
  cursor: AssignmentDecision['cursor']
}

/** Nobody eligible: each pool member with the reason. */
type Blocked = { blocked: string[] }

// Records parsed from JSON inherit nothing, but a plain object literal would answer "constructor".
const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined

const canonical = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase()

function matchCriteria(when: AssignmentCriteria, lead: DraftLead, score: number) {
  const met: string[] = []
  const failed: string[] = []
  const check = (name: string, wanted: string[] | undefined, actual: string | null) => {
    if (wanted === undefined) return
    if (actual === null) failed.push(`no ${name} (needs one of [${wanted.join(', ')}])`)
    else if (wanted.some((w) => canonical(w) === canonical(actual))) met.push(`${name} ${actual}`)
    else failed.push(`${name} ${actual} not in [${wanted.join(', ')}]`)
  }
  // Every criterion is evaluated (no short-circuit) so the path lists all the reasons a rule missed.
  check('country', when.countries, lead.country)
  check('state', when.states, lead.state)
  check('industry', when.industries, lead.industry)
  check('channel', when.channels, lead.channel)
  if (when.minScore !== undefined) {
    if (score >= when.minScore) met.push(`score ${score} ≥ ${when.minScore}`)
    else failed.push(`score ${score} < ${when.minScore}`)
  }
  if (failed.length > 0) return { matched: false, why: failed.join(', ') }
  return { matched: true, why: met.length > 0 ? met.join(', ') : 'no criteria, matches every lead' }
}

/** What every strategy checks a pool member against. */
interface Eligibility {
  state: AssignmentState
  now: number
  excluded: ReadonlySet<string>
}

function whyIneligible(userId: string, { state, now, excluded }: Eligibility): string | null {
  if (excluded.has(userId)) return 'already had this lead'
  const person = own(state.people, userId)
  if (person === undefined) return 'no availability record'
  if (!person.available) return 'unavailable'
  if (person.outOfOfficeUntil !== null) {
    const back = Date.parse(person.outOfOfficeUntil)
    // An unreadable date is treated as still away: a lead waiting in the queue is cheaper than one sent to an empty desk.
    if (Number.isNaN(back)) return `out of office (unreadable date ${person.outOfOfficeUntil})`
    if (back > now) return `out of office until ${person.outOfOfficeUntil}`
  }
  if (!(person.openLoad < person.capacity)) return `at capacity ${person.openLoad}/${person.capacity}`
  return null
}

const skippedNote = (skipped: string[]) => (skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '')

/** A stored count or position, read defensively: the row is data, and NaN would poison every later comparison. */
const storedCount = (n: number | undefined) =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0

function roundRobin(rule: AssignmentRule, e: Eligibility): Pick | Blocked {
  const { state } = e
  const n = rule.pool.length
  const stored = own(state.cursors, rule.id)
  // The pool may have shrunk since the cursor was written, hence the modulo.
  const start = storedCount(stored) % n
  const entries = rule.pool.map((userId, index) => ({ userId, index }))
  const rotation = [...entries.slice(start), ...entries.slice(0, start)]
  const previous = stored === undefined ? undefined : rotation.at(-1)?.userId

  const skipped: string[] = []
  for (const { userId, index } of rotation) {
    const why = whyIneligible(userId, e)
    if (why !== null) {
      skipped.push(`${userId} (${why})`)
      continue
    }
    const step =
      previous === undefined ? `first in pool → ${userId}` : `next in pool after ${previous} → ${userId}`
    return {
      ownerId: userId,
      how: `round robin, ${step}${skippedNote(skipped)}`,
      cursor: { ruleId: rule.id, value: index + 1 },
    }
  }
  return { blocked: skipped }
}

function loadBalanced(rule: AssignmentRule, e: Eligibility): Pick | Blocked {
  const { state } = e
  const skipped: string[] = []
  let best: Person | undefined
  let eligible = 0
  for (const userId of rule.pool) {
    const why = whyIneligible(userId, e)
    const person = own(state.people, userId)
    if (why !== null || person === undefined) {
      skipped.push(`${userId} (${why ?? 'no availability record'})`)
      continue
    }
    eligible++
    // Cross-multiplied so equal ratios (1/3 vs 2/6) tie exactly and the earlier pool member keeps them.
    if (best === undefined || person.openLoad * best.capacity < best.openLoad * person.capacity) best = person
  }
  if (best === undefined) return { blocked: skipped }
  return {
    ownerId: best.userId,
    how: `load balanced → ${best.userId} (load ${best.openLoad}/${best.capacity}, lowest of ${eligible} eligible)${skippedNote(skipped)}`,
    cursor: null,
  }
}

/*
 * Weighted rules use deficit selection rather than nginx's smooth weighted round-robin,
 * whose per-person "current weight" would have to be stored and updated for the whole pool
 * on every assignment. Here the only state is how many leads each person has had from the
 * rule (cursor `${ruleId}:${userId}`); the next lead goes to whoever minimises
 * (assigned + 1) / weight, so shares follow the weights and only the winner's row changes.
 * Someone added to a pool later starts at 0 and catches up before the others get leads again.
 */
function weightedRoundRobin(rule: AssignmentRule, e: Eligibility): Pick | Blocked {
  const { state } = e
  const skipped: string[] = []
  let best: { userId: string; assigned: number; weight: number } | undefined
  for (const userId of rule.pool) {
    const weight = own(state.people, userId)?.weight ?? 0
    const why =
      whyIneligible(userId, e) ?? (weight > 0 && Number.isFinite(weight) ? null : `weight ${weight}`)
    if (why !== null) {
      skipped.push(`${userId} (${why})`)
      continue
    }
    const assigned = storedCount(own(state.cursors, `${rule.id}:${userId}`))
    // (a + 1) / w < (b + 1) / v, cross-multiplied; ties keep pool order.
    if (best === undefined || (assigned + 1) * best.weight < (best.assigned + 1) * weight) {
      best = { userId, assigned, weight }
    }
  }
  if (best === undefined) return { blocked: skipped }
  return {
    ownerId: best.userId,
    how: `weighted round robin → ${best.userId} (weight ${best.weight}, ${best.assigned} assigned before)${skippedNote(skipped)}`,
    cursor: { ruleId: `${rule.id}:${best.userId}`, value: best.assigned + 1 },
  }
}

const STRATEGIES: Record<AssignmentStrategy, typeof roundRobin> = {
  round_robin: roundRobin,
  load_balanced: loadBalanced,
  weighted_round_robin: weightedRoundRobin,
}

const describeRule = (rule: AssignmentRule) => `${rule.label} (rule ${rule.id})`

/**
 * Picks an owner for a lead: the rules are tried in order and the first one whose criteria
 * match and whose pool has an eligible person decides. Eligible means available, back from
 * any out-of-office (outOfOfficeUntil <= now), below capacity and not in `options.exclude`
 * (an SLA re-route skips everyone who already had the lead). A rule that matches but
 * has nobody eligible is recorded in the path and the next rule is tried (overflow); when no
 * rule yields an owner the lead goes to the rule set's fallbackQueue.
 *
 * Strategies: round_robin starts at cursors[ruleId] (mod pool size) and takes the first
 * eligible person; load_balanced takes the lowest openLoad/capacity, ties by pool order;
 * weighted_round_robin takes the eligible person minimising (assigned + 1) / weight, where
 * assigned is cursors[`${ruleId}:${userId}`].
 *
 * Pure: it never changes `state`. The caller persists `cursor` (and the owner's openLoad) in
 * the same transaction as the assignment, so a crash cannot move the rotation without the lead.
 *
 * @throws Error when `now` is not a readable ISO 8601 timestamp.
 */
export function decideAssignment(
  input: AssignmentInput,
  rules: AssignmentRuleSet,
  state: AssignmentState,
  options: AssignmentOptions = {},
): AssignmentDecision {
  const now = Date.parse(input.now)
  if (Number.isNaN(now)) throw new Error(`now must be an ISO 8601 timestamp, got "${input.now}"`)
  const eligibility: Eligibility = { state, now, excluded: new Set(options.exclude ?? []) }

  const path: AssignmentPathStep[] = []
  const overflowed: string[] = []

  for (const rule of rules.rules) {
    const match = matchCriteria(rule.when, input.lead, input.score)
    if (!match.matched) {
      path.push({ ruleId: rule.id, matched: false, why: match.why })
      continue
    }
    const pick = STRATEGIES[rule.strategy](rule, eligibility)
    if ('blocked' in pick) {
      const blocked = pick.blocked.join(', ')
      path.push({ ruleId: rule.id, matched: true, why: `${match.why}; nobody eligible: ${blocked}` })
      overflowed.push(`${describeRule(rule)} matched but nobody was eligible: ${blocked}`)
      continue
    }
    path.push({ ruleId: rule.id, matched: true, why: `${match.why}; ${pick.how}` })
    const after = overflowed.length > 0 ? `; earlier: ${overflowed.join('; ')}` : ''
    return {
      ownerId: pick.ownerId,
      queue: null,
      ruleId: rule.id,
      strategy: rule.strategy,
      version: rules.version,
      reason: `${describeRule(rule)}: ${pick.how}${after}`,
      path,
      cursor: pick.cursor,
    }
  }

  let why: string
  if (rules.rules.length === 0) why = `no assignment rules in version ${rules.version}`
  else if (overflowed.length === 0)
    why = `no rule matched (${path.map((p) => `${p.ruleId}: ${p.why}`).join('; ')})`
  else why = overflowed.join('; ')
  return {
    ownerId: null,
    queue: rules.fallbackQueue,
    ruleId: null,
    strategy: null,
    version: rules.version,
    reason: `No owner, queued to ${rules.fallbackQueue}: ${why}`,
    path,
    cursor: null,
  }
}
