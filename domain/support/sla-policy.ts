/*
 * Support SLA targets per ticket priority. Calendar hours, not business hours: a P3 opened
 * on Friday evening is due Monday evening whatever the weekend. Business calendars (working
 * hours, holidays per team) are not modelled yet; a policy with them would replace the
 * hour arithmetic in sla.rules.ts, not the shape of these targets.
 */

export const TICKET_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]

export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export const TICKET_CHANNELS = ['email', 'phone', 'whatsapp', 'web', 'api'] as const
export type TicketChannel = (typeof TICKET_CHANNELS)[number]

export interface SlaTargets {
  /** Hours from opening to the first human response. */
  firstResponseHours: number
  /** Hours from opening to resolution, not counting time spent pending on the customer. */
  resolutionHours: number
}

export type SlaPolicy = Readonly<Record<TicketPriority, SlaTargets>>

/** The default policy: P1 critical (1 h / 4 h) to P4 low (24 h / 5 days). */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  P1: { firstResponseHours: 1, resolutionHours: 4 },
  P2: { firstResponseHours: 4, resolutionHours: 24 },
  P3: { firstResponseHours: 8, resolutionHours: 72 },
  P4: { firstResponseHours: 24, resolutionHours: 120 },
}

/**
 * Escalation level 2 (the account owner) comes when a ticket is still unresolved after this
 * many times its resolution target (paused time excluded, as for the target itself).
 */
export const SECOND_ESCALATION_FACTOR = 2

export function isTicketPriority(value: unknown): value is TicketPriority {
  return typeof value === 'string' && (TICKET_PRIORITIES as readonly string[]).includes(value)
}
