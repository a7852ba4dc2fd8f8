import type { ValidationIssue } from '../../domain/lead/draft-lead.js'
import { LeadwireError } from '../../platform/errors.js'

/** A capture's validation errors as its refusal: 422 with field pointers, nothing written (warnings stay on the lead). */
export function validationFailed(errors: readonly ValidationIssue[]): LeadwireError {
  // The same problem type as a schema failure: to the caller both are invalid fields.
  return new LeadwireError('validation_failed', 422, errors.map((e) => e.message).join(' '), {
    errors: errors.map((e) => ({ pointer: `/body/${e.field}`, message: e.message })),
  })
}
