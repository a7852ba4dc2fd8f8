import { describe, expect, it } from 'vitest'
import type { LeadCapture } from '../../../domain/lead/lead-capture.js'
import { normaliseCapture } from '../../../domain/lead/normalise.rules.js'
import {
  assessSpam,
  SPAM_QUARANTINE_THRESHOLD,
  SPAM_REJECT_THRESHOLD,
} from '../../../domain/lead/spam.rules.js'

const CTX = { receivedAt: '2026-03-01T10:00:00.000Z', defaultCountry: 'IN' }

/** Scores a capture the way the pipeline does: normalise first, then assess draft and capture. */
function spam(fields: Omit<LeadCapture, 'channel'>) {
  const capture: LeadCapture = { channel: 'web_form', ...fields }
  return assessSpam(normaliseCapture(capture, CTX), capture)
}

const codes = (fields: Omit<LeadCapture, 'channel'>) => spam(fields).signals.map((s) => s.code)

const CLEAN = { email: 'asha@example.co.in', phone: '+91 91234 56789', company: 'Example Technologies' }

describe('assessSpam: real people score 0', () => {
  it.each([
    ['a typical Indian lead', { firstName: 'Asha', lastName: 'Rao', ...CLEAN, title: 'CTO' }],
    ['Devanagari', { firstName: 'श्रीनिवास', lastName: 'राव', ...CLEAN }],
    ['Tamil', { firstName: 'சுப்பிரமணியன்', lastName: 'ஐயர்', ...CLEAN }],
    ['Chinese', { firstName: '小龙', lastName: '李', ...CLEAN }],
    ['Arabic', { firstName: 'محمد', lastName: 'العتيبي', ...CLEAN }],
    ['Japanese', { firstName: 'さくら', lastName: '山田', ...CLEAN }],
    ['emoji in a name', { firstName: 'Priya 🌸', lastName: 'Nair', ...CLEAN }],
    ['mixed case that is not random', { firstName: 'DeShawn', lastName: 'McDonald', ...CLEAN }],
    ['surname with particles', { firstName: 'María', lastName: 'de la Cruz', ...CLEAN }],
    ['apostrophes', { firstName: 'Siobhán', lastName: "O'Brien", ...CLEAN }],
    ['initials only', { firstName: 'J. R. R.', lastName: 'Tolkien', ...CLEAN }],
    ['"y" as the only vowel', { firstName: 'Glynn', lastName: 'Llwyd', ...CLEAN }],
    ['short names', { firstName: 'Wu', lastName: 'Ng', ...CLEAN }],
    ['initial before a surname that is a TLD', { firstName: 'S.Li', lastName: 'H.Ng', ...CLEAN }],
    ['a descending phone number', { firstName: 'Ravi', ...CLEAN, phone: '+91 98765 43210' }],
    ['a company with a domain-like name', { firstName: 'Ravi', ...CLEAN, company: 'Amazon.com' }],
    [
      'free-text fields with quotes',
      { firstName: 'Ravi', ...CLEAN, need: "We can't track 'hot' leads", title: "Head of 'Select' Accounts" },
    ],
    ['only a company name', { ...CLEAN, company: 'Tata Consultancy Services' }],
  ] as const)('%s', (_name, fields) => {
    expect(spam(fields)).toEqual({ score: 0, signals: [] })
  })

  it('ignores template macros left in attribution by ad platforms', () => {
    expect(spam({ ...CLEAN, attribution: { campaign: '{{campaign.name}}', content: '${ad_id}' } })).toEqual({
      score: 0,
      signals: [],
    })
  })
})

describe('signals', () => {
  it.each([
    [
      'honeypot',
      { ...CLEAN, honeypot: 'http://seo.example' },
      {
        code: 'honeypot',
        weight: 100,
        detail: 'The hidden form field that people cannot see was filled in.',
      },
    ],
    [
      'disposable email',
      { email: 'ravi@mailinator.com' },
      {
        code: 'disposable_email',
        weight: 40,
        detail: 'The email address uses a throwaway mailbox service (mailinator.com).',
      },
    ],
    [
      'URL in the first name',
      { ...CLEAN, firstName: 'Visit https://cheap.example/pills' },
      {
        code: 'link_in_name',
        weight: 50,
        detail: 'A web link or email address was typed into the first name.',
      },
    ],
    [
      'www link in both names',
      { ...CLEAN, firstName: 'www.seo', lastName: 'bestdeals.ru' },
      {
        code: 'link_in_name',
        weight: 50,
        detail: 'A web link or email address was typed into the first name and last name.',
      },
    ],
    [
      'email address in the last name',
      { ...CLEAN, firstName: 'Ravi', lastName: 'ravi@seo.example' },
      {
        code: 'link_in_name',
        weight: 50,
        detail: 'A web link or email address was typed into the last name.',
      },
    ],
    [
      'keyboard mash',
      { ...CLEAN, firstName: 'asdf', lastName: 'Rao' },
      {
        code: 'gibberish_name',
        weight: 30,
        detail: 'The first name looks like random letters or a keyboard mash.',
      },
    ],
    [
      'qwerty in the last name',
      { ...CLEAN, firstName: 'Ravi', lastName: 'Qwerty' },
      {
        code: 'gibberish_name',
        weight: 30,
        detail: 'The last name looks like random letters or a keyboard mash.',
      },
    ],
    [
      'no vowels in five letters',
      { ...CLEAN, firstName: 'Ravi', lastName: 'Xkcdrt' },
      {
        code: 'gibberish_name',
        weight: 30,
        detail: 'The last name looks like random letters or a keyboard mash.',
      },
    ],
    [
      'random case flips',
      { ...CLEAN, firstName: 'kJhAmBoRe', lastName: 'Rao' },
      {
        code: 'gibberish_name',
        weight: 30,
        detail: 'The first name looks like random letters or a keyboard mash.',
      },
    ],
    [
      'repeated characters',
      { ...CLEAN, firstName: 'Raviiiii' },
      {
        code: 'repeated_characters',
        weight: 20,
        detail: 'The first name repeats one character five or more times.',
      },
    ],
    [
      'repeated characters in company and email',
      { ...CLEAN, email: 'aaaaaa@acme.in', company: 'Acme!!!!!' },
      {
        code: 'repeated_characters',
        weight: 20,
        detail: 'The company and email address repeat one character five or more times.',
      },
    ],
    [
      'first name = last name = company',
      { ...CLEAN, firstName: 'Ravi', lastName: 'ravi', company: 'RAVI' },
      {
        code: 'identical_fields',
        weight: 15,
        detail: 'The first name, last name and company are all the same text.',
      },
    ],
    [
      'test email',
      { email: 'test@acme.in' },
      {
        code: 'test_email',
        weight: 25,
        detail: 'The email address looks like a test or placeholder address.',
      },
    ],
    [
      'SQL injection',
      { ...CLEAN, company: "Acme'; DROP TABLE leads;--" },
      {
        code: 'injection',
        weight: 35,
        detail: 'The company contains code (SQL, script or template syntax) rather than plain text.',
      },
    ],
    [
      'script tag and template syntax in two fields',
      { ...CLEAN, title: '<script>alert(1)</script>', need: 'Hello {{7*7}}' },
      {
        code: 'injection',
        weight: 35,
        detail:
          'The job title and need contain code (SQL, script or template syntax) rather than plain text.',
      },
    ],
    [
      'all-caps Latin name',
      { ...CLEAN, firstName: 'ASHA', lastName: 'Rao' },
      { code: 'all_caps_name', weight: 5, detail: 'The first name was typed in capitals.' },
    ],
    [
      'both names in capitals',
      { ...CLEAN, firstName: 'ASHA', lastName: 'RAO' },
      { code: 'all_caps_name', weight: 5, detail: 'The first name and last name were typed in capitals.' },
    ],
    [
      'phone of one repeated digit',
      { ...CLEAN, phone: '+91 99999 99999' },
      {
        code: 'fake_phone',
        weight: 30,
        detail: 'The phone number is one digit repeated or a run such as 1234567890.',
      },
    ],
    [
      'sequential phone',
      { ...CLEAN, phone: '1234567890' },
      {
        code: 'fake_phone',
        weight: 30,
        detail: 'The phone number is one digit repeated or a run such as 1234567890.',
      },
    ],
  ] as const)('%s', (_name, fields, signal) => {
    expect(spam(fields)).toEqual({ score: signal.weight, signals: [signal] })
  })
})

describe('signal edge cases', () => {
  it.each([
    ['test1@acme.in', ['test_email']],
    ['test+leads@acme.in', ['test_email']],
    ['noreply@acme.in', ['test_email']],
    ['no-reply@acme.in', ['test_email']],
    ['asdf@acme.in', ['test_email']],
    ['example@acme.in', ['test_email']],
    ['asha@example.com', ['test_email']],
    ['asha@mail.example.org', ['test_email']],
    ['asha@test.com', ['test_email']],
    ['asha@acme.test', ['test_email']],
    ['testimonials@acme.in', []],
    ['tester.rao@acme.in', []],
    ['asha@example.co.in', []],
    ['asha@contest.com', []],
  ])('email %s -> %j', (email, expected) => {
    expect(codes({ email })).toEqual(expected)
  })

  it.each([
    ["'; DROP TABLE users; --", true],
    ["x' OR '1'='1", true],
    ["admin' or 1=1", true],
    ["admin'--", true],
    ['1 UNION SELECT password FROM users', true],
    ['<script src=//evil.example>', true],
    ['< SCRIPT >', true],
    ['<img src=x onerror=alert(1)>', true],
    ['javascript:alert(1)', true],
    ['{{constructor.constructor("x")()}}', true],
    ['${7*7}', true],
    ["O'Brien", false],
    ["D'Souza; Sales", false],
    ['Select Group', false],
    ['Drop shipping', false],
    ['R&D <Innovation>', false],
    ['$50k budget', false],
  ])('%j in the need field is injection: %s', (need, flagged) => {
    expect(codes({ ...CLEAN, need })).toEqual(flagged ? ['injection'] : [])
  })

  it.each([
    ['+91 99999 99999', true],
    ['+91 00000 00000', true],
    ['1234567890', true],
    ['+91 12345 67890', true],
    ['+44 1234 567890', true],
    ['+91 98765 43210', false],
    ['+91 91234 56789', false],
    ['+44 20 7946 0958', false],
    ['111111', true],
    ['11111', false],
  ])('phone %s is fake: %s', (phone, flagged) => {
    expect(codes({ email: 'asha@acme.in', phone })).toEqual(flagged ? ['fake_phone'] : [])
  })

  it('checks the all-caps rule on the name as typed, not the re-cased draft', () => {
    const capture: LeadCapture = { channel: 'api', firstName: 'ASHA', email: 'asha@acme.in' }
    const draft = normaliseCapture(capture, CTX)
    expect(draft.firstName).toBe('Asha')
    expect(assessSpam(draft, capture).signals.map((s) => s.code)).toEqual(['all_caps_name'])
  })

  it('does not call a one-letter capital or a caseless name "all caps"', () => {
    expect(codes({ ...CLEAN, firstName: 'J', lastName: 'रा' })).toEqual([])
  })

  it('needs all three of first name, last name and company to match', () => {
    expect(codes({ ...CLEAN, firstName: 'Ravi', lastName: 'Ravi' })).toEqual([])
  })

  it('counts each signal once however many fields trip it', () => {
    expect(spam({ ...CLEAN, firstName: 'asdf', lastName: 'qwerty' })).toEqual({
      score: 30,
      signals: [
        {
          code: 'gibberish_name',
          weight: 30,
          detail: 'The first name and last name look like random letters or a keyboard mash.',
        },
      ],
    })
  })
})

describe('score', () => {
  it('adds the weights of distinct signals', () => {
    expect(spam({ email: 'test@mailinator.com', firstName: 'ASHA' })).toMatchObject({ score: 70 })
    expect(codes({ email: 'test@mailinator.com', firstName: 'ASHA' })).toEqual([
      'disposable_email',
      'test_email',
      'all_caps_name',
    ])
  })

  it('clamps at 100', () => {
    const result = spam({
      email: 'test@mailinator.com',
      firstName: 'www.seo.ru',
      lastName: 'Xkcdrt',
      phone: '9999999999',
      honeypot: 'x',
    })
    expect(result.score).toBe(100)
    expect(result.signals.map((s) => s.code)).toEqual([
      'honeypot',
      'disposable_email',
      'link_in_name',
      'gibberish_name',
      'test_email',
      'fake_phone',
    ])
    expect(result.signals.reduce((sum, s) => sum + s.weight, 0)).toBe(275)
  })

  it('scores the integration test’s bot at 100', () => {
    const result = spam({
      email: 'test@example.com',
      firstName: 'asdfgh',
      lastName: 'asdfgh',
      company: 'asdfgh',
      phone: '+91 99999 99999',
    })
    expect(result.signals.map((s) => s.code)).toEqual([
      'gibberish_name',
      'identical_fields',
      'test_email',
      'fake_phone',
    ])
    expect(result.score).toBe(100)
  })
})

describe('thresholds', () => {
  it('are 80 to reject and 50 to quarantine', () => {
    expect(SPAM_REJECT_THRESHOLD).toBe(80)
    expect(SPAM_QUARANTINE_THRESHOLD).toBe(50)
  })

  it('reject on a filled honeypot alone', () => {
    expect(spam({ ...CLEAN, honeypot: 'x' }).score).toBeGreaterThanOrEqual(SPAM_REJECT_THRESHOLD)
  })

  it('quarantine, but do not reject, on one strong signal', () => {
    const { score } = spam({ ...CLEAN, firstName: 'https://seo.example' })
    expect(score).toBe(50)
    expect(score).toBeGreaterThanOrEqual(SPAM_QUARANTINE_THRESHOLD)
    expect(score).toBeLessThan(SPAM_REJECT_THRESHOLD)
  })

  it('reject on two strong signals', () => {
    expect(spam({ ...CLEAN, firstName: 'https://seo.example', lastName: 'Xkcdrt' }).score).toBe(80)
  })

  it('let a real person with a throwaway address and a name in capitals through', () => {
    expect(spam({ email: 'asha@mailinator.com', firstName: 'ASHA', lastName: 'RAO' }).score).toBe(45)
  })
})
