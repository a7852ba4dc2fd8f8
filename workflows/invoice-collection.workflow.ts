import {
  ActivityFailure,
  condition,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'
import type { Activities } from '../activities/index.js'
import {
  collectionSchedule,
  nextCollectionAction,
  type CollectionStepId,
  type PlannedStep,
} from '../domain/billing/reminder-schedule.rules.js'
import { shortIo, vendorSend } from './activity-profiles.js'
import { getInvoiceCollection, invoiceChanged, type InvoiceCollectionInput } from './post-sales.messages.js'
import { workflowNow } from './workflow-clock.js'

const { loadInvoiceForCollection, markInvoiceOverdue, escalateOverdueInvoice } =
  proxyActivities<Activities>(shortIo)
const { sendInvoiceReminder } = proxyActivities<Activities>(vendorSend)

/** What the workflow's query answers: ids, dates and progress only. */
export interface InvoiceCollectionState {
  invoiceId: string
  status: string | null
  dueDate: string | null
  done: CollectionStepId[]
  /** Steps passed over because a later reminder was already due. */
  skipped: CollectionStepId[]
  nextAt: string | null
  outcome: InvoiceCollectionOutcome | null
}

/** paid/void/not_found: the invoice closed; escalated: the collections task took over. */
export type InvoiceCollectionOutcome = 'paid' | 'void' | 'not_found' | 'escalated'

/**
 * Collects an issued invoice along the schedule in domain/billing/reminder-schedule.rules.ts:
 * reminders before, on and after the due date, the overdue fact for the account's health,
 * and at 30 days overdue the account owner's collections task. Ends when the invoice is paid
 * or voided (an `invoiceChanged` signal makes it re-read the invoice) or once escalated.
 *
 * No continue-as-new: a run has at most six steps and lives until 30 days after the due
 * date, so its history is a few dozen events plus a handful per payment signal, far from
 * the size where Temporal suggests continuing as new.
 */
export async function invoiceCollection(input: InvoiceCollectionInput): Promise<InvoiceCollectionOutcome> {
  const { invoiceId } = input
  const state: InvoiceCollectionState = {
    invoiceId,
    status: null,
    dueDate: null,
    done: [],
    skipped: [],
    nextAt: null,
    outcome: null,
  }
  let changed = false
  setHandler(invoiceChanged, () => {
    changed = true
  })
  setHandler(getInvoiceCollection, () => state)

  const finish = (outcome: InvoiceCollectionOutcome) => {
    state.outcome = outcome
    state.nextAt = null
    return outcome
  }

  let invoice = await loadInvoiceForCollection({ invoiceId })
  for (;;) {
    if (changed) {
      changed = false
      invoice = await loadInvoiceForCollection({ invoiceId })
    }
    state.status = invoice.status
    state.dueDate = invoice.dueDate
    if (!invoice.found || !invoice.issueDate || !invoice.dueDate) return finish('not_found')
    if (!invoice.open) return finish(invoice.status === 'void' ? 'void' : 'paid')

    const schedule = collectionSchedule(invoice.issueDate, invoice.dueDate)
    const next = nextCollectionAction(
      schedule,
      { done: state.done, reminderLevel: invoice.reminderLevel, overdueRecorded: invoice.overdueRecorded },
      workflowNow(),
    )
    if (next.kind === 'finished') return finish('escalated')
    if (next.kind === 'wait') {
      state.nextAt = new Date(next.until).toISOString()
      await condition(() => changed, next.until - workflowNow())
      continue
    }
    if (next.stale) state.skipped.push(next.step.id)
    else await runStep(invoiceId, next.step)
    state.done.push(next.step.id)
  }
}

async function runStep(invoiceId: string, step: PlannedStep): Promise<void> {
  const at = new Date(workflowNow()).toISOString()
  if (step.action === 'mark_overdue') {
    await markInvoiceOverdue({ invoiceId, at })
    return
  }
  // Escalate before the final notice: an invoice at reminder level 5 has its task already.
  if (step.escalate) await escalateOverdueInvoice({ invoiceId, at, workflowId: workflowInfo().workflowId })
  try {
    await sendInvoiceReminder({ invoiceId, level: step.level ?? 0, step: step.id, at })
  } catch (err) {
    // SendGrid refused this reminder outright (recorded as failed on its claim): the next
    // reminder is still worth trying, so the collection goes on.
    if (!(err instanceof ActivityFailure)) throw err
    log.warn('invoice reminder not sent', { invoiceId, step: step.id })
  }
}
