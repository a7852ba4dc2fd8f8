import { touchFromCapture, type Touch } from '../../domain/attribution/touch.rules.js'
import type { DraftLead } from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'

/** Every capture is a touch in the ledger; first and last touch are computed from it. */
export function attributionStep(draft: DraftLead, capture: LeadCapture): Touch {
  return touchFromCapture(draft.channel, capture.attribution, draft.receivedAt)
}
