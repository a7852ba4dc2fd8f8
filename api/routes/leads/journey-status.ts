import { WorkflowNotFoundError, type Client } from '@temporalio/client'
import { JOURNEY_STAGE_ATTRIBUTE, leadJourneyId } from '../../../workflows/lead-journey.messages.js'
import type { JourneyStatus } from '../../schemas/lead.schema.js'

/**
 * The lead's journey as Temporal sees it. A lead whose journey is not found yet is PENDING
 * (its outbox event waits for the relay); when Temporal cannot be asked, the lead is still
 * served, with status UNKNOWN, rather than failing the whole read.
 */
export async function journeyStatus(
  client: Client,
  leadId: string,
  timeoutMs = 1500,
): Promise<JourneyStatus> {
  const workflowId = leadJourneyId(leadId)
  try {
    const description = await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowId).describe(),
    )
    const stage = description.typedSearchAttributes.get(JOURNEY_STAGE_ATTRIBUTE)
    return {
      workflowId,
      status: description.status.name as JourneyStatus['status'],
      startedAt: description.startTime.toISOString(),
      ...(stage ? { stage } : {}),
    }
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { workflowId, status: 'PENDING' }
    return { workflowId, status: 'UNKNOWN' }
  }
}
