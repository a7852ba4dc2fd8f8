import { describe, expect, it } from 'vitest'
import {
  type AssignmentDecision,
  type AssignmentState,
  decideAssignment,
  type Person,
} from '../../../domain/assignment/assign.rules.js'
import {
  type AssignmentRuleSet,
  AssignmentRuleSetError,
  DEFAULT_ASSIGNMENT_RULES,
  parseAssignmentRuleSet,
} from '../../../domain/assignment/assignment-rules.js'
import type { DraftLead } from '../../../domain/lead/draft-lead.js'
import { draftLeadFactory } from '../../factories/draft-lead.factory.js'

const NOW = '2026-11-02T10:00:00.000Z'

const person = (userId: string, overrides: Partial<Person> = {}): Person => ({
  userId,
  available: true,
  outOfOfficeUntil: null,
  capacity: 10,
  openLoad: 0,
  weight: 1,
  ...overrides,
})

function stateOf(people: Person[], cursors: Record<string, number> = {}): AssignmentState {
  return { people: Object.fromEntries(people.map((p) => [p.userId, p])), cursors }
}

const everyone = () => ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'].map((id) => person(id))

const RULES: AssignmentRuleSet = parseAssignmentRuleSet({
  version: 3,
  rules: [
    {
      id: 'in-south',
      label: 'Territory India-South',
      when: { countries: ['IN'], states: ['Karnataka', 'Tamil Nadu', 'Kerala', 'Telangana'] },
      pool: ['u1', 'u2', 'u3'],
      strategy: 'round_robin',
    },
    {
      id: 'us-fintech',
      label: 'US fintech',
      when: { countries: ['US'], industries: ['fintech', 'banking'] },
      pool: ['u4'],
      strategy: 'round_robin',
    },
    {
      id: 'in',
      label: 'Territory India',
      when: { countries: ['in'] },
      pool: ['u5', 'u6'],
      strategy: 'load_balanced',
    },
    {
      id: 'partners',
      label: 'Hot partner leads',
      when: { channels: ['partner_api'], minScore: 70 },
      pool: ['u7'],
      strategy: 'round_robin',
    },
  ],
  fallbackQueue: 'sdr-triage',
})

const decide = (lead: Partial<DraftLead>, state: AssignmentState, score = 50, rules = RULES) =>
  decideAssignment({ lead: draftLeadFactory.build(lead), score, now: NOW }, rules, state)

/** What the caller does in its transaction: write the returned cursor row. */
function persist(state: AssignmentState, decision: AssignmentDecision): AssignmentState {
  if (decision.cursor === null) return state
  return { ...state, cursors: { ...state.cursors, [decision.cursor.ruleId]: decision.cursor.value } }
}

describe('decideAssignment: territories', () => {
  it('routes by country and state to the first matching rule', () => {
    const decision = decide({ country: 'IN', state: 'Karnataka' }, stateOf(everyone()))
    expect(decision).toEqual({
      ownerId: 'u1',
      queue: null,
      ruleId: 'in-south',
      strategy: 'round_robin',
      version: 3,
      reason: 'Territory India-South (rule in-south): round robin, first in pool → u1',
      path: [
        {
          ruleId: 'in-south',
          matched: true,
          why: 'country IN, state Karnataka; round robin, first in pool → u1',
        },
      ],
      cursor: { ruleId: 'in-south', value: 1 },
    })
  })

  it('falls through to a wider territory and explains each rule it passed', () => {
    const decision = decide({ country: 'IN', state: 'Maharashtra' }, stateOf(everyone()))
    expect(decision.ownerId).toBe('u5')
    expect(decision.path).toEqual([
      {
        ruleId: 'in-south',
        matched: false,
        why: 'state Maharashtra not in [Karnataka, Tamil Nadu, Kerala, Telangana]',
      },
      {
        ruleId: 'us-fintech',
        matched: false,
        why: 'country IN not in [US], no industry (needs one of [fintech, banking])',
      },
      {
        ruleId: 'in',
        matched: true,
        why: 'country IN; load balanced → u5 (load 0/10, lowest of 2 eligible)',
      },
    ])
  })

  it('matches industry ignoring case, and lists every failed criterion', () => {
    expect(decide({ country: 'US', industry: 'FinTech' }, stateOf(everyone())).ownerId).toBe('u4')

    const retail = decide({ country: 'GB', industry: 'Retail' }, stateOf(everyone()))
    expect(retail.path[1]).toEqual({
      ruleId: 'us-fintech',
      matched: false,
      why: 'country GB not in [US], industry Retail not in [fintech, banking]',
    })
  })

  it('does not match a list criterion when the lead lacks the field', () => {
    const decision = decide({ country: 'IN', state: null }, stateOf(everyone()))
    expect(decision.path[0]).toEqual({
      ruleId: 'in-south',
      matched: false,
      why: 'no state (needs one of [Karnataka, Tamil Nadu, Kerala, Telangana])',
    })
    expect(decision.ruleId).toBe('in')
  })

  it('matches channel and minimum score together', () => {
    const hot = decide({ channel: 'partner_api', country: 'DE' }, stateOf(everyone()), 82)
    expect(hot.ownerId).toBe('u7')
    expect(hot.path[3]).toEqual({
      ruleId: 'partners',
      matched: true,
      why: 'channel partner_api, score 82 ≥ 70; round robin, first in pool → u7',
    })

    const warm = decide({ channel: 'partner_api', country: 'DE' }, stateOf(everyone()), 55)
    expect(warm.ownerId).toBeNull()
    expect(warm.path[3]).toEqual({ ruleId: 'partners', matched: false, why: 'score 55 < 70' })
  })

  it('treats a rule without criteria as a catch-all', () => {
    const rules = parseAssignmentRuleSet({
      version: 1,
      rules: [{ id: 'all', label: 'Everyone else', when: {}, pool: ['u1'], strategy: 'round_robin' }],
      fallbackQueue: 'unassigned',
    })
    const decision = decide({}, stateOf(everyone()), 0, rules)
    expect(decision.path).toEqual([
      {
        ruleId: 'all',
        matched: true,
        why: 'no criteria, matches every lead; round robin, first in pool → u1',
      },
    ])
  })
})

describe('decideAssignment: round robin', () => {
  const south = { country: 'IN', state: 'Kerala' }

  it('rotates through the pool when the caller carries the cursor across calls', () => {
    let state = stateOf(everyone())
    const owners: (string | null)[] = []
    const reasons: string[] = []
    for (let i = 0; i < 7; i++) {
      const decision = decide(south, state)
      owners.push(decision.ownerId)
      reasons.push(decision.reason)
      state = persist(state, decision)
    }
    expect(owners).toEqual(['u1', 'u2', 'u3', 'u1', 'u2', 'u3', 'u1'])
    expect(reasons.slice(0, 4)).toEqual([
      'Territory India-South (rule in-south): round robin, first in pool → u1',
      'Territory India-South (rule in-south): round robin, next in pool after u1 → u2',
      'Territory India-South (rule in-south): round robin, next in pool after u2 → u3',
      'Territory India-South (rule in-south): round robin, next in pool after u3 → u1',
    ])
  })

  it('skips people who are unavailable, out of office or at capacity, and says who and why', () => {
    const people = [
      person('u1'),
      person('u2', { available: false }),
      person('u3', { outOfOfficeUntil: '2026-12-01' }),
      person('u4'),
    ]
    const decision = decide(south, stateOf(people, { 'in-south': 1 }))
    expect(decision.ownerId).toBe('u1')
    expect(decision.reason).toBe(
      'Territory India-South (rule in-south): round robin, next in pool after u1 → u1; ' +
        'skipped u2 (unavailable), u3 (out of office until 2026-12-01)',
    )
    expect(decision.cursor).toEqual({ ruleId: 'in-south', value: 1 })

    const full = decide(
      south,
      stateOf([person('u1', { capacity: 5, openLoad: 5 }), person('u2'), person('u3')]),
    )
    expect(full.ownerId).toBe('u2')
    expect(full.reason).toBe(
      'Territory India-South (rule in-south): round robin, first in pool → u2; skipped u1 (at capacity 5/5)',
    )
    expect(full.cursor).toEqual({ ruleId: 'in-south', value: 2 })
  })

  it('counts someone back from leave from the instant outOfOfficeUntil is reached, in any offset', () => {
    for (const until of [NOW, '2026-11-02T15:30:00.000+05:30', '2026-10-31']) {
      const decision = decide(south, stateOf([person('u1', { outOfOfficeUntil: until })]))
      expect(decision.ownerId, until).toBe('u1')
    }
    const stillAway = decide(south, stateOf([person('u1', { outOfOfficeUntil: '2026-11-02T10:00:00.001Z' })]))
    expect(stillAway.ownerId).not.toBe('u1')
  })

  it('never picks a pool member it has no record for', () => {
    const decision = decide(south, stateOf([person('u2'), person('u3')]))
    expect(decision.ownerId).toBe('u2')
    expect(decision.reason).toContain('skipped u1 (no availability record)')
  })

  it('wraps a cursor left over from a larger pool', () => {
    expect(decide(south, stateOf(everyone(), { 'in-south': 7 })).ownerId).toBe('u2')
  })
})

describe('decideAssignment: load balanced', () => {
  const india = { country: 'IN', state: 'Gujarat' }

  it('picks the lowest open-load to capacity ratio', () => {
    const state = stateOf([
      person('u5', { openLoad: 4, capacity: 10 }),
      person('u6', { openLoad: 3, capacity: 5 }),
    ])
    const decision = decide(india, state)
    expect(decision.ownerId).toBe('u5')
    expect(decision.reason).toBe(
      'Territory India (rule in): load balanced → u5 (load 4/10, lowest of 2 eligible)',
    )
    expect(decision.cursor).toBeNull()
  })

  it('breaks equal ratios by pool order', () => {
    const state = stateOf([
      person('u6', { openLoad: 1, capacity: 5 }),
      person('u5', { openLoad: 2, capacity: 10 }),
    ])
    expect(decide(india, state).ownerId).toBe('u5')
  })

  it('leaves out people at capacity even with the lowest ratio elsewhere', () => {
    const state = stateOf([
      person('u5', { openLoad: 0, capacity: 0 }),
      person('u6', { openLoad: 9, capacity: 10 }),
    ])
    const decision = decide(india, state)
    expect(decision.ownerId).toBe('u6')
    expect(decision.reason).toContain('; skipped u5 (at capacity 0/0)')
  })
})

describe('decideAssignment: weighted round robin', () => {
  const rules = parseAssignmentRuleSet({
    version: 2,
    rules: [
      {
        id: 'w',
        label: 'Inside sales',
        when: {},
        pool: ['a', 'b', 'c', 'd'],
        strategy: 'weighted_round_robin',
      },
    ],
    fallbackQueue: 'unassigned',
  })
  const weights = { a: 1, b: 2, c: 3, d: 5 }
  const team = () => Object.entries(weights).map(([id, weight]) => person(id, { weight, capacity: 10_000 }))

  it('gives each person their weight share of 1000 leads, within ±1 at every step', () => {
    let state = stateOf(team())
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 }
    const total = Object.values(weights).reduce((s, w) => s + w, 0)
    for (let n = 1; n <= 1000; n++) {
      const decision = decideAssignment({ lead: draftLeadFactory.build(), score: 50, now: NOW }, rules, state)
      const owner = decision.ownerId ?? 'none'
      counts[owner] = (counts[owner] ?? 0) + 1
      expect(decision.cursor).toEqual({ ruleId: `w:${owner}`, value: counts[owner] })
      state = persist(state, decision)
      for (const [id, weight] of Object.entries(weights)) {
        expect(Math.abs((counts[id] ?? 0) - (n * weight) / total), `${id} after ${n}`).toBeLessThanOrEqual(1)
      }
    }
    expect(counts).toEqual({ a: 91, b: 182, c: 273, d: 454 })
    expect(state.cursors).toEqual({ 'w:a': 91, 'w:b': 182, 'w:c': 273, 'w:d': 454 })
  })

  it('explains the choice (heaviest weight first) and shares among the eligible people only', () => {
    const people = team().map((p) => (p.userId === 'd' ? { ...p, available: false } : p))
    const first = decideAssignment(
      { lead: draftLeadFactory.build(), score: 50, now: NOW },
      rules,
      stateOf(people),
    )
    expect(first.reason).toBe(
      'Inside sales (rule w): weighted round robin → c (weight 3, 0 assigned before); skipped d (unavailable)',
    )

    let state = stateOf(people)
    const counts: Record<string, number> = {}
    for (let n = 0; n < 600; n++) {
      const decision = decideAssignment({ lead: draftLeadFactory.build(), score: 50, now: NOW }, rules, state)
      counts[decision.ownerId ?? 'none'] = (counts[decision.ownerId ?? 'none'] ?? 0) + 1
      state = persist(state, decision)
    }
    expect(counts).toEqual({ a: 100, b: 200, c: 300 })
  })

  it('treats a weight of 0 as not in the rotation', () => {
    const people = [person('a', { weight: 0 }), person('b'), person('c'), person('d')]
    const decision = decideAssignment(
      { lead: draftLeadFactory.build(), score: 50, now: NOW },
      rules,
      stateOf(people),
    )
    expect(decision.ownerId).toBe('b')
    expect(decision.reason).toContain('skipped a (weight 0)')
  })
})

describe('decideAssignment: overflow and fallback', () => {
  const south = { country: 'IN', state: 'Tamil Nadu' }
  const southAway = [
    person('u1', { available: false }),
    person('u2', { outOfOfficeUntil: '2026-12-01' }),
    person('u3', { openLoad: 10, capacity: 10 }),
  ]

  it('moves on to the next matching rule when nobody in the first is eligible', () => {
    const decision = decide(south, stateOf([...southAway, person('u5'), person('u6')]))
    expect(decision.ownerId).toBe('u5')
    expect(decision.path.map((p) => [p.ruleId, p.matched])).toEqual([
      ['in-south', true],
      ['us-fintech', false],
      ['in', true],
    ])
    expect(decision.path[0]?.why).toBe(
      'country IN, state Tamil Nadu; nobody eligible: u1 (unavailable), ' +
        'u2 (out of office until 2026-12-01), u3 (at capacity 10/10)',
    )
    expect(decision.reason).toBe(
      'Territory India (rule in): load balanced → u5 (load 0/10, lowest of 2 eligible); ' +
        'earlier: Territory India-South (rule in-south) matched but nobody was eligible: ' +
        'u1 (unavailable), u2 (out of office until 2026-12-01), u3 (at capacity 10/10)',
    )
  })

  it('queues to the fallback when no matching rule has anyone eligible, explaining every rule', () => {
    const decision = decide(south, stateOf([...southAway, person('u5', { available: false })]))
    expect(decision).toEqual({
      ownerId: null,
      queue: 'sdr-triage',
      ruleId: null,
      strategy: null,
      version: 3,
      reason:
        'No owner, queued to sdr-triage: Territory India-South (rule in-south) matched but nobody was eligible: ' +
        'u1 (unavailable), u2 (out of office until 2026-12-01), u3 (at capacity 10/10); ' +
        'Territory India (rule in) matched but nobody was eligible: u5 (unavailable), u6 (no availability record)',
      path: [
        {
          ruleId: 'in-south',
          matched: true,
          why:
            'country IN, state Tamil Nadu; nobody eligible: u1 (unavailable), ' +
            'u2 (out of office until 2026-12-01), u3 (at capacity 10/10)',
        },
        {
          ruleId: 'us-fintech',
          matched: false,
          why: 'country IN not in [US], no industry (needs one of [fintech, banking])',
        },
        {
          ruleId: 'in',
          matched: true,
          why: 'country IN; nobody eligible: u5 (unavailable), u6 (no availability record)',
        },
        { ruleId: 'partners', matched: false, why: 'channel web_form not in [partner_api], score 50 < 70' },
      ],
      cursor: null,
    })
  })

  it('queues to the fallback when no rule matches', () => {
    const decision = decide({ country: 'FR' }, stateOf(everyone()))
    expect(decision.queue).toBe('sdr-triage')
    expect(decision.reason).toBe(
      'No owner, queued to sdr-triage: no rule matched (in-south: country FR not in [IN], ' +
        'no state (needs one of [Karnataka, Tamil Nadu, Kerala, Telangana]); us-fintech: country FR not in [US], ' +
        'no industry (needs one of [fintech, banking]); in: country FR not in [in]; ' +
        'partners: channel web_form not in [partner_api], score 50 < 70)',
    )
  })

  it('queues everything with the default (empty) rule set', () => {
    const decision = decide({ country: 'IN' }, stateOf(everyone()), 90, DEFAULT_ASSIGNMENT_RULES)
    expect(decision).toEqual({
      ownerId: null,
      queue: 'unassigned',
      ruleId: null,
      strategy: null,
      version: 1,
      reason: 'No owner, queued to unassigned: no assignment rules in version 1',
      path: [],
      cursor: null,
    })
  })
})

describe('decideAssignment: determinism', () => {
  it('returns deep-equal decisions for the same input and never changes the state', () => {
    const state = stateOf(everyone(), { 'in-south': 2, 'w:a': 3 })
    const frozen = structuredClone(state)
    Object.values(frozen.people).forEach((p) => Object.freeze(p))
    Object.freeze(frozen.people)
    Object.freeze(frozen.cursors)
    const input = { lead: draftLeadFactory.build({ country: 'IN', state: 'Kerala' }), score: 71, now: NOW }

    const first = decideAssignment(input, RULES, frozen)
    expect(decideAssignment(input, RULES, frozen)).toEqual(first)
    expect(
      decideAssignment(input, parseAssignmentRuleSet(JSON.parse(JSON.stringify(RULES))), frozen),
    ).toEqual(first)
    expect(frozen).toEqual(state)
  })

  it('refuses an unreadable clock instead of guessing', () => {
    expect(() =>
      decideAssignment(
        { lead: draftLeadFactory.build(), score: 0, now: 'yesterday' },
        RULES,
        stateOf(everyone()),
      ),
    ).toThrow('now must be an ISO 8601 timestamp, got "yesterday"')
  })

  it('ignores inherited object keys as user ids', () => {
    const rules = parseAssignmentRuleSet({
      version: 1,
      rules: [{ id: 'r', label: 'Odd ids', when: {}, pool: ['constructor', 'u1'], strategy: 'round_robin' }],
      fallbackQueue: 'unassigned',
    })
    expect(decide({}, stateOf([person('u1')]), 0, rules).ownerId).toBe('u1')
  })
})

describe('parseAssignmentRuleSet', () => {
  it('accepts the defaults and the example territories, returning fresh copies', () => {
    expect(parseAssignmentRuleSet(DEFAULT_ASSIGNMENT_RULES)).toEqual({
      version: 1,
      rules: [],
      fallbackQueue: 'unassigned',
    })
    const copy = parseAssignmentRuleSet(JSON.parse(JSON.stringify(RULES)))
    expect(copy).toEqual(RULES)
    expect(copy.rules[0]).not.toBe(RULES.rules[0])
  })

  it('lists every bad path in one error', () => {
    let error: unknown
    try {
      parseAssignmentRuleSet({
        version: 1.5,
        rules: [
          {
            id: 'in:south',
            label: 'South',
            when: { countries: ['India'], states: [], channel: ['web_form'] },
            pool: ['u1', 'u1'],
            strategy: 'random',
          },
          {
            id: 'b',
            label: '',
            when: { channels: ['fax'], minScore: 120 },
            pool: [],
            strategy: 'load_balanced',
          },
          { id: 'b', label: 'Again', when: { minScore: '70' }, pool: 'u1', strategy: 'round_robin' },
          'not a rule',
        ],
        fallbackQueue: '',
        queues: [],
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AssignmentRuleSetError)
    const issues = (error as AssignmentRuleSetError).issues
    expect(issues).toEqual([
      'queues is not allowed',
      'version must be a positive integer',
      'rules[0].id must not contain ":"',
      'rules[0].when.channel is not allowed',
      'rules[0].when.countries[0] must be an ISO 3166-1 alpha-2 code such as IN, not "India"',
      'rules[0].when.states must not be empty (leave it out to match any state)',
      'rules[0].pool[1] repeats "u1"',
      'rules[0].strategy must be one of round_robin, load_balanced, weighted_round_robin',
      'rules[1].label must be a non-empty string',
      'rules[1].when.channels[0] must be one of api, web_form, whatsapp, email, phone, partner_api, event, import',
      'rules[1].when.minScore must be between 0 and 100',
      'rules[1].pool must not be empty (a rule needs at least one person)',
      'rules[2].when.minScore must be a number',
      'rules[2].pool must be an array of strings',
      'rules[3] must be an object',
      'rules[2].id "b" is already used by rules[1]',
      'fallbackQueue must be a non-empty string',
    ])
    expect((error as Error).message).toBe(`Invalid assignment rule set: ${issues.join('; ')}`)
  })

  it.each([[null], [[]], ['rules']])('refuses a non-object (%j)', (data: unknown) => {
    expect(() => parseAssignmentRuleSet(data)).toThrow(
      'Invalid assignment rule set: rule set must be an object',
    )
  })
})
