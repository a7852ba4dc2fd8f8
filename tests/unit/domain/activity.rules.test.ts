import { describe, expect, it } from 'vitest'
import {
  ACTIVITY_KINDS,
  defaultDirection,
  MAX_FUTURE_MS,
  validateActivityDraft,
  type ActivityDraftInput,
} from '../../../domain/activity/activity.rules.js'

const NOW = Date.parse('2026-11-24T10:00:00Z')
const draft = (over: Partial<ActivityDraftInput> = {}): ActivityDraftInput => ({
  kind: 'call',
  direction: 'outbound',
  occurredAt: NOW,
  ...over,
})
const pointers = (d: ActivityDraftInput) => validateActivityDraft(d, NOW).map((e) => e.pointer)

describe('defaultDirection', () => {
  it('is internal for a note and outbound for everything else', () => {
    expect(Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, defaultDirection(k)]))).toEqual({
      call: 'outbound',
      email: 'outbound',
      meeting: 'outbound',
      note: 'internal',
      whatsapp: 'outbound',
    })
  })
})

describe('validateActivityDraft', () => {
  it('accepts a call with its duration and outcome, and a meeting with its duration', () => {
    expect(pointers(draft({ durationSeconds: 600, outcome: 'connected' }))).toEqual([])
    expect(pointers(draft({ kind: 'meeting', durationSeconds: 0 }))).toEqual([])
  })

  it('allows the past and up to five minutes ahead (clock skew), not more', () => {
    expect(pointers(draft({ occurredAt: NOW - 365 * 86_400_000 }))).toEqual([])
    expect(pointers(draft({ occurredAt: NOW + MAX_FUTURE_MS }))).toEqual([])
    expect(pointers(draft({ occurredAt: NOW + MAX_FUTURE_MS + 1 }))).toEqual(['/occurredAt'])
    expect(pointers(draft({ occurredAt: Number.NaN }))).toEqual(['/occurredAt'])
  })

  it('keeps duration to calls and meetings and outcome to calls', () => {
    expect(pointers(draft({ kind: 'email', durationSeconds: 60, outcome: 'connected' }))).toEqual([
      '/durationSeconds',
      '/outcome',
    ])
    expect(pointers(draft({ kind: 'meeting', outcome: 'connected' }))).toEqual(['/outcome'])
    expect(pointers(draft({ durationSeconds: 1.5 }))).toEqual(['/durationSeconds'])
    expect(pointers(draft({ durationSeconds: 86_401 }))).toEqual(['/durationSeconds'])
    expect(pointers(draft({ outcome: 'answered' }))).toEqual(['/outcome'])
  })

  it('keeps notes internal', () => {
    expect(pointers(draft({ kind: 'note', direction: 'internal' }))).toEqual([])
    expect(pointers(draft({ kind: 'note', direction: 'inbound' }))).toEqual(['/direction'])
  })
})
