import { describe, expect, it } from 'vitest'
import {
  accountMatchKeys,
  accountNameFor,
  chooseAccountMatch,
  type AccountRef,
} from '../../../domain/account/account-match.rules.js'
import {
  HEALTH_BASELINE,
  accountHealth,
  type AccountHealthInput,
} from '../../../domain/account/health.rules.js'
import {
  DEFAULT_LIFECYCLE_POLICY,
  LIFECYCLE_STAGES,
  isLifecycleStage,
  nextLifecycleStage,
  type LifecycleFacts,
  type LifecycleStage,
} from '../../../domain/account/lifecycle.rules.js'

const GSTIN = '27AAPFU0939F1ZV'

describe('accountMatchKeys', () => {
  it.each<[string, Parameters<typeof accountMatchKeys>[0], string | null]>([
    [
      'the company domain, lower-cased',
      { companyDomain: 'Acme.CO.in', emailDomain: 'other.com' },
      'acme.co.in',
    ],
    ['the company domain reduced to its registrable domain', { companyDomain: 'www.acme.com' }, 'acme.com'],
    ['the company domain with a trailing dot', { companyDomain: 'acme.com.' }, 'acme.com'],
    ['the website when the company domain is missing', { website: 'https://www.Acme.io/contact' }, 'acme.io'],
    ['the website before the email domain', { website: 'acme.io', emailDomain: 'acme-mail.com' }, 'acme.io'],
    ['the company domain before the website', { companyDomain: 'acme.com', website: 'acme.io' }, 'acme.com'],
    ['a company email domain', { emailDomain: 'acme.com' }, 'acme.com'],
    ['a company email subdomain, reduced', { emailDomain: 'mail.acme.co.in' }, 'acme.co.in'],
    ['no free-mail email domain', { emailDomain: 'gmail.com' }, null],
    ['no free-mail email domain in upper case', { emailDomain: 'GMAIL.COM' }, null],
    ['no Indian free-mail domain', { emailDomain: 'rediffmail.com' }, null],
    ['no regional free-mail domain', { emailDomain: 'yahoo.co.in' }, null],
    [
      'no free-mail company domain: the next field is used',
      { companyDomain: 'gmail.com', emailDomain: 'acme.in' },
      'acme.in',
    ],
    ['no free-mail website', { website: 'https://gmail.com' }, null],
    ['a blank company domain falls through', { companyDomain: '   ', emailDomain: 'acme.com' }, 'acme.com'],
    ['no localhost', { companyDomain: 'localhost' }, null],
    ['no IP address', { website: 'http://10.0.0.1/' }, null],
    ['no made-up suffix', { companyDomain: 'acme.c0m' }, null],
    ['no value with a space', { companyDomain: 'acme com' }, null],
    ['nothing at all', {}, null],
    ['all null', { companyDomain: null, emailDomain: null, website: null, gstin: null }, null],
  ])('domain: %s', (_name, lead, domain) => {
    expect(accountMatchKeys(lead).domain).toBe(domain)
  })

  it.each<[string, string | null | undefined, string | null]>([
    ['a valid GSTIN as is', GSTIN, GSTIN],
    ['a valid GSTIN typed in lower case with spaces', ' 27aapfu0939f1zv ', GSTIN],
    ['no GSTIN failing its check character', '27AAPFU0939F1ZA', null],
    ['no GSTIN with an unknown state', '00AAPFU0939F1ZB', null],
    ['no malformed GSTIN', '27AAPFU0939F', null],
    ['no blank GSTIN', '', null],
    ['no missing GSTIN', undefined, null],
    ['no null GSTIN', null, null],
  ])('gstin: %s', (_name, gstin, expected) => {
    expect(accountMatchKeys({ emailDomain: 'acme.com', gstin }).gstin).toBe(expected)
  })

  it('returns both keys together', () => {
    expect(accountMatchKeys({ companyDomain: 'acme.com', gstin: GSTIN })).toEqual({
      domain: 'acme.com',
      gstin: GSTIN,
    })
  })
})

describe('chooseAccountMatch', () => {
  const account = (id: string, isActive = true): AccountRef => ({
    id,
    domain: `${id}.com`,
    gstin: null,
    isActive,
  })

  it('finds nothing when neither look-up found an account', () => {
    expect(chooseAccountMatch({ byDomain: null, byGstin: null })).toBeNull()
  })

  it('takes the domain match', () => {
    expect(chooseAccountMatch({ byDomain: account('a'), byGstin: null })).toEqual({
      account: account('a'),
      matchedBy: 'domain',
    })
  })

  it('takes the GSTIN match when there is no domain match', () => {
    expect(chooseAccountMatch({ byDomain: null, byGstin: account('g') })).toEqual({
      account: account('g'),
      matchedBy: 'gstin',
    })
  })

  it('prefers the domain when the two look-ups found different accounts', () => {
    expect(chooseAccountMatch({ byDomain: account('a'), byGstin: account('g') })).toEqual({
      account: account('a'),
      matchedBy: 'domain',
    })
  })

  it('says domain when both found the same account', () => {
    expect(chooseAccountMatch({ byDomain: account('a'), byGstin: account('a') })?.matchedBy).toBe('domain')
  })

  it('matches an inactive account (the conversion reactivates it) rather than creating another', () => {
    expect(chooseAccountMatch({ byDomain: account('old', false), byGstin: account('g') })).toEqual({
      account: account('old', false),
      matchedBy: 'domain',
    })
    expect(chooseAccountMatch({ byDomain: null, byGstin: account('old', false) })).toEqual({
      account: account('old', false),
      matchedBy: 'gstin',
    })
  })
})

describe('accountNameFor', () => {
  it.each<[string, Parameters<typeof accountNameFor>[0], string]>([
    [
      'the company',
      { company: 'Acme Pvt Ltd', companyDomain: 'acme.com', firstName: 'Asha' },
      'Acme Pvt Ltd',
    ],
    ['the company with its spacing tidied', { company: '  Acme   Pvt\tLtd ' }, 'Acme Pvt Ltd'],
    [
      'the domain without a company',
      { companyDomain: 'acme.co.in', firstName: 'Asha', lastName: 'Rao' },
      'acme.co.in',
    ],
    ['the domain when the company is blank', { company: '  ', companyDomain: 'Acme.com' }, 'acme.com'],
    ['the person without company or domain', { firstName: 'Asha', lastName: 'Rao' }, 'Asha Rao (individual)'],
    ['a first name alone', { firstName: 'Asha', lastName: null }, 'Asha (individual)'],
    ['a last name alone', { firstName: ' ', lastName: 'Rao' }, 'Rao (individual)'],
    ['nothing at all', {}, 'Unnamed (individual)'],
    [
      'only blanks',
      { company: '', companyDomain: ' ', firstName: '', lastName: '  ' },
      'Unnamed (individual)',
    ],
  ])('%s', (_name, lead, expected) => {
    expect(accountNameFor(lead)).toBe(expected)
  })
})

describe('accountHealth', () => {
  /* Every factor at 0: 60 days since the last activity (31-90), 1 activity in 30 days and 5 in 90. */
  const neutral: AccountHealthInput = {
    today: '2026-05-10',
    daysSinceLastActivity: 60,
    activitiesLast30Days: 1,
    activitiesLast90Days: 5,
    openOpportunities: 0,
    wonOpportunities: 0,
    lostOpportunities: 0,
    wonLast365Days: 0,
    overdueInvoices: 0,
    openTickets: 0,
    breachedTickets: 0,
  }
  const baseline = { code: 'baseline', points: 50, detail: 'every account starts at 50' }
  const health = (patch: Partial<AccountHealthInput>) => accountHealth({ ...neutral, ...patch })
  /** The one factor besides the baseline, and the score. */
  const single = (patch: Partial<AccountHealthInput>) => {
    const result = health(patch)
    return { score: result.score, factors: result.factors.slice(1) }
  }

  it('is the baseline alone when no factor applies', () => {
    expect(HEALTH_BASELINE).toBe(50)
    expect(health({})).toEqual({ score: 50, factors: [baseline] })
  })

  describe('recency', () => {
    it.each<[number | null, number, string]>([
      [0, 15, 'last activity 0 days ago (0-7)'],
      [1, 15, 'last activity 1 day ago (0-7)'],
      [7, 15, 'last activity 7 days ago (0-7)'],
      [8, 10, 'last activity 8 days ago (8-30)'],
      [30, 10, 'last activity 30 days ago (8-30)'],
      [91, -10, 'last activity 91 days ago (91-180)'],
      [180, -10, 'last activity 180 days ago (91-180)'],
      [181, -20, 'last activity 181 days ago (more than 180)'],
      [1000, -20, 'last activity 1000 days ago (more than 180)'],
      [null, -20, 'no activity recorded'],
    ])('%s days since the last activity: %i', (days, points, detail) => {
      expect(single({ daysSinceLastActivity: days })).toEqual({
        score: 50 + points,
        factors: [{ code: 'recency', points, detail }],
      })
    })

    it.each([31, 60, 90])('%i days is neither good nor bad: no factor', (days) => {
      expect(health({ daysSinceLastActivity: days })).toEqual({ score: 50, factors: [baseline] })
    })

    it('reads a fraction of a day down, and a future activity as today', () => {
      expect(single({ daysSinceLastActivity: 7.9 }).factors).toEqual([
        { code: 'recency', points: 15, detail: 'last activity 7 days ago (0-7)' },
      ])
      expect(single({ daysSinceLastActivity: 30.5 }).factors[0]?.points).toBe(10)
      expect(single({ daysSinceLastActivity: -3 }).factors).toEqual([
        { code: 'recency', points: 15, detail: 'last activity 0 days ago (0-7)' },
      ])
    })

    it('reads a day count that is not a number as no activity', () => {
      expect(single({ daysSinceLastActivity: Number.NaN }).factors).toEqual([
        { code: 'recency', points: -20, detail: 'no activity recorded' },
      ])
    })
  })

  describe('activity volume', () => {
    it.each<[number, number, number, string]>([
      [10, 10, 10, '10 activities in the last 30 days (10 or more)'],
      [25, 25, 10, '25 activities in the last 30 days (10 or more)'],
      [9, 9, 5, '9 activities in the last 30 days (3-9)'],
      [3, 3, 5, '3 activities in the last 30 days (3-9)'],
      [2, 2, -5, '2 activities in the last 90 days (fewer than 3)'],
      [1, 1, -5, '1 activity in the last 90 days (fewer than 3)'],
      [0, 0, -5, '0 activities in the last 90 days (fewer than 3)'],
    ])('%i in 30 days and %i in 90 days: %i', (last30, last90, points, detail) => {
      expect(single({ activitiesLast30Days: last30, activitiesLast90Days: last90 })).toEqual({
        score: 50 + points,
        factors: [{ code: 'activity_volume', points, detail }],
      })
    })

    it('gives nothing for 0-2 in 30 days when the 90 days had 3 or more', () => {
      expect(health({ activitiesLast30Days: 2, activitiesLast90Days: 3 })).toEqual({
        score: 50,
        factors: [baseline],
      })
      expect(health({ activitiesLast30Days: 0, activitiesLast90Days: 40 })).toEqual({
        score: 50,
        factors: [baseline],
      })
    })
  })

  describe('open deals', () => {
    it.each<[number, number, string]>([
      [1, 5, '1 open opportunity × +5'],
      [2, 10, '2 open opportunities × +5'],
      [3, 10, '3 open opportunities × +5, capped at +10'],
    ])('%i open: %i', (open, points, detail) => {
      expect(single({ openOpportunities: open })).toEqual({
        score: 50 + points,
        factors: [{ code: 'open_deals', points, detail }],
      })
    })
  })

  describe('wins', () => {
    it.each<[number, number, number, string]>([
      [1, 1, 10, '1 win in the last 365 days × +10'],
      [2, 5, 20, '2 wins in the last 365 days × +10'],
      [3, 3, 20, '3 wins in the last 365 days × +10, capped at +20'],
      [0, 1, 5, '1 earlier win, none in the last 365 days'],
      [0, 4, 5, '4 earlier wins, none in the last 365 days'],
    ])('%i won in 365 days, %i ever: %i', (recent, ever, points, detail) => {
      expect(single({ wonLast365Days: recent, wonOpportunities: ever })).toEqual({
        score: 50 + points,
        factors: [{ code: 'wins', points, detail }],
      })
    })

    it('counts recent wins even when the lifetime count lags behind', () => {
      expect(single({ wonLast365Days: 1, wonOpportunities: 0 }).factors[0]?.points).toBe(10)
    })
  })

  describe('negative factors', () => {
    it.each<[keyof AccountHealthInput, number, string, number, string]>([
      ['lostOpportunities', 1, 'losses', -5, '1 lost opportunity × -5'],
      ['lostOpportunities', 3, 'losses', -15, '3 lost opportunities × -5'],
      ['lostOpportunities', 4, 'losses', -15, '4 lost opportunities × -5, capped at -15'],
      ['overdueInvoices', 1, 'overdue_invoices', -10, '1 overdue invoice × -10'],
      ['overdueInvoices', 3, 'overdue_invoices', -30, '3 overdue invoices × -10'],
      ['overdueInvoices', 5, 'overdue_invoices', -30, '5 overdue invoices × -10, capped at -30'],
      ['openTickets', 1, 'open_tickets', -2, '1 open ticket × -2'],
      ['openTickets', 5, 'open_tickets', -10, '5 open tickets × -2'],
      ['openTickets', 6, 'open_tickets', -10, '6 open tickets × -2, capped at -10'],
      ['breachedTickets', 1, 'breached_tickets', -5, '1 ticket that breached its SLA × -5'],
      ['breachedTickets', 3, 'breached_tickets', -15, '3 tickets that breached their SLA × -5'],
      [
        'breachedTickets',
        4,
        'breached_tickets',
        -15,
        '4 tickets that breached their SLA × -5, capped at -15',
      ],
    ])('%s %i: %s %i', (field, n, code, points, detail) => {
      expect(single({ [field]: n })).toEqual({ score: 50 + points, factors: [{ code, points, detail }] })
    })
  })

  describe('totals', () => {
    it('adds the factors in table order', () => {
      const result = health({
        daysSinceLastActivity: 3,
        activitiesLast30Days: 4,
        activitiesLast90Days: 9,
        openOpportunities: 1,
        wonLast365Days: 1,
        wonOpportunities: 2,
        lostOpportunities: 1,
        overdueInvoices: 1,
        openTickets: 2,
        breachedTickets: 1,
      })
      expect(result.factors.map((f) => [f.code, f.points])).toEqual([
        ['baseline', 50],
        ['recency', 15],
        ['activity_volume', 5],
        ['open_deals', 5],
        ['wins', 10],
        ['losses', -5],
        ['overdue_invoices', -10],
        ['open_tickets', -4],
        ['breached_tickets', -5],
      ])
      expect(result.score).toBe(61)
    })

    it('reaches exactly 100 without a clamp', () => {
      const result = health({
        daysSinceLastActivity: 1,
        activitiesLast30Days: 12,
        activitiesLast90Days: 30,
        openOpportunities: 1,
        wonLast365Days: 2,
        wonOpportunities: 2,
      })
      expect(result.score).toBe(100)
      expect(result.factors.map((f) => f.code)).not.toContain('clamp')
    })

    it('holds the best account to 100 and says so', () => {
      const result = health({
        daysSinceLastActivity: 1,
        activitiesLast30Days: 12,
        activitiesLast90Days: 30,
        openOpportunities: 2,
        wonLast365Days: 2,
        wonOpportunities: 2,
      })
      expect(result.score).toBe(100)
      expect(result.factors.at(-1)).toEqual({
        code: 'clamp',
        points: -5,
        detail: 'factors gave 105; held to 100',
      })
    })

    it('holds the worst account to 0 and says so', () => {
      const result = health({
        daysSinceLastActivity: null,
        activitiesLast30Days: 0,
        activitiesLast90Days: 0,
        lostOpportunities: 9,
        overdueInvoices: 9,
        openTickets: 9,
        breachedTickets: 9,
      })
      expect(result.score).toBe(0)
      expect(result.factors.at(-1)).toEqual({
        code: 'clamp',
        points: 45,
        detail: 'factors gave -45; held to 0',
      })
    })

    it('always has integer points adding up to the score, within 0..100', () => {
      const days = [null, 0, 8, 45, 120, 400]
      const counts = [0, 1, 3, 12]
      for (const d of days)
        for (const a of counts)
          for (const o of counts)
            for (const w of counts)
              for (const bad of counts) {
                const result = health({
                  daysSinceLastActivity: d,
                  activitiesLast30Days: a,
                  activitiesLast90Days: a * 2,
                  openOpportunities: o,
                  wonOpportunities: w + 1,
                  wonLast365Days: w,
                  lostOpportunities: bad,
                  overdueInvoices: bad,
                  openTickets: bad,
                  breachedTickets: bad,
                })
                expect(Number.isInteger(result.score)).toBe(true)
                expect(result.score).toBeGreaterThanOrEqual(0)
                expect(result.score).toBeLessThanOrEqual(100)
                expect(result.factors.reduce((s, f) => s + f.points, 0)).toBe(result.score)
                expect(result.factors.every((f) => f.points !== 0 && Number.isInteger(f.points))).toBe(true)
              }
    })
  })

  it('reads broken counts as the nearest sane count', () => {
    expect(
      health({
        openOpportunities: 2.9,
        lostOpportunities: -4,
        overdueInvoices: Number.NaN,
        openTickets: Number.POSITIVE_INFINITY,
      }).factors.map((f) => [f.code, f.points]),
    ).toEqual([
      ['baseline', 50],
      ['open_deals', 10],
    ])
  })

  it('depends on the counts only: the same counts on another day give the same result', () => {
    const input = { ...neutral, daysSinceLastActivity: 3, openTickets: 2 }
    const copy = structuredClone(input)
    expect(accountHealth({ ...input, today: '2030-01-01' })).toEqual(accountHealth(input))
    expect(input).toEqual(copy)
  })
})

describe('nextLifecycleStage', () => {
  /* An account with nothing going on, recently active and in fair health. */
  const quiet: LifecycleFacts = {
    openOpportunities: 0,
    wonOpportunities: 0,
    wonLast365Days: 0,
    daysSinceLastActivity: 10,
    health: 50,
  }
  const next = (current: LifecycleStage, patch: Partial<LifecycleFacts>) =>
    nextLifecycleStage(current, { ...quiet, ...patch })

  it('has the four stages and the documented default policy', () => {
    expect(LIFECYCLE_STAGES).toEqual(['MQA', 'SQA', 'Customer', 'Churned'])
    expect(DEFAULT_LIFECYCLE_POLICY).toEqual({
      churnAfterDaysWithoutWin: 365,
      churnAfterDaysSilent: 180,
      churnHealthBelow: 20,
    })
  })

  it.each<[unknown, boolean]>([
    ['MQA', true],
    ['Churned', true],
    ['customer', false],
    ['', false],
    [null, false],
  ])('isLifecycleStage(%j) is %s', (value, known) => {
    expect(isLifecycleStage(value)).toBe(known)
  })

  describe('from MQA', () => {
    it('stays MQA with no deal', () => {
      expect(next('MQA', {})).toEqual({
        stage: 'MQA',
        reason: 'No opportunity is open or won yet.',
        changed: false,
      })
    })

    it('becomes SQA when an opportunity opens', () => {
      expect(next('MQA', { openOpportunities: 1 })).toEqual({
        stage: 'SQA',
        reason: '1 opportunity is open.',
        changed: true,
      })
      expect(next('MQA', { openOpportunities: 3 }).reason).toBe('3 opportunities are open.')
    })

    it('becomes Customer when an opportunity was won, open deals or not', () => {
      expect(next('MQA', { wonOpportunities: 1, wonLast365Days: 1 })).toEqual({
        stage: 'Customer',
        reason: '1 opportunity was won.',
        changed: true,
      })
      expect(next('MQA', { wonOpportunities: 2, openOpportunities: 1 })).toEqual({
        stage: 'Customer',
        reason: '2 opportunities were won.',
        changed: true,
      })
    })

    it('never goes straight to Churned, however silent and unhealthy', () => {
      expect(next('MQA', { daysSinceLastActivity: null, health: 0 }).stage).toBe('MQA')
      expect(next('MQA', { daysSinceLastActivity: 999, health: 0, openOpportunities: 1 }).stage).toBe('SQA')
      expect(next('MQA', { daysSinceLastActivity: 999, health: 0, wonOpportunities: 1 }).stage).toBe(
        'Customer',
      )
    })
  })

  describe('from SQA', () => {
    it('stays SQA while a deal is open', () => {
      expect(next('SQA', { openOpportunities: 2 })).toEqual({
        stage: 'SQA',
        reason: '2 opportunities are open and none is won yet.',
        changed: false,
      })
    })

    it('becomes Customer when an opportunity was won', () => {
      expect(next('SQA', { wonOpportunities: 1, wonLast365Days: 1 })).toEqual({
        stage: 'Customer',
        reason: '1 opportunity was won.',
        changed: true,
      })
    })

    it('becomes Customer on a win even when no deal is left open', () => {
      expect(next('SQA', { openOpportunities: 0, wonOpportunities: 1 }).stage).toBe('Customer')
    })

    it('goes back to MQA when its deals were all lost', () => {
      expect(next('SQA', { openOpportunities: 0, wonOpportunities: 0 })).toEqual({
        stage: 'MQA',
        reason: 'No opportunity is open and none was won: the deals were lost.',
        changed: true,
      })
    })

    it('does not churn: it never bought', () => {
      expect(next('SQA', { openOpportunities: 1, daysSinceLastActivity: 999, health: 0 }).stage).toBe('SQA')
    })
  })

  describe('from Customer', () => {
    const customer = { wonOpportunities: 3 }

    it('stays Customer with a win in the last 365 days, even silent and unhealthy', () => {
      expect(
        next('Customer', { ...customer, wonLast365Days: 1, daysSinceLastActivity: null, health: 0 }),
      ).toEqual({
        stage: 'Customer',
        reason: 'Won within the last 365 days.',
        changed: false,
      })
    })

    it('stays Customer without a recent win while active and healthy', () => {
      expect(next('Customer', { ...customer, daysSinceLastActivity: 179, health: 20 })).toEqual({
        stage: 'Customer',
        reason: 'No win in the last 365 days, but active 179 days ago and health 20 is not below 20.',
        changed: false,
      })
    })

    it('churns after 180 days of silence without a recent win', () => {
      expect(next('Customer', { ...customer, daysSinceLastActivity: 180 })).toEqual({
        stage: 'Churned',
        reason: 'No win in the last 365 days and no activity for 180 days.',
        changed: true,
      })
    })

    it('churns with no activity ever recorded', () => {
      expect(next('Customer', { ...customer, daysSinceLastActivity: null })).toEqual({
        stage: 'Churned',
        reason: 'No win in the last 365 days and no activity recorded.',
        changed: true,
      })
    })

    it('churns with health below 20 although active', () => {
      expect(next('Customer', { ...customer, daysSinceLastActivity: 0, health: 19 })).toEqual({
        stage: 'Churned',
        reason: 'No win in the last 365 days and health 19 below 20.',
        changed: true,
      })
    })

    it('names both signs when both apply', () => {
      expect(next('Customer', { ...customer, daysSinceLastActivity: 200, health: 10 }).reason).toBe(
        'No win in the last 365 days and no activity for 200 days and health 10 below 20.',
      )
    })

    it('churns even with a deal open: the rule is about wins, silence and health', () => {
      expect(next('Customer', { ...customer, openOpportunities: 2, daysSinceLastActivity: 400 }).stage).toBe(
        'Churned',
      )
    })

    it('does not go back to SQA or MQA when deals come and go', () => {
      expect(next('Customer', { wonOpportunities: 0, openOpportunities: 0 }).stage).toBe('Customer')
      expect(next('Customer', { ...customer, openOpportunities: 1 }).stage).toBe('Customer')
    })

    it('does not read a health that is not a number as low', () => {
      expect(next('Customer', { ...customer, health: Number.NaN }).stage).toBe('Customer')
    })
  })

  describe('from Churned', () => {
    it('stays Churned without a win in the last 365 days, even with a deal open', () => {
      expect(
        next('Churned', { wonOpportunities: 2, openOpportunities: 1, daysSinceLastActivity: 1 }),
      ).toEqual({
        stage: 'Churned',
        reason: 'No win in the last 365 days.',
        changed: false,
      })
    })

    it('is won back by a new win with activity in the last 180 days', () => {
      expect(next('Churned', { wonOpportunities: 3, wonLast365Days: 1, daysSinceLastActivity: 179 })).toEqual(
        {
          stage: 'Customer',
          reason: 'Won back: won within the last 365 days and active 179 days ago.',
          changed: true,
        },
      )
      expect(next('Churned', { wonLast365Days: 1, daysSinceLastActivity: 0 }).reason).toBe(
        'Won back: won within the last 365 days and active today.',
      )
      expect(next('Churned', { wonLast365Days: 1, daysSinceLastActivity: 1 }).reason).toBe(
        'Won back: won within the last 365 days and active 1 day ago.',
      )
    })

    it('is won back whatever its health', () => {
      expect(next('Churned', { wonLast365Days: 1, daysSinceLastActivity: 5, health: 0 }).stage).toBe(
        'Customer',
      )
    })

    it('is not won back by a win without activity in the last 180 days', () => {
      expect(next('Churned', { wonLast365Days: 1, daysSinceLastActivity: 180 })).toEqual({
        stage: 'Churned',
        reason: 'Won within the last 365 days, but no activity for 180 days.',
        changed: false,
      })
      expect(next('Churned', { wonLast365Days: 1, daysSinceLastActivity: null })).toEqual({
        stage: 'Churned',
        reason: 'Won within the last 365 days, but no activity recorded.',
        changed: false,
      })
    })

    it('does not churn again on the next evaluation after a win-back', () => {
      const facts = { wonOpportunities: 1, wonLast365Days: 1, daysSinceLastActivity: 5, health: 5 }
      const wonBack = next('Churned', facts)
      expect(wonBack.stage).toBe('Customer')
      expect(next(wonBack.stage, facts)).toMatchObject({ stage: 'Customer', changed: false })
    })
  })

  describe('policy', () => {
    const strict = { churnAfterDaysWithoutWin: 730, churnAfterDaysSilent: 90, churnHealthBelow: 30 }

    it('uses its thresholds and names them in the reason', () => {
      expect(
        nextLifecycleStage('Customer', { ...quiet, wonOpportunities: 1, daysSinceLastActivity: 90 }, strict),
      ).toEqual({
        stage: 'Churned',
        reason: 'No win in the last 730 days and no activity for 90 days.',
        changed: true,
      })
      expect(
        nextLifecycleStage(
          'Customer',
          { ...quiet, wonOpportunities: 1, daysSinceLastActivity: 89, health: 29 },
          strict,
        ).reason,
      ).toBe('No win in the last 730 days and health 29 below 30.')
      expect(
        nextLifecycleStage(
          'Customer',
          { ...quiet, wonOpportunities: 1, daysSinceLastActivity: 89, health: 30 },
          strict,
        ).stage,
      ).toBe('Customer')
      expect(
        nextLifecycleStage('Churned', { ...quiet, wonLast365Days: 1, daysSinceLastActivity: 90 }, strict)
          .stage,
      ).toBe('Churned')
      expect(
        nextLifecycleStage('Churned', { ...quiet, wonLast365Days: 1, daysSinceLastActivity: 89 }, strict)
          .stage,
      ).toBe('Customer')
    })
  })

  it('reads broken counts as the nearest sane count', () => {
    expect(next('MQA', { openOpportunities: 0.5 }).stage).toBe('MQA')
    expect(next('MQA', { openOpportunities: -2, wonOpportunities: Number.NaN }).stage).toBe('MQA')
    expect(next('Churned', { wonLast365Days: 1, daysSinceLastActivity: -4 }).reason).toBe(
      'Won back: won within the last 365 days and active today.',
    )
  })

  it('moves at most one documented step, and `changed` tells whether it moved', () => {
    const allowed: Record<LifecycleStage, LifecycleStage[]> = {
      MQA: ['MQA', 'SQA', 'Customer'],
      SQA: ['SQA', 'MQA', 'Customer'],
      Customer: ['Customer', 'Churned'],
      Churned: ['Churned', 'Customer'],
    }
    for (const current of LIFECYCLE_STAGES)
      for (const open of [0, 1])
        for (const won of [0, 1])
          for (const recent of [0, 1])
            for (const days of [null, 0, 179, 180])
              for (const health of [0, 19, 20, 100]) {
                const result = nextLifecycleStage(current, {
                  openOpportunities: open,
                  wonOpportunities: won,
                  wonLast365Days: recent,
                  daysSinceLastActivity: days,
                  health,
                })
                expect(allowed[current]).toContain(result.stage)
                expect(result.changed).toBe(result.stage !== current)
                expect(result.reason).toMatch(/^[A-Z0-9].*\.$/)
              }
  })
})
