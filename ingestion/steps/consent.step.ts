import { decideConsent } from '../../domain/consent/consent.rules.js'
import type { ConsentDecision, DraftLead } from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'

/**
 * The consent the lead starts with. DND status comes from the NCPR registry lookup, which
 * is a connector of its own (not yet wired): until then numbers are recorded as not on DND.
 */
export function consentStep(_draft: DraftLead, capture: LeadCapture, receivedAt: string): ConsentDecision {
  return decideConsent(capture.consent, { receivedAt, dnd: false })
}
