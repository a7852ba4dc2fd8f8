import { Type, type Static } from 'typebox'
import { NO_NUL, Text } from '../../api/schemas/primitives.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'

/**
 * Google Ads lead form webhook payload (api_version 1.0): the answers arrive as a list of
 * columns, each with a stable `column_id` (FULL_NAME, EMAIL, PHONE_NUMBER...). The route
 * validates with this schema and the parser reads its type, so the two cannot drift.
 */
const Column = Type.Object({
  column_id: Text(100),
  column_name: Type.Optional(Type.String({ maxLength: 200, pattern: NO_NUL })),
  string_value: Type.Optional(Type.String({ maxLength: 2000, pattern: NO_NUL })),
})

export const GoogleLeadBody = Type.Object(
  {
    lead_id: Text(200),
    api_version: Type.Optional(Type.String({ maxLength: 20, pattern: NO_NUL })),
    form_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50, pattern: NO_NUL })])),
    campaign_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50, pattern: NO_NUL })])),
    adgroup_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50, pattern: NO_NUL })])),
    creative_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50, pattern: NO_NUL })])),
    gcl_id: Type.Optional(Type.String({ maxLength: 500, pattern: NO_NUL })),
    google_key: Type.String({ maxLength: 500, pattern: NO_NUL }),
    is_test: Type.Optional(Type.Boolean()),
    user_column_data: Type.Array(Column, { maxItems: 100 }),
  },
  { title: 'GoogleAdsLead' },
)
export type GoogleLeadPayload = Static<typeof GoogleLeadBody>

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
