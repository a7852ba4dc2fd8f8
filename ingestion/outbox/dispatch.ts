import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client'
import {
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
  type LeadJourneyInput,
} from '../../workflows/lead-journey.messages.js'
import type { ClaimedEvent } from './outbox.repository.js'

export interface DispatchContext {
  temporal: Client
  taskQueue: string
  /** Without a deadline the SDK retries an unreachable server for ~20 s per call. */
  timeoutMs: number
}

/**
 * Hands one outbox event to Temporal. Safe to run any number of times for the same event:
 * the workflow id is the business id, a running journey is reused (USE_EXISTING) and a
 * finished one is never started again (REJECT_DUPLICATE), so a relay that crashes between
 * the start and its bookkeeping cannot start a second journey.
 */
export async function dispatch(event: ClaimedEvent, ctx: DispatchContext): Promise<void> {
  switch (event.topic) {
    case 'lead.captured': {
      const input: LeadJourneyInput = { leadId: event.payload.leadId }
      try {
        await ctx.temporal.connection.withDeadline(Date.now() + ctx.timeoutMs, () =>
          ctx.temporal.workflow.start(LEAD_JOURNEY_WORKFLOW, {
            workflowId: leadJourneyId(input.leadId),
            taskQueue: ctx.taskQueue,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            memo: event.requestId ? { requestId: event.requestId } : {},
          }),
        )
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return // the journey ran already
        throw err
      }
      return
    }
    default: {
      const unknown: never = event.topic
      throw new Error(`no dispatcher for outbox topic ${String(unknown)}`)
    }
  }
}
