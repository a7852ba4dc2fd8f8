import { at, checkKeys, isObject, oneOf, readString } from '../rules/rule-set-validation.js'
import type { EngagementEvent } from '../scoring/scoring-rules.js'
import { instantMs } from '../time/instant.rules.js'
import { nextAllowedSendTime, type QuietHours } from './quiet-hours.rules.js'

/*
 * Nurture sequences are versioned data, like scoring rules: a cadence of email, WhatsApp and
 * SMS messages stored as JSON, checked by parseNurtureSequence and planned by planSequence inside
 * the journey workflow. Planning depends only on the sequence, the start instant and the
 * options passed in, so replaying a journey plans the same messages at the same instants.
 */

/*
 * Each is also a consent channel (domain/lead/lead-capture.ts CONTACT_CHANNELS): a step goes
 * out only on a channel the person consented to. SMS is promotional under TRAI's rules, so a
 * number on the DND registry gets none (domain/consent/consent.rules.ts).
 */
export const SEQUENCE_CHANNELS = ['email', 'whatsapp', 'sms'] as const
export type SequenceChannel = (typeof SEQUENCE_CHANNELS)[number]

export interface SequenceStep {
  /** Stable and unique within the sequence, e.g. 'welcome': sends and their history name steps by id. */
  id: string
  channel: SequenceChannel
  /** Template id, resolved by the sender. */
  template: string
  /** Hours from the start of the sequence (not from the previous step), >= 0; may be fractional. */
  afterHours: number
}

export interface NurtureSequence {
  id: string
  version: number
  /** In authoring order; planSequence orders the messages by due time. */
  steps: SequenceStep[]
}

/** More steps than anyone would send in one nurture cycle: a larger list is a mistake. */
export const MAX_SEQUENCE_STEPS = 50
/** A year: a longer offset is almost certainly days typed as hours times 24. */
export const MAX_AFTER_HOURS = 24 * 365

const HOUR_MS = 3_600_000

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/*
 * Five emails over exactly 14 days, with two WhatsApp nudges between them for leads who
 * consented to WhatsApp. Frozen because every journey shares this object: copy it to make a
 * new version, never edit it in place.
 */
export const DEFAULT_NURTURE_SEQUENCE: NurtureSequence = deepFreeze<NurtureSequence>({
  id: 'default-nurture',
  version: 1,
  steps: [
    { id: 'welcome', channel: 'email', template: 'nurture-welcome', afterHours: 0 },
    { id: 'wa-intro', channel: 'whatsapp', template: 'nurture-wa-intro', afterHours: 24 },
    { id: 'value', channel: 'email', template: 'nurture-value', afterHours: 48 },
    { id: 'case-study', channel: 'email', template: 'nurture-case-study', afterHours: 120 },
    { id: 'wa-follow-up', channel: 'whatsapp', template: 'nurture-wa-follow-up', afterHours: 168 },
    { id: 'check-in', channel: 'email', template: 'nurture-check-in', afterHours: 216 },
    { id: 'breakup', channel: 'email', template: 'nurture-breakup', afterHours: 336 },
  ],
})

export type NurtureSequenceResult = { ok: true; value: NurtureSequence } | { ok: false; issues: string[] }

function readNumber(
  v: unknown,
  path: string,
  issues: string[],
  opts: { integer?: boolean; min: number; max?: number },
): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push(`${path} must be a number`)
    return 0
  }
  if (opts.integer && !Number.isInteger(v)) issues.push(`${path} must be an integer`)
  if (v < opts.min) issues.push(`${path} must be at least ${opts.min}`)
  if (opts.max !== undefined && v > opts.max) issues.push(`${path} must be at most ${opts.max}`)
  return v
}

function parseStep(v: unknown, path: string, issues: string[]): SequenceStep {
  if (!isObject(v)) {
    issues.push(`${path} must be an object`)
    return { id: '', channel: 'email', template: '', afterHours: 0 }
  }
  checkKeys(v, ['id', 'channel', 'template', 'afterHours'], path, issues)
  const channel = v.channel
  if (!(SEQUENCE_CHANNELS as readonly unknown[]).includes(channel)) {
    issues.push(`${at(path, 'channel')} ${oneOf(SEQUENCE_CHANNELS)}`)
  }
  return {
    id: readString(v.id, at(path, 'id'), issues),
    channel: channel as SequenceChannel,
    template: readString(v.template, at(path, 'template'), issues),
    afterHours: readNumber(v.afterHours, at(path, 'afterHours'), issues, { min: 0, max: MAX_AFTER_HOURS }),
  }
}

/**
 * Checks stored or submitted JSON against the NurtureSequence shape and returns a fresh copy.
 * Call it when a sequence is saved and again when it is loaded, so a hand-edited row cannot
 * reach planSequence.
 *
 * Unknown keys are refused (a misspelt "afterHour" would otherwise send at hour 0), step ids
 * must be unique (sends are recorded per step id), and there must be 1 to 50 steps.
 *
 * @returns The sequence, or every problem found as "path message", e.g.
 *   "steps[2].afterHours must be at least 0".
 */
export function parseNurtureSequence(json: unknown): NurtureSequenceResult {
  if (!isObject(json)) return { ok: false, issues: ['sequence must be an object'] }
  const issues: string[] = []
  checkKeys(json, ['id', 'version', 'steps'], '', issues)
  const id = readString(json.id, 'id', issues)
  const version = readNumber(json.version, 'version', issues, { integer: true, min: 1 })

  let steps: SequenceStep[] = []
  if (!Array.isArray(json.steps)) issues.push('steps must be an array')
  else {
    if (json.steps.length === 0) issues.push('steps must not be empty')
    if (json.steps.length > MAX_SEQUENCE_STEPS) {
      issues.push(`steps must have at most ${MAX_SEQUENCE_STEPS} steps (got ${json.steps.length})`)
    }
    steps = json.steps.map((s: unknown, i) => parseStep(s, `steps[${i}]`, issues))
  }

  const seen = new Map<string, number>()
  steps.forEach((step, i) => {
    if (step.id === '') return
    const first = seen.get(step.id)
    if (first !== undefined) issues.push(`steps[${i}].id "${step.id}" is already used by steps[${first}]`)
    else seen.set(step.id, i)
  })

  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { id, version, steps } }
}

/** One message of a planned sequence. */
export interface PlannedStep {
  stepId: string
  channel: SequenceChannel
  template: string
  /** ISO 8601 in UTC (toISOString), already moved out of quiet hours. */
  dueAt: string
}

export interface PlanOptions {
  /**
   * Channels the lead may be messaged on (consent and DND decided by the caller). A channel
   * left out is not allowed: journeys that started before SMS existed carry no `sms` flag.
   */
  channels: Partial<Record<SequenceChannel, boolean>>
  /** The zones the lead may be in; see nextAllowedSendTime. */
  zones: readonly string[]
  quietHours: QuietHours
}

/**
 * The messages to send for a sequence started at `startedAt`: each step on an allowed
 * channel, due `afterHours` after the start and then moved to the next instant outside quiet
 * hours in every zone. Steps on channels that are not allowed are left out rather than moved
 * to another channel: consent is given per channel.
 *
 * Ordered by due time, and by position in the sequence when two are due at once (quiet hours
 * can push several steps to the same morning), so the order never depends on sort internals.
 * Two steps may therefore share a dueAt; spacing them is the sender's choice.
 *
 * @throws RangeError when `startedAt` is not an ISO 8601 timestamp (see instantMs), or as
 *   nextAllowedSendTime does.
 */
export function planSequence(
  sequence: NurtureSequence,
  startedAt: string,
  options: PlanOptions,
): PlannedStep[] {
  const start = instantMs(startedAt)
  if (Number.isNaN(start)) throw new RangeError(`startedAt must be an ISO 8601 timestamp, got "${startedAt}"`)
  return sequence.steps
    .map((step, position) => ({ step, position }))
    .filter(({ step }) => options.channels[step.channel] === true)
    .map(({ step, position }) => {
      // Rounded so a fractional hour never yields a sub-millisecond instant.
      const planned = new Date(start + Math.round(step.afterHours * HOUR_MS))
      const due = nextAllowedSendTime(planned, options.zones, options.quietHours).getTime()
      return { step, position, due }
    })
    .sort((a, b) => a.due - b.due || a.position - b.position)
    .map(({ step, due }) => ({
      stepId: step.id,
      channel: step.channel,
      template: step.template,
      dueAt: new Date(due).toISOString(),
    }))
}

/** Why a lead's sequence stopped before its last step. */
export const SEQUENCE_STOP_REASONS = [
  'replied',
  'opted_out',
  'dnd',
  'meeting_booked',
  'converted',
  'disqualified',
  'contacted_by_sdr',
] as const
export type SequenceStopReason = (typeof SEQUENCE_STOP_REASONS)[number]

/*
 * A reply or a booked meeting means a person is now talking to the lead, and more automated
 * nurture would talk over them. Opens, clicks, visits, calls and events do not stop the
 * sequence; they only raise the score. The other stop reasons come from consent, lifecycle
 * and the SDR's own contact, not from engagement events. Typed by EngagementEvent so that
 * renaming an event breaks the build here instead of silently never stopping.
 */
const STOP_ON_EVENT: Partial<Record<EngagementEvent, SequenceStopReason>> = {
  emailReply: 'replied',
  whatsappReply: 'replied',
  meetingBooked: 'meeting_booked',
}

/** The reason an engagement event stops the nurture sequence, or null when it keeps it going. */
export function stopReasonForEvent(event: string): SequenceStopReason | null {
  // hasOwn, so that "constructor" or "__proto__" cannot reach Object.prototype.
  return Object.hasOwn(STOP_ON_EVENT, event) ? (STOP_ON_EVENT[event as EngagementEvent] ?? null) : null
}
