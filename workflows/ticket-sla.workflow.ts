import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'
import type { Activities } from '../activities/index.js'
import { dueSlaActions, isSlaActive, nextSlaCheckAt } from '../domain/support/sla.rules.js'
import { shortIo } from './activity-profiles.js'
import { getTicketSla, ticketChanged, type TicketSlaInput } from './post-sales.messages.js'
import { workflowNow } from './workflow-clock.js'

const { loadTicketSla, recordTicketBreach, escalateTicket } = proxyActivities<Activities>(shortIo)

/** What getTicketSla answers: the watcher's view, ids and times only. */
export interface TicketSlaState {
  ticketId: string
  /** The ticket's status at the last read ('missing' if it does not exist). */
  status: string
  /** When the watcher wakes next without a signal (ISO), null when only a change can wake it. */
  nextCheckAt: string | null
  breaches: ('first_response' | 'resolution')[]
  escalationLevel: number
}

/** A run wakes a few times per ticket; this only bounds a run that is signalled endlessly. */
const PASSES_PER_RUN = 500
/** Never re-check sooner than this: a deadline the server's clock has just reached. */
const MIN_WAIT_MS = 1000

/**
 * Watches one ticket's SLA (id `ticket/<id>`). Each pass re-reads the ticket, applies what
 * the SLA rules say is due now (breaches, then escalation levels; every activity checks
 * again under the row lock), and sleeps until the next deadline or a ticketChanged signal
 * (a response, a status or priority change: the signal only says "re-read"). Ends when the
 * ticket is resolved or closed; a reopen starts a new run through ticket.changed's
 * signal-with-start. History stays small: a handful of passes per ticket, and a run that is
 * signalled without end continues as new.
 */
export async function ticketSla(input: TicketSlaInput): Promise<TicketSlaState> {
  const state: TicketSlaState = {
    ticketId: input.ticketId,
    status: 'unknown',
    nextCheckAt: null,
    breaches: [],
    escalationLevel: 0,
  }
  let changed = false
  setHandler(ticketChanged, () => {
    changed = true
  })
  setHandler(getTicketSla, () => state)
  const { workflowId } = workflowInfo()

  for (let pass = 0; pass < PASSES_PER_RUN && !workflowInfo().continueAsNewSuggested; pass++) {
    changed = false
    const ticket = await loadTicketSla({ ticketId: input.ticketId })
    if (!ticket) {
      state.status = 'missing'
      return state
    }
    state.status = ticket.status
    state.escalationLevel = ticket.escalationLevel
    const actions = dueSlaActions(ticket, workflowNow())
    for (const action of actions) {
      const at = workflowNow()
      if (action.kind === 'breach') {
        const result = await recordTicketBreach({ ticketId: input.ticketId, clock: action.clock, at })
        if (result.recorded) state.breaches.push(action.clock)
      } else {
        const result = await escalateTicket({ ticketId: input.ticketId, level: action.level, at, workflowId })
        if (result.escalated) state.escalationLevel = action.level
      }
    }
    if (actions.length > 0) continue // re-read what the actions wrote before planning the next wait
    if (!isSlaActive(ticket.status)) return state
    const next = nextSlaCheckAt(ticket)
    state.nextCheckAt = next === null ? null : new Date(next).toISOString()
    if (next === null) await condition(() => changed)
    else await condition(() => changed, Math.max(next - workflowNow(), MIN_WAIT_MS))
  }
  await condition(allHandlersFinished)
  return continueAsNew<typeof ticketSla>(input)
}
