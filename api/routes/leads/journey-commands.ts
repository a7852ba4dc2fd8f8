import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client'
import { ActivityFailure, ApplicationFailure, type UpdateDefinition } from '@temporalio/common'
import { JOURNEY_REJECTIONS, leadJourneyId } from '../../../workflows/lead-journey.messages.js'
import { ConflictError, DomainRuleError, LeadwireError, type FieldError } from '../../../platform/errors.js'

/** How long the API waits for a journey to accept and finish an update. */
const UPDATE_TIMEOUT_MS = 20_000

function fieldErrors(details: unknown, prefix = '/body'): FieldError[] {
  const list = Array.isArray(details) ? (details as FieldError[]) : []
  return list.map((e) => ({ pointer: `${prefix}${e.pointer}`, message: e.message }))
}

/** The application failure at the bottom of an update failure (the validator's or an activity's). */
function rootFailure(err: unknown): ApplicationFailure | undefined {
  let cause: unknown = err instanceof WorkflowUpdateFailedError ? err.cause : err
  while (cause instanceof ActivityFailure) cause = cause.cause
  return cause instanceof ApplicationFailure ? cause : undefined
}

/**
 * Sends a command to a lead's journey as a Temporal update and waits for its result,
 * turning the journey's refusals into problem+json: a wrong stage is a conflict (409),
 * invalid input or a rule the data breaks is unprocessable (422), a journey that is not
 * running is a conflict, and a Temporal that does not answer in time is not ready (503).
 */
export async function runJourneyUpdate<R, A>(
  client: Client,
  leadId: string,
  update: UpdateDefinition<R, [A]>,
  arg: A,
): Promise<R> {
  const handle = client.workflow.getHandle(leadJourneyId(leadId))
  try {
    return await client.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () =>
      handle.executeUpdate(update, { args: [arg] }),
    )
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new ConflictError(`Lead ${leadId} has no running journey (it is closed, or not started yet).`)
    const failure = rootFailure(err)
    if (failure?.type === JOURNEY_REJECTIONS.wrongStage) throw new ConflictError(failure.message)
    if (failure?.type === JOURNEY_REJECTIONS.invalidInput)
      throw new LeadwireError('validation_failed', 422, failure.message, {
        errors: fieldErrors(failure.details?.[0]),
      })
    if (failure?.type === 'ConversionRejected')
      throw new DomainRuleError(failure.message, fieldErrors(failure.details?.[0], ''))
    if (err instanceof WorkflowUpdateFailedError) throw err
    throw new LeadwireError('not_ready', 503, 'The lead journey did not answer in time; try again shortly.', {
      retryable: true,
      cause: err,
    })
  }
}
