/**
 * What a channel hands to ingestion: the person's fields as received, and where they came
 * from. Normalisation, validation, dedupe, consent, scoring and assignment turn this into
 * a governed lead (ingestion/pipeline.ts).
 */
export interface LeadCapture {
  channel: LeadChannel
  firstName?: string | undefined
  lastName?: string | undefined
  email?: string | undefined
  phone?: string | undefined
  company?: string | undefined
}

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

/** Who or what made a write: every write is attributable. */
export interface Actor {
  /** `user:<id>`, `api-key:<id>`, `connector:<id>` or `system:<process>`. */
  id: string
}
