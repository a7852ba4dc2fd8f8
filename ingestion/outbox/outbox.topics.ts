/** Outbox topics and their payloads. Payloads carry ids, scores and flags, never personal data. */
export interface OutboxTopics {
  /** A new master lead: start its journey. */
  'lead.captured': { leadId: string }
  /** A lead unlinked from its master ("not a duplicate"): it gets a journey of its own. */
  'lead.unmerged': { leadId: string }
  /** A lead was folded into a master: its own journey (if any) ends. */
  'lead.merged': { leadId: string; masterId: string }
  /** The person was erased (a privacy request): the lead's journey is terminated, not wound down. */
  'lead.erased': { leadId: string }
  /** An engagement event was recorded and the lead rescored: the journey reacts. */
  'lead.engaged': { leadId: string; event: string; activityId: string; occurredAt: string; score: number }
  /** Consent, opt-out or DND changed which channels may carry marketing. */
  'lead.contactability_changed': {
    leadId: string
    email: boolean
    whatsapp: boolean
    /** Absent from events written before SMS steps existed. */
    sms?: boolean
    reason: string
    at: string
  }
  /** The lead was handed to another owner (or back to the queue): the journey's tasks follow. */
  'lead.owner_changed': { leadId: string; ownerId: string | null }
  /** Someone completed a journey task. */
  'task.completed': {
    leadId: string
    taskId: string
    outcome: string
    completedAt: string
    completedBy: string
  }
  /** A lead converted into this account: its lifecycle workflow starts or hears of it. */
  'account.lead_converted': { accountId: string; leadId: string }
  /** A deal, invoice, payment or ticket moved: the account's health is recomputed now. */
  'account.changed': { accountId: string; reason: string }
  /** An invoice was issued: its collection workflow starts. */
  'invoice.issued': { invoiceId: string }
  /** A payment, a void or a new due date: the collection workflow re-reads the invoice. */
  'invoice.changed': { invoiceId: string; reason: string }
  /** A ticket was opened: its SLA workflow starts. */
  'ticket.opened': { ticketId: string }
  /** A response, a status or priority change: the SLA workflow re-reads the ticket. */
  'ticket.changed': { ticketId: string; reason: string }
  /** A contract became active: its renewal workflow starts. */
  'contract.activated': { contractId: string }
  /** New dates, renewed or cancelled: the renewal workflow re-reads the contract. */
  'contract.changed': { contractId: string; reason: string }
}
export type OutboxTopic = keyof OutboxTopics
