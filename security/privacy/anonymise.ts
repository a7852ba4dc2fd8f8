import { createHash } from 'node:crypto'
import { ERASED, ERASED_NAME, keepOnly, scrubJson, scrubText, type Needles } from './needles.js'
import type { Holdings } from './holdings.js'
import { INDIVIDUAL_ACCOUNT_SUFFIX } from './holdings.js'

/*
 * What each of the person's rows becomes when they are erased. The rule throughout: a value
 * that says who the person is, or that someone typed about them, goes; what the business
 * counts stays. Ids, statuses, stages, scores, owners, timestamps, channels and campaign
 * dimensions are kept, so the funnel, attribution and pipeline reports read the same after
 * an erasure as before. Pure: the caller compares each patch with the row and writes only
 * what changes, so erasing twice changes nothing the second time.
 */

type Row<K extends Exclude<keyof Holdings, 'needles'>> = Holdings[K] extends readonly (infer R)[] ? R : never

/** Free text someone typed, or a note: gone whatever it says. */
const erasedText = (text: string | null) => (text === null ? null : ERASED)

/** Keys of JSON documents that hold free text (a note, a message body, a consent wording). */
const FREE_TEXT_KEYS: ReadonlySet<string> = new Set(['note', 'notes', 'body', 'text', 'message', 'comment'])

/**
 * Timeline details the system writes and reports or idempotency read (a reminder's claim
 * status, a message's template and provider id). Any other string, such as a caller's
 * `body`, a click's URL or a WhatsApp text, is dropped; numbers and booleans stay.
 */
const ACTIVITY_DETAIL_KEYS: ReadonlySet<string> = new Set([
  'status',
  'template',
  'step',
  'provider',
  'messageId',
  'providerMessageId',
  'invoiceId',
  'number',
  'level',
  'event',
  'eventId',
  'outcome',
  'taskId',
  'escalationTaskId',
  'opportunityId',
  'contractId',
  'accountMatchedBy',
  'bounceType',
  'classification',
  'contentType',
  'via',
  'dueDate',
  'endDate',
  'from',
  'to',
])

/** A key that may hold an identifier (a caller's idempotency key, a delivery key), made opaque. */
export const opaqueKey = (key: string, needles: Needles) =>
  needles.matches(key) ? `erased:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : key

export function leadPatch(l: Row<'leads'>, needles: Needles) {
  const reason = l.duplicateReason as { kind?: unknown } | null
  return {
    firstName: ERASED_NAME,
    lastName: null,
    email: null,
    emailDomain: null,
    phone: null,
    phoneCountry: null,
    company: null,
    title: null,
    website: null,
    companyDomain: null,
    state: null,
    city: null,
    budget: null,
    authority: null,
    need: null,
    timeline: null,
    externalIds: {},
    fuzzyKey: null,
    companyKey: null,
    // Why it was linked (email, phone, fuzzy) stays; the key that matched does not.
    duplicateReason: reason ? { kind: typeof reason.kind === 'string' ? reason.kind : null } : null,
    spamSignals: scrubJson(l.spamSignals, needles),
    validationIssues: scrubJson(l.validationIssues, needles),
    scoreBreakdown: scrubJson(l.scoreBreakdown, needles),
    scoreExplanation: scrubText(l.scoreExplanation, needles),
    consentSource: scrubText(l.consentSource, needles),
    optOutReason: erasedText(l.optOutReason),
    disqualifiedReason: erasedText(l.disqualifiedReason),
    assignmentReason: scrubText(l.assignmentReason, needles),
  }
}

export function contactPatch(_c: Row<'contacts'>) {
  return { firstName: ERASED_NAME, lastName: null, email: null, phone: null, title: null }
}

/** The campaign dimensions feed attribution: only a contact point typed into one goes. */
export function touchPatch(t: Row<'touches'>, needles: Needles) {
  const dimension = (v: string) => (needles.matchesContactPoint(v) ? ERASED : v)
  return {
    source: dimension(t.source),
    medium: dimension(t.medium),
    campaign: t.campaign === null ? null : dimension(t.campaign),
    term: scrubText(t.term, needles),
    content: scrubText(t.content, needles),
    // Full URLs: a landing page's query string or a referrer can carry the address itself.
    referrer: null,
    landingPage: null,
  }
}

/** The proof that consent existed (status, channels, when, wording version) stays. */
export function consentPatch(c: Row<'consentRecords'>, needles: Needles) {
  return { source: scrubText(c.source, needles), text: scrubText(c.text, needles) }
}

export const rawCapturePatch = () => ({ payload: {} })

/** The outcome (issues, score, owner) stays readable; the inputs were the person's fields. */
export function decisionPatch(d: Row<'decisions'>, needles: Needles) {
  return { inputs: {}, outcome: scrubJson(d.outcome, needles, FREE_TEXT_KEYS) }
}

export function activityPatch(a: Row<'activities'>, needles: Needles) {
  return {
    subject: null,
    details: keepOnly(a.details as Record<string, unknown>, ACTIVITY_DETAIL_KEYS, needles),
    dedupeKey: a.dedupeKey === null ? null : opaqueKey(a.dedupeKey, needles),
  }
}

export function taskPatch(t: Row<'tasks'>, needles: Needles) {
  return {
    title: ERASED,
    description: null,
    note: null,
    dedupeKey: t.dedupeKey === null ? null : opaqueKey(t.dedupeKey, needles),
  }
}

export function outboundMessagePatch(m: Row<'outboundMessages'>, needles: Needles) {
  return { lastError: scrubText(m.lastError, needles) }
}

/** A message still queued for an erased person is never sent. */
export function whatsappPatch(w: Row<'whatsappMessages'>, needles: Needles) {
  return {
    toE164: ERASED,
    text: ERASED,
    error: w.status === 'queued' ? 'cancelled: the recipient was erased' : scrubText(w.error, needles),
    status: w.status === 'queued' ? 'failed' : w.status,
  }
}

/** Answers keep their statuses, amounts and dates; the notes about the person go. */
export function qualificationPatch(q: Row<'qualifications'>, needles: Needles) {
  return {
    record: scrubJson(q.record, needles, FREE_TEXT_KEYS),
    summary: scrubJson(q.summary, needles, FREE_TEXT_KEYS),
  }
}

export function conversionPatch(c: Row<'conversions'>, needles: Needles) {
  return { request: scrubJson(c.request, needles, FREE_TEXT_KEYS) }
}

/** A deal stays in the pipeline; a name or reason that names the person does not. */
export function opportunityPatch(o: Row<'opportunities'>, needles: Needles) {
  return {
    name: scrubText(o.name, needles),
    lostReason: scrubText(o.lostReason, needles),
    wonReason: scrubText(o.wonReason, needles),
  }
}

/** The ticket, its SLA times and status stay; what the person wrote does not. */
export function ticketPatch(t: Row<'tickets'>, needles: Needles) {
  return { subject: scrubText(t.subject, needles), description: null }
}

/** An account that is the person: its name, domain and address go; its deals and invoices stay. */
export function personalAccountPatch(a: Row<'personalAccounts'>, needles: Needles) {
  return {
    name: a.name.endsWith(INDIVIDUAL_ACCOUNT_SUFFIX) ? `${ERASED_NAME} ${INDIVIDUAL_ACCOUNT_SUFFIX}` : ERASED,
    domain: a.domain !== null && needles.matches(a.domain) ? null : a.domain,
    addressLine1: null,
    addressLine2: null,
    postalCode: null,
  }
}

export function inboundDeliveryPatch(d: Row<'inboundDeliveries'>, needles: Needles) {
  return {
    result: scrubJson(d.result, needles, FREE_TEXT_KEYS),
    deliveryKey: opaqueKey(d.deliveryKey, needles),
  }
}

export function importRowErrorPatch(r: Row<'importRowErrors'>, needles: Needles) {
  return { raw: {}, errors: scrubJson(r.errors, needles) }
}
