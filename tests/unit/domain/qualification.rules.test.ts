import { describe, expect, it } from 'vitest'
import { calendarDay, isCalendarDate } from '../../../domain/time/calendar-date.rules.js'
import {
  validateQualificationInput,
  type QualificationFieldError,
} from '../../../domain/qualification/qualification-input.rules.js'
import {
  applyQualificationInput,
  summariseQualification,
} from '../../../domain/qualification/qualification-summary.rules.js'
import {
  BANT_CRITERIA,
  CRITERION_FACTS,
  EMPTY_QUALIFICATION,
  FRAMEWORK_CRITERIA,
  MEDDICC_CRITERIA,
  type BantCriterion,
  type CriterionAnswer,
  type CriterionStatus,
  type QualificationContext,
  type QualificationInput,
  type QualificationRecord,
  type StampedAnswer,
} from '../../../domain/qualification/qualification.js'

const DAY = 86_400_000
const STATUSES = ['unknown', 'partial', 'confirmed', 'negative'] as const
const STATUS_LIST = 'unknown, partial, confirmed, negative'
const ROLE_LIST = 'decision_maker, economic_buyer, champion, influencer, user, unknown'

/** Freezes a value and everything in it, so any write by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

function errorsOf(input: unknown): QualificationFieldError[] {
  const result = validateQualificationInput(input)
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`)
  return result.errors
}

function valueOf(input: unknown): QualificationInput {
  const result = validateQualificationInput(input)
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.errors)}`)
  return result.value
}

/** Errors for one answer of one criterion, sent on its own. */
const answerErrors = (framework: 'BANT' | 'MEDDICC', criterion: string, answer: unknown) =>
  errorsOf({ framework, criteria: { [criterion]: answer } })

describe('constants', () => {
  it('lists the criteria of each framework in order', () => {
    expect(BANT_CRITERIA).toEqual(['budget', 'authority', 'need', 'timeline'])
    expect(MEDDICC_CRITERIA).toEqual([
      'metrics',
      'economicBuyer',
      'decisionCriteria',
      'decisionProcess',
      'identifyPain',
      'champion',
      'competition',
    ])
    expect(FRAMEWORK_CRITERIA).toEqual({ BANT: BANT_CRITERIA, MEDDICC: MEDDICC_CRITERIA })
  })

  it('gives each criterion its own facts', () => {
    expect(CRITERION_FACTS).toEqual({
      budget: ['amount', 'currency'],
      authority: ['role'],
      need: [],
      timeline: ['targetDate'],
      metrics: [],
      economicBuyer: ['role'],
      decisionCriteria: [],
      decisionProcess: [],
      identifyPain: [],
      champion: ['role'],
      competition: ['competitors'],
    })
  })

  it('EMPTY_QUALIFICATION is empty and frozen all the way down', () => {
    expect(EMPTY_QUALIFICATION).toEqual({ bant: {}, meddicc: {} })
    expect(Object.isFrozen(EMPTY_QUALIFICATION)).toBe(true)
    expect(Object.isFrozen(EMPTY_QUALIFICATION.bant)).toBe(true)
    expect(Object.isFrozen(EMPTY_QUALIFICATION.meddicc)).toBe(true)
  })
})

describe('calendarDay', () => {
  it.each<[string, number]>([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-02-29', 11_016],
    ['2026-11-24', 20_781],
    ['0001-01-01', -719_162],
    ['9999-12-31', 2_932_896],
  ])('%s is day %i', (date, day) => {
    expect(calendarDay(date)).toBe(day)
  })

  it('agrees with Date.UTC on every day from 2023 to 2029', () => {
    for (let ms = Date.UTC(2023, 0, 1); ms <= Date.UTC(2029, 11, 31); ms += DAY) {
      expect(calendarDay(new Date(ms).toISOString().slice(0, 10))).toBe(ms / DAY)
    }
  })

  it('reads years below 100 as themselves (Date.UTC would read 0050 as 1950)', () => {
    expect(calendarDay('0050-01-01')).toBe(calendarDay('0049-12-31')! + 1)
    expect(calendarDay('0050-01-01')).not.toBe(Date.UTC(1950, 0, 1) / DAY)
  })

  it.each([
    '2026-02-29', // not a leap year
    '1900-02-29', // divisible by 100, not by 400
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '0000-01-01',
    '2026-1-01',
    '26-01-01',
    '2026/01/01',
    '20260101',
    ' 2026-01-01',
    '2026-01-01 ',
    '2026-01-01T00:00:00Z',
    '',
  ])('%j is not a date', (value) => {
    expect(calendarDay(value)).toBeNull()
    expect(isCalendarDate(value)).toBe(false)
  })

  it.each(['2024-02-29', '2000-02-29', '2028-02-29', '2026-12-31', '2026-04-30'])('%s is a date', (value) => {
    expect(isCalendarDate(value)).toBe(true)
  })

  it.each([null, undefined, 20260101, new Date(0)])(
    'isCalendarDate(%j) is false for a non-string',
    (value) => {
      expect(isCalendarDate(value)).toBe(false)
    },
  )
})

describe('validateQualificationInput: valid input', () => {
  it('accepts a full BANT answer set and returns it cleaned', () => {
    const input = {
      framework: 'BANT',
      criteria: {
        budget: { status: 'confirmed', note: 'Approved in Q3 plan', amount: 1_500_000, currency: 'INR' },
        authority: { status: 'partial', role: 'influencer' },
        need: { status: 'confirmed', note: '' },
        timeline: { status: 'unknown', targetDate: '2028-02-29' },
      },
    }
    expect(validateQualificationInput(input)).toEqual({ ok: true, value: input })
  })

  it('accepts a full MEDDICC answer set', () => {
    const input = {
      framework: 'MEDDICC',
      criteria: {
        metrics: { status: 'confirmed', note: 'Cut onboarding from 10 to 3 days' },
        economicBuyer: { status: 'partial', role: 'economic_buyer' },
        decisionCriteria: { status: 'unknown' },
        decisionProcess: { status: 'negative' },
        identifyPain: { status: 'confirmed' },
        champion: { status: 'confirmed', role: 'champion' },
        competition: { status: 'partial', competitors: ['Zoho', 'Freshworks'] },
      },
    }
    expect(valueOf(input)).toEqual(input)
  })

  it.each(STATUSES)('accepts status %s', (status) => {
    expect(valueOf({ framework: 'BANT', criteria: { need: { status } } }).criteria.need).toEqual({ status })
  })

  it.each(['decision_maker', 'economic_buyer', 'champion', 'influencer', 'user', 'unknown'])(
    'accepts role %s on authority, economicBuyer and champion',
    (role) => {
      expect(valueOf({ framework: 'BANT', criteria: { authority: { status: 'confirmed', role } } })).toEqual({
        framework: 'BANT',
        criteria: { authority: { status: 'confirmed', role } },
      })
      const meddicc = valueOf({
        framework: 'MEDDICC',
        criteria: { economicBuyer: { status: 'partial', role }, champion: { status: 'partial', role } },
      })
      expect(meddicc.criteria.economicBuyer?.role).toBe(role)
      expect(meddicc.criteria.champion?.role).toBe(role)
    },
  )

  it('returns a fresh copy and leaves the input untouched', () => {
    const input = deepFreeze({
      framework: 'MEDDICC',
      criteria: { competition: { status: 'confirmed', competitors: ['Zoho'] } },
    })
    const snapshot = structuredClone(input)
    const value = valueOf(input)
    expect(input).toEqual(snapshot)
    expect(value).not.toBe(input)
    expect(value.criteria).not.toBe(input.criteria)
    expect(value.criteria.competition).not.toBe(input.criteria.competition)
    expect(value.criteria.competition?.competitors).not.toBe(input.criteria.competition.competitors)
    value.criteria.competition?.competitors?.push('Freshworks')
    expect(input.criteria.competition.competitors).toEqual(['Zoho'])
  })

  it('lists criteria in framework order, whatever the request order', () => {
    const value = valueOf({
      framework: 'BANT',
      criteria: {
        timeline: { status: 'unknown' },
        need: { status: 'partial' },
        budget: { status: 'confirmed' },
      },
    })
    expect(Object.keys(value.criteria)).toEqual(['budget', 'need', 'timeline'])
  })

  it('keeps only known fields, in a fixed order, and drops fields set to undefined', () => {
    const value = valueOf({
      framework: 'BANT',
      criteria: {
        budget: { currency: 'EUR', amount: 10, note: undefined, status: 'partial' },
      },
    })
    expect(value.criteria.budget).toStrictEqual({ status: 'partial', amount: 10, currency: 'EUR' })
    expect(Object.keys(value.criteria.budget!)).toEqual(['status', 'amount', 'currency'])
  })

  it('keeps strings exactly as sent (no trimming)', () => {
    const value = valueOf({
      framework: 'MEDDICC',
      criteria: {
        metrics: { status: 'partial', note: '  spaced  ' },
        competition: { status: 'partial', competitors: [' Zoho '] },
      },
    })
    expect(value.criteria.metrics?.note).toBe('  spaced  ')
    expect(value.criteria.competition?.competitors).toEqual([' Zoho '])
  })

  it('accepts an amount of 0 and stores -0 as 0', () => {
    expect(
      valueOf({ framework: 'BANT', criteria: { budget: { status: 'confirmed', amount: 0 } } }).criteria.budget
        ?.amount,
    ).toBe(0)
    const negZero = valueOf({ framework: 'BANT', criteria: { budget: { status: 'confirmed', amount: -0 } } })
    expect(Object.is(negZero.criteria.budget?.amount, 0)).toBe(true)
  })

  it('accepts an amount without a currency and a currency without an amount', () => {
    expect(
      valueOf({ framework: 'BANT', criteria: { budget: { status: 'partial', amount: 5.5 } } }).criteria
        .budget,
    ).toEqual({
      status: 'partial',
      amount: 5.5,
    })
    expect(
      valueOf({ framework: 'BANT', criteria: { budget: { status: 'partial', currency: 'USD' } } }).criteria
        .budget,
    ).toEqual({
      status: 'partial',
      currency: 'USD',
    })
  })

  it('accepts a note of exactly 2000 characters, counted in code points', () => {
    expect(
      valueOf({ framework: 'BANT', criteria: { need: { status: 'partial', note: 'x'.repeat(2000) } } })
        .criteria.need?.note,
    ).toHaveLength(2000)
    // 2000 emoji are 4000 UTF-16 units but 2000 characters.
    const emoji = '😀'.repeat(2000)
    expect(
      valueOf({ framework: 'BANT', criteria: { need: { status: 'partial', note: emoji } } }).criteria.need
        ?.note,
    ).toBe(emoji)
  })

  it('accepts 20 competitors of up to 200 characters, and an empty list', () => {
    const names = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(200, 'x'))
    expect(
      valueOf({
        framework: 'MEDDICC',
        criteria: { competition: { status: 'confirmed', competitors: names } },
      }).criteria.competition?.competitors,
    ).toEqual(names)
    expect(
      valueOf({ framework: 'MEDDICC', criteria: { competition: { status: 'confirmed', competitors: [] } } })
        .criteria.competition,
    ).toEqual({
      status: 'confirmed',
      competitors: [],
    })
  })
})

describe('validateQualificationInput: errors', () => {
  it.each([null, undefined, [], 'BANT', 42, true])('refuses %j as the body', (input) => {
    expect(errorsOf(input)).toEqual([
      { pointer: '', message: 'must be an object with framework and criteria' },
    ])
  })

  it('requires framework and criteria', () => {
    expect(errorsOf({})).toEqual([
      { pointer: '/framework', message: 'is required: BANT or MEDDICC' },
      { pointer: '/criteria', message: 'is required: an object of answers by criterion' },
    ])
  })

  it('refuses unknown top-level keys, escaping them as JSON pointers', () => {
    expect(
      errorsOf({ framework: 'BANT', leadId: 'x', criteria: { need: { status: 'confirmed' } }, 'a/b~c': 1 }),
    ).toEqual([
      { pointer: '/leadId', message: 'is not allowed' },
      { pointer: '/a~1b~0c', message: 'is not allowed' },
    ])
  })

  it.each(['bant', 'Meddicc', 'SPIN', '', null, 3, ['BANT']])('refuses framework %j', (framework) => {
    expect(errorsOf({ framework, criteria: { need: { status: 'confirmed' } } })).toEqual([
      { pointer: '/framework', message: 'must be BANT or MEDDICC' },
    ])
  })

  it.each([null, [], 'budget', 1])('refuses criteria %j', (criteria) => {
    expect(errorsOf({ framework: 'BANT', criteria })).toEqual([
      { pointer: '/criteria', message: 'must be an object of answers by criterion' },
    ])
  })

  it('requires at least one criterion', () => {
    expect(errorsOf({ framework: 'MEDDICC', criteria: {} })).toEqual([
      { pointer: '/criteria', message: 'must answer at least one criterion' },
    ])
  })

  it('refuses a criterion of the other framework, saying which one it belongs to', () => {
    expect(answerErrors('BANT', 'champion', { status: 'confirmed' })).toEqual([
      { pointer: '/criteria/champion', message: 'is a MEDDICC criterion; send it with framework MEDDICC' },
    ])
    expect(answerErrors('MEDDICC', 'budget', { status: 'confirmed' })).toEqual([
      { pointer: '/criteria/budget', message: 'is a BANT criterion; send it with framework BANT' },
    ])
  })

  it('refuses an unknown criterion, listing the framework’s criteria', () => {
    expect(answerErrors('BANT', 'budgett', { status: 'confirmed' })).toEqual([
      {
        pointer: '/criteria/budgett',
        message: 'is not a BANT criterion (budget, authority, need, timeline)',
      },
    ])
    expect(answerErrors('MEDDICC', 'paperProcess', { status: 'confirmed' })).toEqual([
      {
        pointer: '/criteria/paperProcess',
        message:
          'is not a MEDDICC criterion (metrics, economicBuyer, decisionCriteria, decisionProcess, identifyPain, champion, competition)',
      },
    ])
  })

  it('refuses inherited-looking keys such as __proto__ and constructor', () => {
    const input: unknown = JSON.parse(
      '{"framework":"BANT","criteria":{"__proto__":{"status":"confirmed"},"constructor":{"status":"confirmed"}}}',
    )
    expect(errorsOf(input)).toEqual([
      {
        pointer: '/criteria/__proto__',
        message: 'is not a BANT criterion (budget, authority, need, timeline)',
      },
      {
        pointer: '/criteria/constructor',
        message: 'is not a BANT criterion (budget, authority, need, timeline)',
      },
    ])
  })

  it('still checks the answers when the framework is wrong', () => {
    expect(
      errorsOf({
        framework: 'SPIN',
        criteria: { budget: { status: 'sure' }, champion: { status: 'confirmed', amount: 1 }, foo: {} },
      }),
    ).toEqual([
      { pointer: '/framework', message: 'must be BANT or MEDDICC' },
      { pointer: '/criteria/budget/status', message: `must be one of ${STATUS_LIST}` },
      { pointer: '/criteria/champion/amount', message: 'belongs to budget, not champion' },
      { pointer: '/criteria/foo', message: 'is not a qualification criterion' },
    ])
  })

  it.each([null, 'confirmed', [], 1])('refuses answer %j', (answer) => {
    expect(answerErrors('BANT', 'need', answer)).toEqual([
      { pointer: '/criteria/need', message: 'must be an object with a status' },
    ])
  })

  it('requires a status', () => {
    expect(answerErrors('BANT', 'need', {})).toEqual([
      { pointer: '/criteria/need/status', message: `is required: one of ${STATUS_LIST}` },
    ])
    expect(answerErrors('BANT', 'need', { status: undefined, note: 'x' })).toEqual([
      { pointer: '/criteria/need/status', message: `is required: one of ${STATUS_LIST}` },
    ])
  })

  it.each(['sure', 'CONFIRMED', '', null, 1, true])('refuses status %j', (status) => {
    expect(answerErrors('MEDDICC', 'metrics', { status })).toEqual([
      { pointer: '/criteria/metrics/status', message: `must be one of ${STATUS_LIST}` },
    ])
  })

  it.each([5, null, ['a'], { text: 'a' }, false])('refuses note %j', (note) => {
    expect(answerErrors('BANT', 'need', { status: 'partial', note })).toEqual([
      { pointer: '/criteria/need/note', message: 'must be a string of at most 2000 characters' },
    ])
  })

  it('refuses a note of 2001 characters', () => {
    expect(answerErrors('BANT', 'need', { status: 'partial', note: 'x'.repeat(2001) })).toEqual([
      { pointer: '/criteria/need/note', message: 'must be at most 2000 characters' },
    ])
  })

  it.each<[string, string, string, unknown, string]>([
    ['BANT', 'need', 'amount', 100, 'belongs to budget, not need'],
    ['BANT', 'timeline', 'currency', 'INR', 'belongs to budget, not timeline'],
    ['BANT', 'budget', 'role', 'user', 'belongs to authority, economicBuyer, champion, not budget'],
    ['BANT', 'authority', 'targetDate', '2027-01-01', 'belongs to timeline, not authority'],
    ['BANT', 'timeline', 'competitors', ['Zoho'], 'belongs to competition, not timeline'],
    ['MEDDICC', 'metrics', 'amount', 1, 'belongs to budget, not metrics'],
    [
      'MEDDICC',
      'competition',
      'role',
      'champion',
      'belongs to authority, economicBuyer, champion, not competition',
    ],
    ['MEDDICC', 'champion', 'competitors', [], 'belongs to competition, not champion'],
    ['MEDDICC', 'identifyPain', 'targetDate', '2027-01-01', 'belongs to timeline, not identifyPain'],
  ])('%s %s refuses %s', (framework, criterion, field, value, message) => {
    expect(answerErrors(framework as 'BANT', criterion, { status: 'confirmed', [field]: value })).toEqual([
      { pointer: `/criteria/${criterion}/${field}`, message },
    ])
  })

  it('refuses unknown fields, listing the fields the criterion has', () => {
    expect(answerErrors('BANT', 'budget', { status: 'confirmed', ammount: 5 })).toEqual([
      {
        pointer: '/criteria/budget/ammount',
        message: 'is not allowed (an answer has status, note, amount, currency)',
      },
    ])
    // The stamps are ours to set: a caller cannot forge who recorded an answer, or when.
    expect(answerErrors('BANT', 'need', { status: 'confirmed', updatedAt: 'x', updatedBy: 'y' })).toEqual([
      { pointer: '/criteria/need/updatedAt', message: 'is not allowed (an answer has status, note)' },
      { pointer: '/criteria/need/updatedBy', message: 'is not allowed (an answer has status, note)' },
    ])
    expect(answerErrors('MEDDICC', 'competition', { status: 'confirmed', 'x/y': 1 })).toEqual([
      {
        pointer: '/criteria/competition/x~1y',
        message: 'is not allowed (an answer has status, note, competitors)',
      },
    ])
  })

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '100', null, [1], true])(
    'refuses amount %j',
    (amount) => {
      expect(answerErrors('BANT', 'budget', { status: 'confirmed', amount })).toEqual([
        { pointer: '/criteria/budget/amount', message: 'must be a finite number' },
      ])
    },
  )

  it.each([-1, -0.01, -Number.MAX_VALUE])('refuses the negative amount %d', (amount) => {
    expect(answerErrors('BANT', 'budget', { status: 'confirmed', amount })).toEqual([
      { pointer: '/criteria/budget/amount', message: 'must not be negative' },
    ])
  })

  it.each(['inr', 'Inr', 'INRR', 'IN', 'I1R', ' INR', 'INR ', '₹', '', 356, null])(
    'refuses currency %j',
    (currency) => {
      expect(answerErrors('BANT', 'budget', { status: 'confirmed', currency })).toEqual([
        {
          pointer: '/criteria/budget/currency',
          message: 'must be a three-letter upper-case currency code such as INR',
        },
      ])
    },
  )

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-1-1',
    '2026-01-01T00:00:00Z',
    '01/03/2027',
    '',
    20270101,
    null,
  ])('refuses targetDate %j', (targetDate) => {
    expect(answerErrors('BANT', 'timeline', { status: 'partial', targetDate })).toEqual([
      { pointer: '/criteria/timeline/targetDate', message: 'must be a real date in the form YYYY-MM-DD' },
    ])
  })

  it.each(['ceo', 'Champion', 'decision maker', '', null, 1])('refuses role %j', (role) => {
    expect(answerErrors('MEDDICC', 'champion', { status: 'partial', role })).toEqual([
      { pointer: '/criteria/champion/role', message: `must be one of ${ROLE_LIST}` },
    ])
  })

  it.each(['Zoho', null, { 0: 'Zoho' }, 3])('refuses competitors %j', (competitors) => {
    expect(answerErrors('MEDDICC', 'competition', { status: 'partial', competitors })).toEqual([
      { pointer: '/criteria/competition/competitors', message: 'must be an array of competitor names' },
    ])
  })

  it('refuses 21 competitors', () => {
    const competitors = Array.from({ length: 21 }, (_, i) => `Vendor ${i}`)
    expect(answerErrors('MEDDICC', 'competition', { status: 'partial', competitors })).toEqual([
      { pointer: '/criteria/competition/competitors', message: 'must name at most 20 competitors' },
    ])
  })

  it('refuses each bad competitor name by its index', () => {
    expect(
      answerErrors('MEDDICC', 'competition', {
        status: 'partial',
        competitors: ['Zoho', 7, '', '   ', 'x'.repeat(201), 'x'.repeat(200), null],
      }),
    ).toEqual([
      { pointer: '/criteria/competition/competitors/1', message: 'must be a string' },
      { pointer: '/criteria/competition/competitors/2', message: 'must not be blank' },
      { pointer: '/criteria/competition/competitors/3', message: 'must not be blank' },
      { pointer: '/criteria/competition/competitors/4', message: 'must be at most 200 characters' },
      { pointer: '/criteria/competition/competitors/6', message: 'must be a string' },
    ])
  })

  it('reports a list that is both too long and has a bad name', () => {
    const competitors = [...Array.from({ length: 20 }, (_, i) => `Vendor ${i}`), '']
    expect(answerErrors('MEDDICC', 'competition', { status: 'partial', competitors })).toEqual([
      { pointer: '/criteria/competition/competitors', message: 'must name at most 20 competitors' },
      { pointer: '/criteria/competition/competitors/20', message: 'must not be blank' },
    ])
  })

  it('reports every problem at once, in order', () => {
    expect(
      errorsOf({
        framework: 'BANT',
        extra: true,
        criteria: {
          budget: { status: 'confirmed', amount: Number.NaN, currency: 'rupees', role: 'user' },
          authority: { status: 'maybe', role: 'boss' },
          need: 'yes',
          timeline: { note: 1, targetDate: '2027-02-29' },
          champion: { status: 'confirmed' },
        },
      }),
    ).toEqual([
      { pointer: '/extra', message: 'is not allowed' },
      {
        pointer: '/criteria/budget/role',
        message: 'belongs to authority, economicBuyer, champion, not budget',
      },
      { pointer: '/criteria/budget/amount', message: 'must be a finite number' },
      {
        pointer: '/criteria/budget/currency',
        message: 'must be a three-letter upper-case currency code such as INR',
      },
      { pointer: '/criteria/authority/status', message: `must be one of ${STATUS_LIST}` },
      { pointer: '/criteria/authority/role', message: `must be one of ${ROLE_LIST}` },
      { pointer: '/criteria/need', message: 'must be an object with a status' },
      { pointer: '/criteria/timeline/status', message: `is required: one of ${STATUS_LIST}` },
      { pointer: '/criteria/timeline/note', message: 'must be a string of at most 2000 characters' },
      { pointer: '/criteria/timeline/targetDate', message: 'must be a real date in the form YYYY-MM-DD' },
      { pointer: '/criteria/champion', message: 'is a MEDDICC criterion; send it with framework MEDDICC' },
    ])
  })

  it('does not modify an invalid input', () => {
    const input = deepFreeze({ framework: 'BANT', criteria: { budget: { status: 'confirmed', amount: -5 } } })
    expect(errorsOf(input)).toEqual([{ pointer: '/criteria/budget/amount', message: 'must not be negative' }])
    expect(input).toEqual({ framework: 'BANT', criteria: { budget: { status: 'confirmed', amount: -5 } } })
  })
})

const T1 = '2026-11-01T09:00:00.000Z'
const T2 = '2026-11-24T10:30:00.000Z'

describe('applyQualificationInput', () => {
  it('stamps each answer with when and by whom, starting from EMPTY_QUALIFICATION', () => {
    const record = applyQualificationInput(
      EMPTY_QUALIFICATION,
      {
        framework: 'BANT',
        criteria: {
          budget: { status: 'confirmed', amount: 500_000, currency: 'INR' },
          need: { status: 'partial', note: 'Pilot first' },
        },
      },
      T1,
      'sdr-1',
    )
    expect(record).toStrictEqual({
      bant: {
        budget: { status: 'confirmed', amount: 500_000, currency: 'INR', updatedAt: T1, updatedBy: 'sdr-1' },
        need: { status: 'partial', note: 'Pilot first', updatedAt: T1, updatedBy: 'sdr-1' },
      },
      meddicc: {},
    })
    expect(EMPTY_QUALIFICATION).toEqual({ bant: {}, meddicc: {} })
  })

  it('replaces an earlier answer wholesale and keeps the others as they were', () => {
    const first = applyQualificationInput(
      EMPTY_QUALIFICATION,
      {
        framework: 'BANT',
        criteria: {
          budget: { status: 'confirmed', amount: 500_000, currency: 'INR', note: 'CFO said yes' },
          authority: { status: 'confirmed', role: 'decision_maker' },
        },
      },
      T1,
      'sdr-1',
    )
    const second = applyQualificationInput(
      first,
      { framework: 'BANT', criteria: { budget: { status: 'partial' } } },
      T2,
      'sdr-2',
    )
    expect(second).toStrictEqual({
      bant: {
        budget: { status: 'partial', updatedAt: T2, updatedBy: 'sdr-2' },
        authority: { status: 'confirmed', role: 'decision_maker', updatedAt: T1, updatedBy: 'sdr-1' },
      },
      meddicc: {},
    })
  })

  it('writes MEDDICC answers to meddicc and leaves bant alone', () => {
    const current: QualificationRecord = {
      bant: { need: { status: 'confirmed', updatedAt: T1, updatedBy: 'sdr-1' } },
      meddicc: { metrics: { status: 'partial', updatedAt: T1, updatedBy: 'sdr-1' } },
    }
    const record = applyQualificationInput(
      current,
      { framework: 'MEDDICC', criteria: { champion: { status: 'confirmed', role: 'champion' } } },
      T2,
      'sdr-2',
    )
    expect(record).toStrictEqual({
      bant: { need: { status: 'confirmed', updatedAt: T1, updatedBy: 'sdr-1' } },
      meddicc: {
        metrics: { status: 'partial', updatedAt: T1, updatedBy: 'sdr-1' },
        champion: { status: 'confirmed', role: 'champion', updatedAt: T2, updatedBy: 'sdr-2' },
      },
    })
  })

  it('modifies neither the record nor the input, and returns new objects', () => {
    const current = deepFreeze<QualificationRecord>({
      bant: { budget: { status: 'partial', updatedAt: T1, updatedBy: 'sdr-1' } },
      meddicc: {
        competition: { status: 'partial', competitors: ['Zoho'], updatedAt: T1, updatedBy: 'sdr-1' },
      },
    })
    const input = deepFreeze<QualificationInput>({
      framework: 'MEDDICC',
      criteria: { competition: { status: 'confirmed', competitors: ['Zoho', 'Freshworks'] } },
    })
    const before = structuredClone({ current, input })
    const record = applyQualificationInput(current, input, T2, 'sdr-2')
    expect({ current, input }).toEqual(before)
    expect(record).not.toBe(current)
    expect(record.bant).not.toBe(current.bant)
    expect(record.meddicc).not.toBe(current.meddicc)
    expect(record.meddicc.competition?.competitors).toEqual(['Zoho', 'Freshworks'])
    expect(record.meddicc.competition?.competitors).not.toBe(input.criteria.competition?.competitors)
  })

  it('does not share the competitor list with the caller', () => {
    const competitors = ['Zoho']
    const record = applyQualificationInput(
      EMPTY_QUALIFICATION,
      { framework: 'MEDDICC', criteria: { competition: { status: 'partial', competitors } } },
      T1,
      'sdr-1',
    )
    competitors.push('Freshworks')
    expect(record.meddicc.competition?.competitors).toEqual(['Zoho'])
  })

  it('applies only the framework’s criteria and each criterion’s own facts (input that skipped validation)', () => {
    const input = {
      framework: 'BANT',
      criteria: {
        need: { status: 'confirmed', amount: 5, role: 'user', extra: 'x' },
        champion: { status: 'confirmed' },
        authority: undefined,
      },
    } as unknown as QualificationInput
    expect(applyQualificationInput(EMPTY_QUALIFICATION, input, T1, 'sdr-1')).toStrictEqual({
      bant: { need: { status: 'confirmed', updatedAt: T1, updatedBy: 'sdr-1' } },
      meddicc: {},
    })
  })
})

const TODAY = '2026-11-24'
/** A context that fires no risk of its own. */
const CTX: QualificationContext = { today: TODAY, score: 80, daysSinceLastEngagement: 3 }

const stamp = { updatedAt: T1, updatedBy: 'sdr-1' }
const a = (status: CriterionStatus, facts: Partial<CriterionAnswer> = {}): StampedAnswer => ({
  status,
  ...facts,
  ...stamp,
})

function rec(
  bant: QualificationRecord['bant'] = {},
  meddicc: QualificationRecord['meddicc'] = {},
): QualificationRecord {
  return { bant, meddicc }
}

/** BANT fully confirmed, budget quantified, go-live in 30 days: no BANT risk at all. */
const CLEAN_BANT: QualificationRecord['bant'] = {
  budget: a('confirmed', { amount: 1_500_000, currency: 'INR' }),
  authority: a('confirmed', { role: 'decision_maker' }),
  need: a('confirmed'),
  timeline: a('confirmed', { targetDate: '2026-12-24' }),
}

const codes = (record: QualificationRecord, ctx: QualificationContext = CTX) =>
  summariseQualification(record, ctx).risk.reasons.map((r) => r.code)

function bantWith(statuses: CriterionStatus[]): QualificationRecord['bant'] {
  return Object.fromEntries(statuses.map((s, i) => [BANT_CRITERIA[i], a(s)]))
}

function meddiccWith(statuses: CriterionStatus[]): QualificationRecord['meddicc'] {
  return Object.fromEntries(statuses.map((s, i) => [MEDDICC_CRITERIA[i], a(s)]))
}

describe('summariseQualification: framework scores', () => {
  it('summarises an empty record', () => {
    expect(summariseQualification(EMPTY_QUALIFICATION, CTX)).toEqual({
      bant: {
        score: 0,
        confirmed: 0,
        partial: 0,
        negative: 0,
        unknown: 4,
        of: 4,
        missing: ['budget', 'authority', 'need', 'timeline'],
      },
      meddicc: {
        score: 0,
        confirmed: 0,
        partial: 0,
        negative: 0,
        unknown: 7,
        of: 7,
        missing: [...MEDDICC_CRITERIA],
      },
      risk: {
        level: 'Low',
        reasons: [{ code: 'bant_incomplete', message: 'BANT is 0/100, below 50.', weight: 'medium' }],
      },
      qualified: false,
    })
  })

  it.each<[CriterionStatus[], number]>([
    [['confirmed', 'confirmed', 'confirmed', 'confirmed'], 100],
    [['confirmed', 'confirmed', 'confirmed', 'partial'], 88], // 87.5 rounds up
    [['confirmed', 'confirmed', 'confirmed', 'unknown'], 75],
    [['confirmed', 'confirmed', 'partial', 'partial'], 75],
    [['confirmed', 'confirmed', 'partial', 'unknown'], 63], // 62.5
    [['partial', 'partial', 'partial', 'partial'], 50],
    [['confirmed', 'confirmed', 'negative', 'negative'], 50],
    [['confirmed', 'partial', 'unknown', 'negative'], 38], // 37.5
    [['partial'], 13], // 12.5
    [['negative', 'negative', 'negative', 'negative'], 0],
  ])('BANT %j scores %i', (statuses, score) => {
    expect(summariseQualification(rec(bantWith(statuses)), CTX).bant.score).toBe(score)
  })

  it.each<[CriterionStatus[], number]>([
    [Array<CriterionStatus>(7).fill('confirmed'), 100],
    [Array<CriterionStatus>(6).fill('confirmed'), 86], // 85.71
    [['confirmed', 'confirmed', 'confirmed', 'partial'], 50], // exactly 3.5 of 7
    [['confirmed', 'confirmed', 'confirmed', 'confirmed', 'partial'], 64], // 64.29
    [['confirmed'], 14], // 14.29
    [['partial'], 7], // 7.14
    [['unknown', 'negative'], 0],
  ])('MEDDICC %j scores %i', (statuses, score) => {
    expect(summariseQualification(rec({}, meddiccWith(statuses)), CTX).meddicc.score).toBe(score)
  })

  it('counts each status and lists what is not confirmed, in framework order', () => {
    const summary = summariseQualification(
      rec(
        { timeline: a('partial'), budget: a('confirmed'), need: a('negative') },
        {
          competition: a('unknown'),
          champion: a('confirmed'),
          metrics: a('partial'),
          economicBuyer: a('negative'),
          identifyPain: a('confirmed'),
        },
      ),
      CTX,
    )
    expect(summary.bant).toEqual({
      score: 38,
      confirmed: 1,
      partial: 1,
      negative: 1,
      unknown: 1,
      of: 4,
      missing: ['authority', 'need', 'timeline'],
    })
    expect(summary.meddicc).toEqual({
      score: 36, // (2 + 0.5) / 7 = 35.7
      confirmed: 2,
      partial: 1,
      negative: 1,
      unknown: 3,
      of: 7,
      missing: ['metrics', 'economicBuyer', 'decisionCriteria', 'decisionProcess', 'competition'],
    })
  })

  it('counts an unreadable stored status as unknown and survives a record missing a framework', () => {
    const stored = {
      bant: { budget: { status: 'maybe', ...stamp }, need: {} },
    } as unknown as QualificationRecord
    const summary = summariseQualification(stored, CTX)
    expect(summary.bant).toEqual({
      score: 0,
      confirmed: 0,
      partial: 0,
      negative: 0,
      unknown: 4,
      of: 4,
      missing: ['budget', 'authority', 'need', 'timeline'],
    })
    expect(summary.meddicc.unknown).toBe(7)
  })

  it('is deterministic and does not modify the record', () => {
    const record = deepFreeze(rec(CLEAN_BANT, { competition: a('partial', { competitors: ['Zoho'] }) }))
    const first = summariseQualification(record, CTX)
    expect(summariseQualification(record, CTX)).toEqual(first)
    expect(first.risk.reasons).not.toBe(summariseQualification(record, CTX).risk.reasons)
  })
})

describe('summariseQualification: risk rules', () => {
  it('a clean, fully confirmed BANT has no risk and is qualified', () => {
    expect(summariseQualification(rec(CLEAN_BANT), CTX)).toMatchObject({
      bant: { score: 100 },
      risk: { level: 'Low', reasons: [] },
      qualified: true,
    })
  })

  describe('bant_negative (high)', () => {
    it.each<[BantCriterion, string]>([
      ['budget', 'Budget is answered negative: there is no money for this.'],
      ['authority', 'Authority is answered negative: the contact cannot make or reach the decision.'],
      ['need', 'Need is answered negative: the buyer does not need this.'],
    ])('fires on a negative %s', (criterion, message) => {
      const summary = summariseQualification(rec({ ...CLEAN_BANT, [criterion]: a('negative') }), CTX)
      expect(summary.risk).toEqual({
        level: 'High',
        reasons: [{ code: `bant_negative:${criterion}`, message, weight: 'high' }],
      })
      expect(summary.bant.score).toBe(75)
      expect(summary.qualified).toBe(false)
    })

    it('does not fire on a negative timeline ("not now" is a nurture signal)', () => {
      const summary = summariseQualification(rec({ ...CLEAN_BANT, timeline: a('negative') }), CTX)
      expect(summary.risk).toEqual({ level: 'Low', reasons: [] })
      expect(summary.qualified).toBe(true)
    })

    it.each<CriterionStatus>(['unknown', 'partial', 'confirmed'])('does not fire on %s', (status) => {
      expect(codes(rec({ ...CLEAN_BANT, budget: a(status, { amount: 1 }) }))).toEqual([])
    })

    it('lists all three, in criterion order', () => {
      expect(
        codes(
          rec({
            need: a('negative'),
            authority: a('negative'),
            budget: a('negative'),
            timeline: a('confirmed'),
          }),
        ),
      ).toEqual(['bant_negative:budget', 'bant_negative:authority', 'bant_negative:need', 'bant_incomplete'])
    })
  })

  describe('timeline_passed (high) and timeline_distant (medium)', () => {
    const withTarget = (targetDate: string, status: CriterionStatus = 'confirmed') =>
      rec({ ...CLEAN_BANT, timeline: a(status, { targetDate }) })

    it('fires when the target date was yesterday', () => {
      const summary = summariseQualification(withTarget('2026-11-23'), CTX)
      expect(summary.risk).toEqual({
        level: 'High',
        reasons: [
          {
            code: 'timeline_passed',
            message: 'The target date 2026-11-23 is before today (2026-11-24).',
            weight: 'high',
          },
        ],
      })
      expect(summary.qualified).toBe(false)
    })

    it.each(['2026-11-24', '2026-11-25'])('does not fire for %s (today or later)', (date) => {
      expect(codes(withTarget(date))).toEqual([])
    })

    it.each<CriterionStatus>(['partial', 'unknown', 'negative'])(
      'fires whatever the status (%s)',
      (status) => {
        expect(codes(withTarget('2020-01-01', status))).toEqual(['timeline_passed'])
      },
    )

    it('does not fire at the turn of the year when the date is today', () => {
      expect(codes(withTarget('2027-01-01'), { ...CTX, today: '2027-01-01' })).toEqual([])
      expect(codes(withTarget('2026-12-31'), { ...CTX, today: '2027-01-01' })).toEqual(['timeline_passed'])
    })

    it('timeline_distant does not fire 365 days ahead but fires 366 days ahead', () => {
      expect(codes(withTarget('2027-11-24'))).toEqual([])
      expect(summariseQualification(withTarget('2027-11-25'), CTX).risk).toEqual({
        level: 'Low',
        reasons: [
          {
            code: 'timeline_distant',
            message: 'The target date 2027-11-25 is 366 days away, more than 365.',
            weight: 'medium',
          },
        ],
      })
    })

    it('counts days, not calendar years, across a leap day', () => {
      const ctx = { ...CTX, today: '2027-03-01' }
      expect(codes(withTarget('2028-02-29'), ctx)).toEqual([]) // 365 days
      expect(codes(withTarget('2028-03-01'), ctx)).toEqual(['timeline_distant']) // 366 days
    })

    it('neither fires when there is no target date', () => {
      expect(codes(rec({ ...CLEAN_BANT, timeline: a('confirmed') }))).toEqual([])
    })

    it('neither fires when today or the stored target date is not a real date', () => {
      expect(codes(withTarget('2020-01-01'), { ...CTX, today: 'yesterday' })).toEqual([])
      expect(codes(withTarget('2099-01-01'), { ...CTX, today: '2026-02-30' })).toEqual([])
      expect(codes(withTarget('2020-02-30'))).toEqual([])
    })
  })

  describe('no_champion_or_buyer (high)', () => {
    it('fires when BANT looks qualified, MEDDICC is started and neither is confirmed', () => {
      const summary = summariseQualification(rec(CLEAN_BANT, { metrics: a('confirmed') }), CTX)
      expect(summary.risk).toEqual({
        level: 'High',
        reasons: [
          {
            code: 'no_champion_or_buyer',
            message: 'BANT looks qualified, but neither a champion nor the economic buyer is confirmed.',
            weight: 'high',
          },
        ],
      })
      expect(summary.qualified).toBe(false)
    })

    it('fires when they are answered but not confirmed', () => {
      expect(
        codes(
          rec(CLEAN_BANT, { champion: a('partial', { role: 'champion' }), economicBuyer: a('negative') }),
        ),
      ).toEqual(['no_champion_or_buyer'])
    })

    it('fires when MEDDICC is started with an "unknown" answer only', () => {
      expect(codes(rec(CLEAN_BANT, { decisionProcess: a('unknown') }))).toEqual(['no_champion_or_buyer'])
    })

    it('fires at exactly BANT 75', () => {
      const bant = { ...CLEAN_BANT, timeline: a('unknown') }
      expect(summariseQualification(rec(bant, { metrics: a('confirmed') }), CTX).bant.score).toBe(75)
      expect(codes(rec(bant, { metrics: a('confirmed') }))).toEqual(['no_champion_or_buyer'])
    })

    it('does not fire when a champion is confirmed', () => {
      expect(codes(rec(CLEAN_BANT, { champion: a('confirmed'), economicBuyer: a('negative') }))).toEqual([])
    })

    it('does not fire when the economic buyer is confirmed', () => {
      expect(codes(rec(CLEAN_BANT, { economicBuyer: a('confirmed', { role: 'economic_buyer' }) }))).toEqual(
        [],
      )
    })

    it('does not fire while MEDDICC has not been started', () => {
      expect(codes(rec(CLEAN_BANT, {}))).toEqual([])
    })

    it('does not fire below BANT 75', () => {
      const bant = { ...CLEAN_BANT, timeline: a('partial'), need: a('unknown') } // 62.5 -> 63
      expect(summariseQualification(rec(bant), CTX).bant.score).toBe(63)
      expect(codes(rec(bant, { metrics: a('confirmed') }))).toEqual([])
    })
  })

  describe('bant_incomplete (medium)', () => {
    it('fires below BANT 50', () => {
      const record = rec({ authority: a('confirmed'), need: a('partial') }) // 37.5 -> 38
      expect(summariseQualification(record, CTX).risk.reasons).toEqual([
        { code: 'bant_incomplete', message: 'BANT is 38/100, below 50.', weight: 'medium' },
      ])
    })

    it('does not fire at BANT 50', () => {
      const record = rec({ authority: a('confirmed'), need: a('confirmed') })
      expect(summariseQualification(record, CTX).bant.score).toBe(50)
      expect(codes(record)).toEqual([])
    })
  })

  describe('budget_unquantified (medium)', () => {
    it('fires when the budget is confirmed without an amount', () => {
      expect(
        summariseQualification(rec({ ...CLEAN_BANT, budget: a('confirmed', { currency: 'INR' }) }), CTX).risk,
      ).toEqual({
        level: 'Low',
        reasons: [
          {
            code: 'budget_unquantified',
            message: 'The budget is confirmed but no amount is recorded.',
            weight: 'medium',
          },
        ],
      })
    })

    it('does not fire for an amount of 0', () => {
      expect(codes(rec({ ...CLEAN_BANT, budget: a('confirmed', { amount: 0 }) }))).toEqual([])
    })

    it.each<CriterionStatus>(['partial', 'unknown'])(
      'does not fire on a %s budget without an amount',
      (status) => {
        const bant = { ...CLEAN_BANT, budget: a(status) }
        expect(codes(rec(bant))).not.toContain('budget_unquantified')
      },
    )
  })

  describe('competition_present (medium)', () => {
    it('fires for one competitor', () => {
      expect(
        summariseQualification(
          rec(CLEAN_BANT, { champion: a('confirmed'), competition: a('partial', { competitors: ['Zoho'] }) }),
          CTX,
        ).risk,
      ).toEqual({
        level: 'Low',
        reasons: [
          { code: 'competition_present', message: '1 competitor is being considered.', weight: 'medium' },
        ],
      })
    })

    it('counts several competitors without naming them', () => {
      const reasons = summariseQualification(
        rec(CLEAN_BANT, {
          champion: a('confirmed'),
          competition: a('confirmed', { competitors: ['Zoho', 'Freshworks'] }),
        }),
        CTX,
      ).risk.reasons
      expect(reasons).toEqual([
        { code: 'competition_present', message: '2 competitors are being considered.', weight: 'medium' },
      ])
    })

    it.each<[string, QualificationRecord['meddicc']]>([
      ['an empty list', { champion: a('confirmed'), competition: a('confirmed', { competitors: [] }) }],
      ['no list', { champion: a('confirmed'), competition: a('confirmed') }],
      ['no competition answer', { champion: a('confirmed') }],
    ])('does not fire for %s', (_, meddicc) => {
      expect(codes(rec(CLEAN_BANT, meddicc))).toEqual([])
    })
  })

  describe('gone_quiet (medium)', () => {
    it('fires after 31 days without engagement', () => {
      expect(
        summariseQualification(rec(CLEAN_BANT), { ...CTX, daysSinceLastEngagement: 31 }).risk.reasons,
      ).toEqual([
        { code: 'gone_quiet', message: 'No engagement for 31 days (more than 30).', weight: 'medium' },
      ])
    })

    it.each([30, 0, null])('does not fire for %j', (days) => {
      expect(codes(rec(CLEAN_BANT), { ...CTX, daysSinceLastEngagement: days })).toEqual([])
    })
  })

  describe('low_score (medium)', () => {
    it('fires for a lead score of 49', () => {
      expect(summariseQualification(rec(CLEAN_BANT), { ...CTX, score: 49 }).risk.reasons).toEqual([
        { code: 'low_score', message: 'The lead score is 49, below 50.', weight: 'medium' },
      ])
    })

    it.each([50, 100])('does not fire for %i', (score) => {
      expect(codes(rec(CLEAN_BANT), { ...CTX, score })).toEqual([])
    })
  })
})

describe('summariseQualification: level and qualified', () => {
  it('one medium reason is listed but the level stays Low', () => {
    const summary = summariseQualification(rec(CLEAN_BANT), { ...CTX, score: 10 })
    expect(summary.risk.level).toBe('Low')
    expect(summary.risk.reasons.map((r) => r.code)).toEqual(['low_score'])
    expect(summary.qualified).toBe(true)
  })

  it('two medium reasons make Medium, which does not stop qualification', () => {
    const summary = summariseQualification(rec(CLEAN_BANT), {
      ...CTX,
      score: 10,
      daysSinceLastEngagement: 60,
    })
    expect(summary.risk.level).toBe('Medium')
    expect(summary.risk.reasons.map((r) => r.code)).toEqual(['gone_quiet', 'low_score'])
    expect(summary.qualified).toBe(true)
  })

  it('lists high reasons first, then medium, each in rule order (BANT under 50)', () => {
    const record = rec(
      {
        timeline: a('partial', { targetDate: '2026-01-15' }),
        need: a('negative'),
        authority: a('negative'),
        budget: a('confirmed'),
      },
      { competition: a('partial', { competitors: ['Zoho'] }) },
    )
    const summary = summariseQualification(record, { today: TODAY, score: 10, daysSinceLastEngagement: 40 })
    expect(summary.bant.score).toBe(38)
    expect(summary.risk.level).toBe('High')
    expect(summary.risk.reasons.map((r) => [r.code, r.weight])).toEqual([
      ['bant_negative:authority', 'high'],
      ['bant_negative:need', 'high'],
      ['timeline_passed', 'high'],
      ['bant_incomplete', 'medium'],
      ['budget_unquantified', 'medium'],
      ['competition_present', 'medium'],
      ['gone_quiet', 'medium'],
      ['low_score', 'medium'],
    ])
    expect(summary.qualified).toBe(false)
  })

  it('lists high reasons first, then medium, each in rule order (BANT at 100)', () => {
    const record = rec(
      { ...CLEAN_BANT, budget: a('confirmed'), timeline: a('confirmed', { targetDate: '2030-01-01' }) },
      { competition: a('partial', { competitors: ['Zoho'] }) },
    )
    const summary = summariseQualification(record, { today: TODAY, score: 49, daysSinceLastEngagement: 31 })
    expect(summary.risk.level).toBe('High')
    expect(summary.risk.reasons.map((r) => r.code)).toEqual([
      'no_champion_or_buyer',
      'budget_unquantified',
      'timeline_distant',
      'competition_present',
      'gone_quiet',
      'low_score',
    ])
    expect(summary.qualified).toBe(false)
  })

  it.each<[string, QualificationRecord, boolean]>([
    ['BANT 100, no risk', rec(CLEAN_BANT), true],
    ['BANT 75, no risk', rec({ ...CLEAN_BANT, timeline: a('unknown') }), true],
    ['BANT 63, no high risk', rec({ ...CLEAN_BANT, timeline: a('partial'), need: a('unknown') }), false],
    ['BANT 75 with a negative budget', rec({ ...CLEAN_BANT, budget: a('negative') }), false],
    [
      'BANT 100 with a passed timeline',
      rec({ ...CLEAN_BANT, timeline: a('confirmed', { targetDate: '2026-11-01' }) }),
      false,
    ],
  ])('qualified: %s -> %s', (_, record, qualified) => {
    expect(summariseQualification(record, CTX).qualified).toBe(qualified)
  })
})

describe('validate, apply and summarise together', () => {
  it('records BANT answers from a request and summarises them (88, qualified)', () => {
    const body: unknown = JSON.parse(
      JSON.stringify({
        framework: 'BANT',
        criteria: {
          budget: { status: 'confirmed', amount: 1_500_000, currency: 'INR' },
          authority: { status: 'confirmed', role: 'decision_maker' },
          need: { status: 'confirmed' },
          timeline: { status: 'partial', targetDate: '2027-03-01' },
        },
      }),
    )
    const record = applyQualificationInput(EMPTY_QUALIFICATION, valueOf(body), T2, 'api:anonymous')
    const summary = summariseQualification(record, CTX)
    expect(summary).toEqual({
      bant: { score: 88, confirmed: 3, partial: 1, negative: 0, unknown: 0, of: 4, missing: ['timeline'] },
      meddicc: {
        score: 0,
        confirmed: 0,
        partial: 0,
        negative: 0,
        unknown: 7,
        of: 7,
        missing: [...MEDDICC_CRITERIA],
      },
      risk: { level: 'Low', reasons: [] },
      qualified: true,
    })
    expect(record.bant.timeline).toEqual({
      status: 'partial',
      targetDate: '2027-03-01',
      updatedAt: T2,
      updatedBy: 'api:anonymous',
    })
  })

  it('a later MEDDICC answer without champion or buyer turns a qualified lead high-risk', () => {
    const bant = applyQualificationInput(
      EMPTY_QUALIFICATION,
      valueOf({
        framework: 'BANT',
        criteria: {
          budget: { status: 'confirmed', amount: 1 },
          authority: { status: 'confirmed' },
          need: { status: 'confirmed' },
          timeline: { status: 'confirmed' },
        },
      }),
      T1,
      'sdr-1',
    )
    expect(summariseQualification(bant, CTX).qualified).toBe(true)
    const meddicc = applyQualificationInput(
      bant,
      valueOf({ framework: 'MEDDICC', criteria: { metrics: { status: 'confirmed' } } }),
      T2,
      'sdr-1',
    )
    expect(summariseQualification(meddicc, CTX)).toMatchObject({ risk: { level: 'High' }, qualified: false })
    const champion = applyQualificationInput(
      meddicc,
      valueOf({ framework: 'MEDDICC', criteria: { champion: { status: 'confirmed', role: 'champion' } } }),
      T2,
      'sdr-1',
    )
    expect(summariseQualification(champion, CTX)).toMatchObject({
      risk: { level: 'Low', reasons: [] },
      qualified: true,
    })
  })
})
