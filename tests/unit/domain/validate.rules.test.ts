import { describe, expect, it } from 'vitest'
import type { DraftLead, ValidationIssue } from '../../../domain/lead/draft-lead.js'
import type { ConsentEvidence, LeadCapture } from '../../../domain/lead/lead-capture.js'
import { normaliseCapture } from '../../../domain/lead/normalise.rules.js'
import {
  DEFAULT_VALIDATION_POLICY,
  isPlausibleEmail,
  validateLead,
  type ValidationPolicy,
} from '../../../domain/lead/validate.rules.js'

const CTX = { receivedAt: '2026-03-01T10:00:00.000Z', defaultCountry: 'IN' }
const WHATSAPP_ONLY: ConsentEvidence = { granted: true, channels: ['whatsapp'] }
const GRANTED = { granted: true, at: '2026-02-28T10:00:00Z', source: 'web_form:pricing', textVersion: 'v3' }

/** Validates a capture the way the pipeline does: normalise first, then check draft and capture. */
function check(
  fields: Omit<LeadCapture, 'channel'>,
  policy: ValidationPolicy = DEFAULT_VALIDATION_POLICY,
  channel: LeadCapture['channel'] = 'web_form',
) {
  const capture: LeadCapture = { channel, ...fields }
  return validateLead(normaliseCapture(capture, CTX), capture, policy)
}

const codes = (issues: ValidationIssue[]) => issues.map((i) => `${i.severity}:${i.field}:${i.code}`)

describe('validateLead: a clean lead', () => {
  it.each([
    [
      'Indian mobile and company email',
      { firstName: 'Asha', email: 'asha@example.co.in', phone: '098765 43210', country: 'India' },
    ],
    ['email only', { email: 'ravi@gmail.com' }],
    ['phone only', { phone: '+91-80-2345-6789' }],
    ['US lead without consent', { email: 'john@acme.com', phone: '+1 415 555 2671', country: 'USA' }],
    [
      'UK lead with consent',
      { email: 'jane@acme.co.uk', phone: '+44 20 7946 0958', country: 'UK', consent: GRANTED },
    ],
    ['Devanagari name', { firstName: 'श्रीनिवास', lastName: 'राव', email: 'srinivas@example.in' }],
    ['name of exactly 100 characters', { firstName: 'A'.repeat(100), email: 'a@acme.com' }],
  ] as const)('%s has no issues', (_name, fields) => {
    expect(check(fields)).toEqual([])
  })
})

describe('contact point', () => {
  it('refuses a lead with neither email nor phone', () => {
    expect(check({ firstName: 'Nobody', company: 'Acme' })).toEqual([
      {
        field: 'email',
        code: 'contact_required',
        message: 'An email address or a phone number is required to follow up on this lead.',
        severity: 'error',
      },
    ])
  })

  it('treats blank strings as absent', () => {
    expect(codes(check({ email: '   ', phone: '' }))).toEqual(['error:email:contact_required'])
  })

  it('accepts it when the policy does not require a contact point', () => {
    expect(
      check({ firstName: 'Nobody' }, { ...DEFAULT_VALIDATION_POLICY, requireContactPoint: false }),
    ).toEqual([])
  })
})

describe('email syntax', () => {
  it.each([
    'asha@example.co.in',
    'first.last+tag@sub.example.com',
    "o'brien@example.ie",
    'a@b.io',
    'x_y-z@123.example.org',
    `${'a'.repeat(64)}@example.com`,
    'user@xn--p1ai.example.com',
  ])('%s is accepted', (email) => {
    expect(isPlausibleEmail(email)).toBe(true)
  })

  it.each([
    ['no @', 'asha.example.com'],
    ['two @', 'asha@rao@example.com'],
    ['empty local part', '@example.com'],
    ['local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['space in local part', 'asha rao@example.com'],
    ['leading dot', '.asha@example.com'],
    ['double dot', 'asha..rao@example.com'],
    ['trailing dot in local part', 'asha.@example.com'],
    ['no dot in domain', 'asha@localhost'],
    ['empty domain label', 'asha@example..com'],
    ['label starting with a hyphen', 'asha@-example.com'],
    ['label ending with a hyphen', 'asha@example-.com'],
    ['underscore in domain', 'asha@exa_mple.com'],
    ['numeric TLD', 'asha@example.123'],
    ['one-letter TLD', 'asha@example.c'],
    ['label over 63 characters', `asha@${'a'.repeat(64)}.com`],
    [
      'address over 254 characters',
      `a@${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(62)}.${'e'.repeat(62)}.com`,
    ],
  ])('%s (%s) is refused', (_name, email) => {
    expect(isPlausibleEmail(email)).toBe(false)
  })

  it('reports an invalid email as an error on the email field, without echoing the address', () => {
    expect(check({ email: 'asha@example' })).toEqual([
      {
        field: 'email',
        code: 'email_invalid',
        message: 'The email address is not valid: check for typos such as a missing "@" or domain.',
        severity: 'error',
      },
    ])
  })

  it('checks the normalised address: case and a trailing dot are not errors', () => {
    expect(check({ email: ' Asha.Rao@Mail.Example.CO.IN. ' })).toEqual([])
  })
})

describe('phone', () => {
  it.each([
    '+91 98765 43210',
    '098765 43210',
    '9876543210',
    '91-9876543210',
    '+91-80-2345-6789',
    '(080) 2345 6789',
    '+44 7400 123456',
    '+1 (415) 555-2671',
  ])('%s is valid', (phone) => {
    // Granted consent: a UK number alone puts the lead under UK GDPR.
    expect(check({ phone, consent: GRANTED })).toEqual([])
  })

  it.each([
    [
      '+44 7700 900123',
      {},
      'The phone number is not a valid number for its country (United Kingdom): check the digits and the country code.',
    ],
    [
      '+1 123 456 7890',
      {},
      'The phone number is not a valid number for its country (United States): check the digits and the country code.',
    ],
    [
      '12345',
      { country: 'IN' },
      'The phone number is not a valid number for its country (India): check the digits and the country code.',
    ],
    [
      '98765 4321',
      { country: 'India' },
      'The phone number is not a valid number for its country (India): check the digits and the country code.',
    ],
    [
      '12345',
      {},
      'The phone number is not valid: check the digits and include the country code (for example +91).',
    ],
    [
      'call me',
      {},
      'The phone number is not valid: check the digits and include the country code (for example +91).',
    ],
  ] as const)('%s (%j) -> phone_invalid', (phone, extra, message) => {
    expect(check({ email: 'a@acme.com', phone, ...extra })).toEqual([
      { field: 'phone', code: 'phone_invalid', message, severity: 'error' },
    ])
  })

  it('accepts a draft whose phone is already E.164 (a stored lead being edited)', () => {
    const draft: DraftLead = {
      ...normaliseCapture({ channel: 'api', email: 'a@acme.com' }, CTX),
      phone: '+919876543210',
      phoneCountry: 'IN',
    }
    expect(
      validateLead(draft, { channel: 'api', phone: '+919876543210' }, DEFAULT_VALIDATION_POLICY),
    ).toEqual([])
  })
})

describe('consent', () => {
  it('lists the EU 27, the EEA three and the UK by default, and no channel', () => {
    expect([...DEFAULT_VALIDATION_POLICY.requireConsentCountries].sort()).toEqual(
      [
        'AT',
        'BE',
        'BG',
        'CY',
        'CZ',
        'DE',
        'DK',
        'EE',
        'ES',
        'FI',
        'FR',
        'GB',
        'GR',
        'HR',
        'HU',
        'IE',
        'IS',
        'IT',
        'LI',
        'LT',
        'LU',
        'LV',
        'MT',
        'NL',
        'NO',
        'PL',
        'PT',
        'RO',
        'SE',
        'SI',
        'SK',
      ].sort(),
    )
    expect(DEFAULT_VALIDATION_POLICY.requireContactPoint).toBe(true)
    expect(DEFAULT_VALIDATION_POLICY.requireConsentChannels).toEqual([])
  })

  it.each([
    [
      'missing for a lead in Germany',
      { email: 'hans@example.de', country: 'DE' },
      'Marketing consent is required for leads in Germany, and none was recorded with this lead.',
    ],
    [
      'missing for a lead in Norway (EEA)',
      { email: 'ola@example.no', country: 'Norway' },
      'Marketing consent is required for leads in Norway, and none was recorded with this lead.',
    ],
    [
      'missing for a lead with no country but a German phone',
      { phone: '+49 30 123456' },
      'Marketing consent is required for leads in Germany, and none was recorded with this lead.',
    ],
  ] as const)('refuses consent %s', (_name, fields, message) => {
    expect(check(fields)).toEqual([
      { field: 'consent', code: 'consent_required', message, severity: 'error' },
    ])
  })

  it.each([
    ['granted in Germany', { email: 'hans@example.de', country: 'DE', consent: GRANTED }],
    [
      'granted for WhatsApp only still counts as consent',
      { email: 'hans@example.de', country: 'DE', consent: WHATSAPP_ONLY },
    ],
    ['not needed in India', { email: 'asha@example.in', country: 'IN' }],
    [
      'declined by a lead in the UK: an answer, kept with consent denied',
      { email: 'jane@acme.co.uk', country: 'United Kingdom', consent: { granted: false } },
    ],
    [
      'not needed in the US, even when declined',
      { email: 'john@acme.com', country: 'US', consent: { granted: false } },
    ],
    ['not needed in Switzerland (not EEA)', { email: 'urs@example.ch', country: 'CH' }],
    ['the stated country wins over the phone’s', { phone: '+49 30 123456', country: 'IN' }],
  ] as const)('accepts: %s', (_name, fields) => {
    expect(check(fields)).toEqual([])
  })

  it('requires consent for a channel listed in the policy', () => {
    const policy = {
      ...DEFAULT_VALIDATION_POLICY,
      requireConsentChannels: ['whatsapp' as const, 'web_form' as const],
    }
    expect(check({ phone: '+91 98765 43210' }, policy, 'whatsapp')).toEqual([
      {
        field: 'consent',
        code: 'consent_required',
        message:
          'Marketing consent is required for leads from the whatsapp channel, and none was recorded with this lead.',
        severity: 'error',
      },
    ])
    expect(codes(check({ phone: '+91 98765 43210' }, policy, 'web_form'))).toEqual([
      'error:consent:consent_required',
    ])
    expect(check({ phone: '+91 98765 43210' }, policy, 'api')).toEqual([])
    expect(check({ phone: '+91 98765 43210', consent: GRANTED }, policy, 'whatsapp')).toEqual([])
  })

  it('asks nothing when the policy lists no countries', () => {
    expect(
      check(
        { email: 'hans@example.de', country: 'DE' },
        { ...DEFAULT_VALIDATION_POLICY, requireConsentCountries: [] },
      ),
    ).toEqual([])
  })
})

describe('warnings', () => {
  it.each([
    [
      'disposable email',
      { email: 'x@mailinator.com' },
      {
        field: 'email',
        code: 'email_disposable',
        message:
          'The email address uses mailinator.com, a throwaway mailbox service; the person may never read what we send.',
      },
    ],
    [
      'disposable email on a subdomain',
      { email: 'x@mx.yopmail.com' },
      {
        field: 'email',
        code: 'email_disposable',
        message:
          'The email address uses mx.yopmail.com, a throwaway mailbox service; the person may never read what we send.',
      },
    ],
    [
      'unknown country',
      { email: 'a@acme.com', country: 'Narnia' },
      {
        field: 'country',
        code: 'country_unknown',
        message:
          'The country "Narnia" was not recognised, so the lead has no country. Use an ISO code such as IN or an English name such as India.',
      },
    ],
    [
      'unparseable website',
      { email: 'a@acme.com', website: 'n/a' },
      {
        field: 'website',
        code: 'website_invalid',
        message:
          'The website "n/a" is not a web address we can read, so it was not used to identify the company.',
      },
    ],
    [
      'long first name',
      { email: 'a@acme.com', firstName: 'A'.repeat(101) },
      {
        field: 'firstName',
        code: 'name_long',
        message:
          'The first name is longer than 100 characters; check that it was entered in the right field.',
      },
    ],
    [
      'long last name',
      { email: 'a@acme.com', lastName: 'राव'.repeat(40) },
      {
        field: 'lastName',
        code: 'name_long',
        message: 'The last name is longer than 100 characters; check that it was entered in the right field.',
      },
    ],
    [
      'unreadable company size',
      { email: 'a@acme.com', companySize: 'lots' },
      {
        field: 'companySize',
        code: 'company_size_unknown',
        message: 'The company size "lots" could not be read as a number of employees, so it was left empty.',
      },
    ],
    [
      'negative revenue',
      { email: 'a@acme.com', annualRevenue: -5 },
      {
        field: 'annualRevenue',
        code: 'revenue_invalid',
        message: 'The annual revenue is not a positive amount, so it was left empty.',
      },
    ],
    [
      'unknown currency',
      { email: 'a@acme.com', currency: 'rupees' },
      {
        field: 'currency',
        code: 'currency_unknown',
        message:
          'The currency "rupees" is not a three-letter ISO 4217 code such as INR or USD, so it was left empty.',
      },
    ],
  ] as const)('%s', (_name, fields, issue) => {
    expect(check(fields)).toEqual([{ ...issue, severity: 'warning' }])
  })

  it('lists errors first, then warnings, in a fixed order', () => {
    expect(
      codes(
        check({
          email: 'bad@mailinator',
          phone: '+44 7700 900123',
          country: 'Atlantis',
          website: 'localhost',
          firstName: 'x'.repeat(120),
          lastName: 'y'.repeat(120),
          companySize: '??',
          currency: 'dollars',
          annualRevenue: Number.NaN,
        }),
      ),
    ).toEqual([
      'error:email:email_invalid',
      'error:phone:phone_invalid',
      'warning:country:country_unknown',
      'warning:website:website_invalid',
      'warning:firstName:name_long',
      'warning:lastName:name_long',
      'warning:companySize:company_size_unknown',
      'warning:annualRevenue:revenue_invalid',
      'warning:currency:currency_unknown',
    ])
  })

  it('does not warn about a company size given as a bucket or a number', () => {
    expect(check({ email: 'a@acme.com', companySize: 120 })).toEqual([])
    expect(check({ email: 'a@acme.com', companySize: '51 - 200' })).toEqual([])
  })
})
