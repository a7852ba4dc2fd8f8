import { describe, expect, it } from 'vitest'
import { checkMapping, columnOf, rowToCapture, suggestMapping } from '../../../connectors/import/mapping.js'

describe('suggestMapping', () => {
  it('reads Indian and international header spellings, ignoring case, spaces and punctuation', () => {
    expect(
      suggestMapping([
        'Contact Person',
        'E-mail ID',
        'Mobile No.',
        'WhatsApp Number',
        'Company Name',
        'Designation',
        'GSTIN',
        'City',
        'State',
        'Pincode',
        'Lead Source',
        'Remarks',
        'Favourite colour',
      ]),
    ).toEqual({
      'Contact Person': 'fullName',
      'E-mail ID': 'email',
      'Mobile No.': 'phone',
      // The first phone-like column wins; a second one is left for the person to decide.
      'WhatsApp Number': null,
      'Company Name': 'company',
      Designation: 'title',
      GSTIN: null,
      City: 'city',
      State: 'state',
      Pincode: null,
      'Lead Source': 'source',
      Remarks: null,
      'Favourite colour': null,
    })
  })

  it('maps separate first and last name columns', () => {
    expect(suggestMapping(['First Name', 'Surname', 'Contact No'])).toEqual({
      'First Name': 'firstName',
      Surname: 'lastName',
      'Contact No': 'phone',
    })
  })
})

describe('checkMapping', () => {
  const headers = ['Name', 'Email', 'Mobile']
  it('accepts a mapping with a contact point', () => {
    expect(checkMapping({ Name: 'fullName', Email: 'email', Mobile: null }, headers)).toEqual([])
  })
  it('refuses unknown columns, unknown fields, a field mapped twice and no contact point', () => {
    expect(checkMapping({ Phone: 'phone' }, headers)[0]).toMatchObject({ column: 'Phone' })
    expect(checkMapping({ Name: 'shoeSize' as never, Email: 'email' }, headers)[0]).toMatchObject({
      column: 'Name',
    })
    expect(checkMapping({ Email: 'email', Mobile: 'email' }, headers)[0]?.message).toMatch(
      /Both "Email" and "Mobile"/,
    )
    expect(checkMapping({ Name: 'fullName' }, headers)).toEqual([
      { column: null, message: expect.stringMatching(/email or phone/) },
    ])
  })
})

describe('rowToCapture', () => {
  const mapping = {
    Name: 'fullName',
    Email: 'email',
    Mobile: 'phone',
    Date: 'receivedAt',
    Turnover: 'annualRevenue',
    'Opted in': 'consent',
    Source: 'source',
    GSTIN: null,
  } as const
  const defaults = {
    campaign: 'expo-2026',
    source: 'expo',
    country: 'IN',
    consent: { granted: false, textVersion: 'v3', text: 'Yes, contact me.' },
  }

  it('builds an import capture with the file defaults, the row overriding them', () => {
    const { capture, errors } = rowToCapture(
      {
        Name: ' Asha  Rani Rao ',
        Email: 'asha@x.example.in',
        Mobile: '98765 43210',
        Date: '24/11/2026 10:30',
        Turnover: '₹ 12,50,000',
        'Opted in': 'Yes',
        Source: 'Walk-in',
        GSTIN: '27AAAAA0000A1Z5',
      },
      mapping,
      defaults,
      { name: 'expo.csv' },
    )
    expect(errors).toEqual([])
    expect(capture).toEqual({
      channel: 'import',
      firstName: 'Asha',
      lastName: 'Rani Rao',
      email: 'asha@x.example.in',
      phone: '98765 43210',
      country: 'IN',
      receivedAt: '2026-11-24T10:30:00',
      annualRevenue: 1250000,
      attribution: { source: 'Walk-in', campaign: 'expo-2026' },
      consent: {
        granted: true,
        source: 'import:expo.csv',
        text: 'Yes, contact me.',
        textVersion: 'v3',
        at: new Date('2026-11-24T10:30:00').toISOString(),
      },
    })
  })

  it('leaves empty cells out and uses the defaults for them', () => {
    const { capture } = rowToCapture(
      { Name: 'Ravi', Email: '', Mobile: '9876500001', 'Opted in': '' },
      mapping,
      defaults,
      {
        name: 'f.csv',
      },
    )
    expect(capture).toMatchObject({ firstName: 'Ravi', phone: '9876500001', consent: { granted: false } })
    expect(capture.email).toBeUndefined()
    expect(capture.lastName).toBeUndefined()
    expect(capture.attribution).toEqual({ source: 'expo', campaign: 'expo-2026' })
  })

  it('reports a consent answer it cannot read, pointing at its column', () => {
    const { errors } = rowToCapture(
      { Name: 'X', Email: 'x@y.example.in', 'Opted in': 'maybe' },
      mapping,
      defaults,
      {
        name: 'f.csv',
      },
    )
    expect(errors).toEqual([
      { field: 'consent', column: 'Opted in', message: '"maybe" is not a yes/no answer.' },
    ])
  })

  it('has no consent evidence when neither the file nor the row says anything', () => {
    const { capture } = rowToCapture({ Email: 'a@b.example.in' }, { Email: 'email' }, {}, { name: 'f.csv' })
    expect(capture).toEqual({ channel: 'import', email: 'a@b.example.in' })
  })

  it('finds the column a field came from, a full name standing for first and last name', () => {
    expect(columnOf(mapping, 'email')).toBe('Email')
    expect(columnOf(mapping, 'firstName')).toBe('Name')
    expect(columnOf(mapping, 'website')).toBeNull()
  })
})
