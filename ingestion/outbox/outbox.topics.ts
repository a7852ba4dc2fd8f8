/** Outbox topics and their payloads. Payloads carry ids only, never personal data. */
export interface OutboxTopics {
  /** A new master lead: start its journey. */
  'lead.captured': { leadId: string }
  /** A lead unlinked from its master ("not a duplicate"): it gets a journey of its own. */
  'lead.unmerged': { leadId: string }
  /** A lead was folded into a master: its own journey (if any) ends. */
  'lead.merged': { leadId: string; masterId: string }
}
export type OutboxTopic = keyof OutboxTopics
