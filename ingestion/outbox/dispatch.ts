import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client'
import type { SignalDefinition } from '@temporalio/common'
import {
  accountChanged,
  ACCOUNT_LIFECYCLE_WORKFLOW,
  accountLifecycleId,
} from '../../workflows/account-lifecycle.messages.js'
import {
  contactabilityChanged,
  ownerChanged,
  engagementRecorded,
  LEAD_JOURNEY_WORKFLOW,
  leadJourneyId,
  taskCompleted,
  type LeadJourneyInput,
} from '../../workflows/lead-journey.messages.js'
import {
  CONTRACT_RENEWAL_WORKFLOW,
  contractChanged,
  contractRenewalId,
  INVOICE_COLLECTION_WORKFLOW,
  invoiceChanged,
  invoiceCollectionId,
  TICKET_SLA_WORKFLOW,
  ticketChanged,
  ticketSlaId,
} from '../../workflows/post-sales.messages.js'
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

/** A workflow that follows one business record: its type, its id, its input and its "changed" signal. */
interface RecordWorkflow {
  type: string
  id: (recordId: string) => string
  input: (recordId: string) => object
  changed: SignalDefinition<[{ reason: string }]>
}

const RECORD_WORKFLOWS = {
  account: {
    type: ACCOUNT_LIFECYCLE_WORKFLOW,
    id: accountLifecycleId,
    input: (accountId: string) => ({ accountId }),
    changed: accountChanged,
  },
  invoice: {
    type: INVOICE_COLLECTION_WORKFLOW,
    id: invoiceCollectionId,
    input: (invoiceId: string) => ({ invoiceId }),
    changed: invoiceChanged,
  },
  ticket: {
    type: TICKET_SLA_WORKFLOW,
    id: ticketSlaId,
    input: (ticketId: string) => ({ ticketId }),
    changed: ticketChanged,
  },
  contract: {
    type: CONTRACT_RENEWAL_WORKFLOW,
    id: contractRenewalId,
    input: (contractId: string) => ({ contractId }),
    changed: contractChanged,
  },
} satisfies Record<string, RecordWorkflow>

/**
 * Starts a record's workflow (one per business id), or leaves the running one alone. A
 * finished run is started again: the post-sales workflows re-read their record first and
 * end at once when there is nothing left to do.
 */
async function startRecordWorkflow(
  ctx: DispatchContext,
  event: ClaimedEvent,
  w: RecordWorkflow,
  recordId: string,
): Promise<void> {
  await withDeadline(ctx, () =>
    ctx.temporal.workflow.start(w.type, {
      workflowId: w.id(recordId),
      taskQueue: ctx.taskQueue,
      args: [w.input(recordId)],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: event.requestId ? { requestId: event.requestId } : {},
    }),
  )
}

/** Tells a record's workflow that the record changed, starting it if it is not running. */
async function signalRecordWorkflow(
  ctx: DispatchContext,
  event: ClaimedEvent,
  w: RecordWorkflow,
  recordId: string,
  reason: string,
): Promise<void> {
  await withDeadline(ctx, () =>
    ctx.temporal.workflow.signalWithStart(w.type, {
      workflowId: w.id(recordId),
      taskQueue: ctx.taskQueue,
      args: [w.input(recordId)],
      signal: w.changed,
      signalArgs: [{ reason }],
      memo: event.requestId ? { requestId: event.requestId } : {},
    }),
  )
}

const payloadOf = <T extends keyof OutboxTopics>(event: ClaimedEvent, _topic: T) =>
  event.payload as OutboxTopics[T]

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
    case 'lead.erased': {
      const { leadId } = payloadOf(event, 'lead.erased')
      try {
        // Terminated rather than cancelled: a cancelled journey runs its clean-up activities,
        // and nothing may act on an erased person any more.
        await withDeadline(ctx, () =>
          ctx.temporal.workflow.getHandle(leadJourneyId(leadId)).terminate('the lead was erased'),
        )
      } catch (err) {
        // No journey (a duplicate, a quarantined lead) or one that has ended: nothing runs.
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
    case 'lead.owner_changed': {
      const { leadId, ownerId } = event.payload as OutboxTopics['lead.owner_changed']
      return signalJourney(ctx, event, leadId, ownerChanged, [{ ownerId }])
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
    case 'account.changed': {
      const { accountId, reason } = event.payload as OutboxTopics['account.changed']
      return signalRecordWorkflow(ctx, event, RECORD_WORKFLOWS.account, accountId, reason)
    }
    case 'invoice.issued':
      return startRecordWorkflow(
        ctx,
        event,
        RECORD_WORKFLOWS.invoice,
        payloadOf(event, 'invoice.issued').invoiceId,
      )
    case 'invoice.changed': {
      const { invoiceId, reason } = payloadOf(event, 'invoice.changed')
      return signalRecordWorkflow(ctx, event, RECORD_WORKFLOWS.invoice, invoiceId, reason)
    }
    case 'ticket.opened':
      return startRecordWorkflow(
        ctx,
        event,
        RECORD_WORKFLOWS.ticket,
        payloadOf(event, 'ticket.opened').ticketId,
      )
    case 'ticket.changed': {
      const { ticketId, reason } = payloadOf(event, 'ticket.changed')
      return signalRecordWorkflow(ctx, event, RECORD_WORKFLOWS.ticket, ticketId, reason)
    }
    case 'contract.activated':
      return startRecordWorkflow(
        ctx,
        event,
        RECORD_WORKFLOWS.contract,
        payloadOf(event, 'contract.activated').contractId,
      )
    case 'contract.changed': {
      const { contractId, reason } = payloadOf(event, 'contract.changed')
      return signalRecordWorkflow(ctx, event, RECORD_WORKFLOWS.contract, contractId, reason)
    }
    default: {
      const unknown: never = event.topic
      throw new Error(`no dispatcher for outbox topic ${String(unknown)}`)
    }
  }
}
