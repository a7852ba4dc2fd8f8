import { describe, expect, it } from 'vitest'
import {
  DEFAULT_STAGE_PROBABILITIES,
  MAX_OPPORTUNITY_AMOUNT,
  OPPORTUNITY_STAGES,
  forecastCategory,
  isOpenStage,
  isOpportunityStage,
  probabilityFor,
  validateOpportunityDraft,
  type ForecastCategory,
  type OpportunityDraftInput,
  type OpportunityStage,
} from '../../../domain/opportunity/pipeline.rules.js'
import {
  forecastCategoryClauses,
  meetsClause,
  quarterEnd,
} from '../../../domain/opportunity/forecast-scope.rules.js'
import {
  closeDeal,
  editRefusal,
  stageMove,
  type DealState,
} from '../../../domain/opportunity/deal-transitions.rules.js'

describe('stages', () => {
  it('are the six pipeline stages in order', () => {
    expect(OPPORTUNITY_STAGES).toEqual([
      'qualification',
      'needs_analysis',
      'proposal',
      'negotiation',
      'closed_won',
      'closed_lost',
    ])
  })

  it('have the default probabilities 10, 25, 50, 75, 100, 0', () => {
    expect(OPPORTUNITY_STAGES.map((s) => DEFAULT_STAGE_PROBABILITIES[s])).toEqual([10, 25, 50, 75, 100, 0])
  })

  it.each<[string, boolean]>([
    ['qualification', true],
    ['needs_analysis', true],
    ['proposal', true],
    ['negotiation', true],
    ['closed_won', false],
    ['closed_lost', false],
    ['won', false],
    ['Qualification', false],
    ['', false],
  ])('isOpenStage(%j) is %s', (stage, open) => {
    expect(isOpenStage(stage)).toBe(open)
  })

  it.each<[unknown, boolean]>([
    ['closed_lost', true],
    ['negotiation', true],
    ['NEGOTIATION', false],
    [' proposal', false],
    [null, false],
    [3, false],
  ])('isOpportunityStage(%j) is %s', (value, known) => {
    expect(isOpportunityStage(value)).toBe(known)
  })
})

describe('probabilityFor', () => {
  it.each(OPPORTUNITY_STAGES.map((s) => [s, DEFAULT_STAGE_PROBABILITIES[s]] as const))(
    '%s defaults to %i',
    (stage, p) => {
      expect(probabilityFor(stage)).toBe(p)
    },
  )

  it('uses a team’s override for an open stage', () => {
    expect(probabilityFor('proposal', { proposal: 40 })).toBe(40)
    expect(probabilityFor('qualification', { qualification: 0 })).toBe(0)
    expect(probabilityFor('negotiation', { negotiation: 100 })).toBe(100)
  })

  it('uses the default for a stage the overrides do not name', () => {
    expect(probabilityFor('needs_analysis', { proposal: 40 })).toBe(25)
  })

  it('ignores overrides for closed stages: won is 100 and lost is 0 by definition', () => {
    expect(probabilityFor('closed_won', { closed_won: 90 })).toBe(100)
    expect(probabilityFor('closed_lost', { closed_lost: 5 })).toBe(0)
  })

  it.each([-1, 101, 50.5, Number.NaN, Number.POSITIVE_INFINITY])('ignores a broken override %s', (bad) => {
    expect(probabilityFor('proposal', { proposal: bad })).toBe(50)
  })
})

describe('forecastCategory', () => {
  const at = (
    stage: OpportunityStage,
    probability: number,
    closeDate: string,
    today: string,
  ): ForecastCategory => forecastCategory({ stage, probability, closeDate, today })

  it('closed_won is closed, whatever the probability or dates', () => {
    expect(at('closed_won', 100, '2026-05-10', '2026-05-10')).toBe('closed')
    expect(at('closed_won', 0, '2020-01-01', '2026-05-10')).toBe('closed')
  })

  it('closed_lost is omitted, whatever the probability or dates', () => {
    expect(at('closed_lost', 0, '2026-05-10', '2026-05-10')).toBe('omitted')
    expect(at('closed_lost', 90, '2026-05-20', '2026-05-10')).toBe('omitted')
  })

  it('an unknown stage is omitted', () => {
    expect(at('won' as OpportunityStage, 90, '2026-05-20', '2026-05-10')).toBe('omitted')
  })

  describe('open deals', () => {
    it.each<[string, number, string, string, ForecastCategory]>([
      ['75% closing later this quarter', 75, '2026-06-30', '2026-04-01', 'commit'],
      ['75% closing today', 75, '2026-05-10', '2026-05-10', 'commit'],
      ['100% closing this quarter', 100, '2026-05-11', '2026-05-10', 'commit'],
      ['74% closing this quarter', 74, '2026-05-11', '2026-05-10', 'best_case'],
      ['75% closing next quarter', 75, '2026-07-01', '2026-06-30', 'best_case'],
      ['90% closing next year', 90, '2027-05-10', '2026-05-10', 'best_case'],
      ['50% closing this quarter', 50, '2026-05-11', '2026-05-10', 'best_case'],
      ['49% closing this quarter', 49, '2026-05-11', '2026-05-10', 'pipeline'],
      ['10% closing next quarter', 10, '2026-09-01', '2026-05-10', 'pipeline'],
      ['0% closing this quarter', 0, '2026-05-11', '2026-05-10', 'pipeline'],
      ['90% that slipped by a day', 90, '2026-05-09', '2026-05-10', 'pipeline'],
      ['60% that slipped by a day', 60, '2026-05-09', '2026-05-10', 'pipeline'],
      ['90% that slipped into the previous quarter', 90, '2026-03-31', '2026-04-01', 'pipeline'],
    ])('%s is %s', (_name, probability, closeDate, today, expected) => {
      expect(at('negotiation', probability, closeDate, today)).toBe(expected)
    })

    it('uses the same rule in every open stage', () => {
      for (const stage of ['qualification', 'needs_analysis', 'proposal', 'negotiation'] as const) {
        expect(at(stage, 80, '2026-05-20', '2026-05-10')).toBe('commit')
        expect(at(stage, 60, '2026-05-20', '2026-05-10')).toBe('best_case')
        expect(at(stage, 20, '2026-05-20', '2026-05-10')).toBe('pipeline')
      }
    })
  })

  describe('quarter boundaries', () => {
    it.each<[string, string, ForecastCategory]>([
      // Q1 Jan-Mar
      ['2026-01-01', '2026-03-31', 'commit'],
      ['2026-01-01', '2026-04-01', 'best_case'],
      // Q2 Apr-Jun (Q1 of India's financial year)
      ['2026-04-01', '2026-06-30', 'commit'],
      ['2026-04-01', '2026-07-01', 'best_case'],
      // Q3 Jul-Sep
      ['2026-07-01', '2026-09-30', 'commit'],
      ['2026-09-30', '2026-10-01', 'best_case'],
      // Q4 Oct-Dec, and the year end
      ['2026-10-01', '2026-12-31', 'commit'],
      ['2026-12-31', '2026-12-31', 'commit'],
      ['2026-12-31', '2027-01-01', 'best_case'],
      ['2027-01-01', '2027-03-31', 'commit'],
      // Same quarter of another year is not this quarter.
      ['2026-05-10', '2027-05-10', 'best_case'],
      // The last day of a leap February is in Q1.
      ['2028-01-15', '2028-02-29', 'commit'],
    ])('today %s, closing %s at 80%% is %s', (today, closeDate, expected) => {
      expect(at('proposal', 80, closeDate, today)).toBe(expected)
    })

    it('a deal due Dec 31 is slipped on Jan 1', () => {
      expect(at('proposal', 80, '2026-12-31', '2027-01-01')).toBe('pipeline')
    })
  })

  describe('unreadable dates', () => {
    it.each([
      ['a close date that does not exist', '2026-02-29', '2026-02-10'],
      ['a close date in another format', '10/05/2026', '2026-05-01'],
      ['a today that does not exist', '2026-05-20', '2026-13-01'],
    ])('%s: at most best case, never commit or slipped', (_name, closeDate, today) => {
      expect(at('negotiation', 90, closeDate, today)).toBe('best_case')
      expect(at('negotiation', 30, closeDate, today)).toBe('pipeline')
    })
  })
})

describe('validateOpportunityDraft', () => {
  const TODAY = '2026-05-10'
  const valid: OpportunityDraftInput = {
    name: 'Acme: CRM rollout',
    amount: 250000,
    currency: 'INR',
    stage: 'qualification',
    closeDate: '2026-06-30',
  }
  const errorsFor = (patch: Partial<OpportunityDraftInput>, today = TODAY) =>
    validateOpportunityDraft({ ...valid, ...patch }, today)

  it('accepts a valid draft, with or without a probability', () => {
    expect(errorsFor({})).toEqual([])
    expect(errorsFor({ probability: 35 })).toEqual([])
    expect(errorsFor({ probability: undefined })).toEqual([])
  })

  describe('name', () => {
    it.each([
      ['one character', 'X'],
      ['200 characters', 'n'.repeat(200)],
      ['200 characters plus surrounding spaces', `  ${'n'.repeat(200)}  `],
      ['200 emoji (counted as characters, not UTF-16 units)', '🚀'.repeat(200)],
    ])('accepts %s', (_n, name) => {
      expect(errorsFor({ name })).toEqual([])
    })

    it.each([
      ['empty', ''],
      ['only spaces', '   '],
      ['201 characters', 'n'.repeat(201)],
    ])('refuses %s', (_n, name) => {
      expect(errorsFor({ name })).toEqual([{ pointer: '/name', message: 'must be 1 to 200 characters' }])
    })

    it.each([null, undefined, 42])('refuses %j', (name) => {
      expect(errorsFor({ name })).toEqual([
        { pointer: '/name', message: 'must be a string of 1 to 200 characters' },
      ])
    })
  })

  describe('amount', () => {
    it.each([0, 1, 0.01, 19.99, 1234567.5, 0.3, MAX_OPPORTUNITY_AMOUNT, 90_000_000_000_000])(
      'accepts %s',
      (amount) => {
        expect(errorsFor({ amount })).toEqual([])
      },
    )

    it.each<[unknown, string]>([
      [Number.NaN, 'must be a finite number'],
      [Number.POSITIVE_INFINITY, 'must be a finite number'],
      ['250000', 'must be a finite number'],
      [null, 'must be a finite number'],
      [-0.01, 'must not be negative'],
      [-1, 'must not be negative'],
      [0.001, 'must have at most 2 decimals'],
      [19.999, 'must have at most 2 decimals'],
      [0.1 + 0.2, 'must have at most 2 decimals'],
      [100_000_000_000_000, `must be at most ${MAX_OPPORTUNITY_AMOUNT}`],
    ])('refuses %s: %s', (amount, message) => {
      expect(errorsFor({ amount })).toEqual([{ pointer: '/amount', message }])
    })
  })

  describe('currency', () => {
    it.each(['INR', 'USD', 'EUR', 'AED'])('accepts %s', (currency) => {
      expect(errorsFor({ currency })).toEqual([])
    })

    it.each(['inr', 'Inr', 'RS', 'INRR', ' INR', '₹', 'IN1', '', null])('refuses %j', (currency) => {
      expect(errorsFor({ currency })).toEqual([
        { pointer: '/currency', message: 'must be a three-letter upper-case currency code such as INR' },
      ])
    })
  })

  describe('stage', () => {
    it.each(OPPORTUNITY_STAGES)('accepts %s', (stage) => {
      expect(errorsFor({ stage })).toEqual([])
    })

    it.each(['won', 'Proposal', '', null])('refuses %j', (stage) => {
      expect(errorsFor({ stage })).toEqual([
        {
          pointer: '/stage',
          message:
            'must be one of qualification, needs_analysis, proposal, negotiation, closed_won, closed_lost',
        },
      ])
    })
  })

  describe('probability', () => {
    it.each([0, 1, 50, 99, 100])('accepts %i', (probability) => {
      expect(errorsFor({ probability })).toEqual([])
    })

    it.each([-1, 101, 50.5, Number.NaN, '50', null])('refuses %j', (probability) => {
      expect(errorsFor({ probability })).toEqual([
        { pointer: '/probability', message: 'must be an integer from 0 to 100' },
      ])
    })
  })

  describe('closeDate', () => {
    it.each([
      ['today', '2026-05-10'],
      ['tomorrow', '2026-05-11'],
      ['Feb 29 of a leap year', '2028-02-29'],
      ['Feb 29 of a year divisible by 400', '2400-02-29'],
      ['Dec 31', '2026-12-31'],
    ])('accepts %s', (_n, closeDate) => {
      expect(errorsFor({ closeDate })).toEqual([])
    })

    it.each([
      ['Feb 29 of a common year', '2027-02-29'],
      ['Feb 29 of a century year not divisible by 400', '2100-02-29'],
      ['Feb 30', '2028-02-30'],
      ['Apr 31', '2026-04-31'],
      ['Sep 31', '2026-09-31'],
      ['Nov 31', '2026-11-31'],
      ['month 00', '2026-00-10'],
      ['month 13', '2026-13-10'],
      ['day 00', '2026-06-00'],
      ['day 32', '2026-07-32'],
      ['year 0000', '0000-06-01'],
      ['no zero padding', '2026-6-1'],
      ['a timestamp', '2026-06-30T00:00:00Z'],
      ['day first', '30-06-2026'],
      ['slashes', '2026/06/30'],
      ['surrounding spaces', ' 2026-06-30'],
      ['empty', ''],
    ])('refuses %s', (_n, closeDate) => {
      expect(errorsFor({ closeDate })).toEqual([
        { pointer: '/closeDate', message: 'must be a real date in the form YYYY-MM-DD' },
      ])
    })

    it('refuses a date that is not a string', () => {
      expect(errorsFor({ closeDate: 20260630 })).toEqual([
        { pointer: '/closeDate', message: 'must be a real date in the form YYYY-MM-DD' },
      ])
    })

    it.each(['qualification', 'needs_analysis', 'proposal', 'negotiation'])(
      'refuses yesterday for the open stage %s',
      (stage) => {
        expect(errorsFor({ stage, closeDate: '2026-05-09' })).toEqual([
          {
            pointer: '/closeDate',
            message: 'must not be before today (2026-05-10) while the opportunity is open',
          },
        ])
      },
    )

    it.each(['closed_won', 'closed_lost'])('accepts a past date for the closed stage %s', (stage) => {
      expect(errorsFor({ stage, closeDate: '2025-12-31' })).toEqual([])
    })

    it('compares across a year end: Dec 31 is in the past on Jan 1', () => {
      expect(errorsFor({ closeDate: '2026-12-31' }, '2027-01-01')).toEqual([
        {
          pointer: '/closeDate',
          message: 'must not be before today (2027-01-01) while the opportunity is open',
        },
      ])
      expect(errorsFor({ closeDate: '2027-01-01' }, '2027-01-01')).toEqual([])
    })

    it('does not judge the past while the stage is unknown', () => {
      expect(errorsFor({ stage: 'won', closeDate: '2020-01-01' }).map((e) => e.pointer)).toEqual(['/stage'])
    })

    it('skips the past-date check when today cannot be read', () => {
      expect(errorsFor({ closeDate: '2020-01-01' }, 'yesterday')).toEqual([])
    })
  })

  it('reports every problem, in field order', () => {
    expect(
      validateOpportunityDraft(
        { name: '', amount: -5, currency: 'rs', stage: 'open', probability: 120, closeDate: '2026-02-30' },
        TODAY,
      ).map((e) => e.pointer),
    ).toEqual(['/name', '/amount', '/currency', '/stage', '/probability', '/closeDate'])
  })
})

describe('forecastCategoryClauses (the categories as ranges, for filtering in the database)', () => {
  const categories: ForecastCategory[] = ['pipeline', 'best_case', 'commit', 'closed', 'omitted']
  const closeDates = [
    '2026-03-31',
    '2026-04-01',
    '2026-05-09',
    '2026-05-10',
    '2026-05-11',
    '2026-06-30',
    '2026-07-01',
    '2027-01-15',
  ]
  const probabilities = [0, 10, 49, 50, 74, 75, 90, 100]

  it.each(['2026-05-10', '2026-04-01', '2026-06-30', '2026-12-31'])(
    'puts every deal in exactly the category forecastCategory gives it (today %s)',
    (today) => {
      for (const stage of OPPORTUNITY_STAGES)
        for (const probability of probabilities)
          for (const closeDate of closeDates) {
            const deal = { stage, probability, closeDate }
            const matching = categories.filter((c) =>
              forecastCategoryClauses(c, today).some((clause) => meetsClause(deal, clause)),
            )
            expect(matching, JSON.stringify(deal)).toEqual([forecastCategory({ ...deal, today })])
          }
    },
  )

  it.each([
    ['2026-01-01', '2026-03-31'],
    ['2026-05-10', '2026-06-30'],
    ['2026-09-30', '2026-09-30'],
    ['2028-11-02', '2028-12-31'],
    ['2028-02-29', '2028-03-31'],
  ])('the quarter of %s ends on %s', (today, end) => {
    expect(quarterEnd(today)).toBe(end)
  })

  it('refuses a today that is not a date', () => {
    expect(() => forecastCategoryClauses('commit', '2026-02-30')).toThrow(RangeError)
  })
})

describe('stageMove', () => {
  const deal = (stage: OpportunityStage, probability = 10): DealState => ({
    stage,
    probability,
    wonReason: null,
    lostReason: null,
    lostToCompetitor: null,
  })
  const defaults = (stage: OpportunityStage) => ({ ...DEFAULT_STAGE_PROBABILITIES, proposal: 40 })[stage]

  it("moves an open deal to another open stage, with the given probability or the stage's default", () => {
    expect(stageMove(deal('qualification'), { stage: 'proposal' }, defaults)).toEqual({
      action: 'move',
      probability: 40,
    })
    expect(stageMove(deal('proposal', 40), { stage: 'qualification', probability: 5 }, defaults)).toEqual({
      action: 'move',
      probability: 5,
    })
  })

  it('changes nothing when asked for the current stage (a retry), but refuses a new probability that way', () => {
    expect(stageMove(deal('proposal', 40), { stage: 'proposal' }, defaults)).toEqual({ action: 'none' })
    expect(stageMove(deal('proposal', 40), { stage: 'proposal', probability: 40 }, defaults)).toEqual({
      action: 'none',
    })
    expect(stageMove(deal('proposal', 40), { stage: 'proposal', probability: 60 }, defaults)).toMatchObject({
      refused: 'invalid',
      pointer: '/stage',
    })
  })

  it('refuses closed deals (conflict) and closed or unknown targets (invalid)', () => {
    expect(stageMove(deal('closed_won', 100), { stage: 'proposal' }, defaults)).toMatchObject({
      refused: 'conflict',
    })
    for (const stage of ['closed_won', 'closed_lost', 'won'])
      expect(stageMove(deal('proposal'), { stage }, defaults)).toMatchObject({ refused: 'invalid' })
  })
})

describe('closeDeal', () => {
  const closed = (stage: OpportunityStage, extra: Partial<DealState> = {}): DealState => ({
    stage,
    probability: stage === 'closed_won' ? 100 : 0,
    wonReason: null,
    lostReason: null,
    lostToCompetitor: null,
    ...extra,
  })

  it('closes any open deal either way', () => {
    for (const stage of ['qualification', 'negotiation'] as const)
      for (const outcome of ['won', 'lost'] as const)
        expect(closeDeal(closed(stage), { outcome, reason: 'r' })).toEqual({ action: 'close' })
  })

  it('treats the same request on a deal closed that way as a retry', () => {
    expect(closeDeal(closed('closed_won', { wonReason: 'Fit' }), { outcome: 'won', reason: 'Fit' })).toEqual({
      action: 'none',
    })
    const lost = closed('closed_lost', { lostReason: 'Price', lostToCompetitor: 'Globex' })
    expect(closeDeal(lost, { outcome: 'lost', reason: 'Price', competitor: 'Globex' })).toEqual({
      action: 'none',
    })
  })

  it('refuses the opposite outcome and another reason or competitor as conflicts', () => {
    const won = closed('closed_won', { wonReason: 'Fit' })
    expect(closeDeal(won, { outcome: 'lost', reason: 'Fit' })).toMatchObject({ refused: 'conflict' })
    expect(closeDeal(won, { outcome: 'won', reason: 'Price' })).toMatchObject({ refused: 'conflict' })
    const lost = closed('closed_lost', { lostReason: 'Price', lostToCompetitor: 'Globex' })
    expect(closeDeal(lost, { outcome: 'lost', reason: 'Price' })).toMatchObject({ refused: 'conflict' })
    expect(closeDeal(lost, { outcome: 'won', reason: 'Price' })).toMatchObject({ refused: 'conflict' })
  })

  it('makes closed deals read-only for updates', () => {
    expect(editRefusal('negotiation')).toBeNull()
    expect(editRefusal('closed_won')).toMatchObject({ refused: 'conflict' })
    expect(editRefusal('closed_lost')).toMatchObject({ refused: 'conflict' })
  })
})
