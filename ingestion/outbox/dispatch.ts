import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client'
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
    case 'lead.captured':
    case 'lead.unmerged': {
      const input: LeadJourneyInput = { leadId: (event.payload as { leadId: string }).leadId }
      try {
        await ctx.temporal.connection.withDeadline(Date.now() + ctx.timeoutMs, () =>
          ctx.temporal.workflow.start(LEAD_JOURNEY_WORKFLOW, {
            workflowId: leadJourneyId(input.leadId),
            taskQueue: ctx.taskQueue,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            // A captured lead gets exactly one journey, ever. A lead unlinked from a merge
            // may start again, but only if its earlier journey was cancelled by that merge.
            workflowIdReusePolicy:
              event.topic === 'lead.captured' ? 'REJECT_DUPLICATE' : 'ALLOW_DUPLICATE_FAILED_ONLY',
            memo: event.requestId ? { requestId: event.requestId } : {},
          }),
        )
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return // the journey ran already
        throw err
      }
      return
    }
    case 'lead.merged': {
      const { leadId } = event.payload as { leadId: string }
      try {
        await ctx.temporal.connection.withDeadline(Date.now() + ctx.timeoutMs, () =>
          ctx.temporal.workflow.getHandle(leadJourneyId(leadId)).cancel(),
        )
      } catch (err) {
        // Never started, or already closed: nothing to stop, which is the outcome we want.
        if (err instanceof WorkflowNotFoundError) return
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
