import { companyBlockKey, fuzzyKey, matchKeys } from '../../domain/dedupe/match-keys.rules.js'
import type { ValidationIssue } from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import { validateLead } from '../../domain/lead/validate.rules.js'
import { pickTerritory } from '../../domain/territory/territory.rules.js'
import type { Assessment, StepContext } from './assess.js'
import { attributionStep } from './attribution.step.js'
import { consentStep } from './consent.step.js'
import { normaliseStep } from './normalise.step.js'
import { scoreStep } from './score.step.js'
import { spamStep } from './spam.step.js'

/** A capture's verdict from the pure steps: refused with its errors, or assessed. */
export type CaptureVerdict = { ok: true; assessment: Assessment } | { ok: false; errors: ValidationIssue[] }

/**
 * The pure steps for one capture, in order: normalise, validate, spam, consent, attribution,
 * score, territory, match keys. A refusal is returned, not thrown: a single capture turns it
 * into a 422 (validationFailed), a bulk import into a line of its error report (in a file of
 * a million rows, an exception per bad row would cost more than checking it).
 */
export function assessCapture(capture: LeadCapture, ctx: StepContext): CaptureVerdict {
  const draft = normaliseStep(capture, ctx)
  const issues = validateLead(draft, capture, ctx.policy.validation)
  const errors = issues.filter((i) => i.severity === 'error')
  if (errors.length > 0) return { ok: false, errors }
  const { spam, quarantined } = spamStep(draft, capture)
  return {
    ok: true,
    assessment: {
      capture,
      draft,
      issues,
      spam,
      quarantined,
      consent: consentStep(draft, capture, draft.receivedAt),
      touch: attributionStep(draft, capture),
      score: scoreStep(draft, ctx),
      territory: pickTerritory(draft, ctx.rules.territories),
      fuzzyKey: fuzzyKey(draft),
      companyKey: companyBlockKey(draft),
      matchKeys: matchKeys(draft),
    },
  }
}
