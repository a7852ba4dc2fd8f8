/**
 * What a channel hands to ingestion: the person's fields as received, where they came
 * from and what they agreed to. Normalisation, validation, spam scoring, dedupe, consent,
 * attribution, scoring and assignment turn this into a governed lead (ingestion/pipeline.ts).
 */
export interface LeadCapture {
  channel: LeadChannel
  /** When the channel received it (ISO 8601). Ingestion's clock is used when absent. */
  receivedAt?: string | undefined
  /** The channel's own id for this delivery or person (form submission id, WhatsApp jid, CallSid...). */
  externalId?: string | undefined

  firstName?: string | undefined
  lastName?: string | undefined
  email?: string | undefined
  phone?: string | undefined
  company?: string | undefined
  title?: string | undefined
  website?: string | undefined
  industry?: string | undefined
  /** Employees, as a number or a range such as "51-200". */
  companySize?: string | number | undefined
  /** Annual revenue in the currency's major unit. */
  annualRevenue?: number | undefined
  currency?: string | undefined
  /** ISO 3166-1 alpha-2 code or an English country name. */
  country?: string | undefined
  state?: string | undefined
  city?: string | undefined

  /** BANT hints the capture already carries (a form's "budget" field, say). */
  budget?: string | undefined
  authority?: string | undefined
  need?: string | undefined
  timeline?: string | undefined

  consent?: ConsentEvidence | undefined
  attribution?: AttributionInput | undefined
  /** Value of a hidden form field that people never fill in; bots do. */
  honeypot?: string | undefined
}

/*
 * LeadCapture's text fields in groups, in the order the interface declares them: what a
 * channel's field mapping can fill (web forms, imports) is built from these groups.
 */
export const CAPTURE_CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'website',
  'industry',
  'companySize',
] as const satisfies readonly (keyof LeadCapture)[]
export const CAPTURE_PLACE_FIELDS = [
  'country',
  'state',
  'city',
] as const satisfies readonly (keyof LeadCapture)[]
export const CAPTURE_BANT_FIELDS = [
  'budget',
  'authority',
  'need',
  'timeline',
] as const satisfies readonly (keyof LeadCapture)[]

export const LEAD_CHANNELS = [
  'api',
  'web_form',
  'whatsapp',
  'email',
  'phone',
  'partner_api',
  'event',
  'import',
] as const
export type LeadChannel = (typeof LEAD_CHANNELS)[number]

export const CONTACT_CHANNELS = ['email', 'whatsapp', 'sms', 'phone'] as const
export type ContactChannel = (typeof CONTACT_CHANNELS)[number]

/** What the person agreed to, as the channel captured it (GDPR Art. 7: be able to show it). */
export interface ConsentEvidence {
  /** True when the person opted in; false when they explicitly declined. */
  granted: boolean
  /** When (ISO 8601). */
  at?: string | undefined
  /** Where: "web_form:pricing-page", "whatsapp", "import:2026-11-expo.csv"... */
  source?: string | undefined
  /** Version id of the consent wording shown to the person. */
  textVersion?: string | undefined
  /** The wording itself, when the channel has it (stored with the consent record). */
  text?: string | undefined
  /** Channels the consent covers; absent means every channel. */
  channels?: ContactChannel[] | undefined
}

/** Campaign data as received: explicit UTM fields and/or the URLs they can be read from. */
export interface AttributionInput {
  source?: string | undefined
  medium?: string | undefined
  campaign?: string | undefined
  term?: string | undefined
  content?: string | undefined
  referrer?: string | undefined
  landingPage?: string | undefined
}

/** Who or what made a write: every write is attributable. */
export interface Actor {
  /** `user:<id>`, `api-key:<id>`, `connector:<id>`, `api:anonymous` or `system:<process>`. */
  id: string
}
