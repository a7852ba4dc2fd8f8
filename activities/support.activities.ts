import { escalateTicket, loadTicketSla, recordTicketBreach } from '../crm/support/ticket-sla.js'
import type { ActivityDeps } from './index.js'

/*
 * The ticketSla workflow's side effects. `at` is the workflow's clock (epoch ms): the
 * activities judge deadlines at the instant the workflow woke for them, so the decision
 * is the same on a retry and on the time-skipping test server. Each write is idempotent
 * (crm/support/ticket-sla.ts).
 */
export function createSupportActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /** The ticket's SLA fields (times and ids only), or null when it does not exist. */
    async loadTicketSla(input: { ticketId: string }) {
      return loadTicketSla(db, input.ticketId)
    },
    /** Stamps a missed deadline once, with audit, timeline and account.changed. */
    async recordTicketBreach(input: {
      ticketId: string
      clock: 'first_response' | 'resolution'
      at: number
    }) {
      return recordTicketBreach(db, input)
    },
    /** Escalation level 1 (manager) or 2 (account owner): a task, once per level. */
    async escalateTicket(input: { ticketId: string; level: 1 | 2; at: number; workflowId: string }) {
      return escalateTicket(db, input)
    },
  }
}
