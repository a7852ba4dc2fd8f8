import { ERASED, scrubJson, type Needles } from './needles.js'

/*
 * The audit trail of an erased person's records keeps who changed what and when, and the
 * names of the fields; the values that describe the person go. audit_event refuses every
 * UPDATE except one of `changes` in a transaction that set leadwire.erasure (the erasure's),
 * so this is the only rewrite the trail ever sees.
 */

/**
 * Fields whose values are ids, statuses, enums, amounts or times: kept on the person's own
 * records (lead, contact, task, activity) because they say nothing about who the person is.
 */
const NEUTRAL_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'journeyStage',
  'score',
  'ownerId',
  'accountId',
  'contactId',
  'opportunityId',
  'leadId',
  'taskId',
  'ticketId',
  'invoiceId',
  'isActive',
  'isDuplicate',
  'duplicateOfId',
  'consentStatus',
  'consentChannels',
  'dnd',
  'optInAt',
  'optOutAt',
  'kind',
  'priority',
  'dueAt',
  'completedAt',
  'snoozedUntil',
  'stage',
  'probability',
  'amount',
  'currency',
  'closeDate',
  'roles',
  'channel',
  'queue',
  'assigneeId',
  'outcome',
  'direction',
  'occurredAt',
  'forecastCategory',
  'lifecycleStage',
  'validationStatus',
  'country',
  'industry',
  'companySize',
  'privacyRequestId',
])

/** Free text on related records (a ticket, a deal, the person's own account). */
const RELATED_FREE_TEXT: ReadonlySet<string> = new Set([
  'description',
  'note',
  'body',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'lostReason',
  'wonReason',
])

type ValueRule = (field: string, value: unknown) => unknown

const isChange = (v: unknown): v is { from?: unknown; to?: unknown } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && ('from' in v || 'to' in v)

function rewrite(changes: unknown, rule: ValueRule): unknown {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) return ERASED
  return Object.fromEntries(
    Object.entries(changes).map(([field, change]) => [
      field,
      isChange(change) ? { from: rule(field, change.from), to: rule(field, change.to) } : rule(field, change),
    ]),
  )
}

const passes = (value: unknown, needles: Needles) => !needles.matches(JSON.stringify(value))

/** On the person's own records: neutral fields keep their values, every other value goes. */
export function scrubOwnRecordChanges(changes: unknown, needles: Needles): unknown {
  return rewrite(changes, (field, value) => {
    if (value === null || value === undefined) return null
    if (typeof value === 'boolean') return value
    if (NEUTRAL_FIELDS.has(field) && passes(value, needles)) return value
    return ERASED
  })
}

/** On related records: values that name the person go, and the free text written about them. */
export function scrubRelatedRecordChanges(changes: unknown, needles: Needles): unknown {
  return rewrite(changes, (field, value) => {
    if (value === null || value === undefined) return null
    if (RELATED_FREE_TEXT.has(field)) return ERASED
    return scrubJson(value, needles)
  })
}
