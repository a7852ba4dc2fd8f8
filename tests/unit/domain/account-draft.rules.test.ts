import { describe, expect, it } from 'vitest'
import {
  checkAccountDraft,
  type AccountDraft,
  type AccountFields,
} from '../../../domain/account/account-draft.rules.js'
import { gstinCheckCharacter } from '../../../domain/account/gstin.rules.js'

const MAHARASHTRA_GSTIN = '27AAPFU0939F1ZV'
const KARNATAKA_GSTIN = `29AABCT1332L1Z${gstinCheckCharacter('29AABCT1332L1Z')}`

const STORED: AccountFields = {
  name: 'Acme Industries',
  type: 'customer',
  industry: null,
  companySize: null,
  annualRevenue: null,
  currency: null,
  domain: 'acme.co.in',
  gstin: MAHARASHTRA_GSTIN,
  addressLine1: null,
  addressLine2: null,
  city: 'Pune',
  state: 'Maharashtra',
  postalCode: '411001',
  country: 'IN',
  stateCode: '27',
  ownerId: null,
}

const create = (draft: AccountDraft) => checkAccountDraft({ name: 'Acme', ...draft }, null)
const errorsOf = (r: ReturnType<typeof checkAccountDraft>) => (r.ok ? [] : r.errors)
const valuesOf = (r: ReturnType<typeof checkAccountDraft>) => {
  if (!r.ok) throw new Error(`expected valid, got ${JSON.stringify(r.errors)}`)
  return r.values
}

describe('checkAccountDraft: names and text', () => {
  it('collapses spaces in the name and refuses a blank one', () => {
    expect(valuesOf(create({ name: '  Acme   Industries ' })).name).toBe('Acme Industries')
    expect(errorsOf(create({ name: '   ' }))).toEqual([{ pointer: '/name', message: 'must not be blank' }])
  })

  it('stores blank optional text as null', () => {
    expect(valuesOf(create({ industry: '  ', city: ' Pune ' }))).toMatchObject({
      industry: null,
      city: 'Pune',
    })
  })

  it('returns only the fields a draft sets', () => {
    expect(valuesOf(checkAccountDraft({ industry: 'Manufacturing' }, STORED))).toEqual({
      industry: 'Manufacturing',
    })
  })
})

describe('checkAccountDraft: domain', () => {
  it.each([
    ['acme.co.in', 'acme.co.in'],
    ['Acme.CO.IN', 'acme.co.in'],
    ['www.acme.com', 'acme.com'],
    ['https://www.Acme.io/contact', 'acme.io'],
    ['acme.com.', 'acme.com'],
  ])('reads %s as %s', (raw, domain) => {
    expect(valuesOf(create({ domain: raw })).domain).toBe(domain)
  })

  it.each(['gmail.com', 'rediffmail.com', 'localhost', '10.0.0.1', 'acme.c0m', 'acme com'])(
    'refuses %s',
    (raw) => {
      expect(errorsOf(create({ domain: raw })).map((e) => e.pointer)).toEqual(['/domain'])
    },
  )

  it('clears the domain with null', () => {
    expect(valuesOf(checkAccountDraft({ domain: null }, STORED))).toEqual({ domain: null })
  })
})

describe('checkAccountDraft: GSTIN and state code', () => {
  it('upper-cases the GSTIN and derives the state code from it', () => {
    expect(valuesOf(create({ gstin: ` ${MAHARASHTRA_GSTIN.toLowerCase()} ` }))).toMatchObject({
      gstin: MAHARASHTRA_GSTIN,
      stateCode: '27',
    })
  })

  it('accepts a state code that agrees with the GSTIN', () => {
    expect(valuesOf(create({ gstin: MAHARASHTRA_GSTIN, stateCode: '27' })).stateCode).toBe('27')
  })

  it('refuses a state code that disagrees with the GSTIN, naming the right one', () => {
    expect(errorsOf(create({ gstin: MAHARASHTRA_GSTIN, stateCode: '29' }))).toEqual([
      {
        pointer: '/stateCode',
        message: 'must be 27 (Maharashtra), the state the GSTIN is registered in',
      },
    ])
  })

  it.each([
    ['a bad check character', '27AAPFU0939F1ZA', 'check character'],
    ['a bad format', '27AAPFU0939F1Z', 'is not a GSTIN'],
    ['an unknown state code', `40AAPFU0939F1Z${gstinCheckCharacter('40AAPFU0939F1Z')}`, 'state code'],
  ])('refuses a GSTIN with %s at /gstin', (_why, gstin, message) => {
    const errors = errorsOf(create({ gstin }))
    expect(errors.map((e) => e.pointer)).toEqual(['/gstin'])
    expect(errors[0]?.message).toContain(message)
  })

  it('takes a state code alone when there is no GSTIN, if GST knows it', () => {
    expect(valuesOf(create({ stateCode: '07' })).stateCode).toBe('07')
    expect(errorsOf(create({ stateCode: '40' })).map((e) => e.pointer)).toEqual(['/stateCode'])
  })

  it('on an edit, checks a new state code against the stored GSTIN', () => {
    expect(errorsOf(checkAccountDraft({ stateCode: '29' }, STORED)).map((e) => e.pointer)).toEqual([
      '/stateCode',
    ])
    expect(errorsOf(checkAccountDraft({ stateCode: null }, STORED)).map((e) => e.pointer)).toEqual([
      '/stateCode',
    ])
  })

  it('on an edit, a new GSTIN moves the state code with it', () => {
    expect(valuesOf(checkAccountDraft({ gstin: KARNATAKA_GSTIN }, STORED))).toEqual({
      gstin: KARNATAKA_GSTIN,
      stateCode: '29',
    })
  })

  it('clearing the GSTIN keeps the state code and frees it', () => {
    expect(valuesOf(checkAccountDraft({ gstin: null }, STORED))).toEqual({ gstin: null })
    expect(valuesOf(checkAccountDraft({ gstin: null, stateCode: '29' }, STORED))).toEqual({
      gstin: null,
      stateCode: '29',
    })
  })
})

describe('checkAccountDraft: revenue, country, postal code', () => {
  it('takes revenue with a currency', () => {
    expect(valuesOf(create({ annualRevenue: 12_500_000.5, currency: 'INR' }))).toMatchObject({
      annualRevenue: 12_500_000.5,
      currency: 'INR',
    })
  })

  it('needs a currency with revenue, stored or given', () => {
    expect(errorsOf(create({ annualRevenue: 100 })).map((e) => e.pointer)).toEqual(['/currency'])
    expect(
      valuesOf(checkAccountDraft({ annualRevenue: 100 }, { ...STORED, currency: 'INR' })).annualRevenue,
    ).toBe(100)
    expect(
      errorsOf(checkAccountDraft({ currency: null }, { ...STORED, annualRevenue: 100, currency: 'INR' })).map(
        (e) => e.pointer,
      ),
    ).toEqual(['/currency'])
  })

  it.each([
    [-1, 'at least 0'],
    [10.123, '2 decimals'],
    [Number.MAX_SAFE_INTEGER, 'at most'],
  ])('refuses revenue %s', (annualRevenue, message) => {
    const errors = errorsOf(create({ annualRevenue, currency: 'INR' }))
    expect(errors.map((e) => e.pointer)).toEqual(['/annualRevenue'])
    expect(errors[0]?.message).toContain(message)
  })

  it('takes ISO 3166-1 alpha-2 codes in use only', () => {
    expect(valuesOf(create({ country: 'IN' })).country).toBe('IN')
    expect(errorsOf(create({ country: 'XX' })).map((e) => e.pointer)).toEqual(['/country'])
  })

  it('wants a 6-digit PIN for an Indian address, and any code elsewhere', () => {
    expect(valuesOf(create({ country: 'IN', postalCode: '560001' })).postalCode).toBe('560001')
    expect(errorsOf(create({ country: 'IN', postalCode: '05600' })).map((e) => e.pointer)).toEqual([
      '/postalCode',
    ])
    expect(valuesOf(create({ country: 'GB', postalCode: 'SW1A 1AA' })).postalCode).toBe('SW1A 1AA')
    expect(errorsOf(checkAccountDraft({ postalCode: 'ABC' }, STORED)).map((e) => e.pointer)).toEqual([
      '/postalCode',
    ])
  })

  it('reports every problem at once, in field order', () => {
    expect(
      errorsOf(create({ name: ' ', domain: 'gmail.com', gstin: 'nope', annualRevenue: 5 })).map(
        (e) => e.pointer,
      ),
    ).toEqual(['/name', '/domain', '/gstin', '/currency'])
  })
})
