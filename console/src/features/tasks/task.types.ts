/* The task API's answers and inputs (api/schemas/task.schema.ts). */

export interface Task {
  id: string
  kind: string
  title: string
  description: string | null
  status: 'open' | 'done'
  priority: string
  leadId: string | null
  /** The lead's name, given by the inbox. */
  leadName?: string | null
  accountId: string | null
  contactId: string | null
  opportunityId: string | null
  ticketId: string | null
  invoiceId: string | null
  contractId: string | null
  assigneeId: string | null
  queue: string | null
  dueAt: string
  overdue: boolean
  snoozedUntil: string | null
  snoozed: boolean
  escalatedAt: string | null
  escalatedToId: string | null
  parentTaskId: string | null
  workflowId: string | null
  completedAt: string | null
  completedBy: string | null
  outcome: string | null
  note: string | null
  createdAt: string
  createdBy: string
  updatedAt: string
}

/** POST /v1/tasks/{id}/complete: contacted and meeting_booked mark the lead contacted. */
export const TASK_OUTCOMES = [
  { value: 'contacted', label: 'Contacted: reached the person' },
  { value: 'meeting_booked', label: 'Meeting booked' },
  { value: 'no_answer', label: 'No answer' },
  { value: 'wrong_number', label: 'Wrong number' },
  { value: 'not_interested', label: 'Not interested' },
  { value: 'other', label: 'Other' },
] as const
export type TaskOutcome = (typeof TASK_OUTCOMES)[number]['value']

export const TASK_KIND_LABELS: Record<string, string> = {
  first_contact: 'First contact',
  follow_up: 'Follow-up',
  escalation: 'Escalation',
  call: 'Call',
  email: 'Email',
  meeting: 'Meeting',
  todo: 'To-do',
}
