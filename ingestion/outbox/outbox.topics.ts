/** Outbox topics and their payloads. Payloads carry ids only, never personal data. */
export interface OutboxTopics {
  'lead.captured': { leadId: string }
}
export type OutboxTopic = keyof OutboxTopics
