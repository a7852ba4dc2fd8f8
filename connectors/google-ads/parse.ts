import type { LeadCapture } from '../../domain/lead/lead-capture.js'

/**
 * Google Ads lead form webhook payload (api_version 1.0): the answers arrive as a list of
 * columns, each with a stable `column_id` (FULL_NAME, EMAIL, PHONE_NUMBER...).
 */
export interface GoogleLeadPayload {
  lead_id: string
  api_version?: string
  form_id?: number | string
  campaign_id?: number | string
  adgroup_id?: number | string
  creative_id?: number | string
  gcl_id?: string
  google_key: string
  is_test?: boolean
  user_column_data: { column_id: string; column_name?: string; string_value?: string }[]
}

/** Column ids Google defines for lead forms, and the capture field each fills. */
const COLUMNS: Record<string, keyof LeadCapture | 'fullName'> = {
  FULL_NAME: 'fullName',
  FIRST_NAME: 'firstName',
  LAST_NAME: 'lastName',
  EMAIL: 'email',
  WORK_EMAIL: 'email',
  PHONE_NUMBER: 'phone',
  WORK_PHONE: 'phone',
  COMPANY_NAME: 'company',
  JOB_TITLE: 'title',
  CITY: 'city',
  REGION: 'state',
  COUNTRY: 'country',
}

/**
 * Turns a payload into the pipeline's capture input. Pure: no I/O, no clock, so it is
 * unit-tested on its own and the route stays a thin shell. Unknown columns (custom
 * questions) are kept in the raw payload, not guessed at.
 */
export function parseGoogleLead(payload: GoogleLeadPayload, receivedAt: string): LeadCapture {
  const capture: LeadCapture = { channel: 'web_form', receivedAt, externalId: payload.lead_id }
  for (const column of payload.user_column_data) {
    const field = COLUMNS[column.column_id]
    const value = column.string_value?.trim()
    if (!field || !value) continue
    if (field === 'fullName') {
      const [first, ...rest] = value.split(/\s+/)
      capture.firstName ??= first
      if (rest.length) capture.lastName ??= rest.join(' ')
    } else {
      ;(capture as unknown as Record<string, string>)[field] = value
    }
  }
  capture.attribution = {
    source: 'google',
    medium: 'cpc',
    campaign: payload.campaign_id === undefined ? undefined : String(payload.campaign_id),
    content: payload.creative_id === undefined ? undefined : String(payload.creative_id),
    // The click id lets offline conversions be uploaded back to Google Ads later.
    landingPage: payload.gcl_id
      ? `https://ads.google.com/?gclid=${encodeURIComponent(payload.gcl_id)}`
      : undefined,
  }
  return capture
}
