import { describe, expect, it } from 'vitest'
import { decideAssignment, type Person } from '../../../domain/assignment/assign.rules.js'
import {
  ASSIGNMENT_STRATEGIES,
  parseAssignmentRuleSet,
  type AssignmentStrategy,
} from '../../../domain/assignment/assignment-rules.js'
import { draftLeadFactory } from '../../factories/draft-lead.factory.js'

/*
 * decideAssignment's `exclude`: an SLA re-route skips everyone who already had the lead, under
 * every strategy, says so in the path, and falls through to the next rule (or the queue) like
 * any other ineligible person.
 */

const NOW = '2026-11-02T10:00:00.000Z'
const person = (userId: string, openLoad = 0): Person => ({
  userId,
  available: true,
  outOfOfficeUntil: null,
  capacity: 10,
  openLoad,
  weight: 1,
})
const state = { people: { a: person('a'), b: person('b', 5), c: person('c', 1) }, cursors: {} }
const rulesWith = (strategy: AssignmentStrategy) =>
  parseAssignmentRuleSet({
    version: 2,
    rules: [
      { id: 'pool', label: 'Pool', when: {}, pool: ['a', 'b'], strategy },
      { id: 'overflow', label: 'Overflow', when: {}, pool: ['c'], strategy: 'round_robin' },
    ],
    fallbackQueue: 'unassigned',
  })
const input = { lead: draftLeadFactory.build(), score: 40, now: NOW }

describe('decideAssignment exclude', () => {
  it.each(ASSIGNMENT_STRATEGIES)('%s skips the excluded owner and names why in the path', (strategy) => {
    const decision = decideAssignment(input, rulesWith(strategy), state, { exclude: ['a'] })
    expect(decision).toMatchObject({ ownerId: 'b', ruleId: 'pool' })
    expect(decision.path[0]!.why).toContain('a (already had this lead)')
  })

  it('overflows to the next rule, then to the queue, when everyone is excluded', () => {
    const rules = rulesWith('round_robin')
    expect(decideAssignment(input, rules, state, { exclude: ['a', 'b'] })).toMatchObject({
      ownerId: 'c',
      ruleId: 'overflow',
    })
    const none = decideAssignment(input, rules, state, { exclude: ['a', 'b', 'c'] })
    expect(none).toMatchObject({ ownerId: null, queue: 'unassigned' })
    expect(none.reason).toContain('already had this lead')
  })

  it('decides as before without the option', () => {
    const rules = rulesWith('load_balanced')
    expect(decideAssignment(input, rules, state)).toEqual(
      decideAssignment(input, rules, state, { exclude: [] }),
    )
    expect(decideAssignment(input, rules, state).ownerId).toBe('a')
  })
})
