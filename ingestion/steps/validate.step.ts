import type { DraftLead, ValidationIssue } from '../../domain/lead/draft-lead.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import { validateLead } from '../../domain/lead/validate.rules.js'
import { LeadwireError } from '../../platform/errors.js'
import type { StepContext } from './assess.js'

/** Errors refuse the capture (422 with field pointers, nothing written); warnings are kept on the lead. */
export function validateStep(draft: DraftLead, capture: LeadCapture, ctx: StepContext): ValidationIssue[] {
  const issues = validateLead(draft, capture, ctx.policy.validation)
  const errors = issues.filter((i) => i.severity === 'error')
  if (errors.length > 0) {
    // The same problem type as a schema failure: to the caller both are invalid fields.
    throw new LeadwireError('validation_failed', 422, errors.map((e) => e.message).join(' '), {
      errors: errors.map((e) => ({ pointer: `/body/${e.field}`, message: e.message })),
    })
  }
  return issues
}
