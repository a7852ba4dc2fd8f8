import { describe, expect, it } from 'vitest'
import {
  decideAssignment,
  type AssignmentState,
  type Person,
} from '../../../domain/assignment/assign.rules.js'
import { parseAssignmentRuleSet } from '../../../domain/assignment/assignment-rules.js'
import {
  asStored,
  assignmentDecisionInputs,
  firstDifference,
  replayAssignmentDecision,
  replayScoreDecision,
  storedDraft,
} from '../../../domain/rules/decision-replay.rules.js'
import {
  evaluateAssignmentDraft,
  evaluateScoringDraft,
} from '../../../domain/rules/draft-evaluation.rules.js'
import { scoreLead } from '../../../domain/scoring/score.rules.js'
import { DEFAULT_SCORING_RULES, parseScoringRuleSet } from '../../../domain/scoring/scoring-rules.js'
import { draftLeadFactory } from '../../factories/draft-lead.factory.js'

const NOW = '2026-11-23T10:00:00.000Z'
const person = (userId: string, overrides: Partial<Person> = {}): Person => ({
  userId,
  available: true,
  outOfOfficeUntil: null,
  capacity: 10,
  openLoad: 0,
  weight: 1,
  ...overrides,
})
const RULES = parseAssignmentRuleSet({
  version: 2,
  rules: [
    { id: 'hot', label: 'Hot', when: { minScore: 70 }, pool: ['vip'], strategy: 'round_robin' },
    { id: 'in', label: 'India', when: { countries: ['IN'] }, pool: ['a', 'b'], strategy: 'round_robin' },
  ],
  fallbackQueue: 'triage',
})
const stateOf = (people: Person[], cursors: Record<string, number> = {}): AssignmentState => ({
  people: Object.fromEntries(people.map((p) => [p.userId, p])),
  cursors,
})

describe('storedDraft', () => {
  it('reads the fields a compact draft left out as null, and freeEmail as false', () => {
    const draft = storedDraft({ channel: 'import', receivedAt: NOW, email: 'x@y.example', annualRevenue: 5 })
    expect(draft).toMatchObject({ channel: 'import', email: 'x@y.example', annualRevenue: 5, title: null })
    expect(draft.freeEmail).toBe(false)
    expect(Object.values(draft)).not.toContain(undefined)
  })

  it('scores a compact draft exactly as the whole one (a missing revenue must not pass "at least")', () => {
    const rules = parseScoringRuleSet({
      ...asStored(DEFAULT_SCORING_RULES),
      fit: [{ id: 'rev', label: 'Revenue', points: 30, when: { field: 'annualRevenue', atLeast: 1 } }],
    })
    const lead = draftLeadFactory.build({ annualRevenue: null, title: null })
    const compact = Object.fromEntries(Object.entries(lead).filter(([, v]) => v !== null && v !== false))
    expect(scoreLead({ lead: storedDraft(compact), engagement: {} }, rules)).toEqual(
      scoreLead({ lead, engagement: {} }, rules),
    )
  })
})

describe('firstDifference', () => {
  it('ignores key order (jsonb does not keep it) and names the first differing path', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBeNull()
    expect(firstDifference({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'y' }] })).toBe(
      'b[1].c: "x" ≠ "y"',
    )
    expect(firstDifference({ a: [1] }, { a: [1, 2] })).toBe('a[1]: (missing) ≠ 2')
    expect(firstDifference({ ownerId: null }, { ownerId: 'u1' })).toBe('ownerId: null ≠ "u1"')
  })
})

describe('replaying decisions', () => {
  it('reproduces a score decision from its stored inputs, and reports a tampered one', () => {
    const lead = draftLeadFactory.build({ title: 'Head of Sales', companySize: '201-500' })
    const outcome = asStored(scoreLead({ lead, engagement: { emailOpen: 2 } }, DEFAULT_SCORING_RULES))
    const inputs = asStored({ lead, engagement: { emailOpen: 2 } })
    expect(replayScoreDecision(inputs, outcome, DEFAULT_SCORING_RULES).status).toBe('reproduced')
    const tampered = { ...inputs, engagement: { emailOpen: 3 } }
    expect(replayScoreDecision(tampered, outcome, DEFAULT_SCORING_RULES)).toMatchObject({
      status: 'mismatch',
      difference: expect.stringMatching(/^breakdown\[\d+\]\.detail: /),
    })
  })

  it('reproduces an assignment against the state it saw, not the state after it', () => {
    const state = stateOf(
      [person('vip'), person('a'), person('b', { outOfOfficeUntil: '2026-11-23T12:00:00Z' })],
      {
        in: 1,
      },
    )
    const input = { lead: draftLeadFactory.build({ country: 'IN' }), score: 40, now: NOW }
    const inputs = asStored(assignmentDecisionInputs(input, state))
    const decision = decideAssignment(input, RULES, state)
    expect(decision.ownerId).toBe('a') // b is away: the rotation wraps to a
    state.people['a']!.openLoad = 10 // later leads change the caller's state; the stored copy does not
    expect(replayAssignmentDecision(inputs, asStored(decision), RULES).status).toBe('reproduced')
    expect(inputs.lead).toEqual({
      channel: input.lead.channel,
      country: 'IN',
      state: input.lead.state,
      industry: input.lead.industry,
    })
  })

  it('replays an SLA re-route with the people it was told to skip', () => {
    const state = stateOf([person('vip'), person('a'), person('b')])
    const lead = draftLeadFactory.build({ country: 'IN' })
    const decision = decideAssignment({ lead, score: 40, now: NOW }, RULES, state, { exclude: ['a'] })
    const inputs = asStored({ reason: 'sla_reroute', lead, score: 40, now: NOW, exclude: ['a'], state })
    expect(decision.ownerId).toBe('b')
    expect(replayAssignmentDecision(inputs, asStored(decision), RULES).status).toBe('reproduced')
  })

  it('calls erased inputs and decisions recorded without their state unreplayable', () => {
    expect(replayScoreDecision({}, {}, DEFAULT_SCORING_RULES)).toEqual({
      status: 'unreplayable',
      reason: 'inputs erased',
    })
    expect(replayAssignmentDecision({ lead: { country: 'IN' }, score: 1 }, {}, RULES)).toMatchObject({
      status: 'unreplayable',
      reason: expect.stringContaining('without the state'),
    })
  })
})

describe('evaluating drafts', () => {
  const lead = draftLeadFactory.build({
    country: 'IN',
    title: 'Engineer',
    companySize: '11-50',
    industry: null,
  })
  const captured = (rules = DEFAULT_SCORING_RULES) => {
    const score = scoreLead({ lead, engagement: {} }, rules)
    const state = stateOf([person('vip'), person('a'), person('b')])
    const input = { lead, score: score.score, now: NOW }
    const decision = decideAssignment(input, RULES, state)
    return {
      leadId: 'l1',
      captureScore: { inputs: asStored({ lead, engagement: {} }), outcome: asStored(score), version: 0 },
      latestScore: { inputs: asStored({ lead, engagement: {} }), outcome: asStored(score), version: 0 },
      assignment: {
        inputs: asStored(assignmentDecisionInputs(input, state)),
        outcome: asStored(decision),
        version: 2,
      },
    }
  }

  it('finds nothing to change under the rules that made the decisions', () => {
    const e = evaluateScoringDraft(captured(), DEFAULT_SCORING_RULES, RULES)
    expect(e?.changed).toEqual([])
    expect(e?.current.placement?.ownerId).toBe('a')
  })

  it('a scoring draft that makes the lead hot moves its band and, through minScore, its owner', () => {
    const heat = parseScoringRuleSet({
      version: 9,
      fitMax: 75,
      engagementMax: 25,
      fit: [{ id: 'india', label: 'India', points: 75, when: { field: 'country', in: ['IN'] } }],
      engagement: [],
    })
    const before = captured()
    const e = evaluateScoringDraft(before, heat, RULES)!
    expect(e.draft).toMatchObject({ score: 75, band: 'hot', scoreRules: ['india'] })
    expect(e.draft.placement).toMatchObject({ ownerId: 'vip', ruleId: 'hot' })
    expect(e.changed).toEqual(['band', 'owner'])
  })

  it('an assignment draft judges people the decision did not see as they are now', () => {
    const draft = parseAssignmentRuleSet({
      version: 1,
      rules: [
        {
          id: 'new',
          label: 'New desk',
          when: { countries: ['IN'] },
          pool: ['newbie'],
          strategy: 'round_robin',
        },
      ],
      fallbackQueue: 'triage',
    })
    const history = captured()
    expect(evaluateAssignmentDraft(history, draft, {})?.draft.placement).toMatchObject({
      ownerId: null,
      queue: 'triage',
    })
    const e = evaluateAssignmentDraft(history, draft, { newbie: person('newbie') })!
    expect(e.draft.placement).toMatchObject({ ownerId: 'newbie', ruleId: 'new' })
    expect(e.changed).toEqual(['owner'])
  })
})
