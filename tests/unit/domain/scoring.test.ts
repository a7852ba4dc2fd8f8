import { describe, expect, it } from 'vitest'
import type { DraftLead } from '../../../domain/lead/draft-lead.js'
import { HOT_SCORE, scoreBand, scoreLead } from '../../../domain/scoring/score.rules.js'
import {
  DEFAULT_SCORING_RULES,
  type EngagementEvent,
  parseScoringRuleSet,
  ScoringRuleSetError,
  type ScoringRuleSet,
} from '../../../domain/scoring/scoring-rules.js'
import { draftLeadFactory } from '../../factories/draft-lead.factory.js'

/** Every completeness field of the default rules filled, at a company domain. */
const complete = (overrides: Partial<DraftLead> = {}) =>
  draftLeadFactory.build({
    firstName: 'Asha',
    lastName: 'Verma',
    email: 'asha@acme.example',
    emailDomain: 'acme.example',
    phone: '+919800000001',
    company: 'Acme Analytics',
    title: 'Analyst',
    companyDomain: 'acme.example',
    country: 'IN',
    ...overrides,
  })

const vpSales = draftLeadFactory.build({
  firstName: 'Asha',
  lastName: 'Verma',
  email: 'asha@acme.example',
  emailDomain: 'acme.example',
  company: 'Acme Analytics',
  title: 'VP Sales',
  companyDomain: 'acme.example',
  companySize: '201-500',
  industry: 'Software',
  country: 'IN',
})

/** Like reading the rule set back from rule_set.definition. */
const fromJson = (rules: ScoringRuleSet) => parseScoringRuleSet(JSON.parse(JSON.stringify(rules)))

const titleLine = (title: string) =>
  scoreLead(
    { lead: draftLeadFactory.build({ title }), engagement: {} },
    DEFAULT_SCORING_RULES,
  ).breakdown.filter((l) => l.ruleId.startsWith('title-'))

describe('scoreLead with the default rules', () => {
  it('gives the exact breakdown and explanation for a known lead', () => {
    const result = scoreLead(
      { lead: vpSales, engagement: { emailOpen: 2, emailClick: 1, webVisit: 3 } },
      DEFAULT_SCORING_RULES,
    )

    expect(result).toEqual({
      score: 84,
      fit: 58,
      engagement: 26,
      version: 1,
      breakdown: [
        { ruleId: 'title-senior', label: 'Senior title', points: 20, detail: 'title matches "vp"' },
        { ruleId: 'size-large', label: 'Large company (201+)', points: 15, detail: 'companySize is 201-500' },
        { ruleId: 'industry-target', label: 'Target industry', points: 10, detail: 'industry is Software' },
        // 7 of 8 fields: 15 × 7/8 = 13.125, rounded per rule so the parts add up to the score.
        {
          ruleId: 'completeness',
          label: 'Profile completeness',
          points: 13,
          detail: '7 of 8 fields filled; missing phone',
        },
        { ruleId: 'email-open', label: 'Email opens', points: 10, detail: '2 × 5 (emailOpen)' },
        { ruleId: 'email-click', label: 'Email clicks', points: 10, detail: '1 × 10 (emailClick)' },
        { ruleId: 'web-visit', label: 'Web visits', points: 6, detail: '3 × 2 (webVisit)' },
      ],
      explanation:
        '84/100 (fit 58, engagement 26): Senior title +20; Large company (201+) +15; Target industry +10; ' +
        'Profile completeness +13; Email opens +10; Email clicks +10; Web visits +6',
    })
  })

  it('never puts personal values in the breakdown', () => {
    const { breakdown } = scoreLead(
      { lead: complete({ title: 'VP Sales' }), engagement: { call: 1 } },
      DEFAULT_SCORING_RULES,
    )
    const text = JSON.stringify(breakdown)
    for (const value of ['Asha', 'Verma', 'asha@acme.example', '+919800000001', 'Acme Analytics']) {
      expect(text).not.toContain(value)
    }
  })

  it('caps fit at fitMax and engagement at engagementMax, per-event max first, and says so', () => {
    const lead = complete({ title: 'Senior Director', companySize: '5001+', industry: 'fintech' })
    const result = scoreLead(
      { lead, engagement: { meetingBooked: 2, emailReply: 1, emailOpen: 10 } },
      DEFAULT_SCORING_RULES,
    )

    expect(result.score).toBe(100)
    expect(result.fit).toBe(60)
    expect(result.engagement).toBe(40)
    expect(result.breakdown.map((l) => [l.ruleId, l.points])).toEqual([
      ['title-senior', 20],
      ['title-mid', 10],
      ['size-large', 15],
      ['industry-target', 10],
      ['completeness', 15],
      ['email-open', 15],
      ['email-reply', 15],
      ['meeting-booked', 40],
    ])
    expect(result.breakdown.find((l) => l.ruleId === 'meeting-booked')?.detail).toBe(
      '2 × 25 (meetingBooked), capped at 40',
    )
    expect(result.explanation).toBe(
      '100/100 (fit 60, engagement 40): Senior title +20; Mid-level title +10; Large company (201+) +15; ' +
        'Target industry +10; Profile completeness +15; Email opens +15; Email replies +15; Meetings booked +40; ' +
        'fit capped at 60 (rules gave 70); engagement capped at 40 (rules gave 70)',
    )
  })

  it('floors a negative fit at 0 and keeps the negative rule in the breakdown', () => {
    const lead = draftLeadFactory.build({
      email: 'someone@gmail.com',
      emailDomain: 'gmail.com',
      freeEmail: true,
    })
    const result = scoreLead({ lead, engagement: {} }, DEFAULT_SCORING_RULES)

    expect(result.score).toBe(0)
    expect(result.fit).toBe(0)
    expect(result.breakdown).toEqual([
      {
        ruleId: 'completeness',
        label: 'Profile completeness',
        points: 2,
        detail:
          '1 of 8 fields filled; missing firstName, lastName, phone, company, title, companyDomain, country',
      },
      {
        ruleId: 'free-email',
        label: 'Free email address',
        points: -5,
        detail: 'email is on a free-mail domain',
      },
    ])
    expect(result.explanation).toBe(
      '0/100 (fit 0, engagement 0): Profile completeness +2; Free email address -5; fit floored at 0 (rules gave -3)',
    )
  })

  it('explains an empty result', () => {
    const result = scoreLead({ lead: draftLeadFactory.build(), engagement: {} }, DEFAULT_SCORING_RULES)
    expect(result).toEqual({
      score: 0,
      fit: 0,
      engagement: 0,
      version: 1,
      breakdown: [],
      explanation: '0/100 (fit 0, engagement 0): no rule applied',
    })
  })

  it('stays an integer within 0..100, with fit ≤ 60 and engagement ≤ 40, across many combinations', () => {
    const titles = [null, 'CEO', 'Engineering Manager', 'Senior VP', 'Intern']
    const sizes = [null, '1-10', '51-200', '5001+'] as const
    const levels = [0, 1, 3, 50]
    let checked = 0
    for (const title of titles) {
      for (const companySize of sizes) {
        for (const freeEmail of [true, false]) {
          for (const level of levels) {
            const engagement = Object.fromEntries(
              (['emailOpen', 'emailReply', 'meetingBooked', 'webVisit'] as EngagementEvent[]).map((e) => [
                e,
                level,
              ]),
            )
            const lead = complete({ title, companySize, freeEmail, industry: level > 1 ? 'SaaS' : null })
            const r = scoreLead({ lead, engagement }, DEFAULT_SCORING_RULES)
            expect(Number.isInteger(r.score)).toBe(true)
            expect(r.score).toBeGreaterThanOrEqual(0)
            expect(r.score).toBeLessThanOrEqual(100)
            expect(r.fit).toBeGreaterThanOrEqual(0)
            expect(r.fit).toBeLessThanOrEqual(60)
            expect(r.engagement).toBeGreaterThanOrEqual(0)
            expect(r.engagement).toBeLessThanOrEqual(40)
            expect(r.score).toBe(r.fit + r.engagement)
            checked++
          }
        }
      }
    }
    expect(checked).toBe(160)
  })

  it('reads bad engagement counts as the nearest sane count instead of throwing', () => {
    const result = scoreLead(
      {
        lead: draftLeadFactory.build(),
        engagement: { emailOpen: -3, emailClick: 2.7, webVisit: Number.NaN, call: Infinity },
      },
      DEFAULT_SCORING_RULES,
    )
    expect(result.breakdown).toEqual([
      { ruleId: 'email-click', label: 'Email clicks', points: 20, detail: '2 × 10 (emailClick)' },
    ])
  })

  it.each([
    ['Co-Founder & CEO', ['title-senior']],
    ['vp, sales', ['title-senior']],
    ['Head of Engineering', ['title-senior']],
    ['Managing Director', ['title-senior']],
    ['MD', ['title-senior']],
    ['Team Lead', ['title-mid']],
    ['Sr. Solutions Architect', ['title-mid']],
    ['Senior Director', ['title-senior', 'title-mid']],
    ['Headhunter', []],
    ['Leadership Coach', []],
    ['Vendor Ownership Analyst', []],
  ])('matches titles on whole words: %s', (title, ruleIds) => {
    expect(titleLine(title).map((l) => l.ruleId)).toEqual(ruleIds)
  })

  it('compares list fields ignoring case and spacing', () => {
    const { breakdown } = scoreLead(
      { lead: draftLeadFactory.build({ industry: '  IT   Services ' }), engagement: {} },
      DEFAULT_SCORING_RULES,
    )
    expect(breakdown.map((l) => l.ruleId)).toEqual(['industry-target'])
  })
})

describe('scoreLead with custom rules', () => {
  const rules: ScoringRuleSet = parseScoringRuleSet({
    version: 7,
    fitMax: 70,
    engagementMax: 30,
    fit: [
      {
        id: 'rev',
        label: 'Revenue ≥ 10 Cr',
        points: 25,
        when: { field: 'annualRevenue', atLeast: 100_000_000 },
      },
      { id: 'inr', label: 'Pays in INR', points: 5, when: { field: 'currency', in: ['inr'] } },
      { id: 'india', label: 'India', points: 10, when: { field: 'country', in: ['in'] } },
      {
        id: 'business-email',
        label: 'Company email',
        points: 8,
        when: { field: 'freeEmail', equals: false },
      },
      {
        id: 'tiny',
        label: 'Has a city',
        points: 1,
        when: { completeness: ['city', 'state', 'country', 'phone'] },
      },
    ],
    engagement: [{ id: 'wa', label: 'WhatsApp replies', event: 'whatsappReply', pointsEach: 10, max: 30 }],
  })

  it('records the rule set version and fires revenue, currency and country rules', () => {
    const lead = draftLeadFactory.build({
      annualRevenue: 250_000_000,
      currency: 'INR',
      country: 'IN',
      email: 'cfo@acme.example',
      emailDomain: 'acme.example',
    })
    const result = scoreLead({ lead, engagement: { whatsappReply: 1 } }, rules)
    expect(result.version).toBe(7)
    expect(result.breakdown).toEqual([
      {
        ruleId: 'rev',
        label: 'Revenue ≥ 10 Cr',
        points: 25,
        detail: 'annualRevenue 250000000 INR ≥ 100000000',
      },
      { ruleId: 'inr', label: 'Pays in INR', points: 5, detail: 'currency is INR' },
      { ruleId: 'india', label: 'India', points: 10, detail: 'country is IN' },
      { ruleId: 'business-email', label: 'Company email', points: 8, detail: 'email is on a company domain' },
      { ruleId: 'wa', label: 'WhatsApp replies', points: 10, detail: '1 × 10 (whatsappReply)' },
    ])
    // "tiny": 1 point × 1/4 filled rounds to 0, so it did not contribute and is left out.
    expect(result.score).toBe(58)
  })

  it('does not treat a lead without any email as having a company email', () => {
    const result = scoreLead({ lead: draftLeadFactory.build({ freeEmail: false }), engagement: {} }, rules)
    expect(result.breakdown).toEqual([])
  })

  it('lists contributions in rule order, not by size', () => {
    const reversed = { ...rules, fit: [...rules.fit].reverse() }
    const lead = draftLeadFactory.build({ annualRevenue: 100_000_000, country: 'IN', currency: 'INR' })
    expect(scoreLead({ lead, engagement: {} }, reversed).breakdown.map((l) => l.ruleId)).toEqual([
      'india',
      'inr',
      'rev',
    ])
  })
})

describe('scoreLead determinism', () => {
  it('gives deep-equal results for the same input, also with rules read back from JSON', () => {
    const input = Object.freeze({
      lead: Object.freeze(complete({ title: 'Founder', industry: 'Healthcare', companySize: '51-200' })),
      engagement: Object.freeze({ emailOpen: 1, eventAttended: 1, webVisit: 12 }),
    })
    const first = scoreLead(input, DEFAULT_SCORING_RULES)
    expect(scoreLead(input, DEFAULT_SCORING_RULES)).toEqual(first)
    expect(scoreLead(input, fromJson(DEFAULT_SCORING_RULES))).toEqual(first)
    expect(first.score).toBe(85)
  })
})

describe('scoreBand', () => {
  it.each([
    [0, 'cold'],
    [39, 'cold'],
    [40, 'warm'],
    [69, 'warm'],
    [70, 'hot'],
    [100, 'hot'],
  ] as const)('%i is %s', (score, band) => {
    expect(scoreBand(score)).toBe(band)
  })

  it('puts the qualification trigger at the start of "hot"', () => {
    expect(HOT_SCORE).toBe(70)
    expect(scoreBand(HOT_SCORE)).toBe('hot')
    expect(scoreBand(HOT_SCORE - 1)).toBe('warm')
  })
})

describe('parseScoringRuleSet', () => {
  it('accepts the defaults and returns a fresh, equal copy', () => {
    const parsed = fromJson(DEFAULT_SCORING_RULES)
    expect(parsed).toEqual(DEFAULT_SCORING_RULES)
    expect(parsed).not.toBe(DEFAULT_SCORING_RULES)
    expect(Object.isFrozen(DEFAULT_SCORING_RULES.fit[0]?.when)).toBe(true)
  })

  it('does not keep references into the input', () => {
    const data = JSON.parse(JSON.stringify(DEFAULT_SCORING_RULES))
    const parsed = parseScoringRuleSet(data)
    data.fit[0].when.matchesAny.push('intern')
    expect(parsed.fit[0]).toEqual(DEFAULT_SCORING_RULES.fit[0])
  })

  it('lists every bad path in one error', () => {
    const data = JSON.parse(JSON.stringify(DEFAULT_SCORING_RULES))
    data.version = 0
    data.fitMax = 70
    data.fit[0].when.matchesAny = []
    data.fit[1].when = { field: 'seniority', in: ['x'] }
    data.fit[2].points = '10'
    data.fit[3].when.in = ['200+']
    data.fit[4].weight = 2
    data.fit[5].when.completeness.push('fax')
    data.fit[6].when.equals = 'yes'
    data.engagement[0].event = 'emailOpened'
    data.engagement[1].id = 'title-senior'
    data.engagement[2].pointsEach = 2.5
    data.engagement[3].label = ''

    let error: unknown
    try {
      parseScoringRuleSet(data)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ScoringRuleSetError)
    const issues = (error as ScoringRuleSetError).issues
    expect(issues).toEqual([
      'version must be at least 1',
      'fitMax + engagementMax must be 100 (got 110)',
      'fit[0].when.matchesAny must not be empty',
      'fit[1].when.field must be one of title, companySize, industry, country, currency, annualRevenue, freeEmail (or use completeness)',
      'fit[2].points must be a number',
      'fit[3].when.in[0] must be one of 1-10, 11-50, 51-200, 201-500, 501-1000, 1001-5000, 5001+',
      'fit[4].weight is not allowed',
      'fit[5].when.completeness[8] must be a lead field, not "fax"',
      'fit[6].when.equals must be a boolean',
      'engagement[0].event must be one of emailOpen, emailClick, emailReply, whatsappReply, call, webVisit, eventAttended, meetingBooked',
      'engagement[2].pointsEach must be an integer',
      'engagement[3].label must be a non-empty string',
      'engagement[1].id "title-senior" is already used by fit[0]',
    ])
    expect((error as Error).message).toBe(`Invalid scoring rule set: ${issues.join('; ')}`)
  })

  it.each([[null], [[]], ['rules'], [42]])('refuses a non-object (%j)', (data: unknown) => {
    expect(() => parseScoringRuleSet(data)).toThrow('Invalid scoring rule set: rule set must be an object')
  })

  it('reports missing top-level fields', () => {
    expect(() => parseScoringRuleSet({ version: 1, fitMax: 60, engagementMax: 40, fit: {} })).toThrow(
      'Invalid scoring rule set: fit must be an array; engagement must be an array',
    )
  })
})
