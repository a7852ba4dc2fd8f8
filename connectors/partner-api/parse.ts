import type { LeadCapture } from '../../domain/lead/lead-capture.js'

/** A partner lead as the route validated it (api/schemas/partner.schema.ts PartnerLeadBody). */
export type PartnerLeadFields = Omit<LeadCapture, 'channel' | 'externalId' | 'honeypot'> & {
  partnerLeadId?: string | undefined
}

/**
 * A partner's lead as the pipeline's capture. The partner is the source of every lead it
 * sends, whatever the body claims: source and medium are set from the partner, so one
 * partner cannot credit its leads to another or to a paid campaign. The body's campaign
 * (explicit or a utm_campaign on its landing page) and other tags are kept. Pure.
 */
export function toPartnerCapture(
  body: PartnerLeadFields,
  partner: { attributionSource: string },
  receivedAt: string,
): LeadCapture {
  const { partnerLeadId, attribution, ...fields } = body
  return {
    receivedAt,
    ...fields,
    channel: 'partner_api',
    externalId: partnerLeadId,
    attribution: { ...attribution, source: partner.attributionSource, medium: 'partner' },
  }
}
