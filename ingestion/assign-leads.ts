import {
  decideAssignment,
  type AssignmentDecision,
  type AssignmentState,
} from '../domain/assignment/assign.rules.js'
import type { AssignmentRuleSet } from '../domain/assignment/assignment-rules.js'
import {
  assignmentDecisionInputs,
  type AssignmentDecisionInputs,
} from '../domain/rules/decision-replay.rules.js'
import type { Tx } from '../platform/database/prisma.js'
import type { Assessment } from './steps/assess.js'

/**
 * FOR UPDATE on the rules' pool (and `alsoLock`, e.g. the owner a lead leaves) and their
 * cursors, each sorted: every assignment, at capture and at an SLA re-route, locks in this
 * order, so concurrent ones cannot deadlock.
 */
export async function lockAssignmentState(
  tx: Tx,
  rules: AssignmentRuleSet,
  alsoLock: readonly (string | null)[] = [],
): Promise<AssignmentState> {
  const people = [
    ...new Set([...rules.rules.flatMap((r) => r.pool), ...alsoLock.filter((u): u is string => !!u)]),
  ].sort()
  const cursorKeys = rules.rules.flatMap((r) => [r.id, ...r.pool.map((u) => `${r.id}:${u}`)])
  const state: AssignmentState = { people: {}, cursors: {} }
  if (people.length === 0) return state
  const rows = await tx.$queryRaw<
    {
      id: string
      available: boolean
      out_of_office_until: Date | null
      capacity: number
      weight: number
      open_leads: number
    }[]
  >`SELECT id, available, out_of_office_until, capacity, weight, open_leads FROM app_user
     WHERE id = ANY(${people}::text[]) ORDER BY id FOR UPDATE`
  const cursors = await tx.$queryRaw<{ key: string; value: number }[]>`
    SELECT key, value FROM assignment_cursor WHERE key = ANY(${cursorKeys}::text[]) ORDER BY key FOR UPDATE`
  for (const p of rows)
    state.people[p.id] = {
      userId: p.id,
      available: p.available,
      outOfOfficeUntil: p.out_of_office_until?.toISOString() ?? null,
      capacity: p.capacity,
      openLoad: p.open_leads,
      weight: p.weight,
    }
  for (const c of cursors) state.cursors[c.key] = c.value
  return state
}

/**
 * Owners for new leads, in order, under the active assignment rules: one capture's lead
 * (persistCapture) or a batch's (bulk import). The pool's people and the rules' cursors are
 * locked once (FOR UPDATE, always in the same order, so concurrent captures cannot deadlock),
 * each decision sees the loads and cursors the previous one left (decideAssignment is pure),
 * and the counters and cursors are written back once. It all rolls back with the transaction.
 * Each lead is judged at its receivedAt (out of office, capacity), as its capture is.
 * Each decision comes with its inputs, the state it saw included: the lead_decision row keeps
 * them, so the decision can be replayed (ingestion/rules/replay-decisions.ts).
 */
export async function assignLeads(
  tx: Tx,
  leads: readonly Assessment[],
  rules: AssignmentRuleSet,
): Promise<{ decision: AssignmentDecision; inputs: AssignmentDecisionInputs }[]> {
  if (leads.length === 0) return []
  const state = await lockAssignmentState(tx, rules)

  const added = new Map<string, number>()
  const moved = new Map<string, number>()
  const decisions = leads.map((a) => {
    const input = { lead: a.draft, score: a.score.score, now: a.draft.receivedAt }
    const inputs = assignmentDecisionInputs(input, state)
    const decision = decideAssignment(input, rules, state)
    const person = decision.ownerId ? state.people[decision.ownerId] : undefined
    if (decision.ownerId && person) {
      person.openLoad += 1
      added.set(decision.ownerId, (added.get(decision.ownerId) ?? 0) + 1)
    }
    if (decision.cursor) {
      state.cursors[decision.cursor.ruleId] = decision.cursor.value
      moved.set(decision.cursor.ruleId, decision.cursor.value)
    }
    return { decision, inputs }
  })

  if (added.size > 0) {
    await tx.$executeRaw`
      UPDATE app_user u SET open_leads = u.open_leads + d.n
        FROM unnest(${[...added.keys()]}::text[], ${[...added.values()]}::int[]) AS d(id, n)
       WHERE u.id = d.id`
  }
  if (moved.size > 0) {
    await tx.$executeRaw`
      INSERT INTO assignment_cursor (key, value, updated_at)
      SELECT k, v, now() FROM unnest(${[...moved.keys()]}::text[], ${[...moved.values()]}::int[]) AS c(k, v)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`
  }
  return decisions
}
