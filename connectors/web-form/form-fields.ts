import {
  CAPTURE_BANT_FIELDS,
  CAPTURE_CONTACT_FIELDS,
  CAPTURE_PLACE_FIELDS,
  type ContactChannel,
} from '../../domain/lead/lead-capture.js'

/**
 * The capture fields a form field can fill: the person fields of LeadCapture, plus
 * `fullName` (one "Name" box, split into first and last) and `consent` (the checkbox).
 * In the order a snippet shows them (a stored mapping keeps no order: it is JSONB).
 */
export const FORM_CAPTURE_FIELDS = [
  'fullName',
  ...CAPTURE_CONTACT_FIELDS,
  ...CAPTURE_PLACE_FIELDS,
  ...CAPTURE_BANT_FIELDS,
  'consent',
] as const
export type FormCaptureField = (typeof FORM_CAPTURE_FIELDS)[number]

/** The campaign fields the embed script fills in: UTM tags, the referrer, the landing page. */
export const UTM_FIELDS = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'campaign',
  utm_term: 'term',
  utm_content: 'content',
} as const
export const REFERRER_FIELD = 'referrer'
export const LANDING_PAGE_FIELD = 'landing_page'
/** A per-render id the embed script generates: the submission's delivery key. */
export const SUBMISSION_ID_FIELD = 'submission_id'
/** The consent wording's version the page showed (an old pasted snippet may show an older one). */
export const CONSENT_VERSION_FIELD = 'consent_text_version'

/** Hidden fields every snippet carries; a mapped field or the honeypot may not take these names. */
export const RESERVED_FIELDS: readonly string[] = [
  ...Object.keys(UTM_FIELDS),
  REFERRER_FIELD,
  LANDING_PAGE_FIELD,
  SUBMISSION_ID_FIELD,
  CONSENT_VERSION_FIELD,
]

/** A form as the connector uses it (the web_form row, typed). */
export interface WebFormDefinition {
  id: string
  name: string
  isActive: boolean
  /** Form field name -> capture field. */
  fieldMapping: Record<string, FormCaptureField>
  allowedOrigins: string[]
  consentText: string | null
  consentTextVersion: string | null
  consentChannels: ContactChannel[]
  redirectUrl: string | null
  successMessage: string | null
  honeypotField: string
  rateLimitPerMinute: number
  attribution: { source?: string; medium?: string; campaign?: string }
}

export const DEFAULT_SUCCESS_MESSAGE = 'Thank you! We will be in touch soon.'

/**
 * The consent checkbox's field name: the field mapped to `consent`, else `consent` when the
 * form has consent wording (the checkbox the snippet renders), else none.
 */
export function consentFieldName(
  form: Pick<WebFormDefinition, 'fieldMapping' | 'consentText'>,
): string | null {
  const mapped = Object.entries(form.fieldMapping).find(([, to]) => to === 'consent')?.[0]
  return mapped ?? (form.consentText ? 'consent' : null)
}
