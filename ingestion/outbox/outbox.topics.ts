/** Outbox topics and their payloads. Payloads carry ids, scores and flags, never personal data. */
export interface OutboxTopics {
  /** A new master lead: start its journey. */
  'lead.captured': { leadId: string }
  /** A lead unlinked from its master ("not a duplicate"): it gets a journey of its own. */
  'lead.unmerged': { leadId: string }
  /** A lead was folded into a master: its own journey (if any) ends. */
  'lead.merged': { leadId: string; masterId: string }
  /** An engagement event was recorded and the lead rescored: the journey reacts. */
  'lead.engaged': { leadId: string; event: string; activityId: string; occurredAt: string; score: number }
  /** Consent, opt-out or DND changed which channels may carry marketing. */
  'lead.contactability_changed': {
    leadId: string
    email: boolean
    whatsapp: boolean
    reason: string
    at: string
  }
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
}
export type OutboxTopic = keyof OutboxTopics
