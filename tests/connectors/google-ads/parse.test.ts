import { describe, expect, it } from 'vitest'
import { parseGoogleLead, type GoogleLeadPayload } from '../../../connectors/google-ads/parse.js'

const payload = (columns: GoogleLeadPayload['user_column_data'], extra: Partial<GoogleLeadPayload> = {}) => ({
  lead_id: 'lead-1',
  google_key: 'k',
  campaign_id: 987,
  creative_id: 55,
  gcl_id: 'Cj0KCQ',
  user_column_data: columns,
  ...extra,
})

describe('parseGoogleLead', () => {
  it('maps Google column ids to capture fields and splits a full name', () => {
    const capture = parseGoogleLead(
      payload([
        { column_id: 'FULL_NAME', string_value: 'Asha Rani Rao' },
        { column_id: 'EMAIL', string_value: ' asha@example.in ' },
        { column_id: 'PHONE_NUMBER', string_value: '+91 98765 43210' },
        { column_id: 'COMPANY_NAME', string_value: 'Example Pvt Ltd' },
        { column_id: 'CITY', string_value: 'Pune' },
        { column_id: 'COUNTRY', string_value: 'IN' },
      ]),
      '2026-11-24T10:00:00.000Z',
    )
    expect(capture).toMatchObject({
      channel: 'web_form',
      externalId: 'lead-1',
      receivedAt: '2026-11-24T10:00:00.000Z',
      firstName: 'Asha',
      lastName: 'Rani Rao',
      email: 'asha@example.in',
      phone: '+91 98765 43210',
      company: 'Example Pvt Ltd',
      city: 'Pune',
      country: 'IN',
    })
    expect(capture.attribution).toMatchObject({
      source: 'google',
      medium: 'cpc',
      campaign: '987',
      content: '55',
    })
    expect(capture.attribution?.landingPage).toContain('gclid=Cj0KCQ')
  })

  it('prefers explicit first and last names, skips empty and unknown columns', () => {
    const capture = parseGoogleLead(
      payload([
        { column_id: 'FIRST_NAME', string_value: 'Ravi' },
        { column_id: 'LAST_NAME', string_value: 'Kumar' },
        { column_id: 'FULL_NAME', string_value: 'Someone Else' },
        { column_id: 'EMAIL', string_value: '   ' },
        { column_id: 'CUSTOM_QUESTION_1', string_value: 'Yes' },
      ]),
      '2026-11-24T10:00:00.000Z',
    )
    expect(capture.firstName).toBe('Ravi')
    expect(capture.lastName).toBe('Kumar')
    expect(capture.email).toBeUndefined()
    expect(Object.values(capture)).not.toContain('Yes')
  })

  it('leaves the campaign out when Google sends none', () => {
    const capture = parseGoogleLead(
      { lead_id: 'x', google_key: 'k', user_column_data: [] },
      '2026-11-24T10:00:00.000Z',
    )
    expect(capture.attribution?.campaign).toBeUndefined()
    expect(capture.attribution?.landingPage).toBeUndefined()
  })
})
