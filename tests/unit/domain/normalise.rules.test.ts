import { describe, expect, it } from 'vitest'
import type { DraftLead } from '../../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../../domain/lead/lead-capture.js'
import {
  cleanText,
  FREE_EMAIL_DOMAINS,
  isDisposableEmailDomain,
  isLatinText,
  normaliseCapture,
} from '../../../domain/lead/normalise.rules.js'
import { draftLeadFactory } from '../../factories/draft-lead.factory.js'

const CTX = { receivedAt: '2026-03-01T10:00:00.000Z', defaultCountry: 'IN' }

const norm = (fields: Omit<LeadCapture, 'channel'> = {}, ctx = CTX): DraftLead =>
  normaliseCapture({ channel: 'web_form', ...fields }, ctx)

const EMPTY: DraftLead = draftLeadFactory.build({ receivedAt: CTX.receivedAt })

describe('normaliseCapture: the whole draft', () => {
  it('turns a messy Indian web-form capture into canonical fields', () => {
    const capture: LeadCapture = {
      channel: 'web_form',
      receivedAt: '2026-02-14T15:00:00+05:30',
      externalId: ' sub_123 ',
      firstName: '  asha ',
      lastName: 'RAO',
      email: ' Asha.Rao@Mail.Example.CO.IN ',
      phone: '098765 43210',
      company: ' Example   Technologies Pvt Ltd ',
      title: 'Chief Technology Officer',
      website: 'https://WWW.Example.co.in/pricing?utm_source=x',
      industry: 'Software',
      companySize: '201-500',
      annualRevenue: 25_000_000,
      currency: 'inr',
      country: 'India',
      state: 'Karnataka',
      city: ' Bengaluru ',
      budget: '10-20 lakh',
      authority: 'Decision maker',
      need: 'CRM migration',
      timeline: 'This quarter',
      honeypot: '',
    }
    expect(normaliseCapture(capture, CTX)).toEqual({
      channel: 'web_form',
      receivedAt: '2026-02-14T09:30:00.000Z',
      externalId: 'sub_123',
      firstName: 'Asha',
      lastName: 'Rao',
      email: 'asha.rao@mail.example.co.in',
      emailDomain: 'example.co.in',
      freeEmail: false,
      phone: '+919876543210',
      phoneCountry: 'IN',
      phoneType: 'mobile',
      company: 'Example Technologies Pvt Ltd',
      title: 'Chief Technology Officer',
      website: 'https://www.example.co.in',
      companyDomain: 'example.co.in',
      industry: 'Software',
      companySize: '201-500',
      annualRevenue: 25_000_000,
      currency: 'INR',
      country: 'IN',
      state: 'Karnataka',
      city: 'Bengaluru',
      budget: '10-20 lakh',
      authority: 'Decision maker',
      need: 'CRM migration',
      timeline: 'This quarter',
      honeypot: null,
    } satisfies DraftLead)
  })

  it('gives every field null (and freeEmail false) for an empty capture, with ingestion’s clock', () => {
    expect(norm()).toEqual(EMPTY)
  })

  it('keeps the channel', () => {
    expect(normaliseCapture({ channel: 'whatsapp' }, CTX).channel).toBe('whatsapp')
  })

  it('does not modify the capture it is given', () => {
    const capture = Object.freeze({ channel: 'api', firstName: ' ASHA ', email: ' A@B.COM ' } as const)
    normaliseCapture(capture, CTX)
    expect(capture).toEqual({ channel: 'api', firstName: ' ASHA ', email: ' A@B.COM ' })
  })
})

describe('text fields: trim, collapse whitespace, NFC, empty -> null', () => {
  it.each([
    ['  Acme   Corp  ', 'Acme Corp'],
    ['\tAcme\nCorp\u00a0Ltd\r\n', 'Acme Corp Ltd'],
    ['Acme\u0000 Corp\u0007', 'Acme Corp'],
    ['Cafe\u0301 Coffee Day', 'Caf\u00e9 Coffee Day'],
    ['🚀 Rocket Labs', '🚀 Rocket Labs'],
    ['टाटा कंसल्टेंसी', 'टाटा कंसल्टेंसी'],
    ['IBM', 'IBM'],
    ['', null],
    ['   ', null],
    ['\u00a0\n', null],
  ])('company %j -> %j', (input, expected) => {
    expect(norm({ company: input }).company).toBe(expected)
  })

  it('produces the NFC code points, not just a look-alike', () => {
    expect([...(norm({ company: 'Cafe\u0301' }).company ?? '')]).toEqual(['C', 'a', 'f', '\u00e9'])
  })

  it.each([
    ['title', { title: ' Head  of   Sales ' }, 'Head of Sales'],
    ['industry', { industry: ' IT\tServices ' }, 'IT Services'],
    ['state', { state: ' Tamil   Nadu' }, 'Tamil Nadu'],
    ['city', { city: '  ' }, null],
    ['need', { need: 'Need a CRM\n\nfor 50 reps' }, 'Need a CRM for 50 reps'],
    ['externalId', { externalId: ' wamid.HBgM ' }, 'wamid.HBgM'],
    ['honeypot', { honeypot: ' http://spam.example ' }, 'http://spam.example'],
  ] as const)('%s is cleaned', (field, fields, expected) => {
    expect(norm(fields)[field]).toBe(expected)
  })

  it.each([
    [' a  b ', 'a b'],
    ['', null],
    [42, '42'],
    [Number.NaN, null],
    [undefined, null],
    [null, null],
    [{}, null],
  ])('cleanText(%s) -> %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected)
  })
})

describe('names', () => {
  it.each([
    // typed in one case: re-cased
    ['asha', 'Asha'],
    ['RAO', 'Rao'],
    ['  ravi   kumar ', 'Ravi Kumar'],
    ["o'brien", "O'Brien"],
    ["D'SOUZA", "D'Souza"],
    ['d’souza', 'D’Souza'],
    ['mary-jane', 'Mary-Jane'],
    ['mcdonald', 'McDonald'],
    ['macy', 'Macy'],
    ['j. r. r.', 'J. R. R.'],
    ['JOSÉ', 'José'],
    ['la toya', 'La Toya'],
    ['priya 🌸', 'Priya 🌸'],
    // mixed case: the person's own spelling is kept
    ['McDonald', 'McDonald'],
    ['de la Cruz', 'de la Cruz'],
    ['DeShawn', 'DeShawn'],
    ['van der Berg', 'van der Berg'],
    ['Priya 🌸', 'Priya 🌸'],
    ['Zoë', 'Zoë'],
    // caseless scripts are untouched
    ['श्रीनिवास', 'श्रीनिवास'],
    ['சுப்பிரமணியன்', 'சுப்பிரமணியன்'],
    ['李小龙', '李小龙'],
    ['محمد', 'محمد'],
    ['😀', '😀'],
  ])('first name %j -> %j', (input, expected) => {
    expect(norm({ firstName: input }).firstName).toBe(expected)
  })

  it.each([
    ['de la cruz', 'de la Cruz'],
    ['DE LA CRUZ', 'de la Cruz'],
    ['van der berg', 'van der Berg'],
    ['DA SILVA', 'da Silva'],
    ['ahmad bin ismail', 'Ahmad bin Ismail'],
    ['de', 'De'],
    ['rao', 'Rao'],
    ['MCDONALD', 'McDonald'],
  ])('last name %j -> %j (surname particles stay lower-case before the surname)', (input, expected) => {
    expect(norm({ lastName: input }).lastName).toBe(expected)
  })

  it.each([
    ['Ravi', true],
    ['José', true],
    ['Priya 🌸', true],
    ['श्रीनिवास', false],
    ['Ravi रवि', false],
    ['😀', false],
    ['', false],
  ])('isLatinText(%j) -> %s', (input, expected) => {
    expect(isLatinText(input)).toBe(expected)
  })
})

describe('email', () => {
  it.each([
    [' Asha.Rao@Mail.Example.CO.IN ', 'asha.rao@mail.example.co.in', 'example.co.in', false],
    ['x@sub.dept.example.co.uk', 'x@sub.dept.example.co.uk', 'example.co.uk', false],
    ['sales@acme.com.', 'sales@acme.com', 'acme.com', false],
    ['mailto:Sales@Acme.com', 'sales@acme.com', 'acme.com', false],
    ['Asha Rao <Asha@Acme.IN>', 'asha@acme.in', 'acme.in', false],
    ['PRIYA@GMAIL.COM', 'priya@gmail.com', 'gmail.com', true],
    ['ravi@yahoo.co.in', 'ravi@yahoo.co.in', 'yahoo.co.in', true],
    ['ravi@mail.yahoo.co.in', 'ravi@mail.yahoo.co.in', 'yahoo.co.in', true],
    ['anil@rediffmail.com', 'anil@rediffmail.com', 'rediffmail.com', true],
    ['me@proton.me', 'me@proton.me', 'proton.me', true],
    ['wang@qq.com', 'wang@qq.com', 'qq.com', true],
    ['not-an-email', 'not-an-email', null, false],
    ['a@localhost', 'a@localhost', null, false],
    ['', null, null, false],
  ])('%j -> email %j, domain %j, free %s', (input, email, emailDomain, freeEmail) => {
    expect(norm({ email: input })).toMatchObject({ email, emailDomain, freeEmail })
  })

  it('lists every free provider sales asked for', () => {
    expect(FREE_EMAIL_DOMAINS).toEqual(
      expect.arrayContaining([
        'gmail.com',
        'googlemail.com',
        'yahoo.com',
        'yahoo.co.in',
        'ymail.com',
        'outlook.com',
        'hotmail.com',
        'live.com',
        'msn.com',
        'icloud.com',
        'me.com',
        'aol.com',
        'proton.me',
        'protonmail.com',
        'rediffmail.com',
        'zoho.com',
        'gmx.com',
        'mail.com',
        'yandex.com',
        'qq.com',
        '163.com',
      ]),
    )
  })

  it.each(FREE_EMAIL_DOMAINS.map((d) => [d]))(
    '%s is free mail and never becomes the company domain',
    (domain) => {
      expect(norm({ email: `someone@${domain}` })).toMatchObject({
        emailDomain: domain,
        freeEmail: true,
        companyDomain: null,
      })
    },
  )

  it.each([
    ['mailinator.com', true],
    ['MAILINATOR.COM.', true],
    ['yopmail.com', true],
    ['gmail.com', false],
    ['example.co.in', false],
  ])('isDisposableEmailDomain(%j) -> %s', (host, expected) => {
    expect(isDisposableEmailDomain(host)).toBe(expected)
  })
})

describe('phone (default country IN)', () => {
  it.each([
    ['+91 98765 43210', '+919876543210', 'IN', 'mobile'],
    ['098765 43210', '+919876543210', 'IN', 'mobile'],
    ['9876543210', '+919876543210', 'IN', 'mobile'],
    ['91-9876543210', '+919876543210', 'IN', 'mobile'],
    ['919876543210', '+919876543210', 'IN', 'mobile'],
    ['0091 98765 43210', '+919876543210', 'IN', 'mobile'],
    ['+91 (0) 98765 43210', '+919876543210', 'IN', 'mobile'],
    ['+91-80-2345-6789', '+918023456789', 'IN', 'fixed_line'],
    ['(080) 2345 6789', '+918023456789', 'IN', 'fixed_line'],
    ['022 2345 6789', '+912223456789', 'IN', 'fixed_line'],
    ['+44 20 7946 0958', '+442079460958', 'GB', 'fixed_line'],
    ['+44 7400 123456', '+447400123456', 'GB', 'mobile'],
    ['+1 (415) 555-2671', '+14155552671', 'US', 'fixed_line_or_mobile'],
    ['+1 212 555 0123', '+12125550123', 'US', 'fixed_line_or_mobile'],
    ['+971 50 123 4567', '+971501234567', 'AE', 'mobile'],
    ['+65 6123 4567', '+6561234567', 'SG', 'fixed_line'],
  ])('%j -> %s (%s, %s)', (input, phone, phoneCountry, phoneType) => {
    expect(norm({ phone: input })).toMatchObject({ phone, phoneCountry, phoneType })
  })

  it.each([
    // Ofcom's drama range: possible-looking, never valid
    ['+44 7700 900123', '+44 7700 900123'],
    ['12345', '12345'],
    [' 98765  4321 ', '98765 4321'],
    ['+1 123 456 7890', '+1 123 456 7890'],
    ['call me', 'call me'],
  ])('invalid %j stays as cleaned text %j with no country or type', (input, phone) => {
    expect(norm({ phone: input })).toMatchObject({ phone, phoneCountry: null, phoneType: null })
  })

  it('reads national numbers in the capture’s country when it has one', () => {
    expect(norm({ phone: '020 7946 0958', country: 'United Kingdom' })).toMatchObject({
      phone: '+442079460958',
      phoneCountry: 'GB',
      phoneType: 'fixed_line',
    })
    expect(norm({ phone: '(212) 456-7890', country: 'US' })).toMatchObject({
      phone: '+12124567890',
      phoneCountry: 'US',
      phoneType: 'fixed_line_or_mobile',
    })
  })

  it('falls back to ctx.defaultCountry when the capture’s country is absent or unknown', () => {
    expect(norm({ phone: '9876543210', country: 'Narnia' }).phone).toBe('+919876543210')
    expect(norm({ phone: '07400 123456' }, { ...CTX, defaultCountry: 'gb' })).toMatchObject({
      phone: '+447400123456',
      phoneCountry: 'GB',
    })
  })

  it('keeps a national number as text when no usable default country exists', () => {
    expect(norm({ phone: '9876543210' }, { ...CTX, defaultCountry: 'ZZ' })).toMatchObject({
      phone: '9876543210',
      phoneCountry: null,
      phoneType: null,
    })
  })

  it('lets an international prefix win over the capture’s country', () => {
    expect(norm({ phone: '+91 98765 43210', country: 'US' })).toMatchObject({
      phone: '+919876543210',
      phoneCountry: 'IN',
      country: 'US',
    })
  })
})

describe('website and company domain', () => {
  it.each([
    ['example.com', 'https://example.com', 'example.com'],
    ['https://www.Example.com/path?q=1', 'https://www.example.com', 'example.com'],
    ['HTTP://Shop.Example.co.uk:8080/x', 'http://shop.example.co.uk:8080', 'example.co.uk'],
    ['www.acme.in/', 'https://www.acme.in', 'acme.in'],
    ['//acme.io', 'https://acme.io', 'acme.io'],
    ['https://user:secret@acme.com/', 'https://acme.com', 'acme.com'],
    ['example.com.', 'https://example.com', 'example.com'],
  ])('%j -> %j, company domain %j', (input, website, companyDomain) => {
    expect(norm({ website: input })).toMatchObject({ website, companyDomain })
  })

  it.each([
    'localhost',
    'http://192.168.0.1',
    'example.c0m',
    'ftp://example.com',
    'not a website',
    'n/a',
    'https://exa_mple.com',
    'https://',
  ])('%j is not a usable website', (input) => {
    expect(norm({ website: input })).toMatchObject({ website: null, companyDomain: null })
  })

  it.each([
    ['the website wins over the email', { website: 'acme.com', email: 'asha@other.in' }, 'acme.com'],
    ['a company email is used without a website', { email: 'asha@mail.acme.co.in' }, 'acme.co.in'],
    ['an unusable website falls back to the email', { website: 'n/a', email: 'asha@acme.in' }, 'acme.in'],
    ['free mail is never a company domain', { email: 'asha@gmail.com' }, null],
    [
      'free mail with a website uses the website',
      { website: 'acme.com', email: 'asha@gmail.com' },
      'acme.com',
    ],
  ] as const)('%s', (_name, fields, companyDomain) => {
    expect(norm(fields).companyDomain).toBe(companyDomain)
  })
})

describe('country', () => {
  it.each([
    ['IN', 'IN'],
    ['in', 'IN'],
    [' India ', 'IN'],
    ['INDIA', 'IN'],
    ['Bharat', 'IN'],
    ['IND', 'IN'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['UK', 'GB'],
    ['U.K.', 'GB'],
    ['United Kingdom', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['gb', 'GB'],
    ['UAE', 'AE'],
    ['United Arab Emirates', 'AE'],
    ['Germany', 'DE'],
    ['Singapore', 'SG'],
    ['Deutschland', null],
    ['Narnia', null],
    ['EU', null],
    ['XX', null],
    ['', null],
  ])('%j -> %j', (input, expected) => {
    expect(norm({ country: input }).country).toBe(expected)
  })
})

describe('company size', () => {
  it.each([
    [1, '1-10'],
    [10, '1-10'],
    [11, '11-50'],
    [50.9, '11-50'],
    [200, '51-200'],
    [201, '201-500'],
    [501, '501-1000'],
    [1000, '501-1000'],
    [5000, '1001-5000'],
    [5001, '5001+'],
    [250_000, '5001+'],
    [0, null],
    [-5, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])('%s employees -> %j', (input, expected) => {
    expect(norm({ companySize: input }).companySize).toBe(expected)
  })

  it.each([
    ['51-200', '51-200'],
    ['51 - 200', '51-200'],
    ['51–200', '51-200'],
    ['200+', '51-200'],
    ['1000-5000', '501-1000'],
    ['1001-5000', '1001-5000'],
    ['1,001-5,000', '1001-5000'],
    ['11 to 50', '11-50'],
    ['500', '201-500'],
    ['201-500 employees', '201-500'],
    ['5001+', '5001+'],
    ['10k+', '5001+'],
    ['1-10', '1-10'],
    ['many', null],
    ['approx 200', null],
    ['Self-employed', null],
    ['0-10', null],
    ['', null],
  ])('%j -> %j (the bucket holding the lower bound)', (input, expected) => {
    expect(norm({ companySize: input }).companySize).toBe(expected)
  })
})

describe('revenue and currency', () => {
  it.each([
    [25_000_000, 25_000_000],
    [0, 0],
    [1234.5, 1234.5],
    [-1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [undefined, null],
  ])('annualRevenue %s -> %s', (input, expected) => {
    expect(norm({ annualRevenue: input }).annualRevenue).toBe(expected)
  })

  it.each([
    ['inr', 'INR'],
    [' usd ', 'USD'],
    ['EUR', 'EUR'],
    ['₹', 'INR'],
    ['Rs.', 'INR'],
    ['€', 'EUR'],
    ['£', 'GBP'],
    ['$', null],
    ['rupees', null],
    ['US Dollar', null],
    ['', null],
  ])('currency %j -> %j', (input, expected) => {
    expect(norm({ currency: input }).currency).toBe(expected)
  })
})

describe('receivedAt', () => {
  it.each([
    ['2026-02-14T09:30:00Z', '2026-02-14T09:30:00.000Z'],
    ['2026-02-14T09:30:00.123Z', '2026-02-14T09:30:00.123Z'],
    ['2026-02-14T15:00:00+05:30', '2026-02-14T09:30:00.000Z'],
    ['2026-02-14T15:00:00+0530', '2026-02-14T09:30:00.000Z'],
    ['2026-02-14 09:30:00Z', '2026-02-14T09:30:00.000Z'],
    ['2026-02-14', '2026-02-14T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('keeps the channel’s valid timestamp %j as %j', (input, expected) => {
    expect(norm({ receivedAt: input }).receivedAt).toBe(expected)
  })

  it.each([
    // no offset: would be read in the host's time zone
    '2026-02-14T09:30:00',
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-02-14T25:00:00Z',
    '14/02/2026',
    'yesterday',
    '',
    undefined,
  ])('uses ingestion’s clock instead of %j', (input) => {
    expect(norm({ receivedAt: input }).receivedAt).toBe(CTX.receivedAt)
  })
})
