/*
 * Activities people log on the timeline: calls, emails, meetings, notes and WhatsApp
 * messages, each linked to any of a lead, an account, a contact, a deal and a task. Pure:
 * "now" is an argument.
 */

export const ACTIVITY_KINDS = ['call', 'email', 'meeting', 'note', 'whatsapp'] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]

/** inbound: the person acted; outbound: we did; internal: a record for ourselves. */
export const ACTIVITY_DIRECTIONS = ['inbound', 'outbound', 'internal'] as const
export type ActivityDirection = (typeof ACTIVITY_DIRECTIONS)[number]

export const CALL_OUTCOMES = ['connected', 'no_answer', 'busy', 'voicemail', 'wrong_number'] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]

/** How far ahead of the server clock an activity may be dated: room for clock skew, not for plans. */
export const MAX_FUTURE_MS = 5 * 60_000
/**
 * Earliest time an activity may be dated, 0001-01-01T00:00:00Z: an ISO timestamp may name year
 * 0000, which `Date` reads and PostgreSQL refuses.
 */
export const MIN_OCCURRED_AT = -62_135_596_800_000
/** Longest call or meeting, in seconds (a day). */
export const MAX_DURATION_SECONDS = 24 * 60 * 60

const DEFAULT_DIRECTION: Record<ActivityKind, ActivityDirection> = {
  call: 'outbound',
  email: 'outbound',
  meeting: 'outbound',
  note: 'internal',
  whatsapp: 'outbound',
}

/** The direction of a logged activity that does not name one: what people log most often. */
export function defaultDirection(kind: ActivityKind): ActivityDirection {
  return DEFAULT_DIRECTION[kind]
}

export interface ActivityDraftInput {
  kind: ActivityKind
  direction: ActivityDirection
  /** Milliseconds since the epoch. */
  occurredAt: number
  durationSeconds?: number | undefined
  outcome?: string | undefined
}

export interface FieldError {
  pointer: string
  message: string
}

/**
 * Every problem with a logged activity, beyond its shape; empty when it is valid.
 *
 * - occurredAt: not more than MAX_FUTURE_MS after `now` (something that happened), and not
 *   before MIN_OCCURRED_AT.
 * - durationSeconds: calls and meetings only; an integer from 0 to MAX_DURATION_SECONDS.
 * - outcome: calls only, one of CALL_OUTCOMES.
 * - direction: a note is internal (nobody sent or received it).
 *
 * @param now - Milliseconds since the epoch.
 */
export function validateActivityDraft(draft: ActivityDraftInput, now: number): FieldError[] {
  const errors: FieldError[] = []
  if (!Number.isFinite(draft.occurredAt))
    errors.push({ pointer: '/occurredAt', message: 'must be a timestamp' })
  else if (draft.occurredAt > now + MAX_FUTURE_MS)
    errors.push({ pointer: '/occurredAt', message: 'must not be more than 5 minutes in the future' })
  else if (draft.occurredAt < MIN_OCCURRED_AT)
    errors.push({ pointer: '/occurredAt', message: 'must not be before the year 1' })
  if (draft.durationSeconds !== undefined) {
    if (draft.kind !== 'call' && draft.kind !== 'meeting')
      errors.push({ pointer: '/durationSeconds', message: 'is for calls and meetings only' })
    else if (
      !Number.isInteger(draft.durationSeconds) ||
      draft.durationSeconds < 0 ||
      draft.durationSeconds > MAX_DURATION_SECONDS
    )
      errors.push({
        pointer: '/durationSeconds',
        message: `must be an integer from 0 to ${MAX_DURATION_SECONDS}`,
      })
  }
  if (draft.outcome !== undefined) {
    if (draft.kind !== 'call') errors.push({ pointer: '/outcome', message: 'is for calls only' })
    else if (!(CALL_OUTCOMES as readonly string[]).includes(draft.outcome))
      errors.push({ pointer: '/outcome', message: `must be one of ${CALL_OUTCOMES.join(', ')}` })
  }
  if (draft.kind === 'note' && draft.direction !== 'internal')
    errors.push({ pointer: '/direction', message: 'must be internal for a note' })
  return errors
}

export const STATS_PERIODS = ['day', 'week', 'month'] as const
export type StatsPeriod = (typeof STATS_PERIODS)[number]
