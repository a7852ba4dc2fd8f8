import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client'
import type { SignalDefinition } from '@temporalio/common'
import {
  accountChanged,
  ACCOUNT_LIFECYCLE_WORKFLOW,
  accountLifecycleId,
} from '../../workflows/account-lifecycle.messages.js'
import {
  contactabilityChanged,
  engagementRecorded,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
  taskCompleted,
  type LeadJourneyInput,
} from '../../workflows/lead-journey.messages.js'
import type { ClaimedEvent } from './outbox.repository.js'
import type { OutboxTopics } from './outbox.topics.js'

/** The journey's signature, for typed starts without importing workflow code. */
type JourneyFn = (input: LeadJourneyInput) => Promise<unknown>

export interface DispatchContext {
  temporal: Client
  taskQueue: string
  /** Without a deadline the SDK retries an unreachable server for ~20 s per call. */
  timeoutMs: number
}

function withDeadline<T>(ctx: DispatchContext, fn: () => Promise<T>): Promise<T> {
  return ctx.temporal.connection.withDeadline(Date.now() + ctx.timeoutMs, fn)
}

/**
 * Delivers a fact to the lead's journey. signalWithStart: a journey whose start event is
 * still in the outbox (relays dispatch a batch concurrently) is started here with the same
 * id and options, so the signal is never lost; a journey that has finished (converted,
 * disqualified) refuses the start, and the fact needs no journey any more.
 */
async function signalJourney<A extends unknown[]>(
  ctx: DispatchContext,
  event: ClaimedEvent,
  leadId: string,
  signal: SignalDefinition<A>,
  signalArgs: A,
): Promise<void> {
  const input: LeadJourneyInput = { leadId }
  try {
    await withDeadline(ctx, () =>
      // The SDK's option type is a conditional over the signal's arguments that TypeScript
      // cannot resolve for a generic A; this function's own signature keeps callers typed.
      ctx.temporal.workflow.signalWithStart<JourneyFn, A>(LEAD_JOURNEY_WORKFLOW, {
        workflowId: leadJourneyId(leadId),
        taskQueue: ctx.taskQueue,
        args: [input],
        signal,
        signalArgs,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: event.requestId ? { requestId: event.requestId } : {},
      } as never),
    )
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return
    throw err
  }
}

/**
 * Hands one outbox event to Temporal. Safe to run any number of times for the same event:
 * the workflow id is the business id, a running journey is reused (USE_EXISTING) and a
 * finished one is never started again (REJECT_DUPLICATE), so a relay that crashes between
 * the start and its bookkeeping cannot start a second journey. Signals carry absolute
 * values (the score after the event), so a signal delivered twice changes nothing.
 */
export async function dispatch(event: ClaimedEvent, ctx: DispatchContext): Promise<void> {
  switch (event.topic) {
    case 'lead.captured':
    case 'lead.unmerged': {
      const input: LeadJourneyInput = { leadId: (event.payload as { leadId: string }).leadId }
      try {
        await withDeadline(ctx, () =>
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
      const { leadId } = event.payload as OutboxTopics['lead.merged']
      try {
        await withDeadline(ctx, () => ctx.temporal.workflow.getHandle(leadJourneyId(leadId)).cancel())
      } catch (err) {
        // Never started, or already closed: nothing to stop, which is the outcome we want.
        if (err instanceof WorkflowNotFoundError) return
        throw err
      }
      return
    }
    case 'lead.engaged': {
      const { leadId, ...signal } = event.payload as OutboxTopics['lead.engaged']
      return signalJourney(ctx, event, leadId, engagementRecorded, [signal])
    }
    case 'task.completed': {
      const { leadId, ...signal } = event.payload as OutboxTopics['task.completed']
      return signalJourney(ctx, event, leadId, taskCompleted, [signal])
    }
    case 'lead.contactability_changed': {
      const { leadId, ...signal } = event.payload as OutboxTopics['lead.contactability_changed']
      return signalJourney(ctx, event, leadId, contactabilityChanged, [signal])
    }
    case 'account.lead_converted': {
      const { accountId, leadId } = event.payload as OutboxTopics['account.lead_converted']
      await withDeadline(ctx, () =>
        ctx.temporal.workflow.signalWithStart(ACCOUNT_LIFECYCLE_WORKFLOW, {
          workflowId: accountLifecycleId(accountId),
          taskQueue: ctx.taskQueue,
          args: [{ accountId }],
          signal: accountChanged,
          signalArgs: [{ reason: 'lead_converted', leadId }],
        }),
      )
      return
    }
    default: {
      const unknown: never = event.topic
      throw new Error(`no dispatcher for outbox topic ${String(unknown)}`)
    }
  }
}
