import type { DraftLead, SpamAssessment } from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import { assessSpam, SPAM_QUARANTINE_THRESHOLD } from '../../domain/lead/spam.rules.js'

/**
 * Likely spam is stored but quarantined: no journey and no owner until someone reviews it.
 * Nothing a channel delivered is dropped without a trace, even a bot's form fill.
 */
export function spamStep(
  draft: DraftLead,
  capture: LeadCapture,
): { spam: SpamAssessment; quarantined: boolean } {
  const spam = assessSpam(draft, capture)
  return { spam, quarantined: spam.score >= SPAM_QUARANTINE_THRESHOLD }
}
