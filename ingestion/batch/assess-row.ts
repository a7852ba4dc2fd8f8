import { companyBlockKey, fuzzyKey, matchKeys } from '../../domain/dedupe/match-keys.rules.js'
import type { ValidationIssue } from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import { validateLead } from '../../domain/lead/validate.rules.js'
import { pickTerritory } from '../../domain/territory/territory.rules.js'
import type { Assessment, StepContext } from '../steps/assess.js'
import { attributionStep } from '../steps/attribution.step.js'
import { consentStep } from '../steps/consent.step.js'
import { normaliseStep } from '../steps/normalise.step.js'
import { scoreStep } from '../steps/score.step.js'
import { spamStep } from '../steps/spam.step.js'

/** One row's verdict from the pure steps: refused with its errors, or assessed. */
export type RowAssessment = { ok: true; assessment: Assessment } | { ok: false; errors: ValidationIssue[] }

/**
 * The single pipeline's `assess()` (ingestion/pipeline.ts), step for step, except that a
 * refusal is returned instead of thrown: in a file of a million rows a refused row is a line
 * in the error report, not a 422, and building an exception per bad row would cost more than
 * checking it. validateStep throws on exactly the issues of severity 'error' that
 * validateLead returns, so the verdict is the same.
 */
export function assessRow(capture: LeadCapture, ctx: StepContext): RowAssessment {
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
