import { describe, expect, it } from 'vitest'
import {
  changeStatus,
  dueSlaActions,
  nextSlaCheckAt,
  secondEscalationAt,
  slaClocks,
  slaDeadlines,
  type SlaTicket,
} from '../../../domain/support/sla.rules.js'

const HOUR = 3_600_000
const T0 = Date.parse('2026-11-24T10:00:00.000Z')

function ticket(overrides: Partial<SlaTicket> = {}): SlaTicket {
  const priority = overrides.priority ?? 'P1'
  const d = slaDeadlines(T0, priority, 0)
  return {
    priority,
    status: 'new',
    createdAt: T0,
    firstRespondedAt: null,
    resolvedAt: null,
    closedAt: null,
    pendingSince: null,
    pausedSeconds: 0,
    firstResponseDueAt: d.firstResponseDueAt,
    resolutionDueAt: d.resolutionDueAt,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    escalationLevel: 0,
    ...overrides,
  }
}

/** Applies a status change the way the API stores it. */
function move(t: SlaTicket, to: 'open' | 'pending' | 'resolved' | 'closed', at: number): SlaTicket {
  const change = changeStatus(t, to, at)
  if (!change.ok) throw new Error(change.reason)
  return { ...t, ...change.changes }
}

describe('slaDeadlines', () => {
  it.each([
    ['P1', 1, 4],
    ['P2', 4, 24],
    ['P3', 8, 72],
    ['P4', 24, 120],
  ] as const)(
    '%s: first response after %i h, resolution after %i h (calendar hours)',
    (priority, fr, res) => {
      expect(slaDeadlines(T0, priority, 0)).toEqual({
        firstResponseDueAt: T0 + fr * HOUR,
        resolutionDueAt: T0 + res * HOUR,
      })
    },
  )

  it('moves only the resolution deadline by the paused seconds', () => {
    expect(slaDeadlines(T0, 'P2', 5400)).toEqual({
      firstResponseDueAt: T0 + 4 * HOUR,
      resolutionDueAt: T0 + 24 * HOUR + 5400_000,
    })
  })

  it('recomputes from the creation time on a priority change, keeping paused time', () => {
    // A P3 ticket paused 2 h, raised to P1 after 5 hours: its deadlines count from creation.
    expect(slaDeadlines(T0, 'P1', 7200)).toEqual({
      firstResponseDueAt: T0 + HOUR,
      resolutionDueAt: T0 + 6 * HOUR,
    })
  })
})

describe('changeStatus: the pending pause', () => {
  it('stops the resolution clock while pending and moves the deadline by the spell when resumed', () => {
    let t = move(ticket(), 'open', T0 + 10 * 60_000)
    t = move(t, 'pending', T0 + HOUR)
    expect(t.pendingSince).toBe(T0 + HOUR)
    expect(t.resolutionDueAt).toBe(T0 + 4 * HOUR)
    t = move(t, 'open', T0 + 3.5 * HOUR)
    expect(t.pendingSince).toBeNull()
    expect(t.pausedSeconds).toBe(2.5 * 3600)
    expect(t.resolutionDueAt).toBe(T0 + 6.5 * HOUR)
    expect(t.firstResponseDueAt).toBe(T0 + HOUR)
  })

  it('adds up several spells', () => {
    let t = move(ticket(), 'pending', T0 + HOUR)
    t = move(t, 'open', T0 + 2 * HOUR)
    t = move(t, 'pending', T0 + 3 * HOUR)
    t = move(t, 'open', T0 + 3.5 * HOUR)
    expect(t.pausedSeconds).toBe(1.5 * 3600)
    expect(t.resolutionDueAt).toBe(T0 + 5.5 * HOUR)
  })

  it('counts a pending spell that ends in resolution, and keeps the resolution time on close', () => {
    let t = move(ticket(), 'pending', T0 + HOUR)
    t = move(t, 'resolved', T0 + 2 * HOUR)
    expect(t).toMatchObject({
      status: 'resolved',
      resolvedAt: T0 + 2 * HOUR,
      pausedSeconds: 3600,
      pendingSince: null,
    })
    t = move(t, 'closed', T0 + 30 * HOUR)
    expect(t).toMatchObject({
      status: 'closed',
      resolvedAt: T0 + 2 * HOUR,
      closedAt: T0 + 30 * HOUR,
      pausedSeconds: 3600,
    })
  })

  it('reopening a resolved ticket restarts the clock without counting the time it was resolved', () => {
    let t = move(ticket(), 'resolved', T0 + 2 * HOUR)
    t = move(t, 'open', T0 + 5 * HOUR)
    expect(t).toMatchObject({ status: 'open', resolvedAt: null, pausedSeconds: 3 * 3600 })
    expect(t.resolutionDueAt).toBe(T0 + 7 * HOUR)
    expect(nextSlaCheckAt(t)).toBe(T0 + HOUR) // nobody ever responded: that clock is still due
  })

  it('refuses to leave closed, and changes nothing for the same status', () => {
    const closed = move(ticket(), 'closed', T0 + HOUR)
    expect(changeStatus(closed, 'open', T0 + 2 * HOUR)).toEqual({
      ok: false,
      reason: expect.stringMatching(/final/),
    })
    expect(changeStatus(ticket({ status: 'open' }), 'open', T0)).toEqual({ ok: true, changes: {} })
  })

  it('stamps resolvedAt when a never-resolved ticket is closed', () => {
    expect(move(ticket({ status: 'open' }), 'closed', T0 + HOUR)).toMatchObject({
      resolvedAt: T0 + HOUR,
      closedAt: T0 + HOUR,
    })
  })
})

describe('slaClocks', () => {
  it('shows a pending resolution clock as paused with its deadline moving with time', () => {
    const t = move(ticket({ firstRespondedAt: T0 + 60_000, status: 'open' }), 'pending', T0 + HOUR)
    const clocks = slaClocks(t, T0 + 3 * HOUR)
    expect(clocks.firstResponse).toMatchObject({ state: 'met', secondsLeft: null })
    expect(clocks.resolution).toEqual({
      dueAt: T0 + 6 * HOUR,
      state: 'paused',
      breached: false,
      secondsLeft: 3 * 3600,
    })
  })

  it('shows time left (negative once overdue) while a clock runs', () => {
    const clocks = slaClocks(ticket(), T0 + 2 * HOUR)
    expect(clocks.firstResponse).toMatchObject({ state: 'running', secondsLeft: -3600 })
    expect(clocks.resolution).toMatchObject({ state: 'running', secondsLeft: 2 * 3600 })
  })

  it('judges stopped clocks as met or missed', () => {
    const late = ticket({ status: 'resolved', firstRespondedAt: T0 + 2 * HOUR, resolvedAt: T0 + 5 * HOUR })
    const clocks = slaClocks(late, T0 + 6 * HOUR)
    expect(clocks.firstResponse.state).toBe('missed')
    expect(clocks.resolution.state).toBe('missed')
    const onTime = ticket({
      status: 'closed',
      firstRespondedAt: T0 + 60_000,
      resolvedAt: T0 + HOUR,
      closedAt: T0 + HOUR,
    })
    expect(slaClocks(onTime, T0 + 9 * HOUR).resolution.state).toBe('met')
  })
})

describe('dueSlaActions and nextSlaCheckAt', () => {
  it('breaches the first response at its deadline and escalates to level 1, not a moment before', () => {
    const t = ticket()
    expect(dueSlaActions(t, T0 + HOUR - 1)).toEqual([])
    expect(nextSlaCheckAt(t)).toBe(T0 + HOUR)
    expect(dueSlaActions(t, T0 + HOUR)).toEqual([
      { kind: 'breach', clock: 'first_response' },
      { kind: 'escalate', level: 1 },
    ])
  })

  it('plans the resolution deadline, then level 2 at twice the resolution target', () => {
    const t = ticket({ status: 'open', firstRespondedAt: T0 + 60_000 })
    expect(nextSlaCheckAt(t)).toBe(T0 + 4 * HOUR)
    const breached = { ...t, resolutionBreachedAt: T0 + 4 * HOUR, escalationLevel: 1 }
    expect(secondEscalationAt(breached)).toBe(T0 + 8 * HOUR)
    expect(nextSlaCheckAt(breached)).toBe(T0 + 8 * HOUR)
    expect(dueSlaActions(breached, T0 + 8 * HOUR)).toEqual([{ kind: 'escalate', level: 2 }])
    expect(nextSlaCheckAt({ ...breached, escalationLevel: 2 })).toBeNull()
  })

  it('plans nothing on the resolution clock while pending', () => {
    const t = move(ticket({ status: 'open', firstRespondedAt: T0 + 60_000 }), 'pending', T0 + HOUR)
    expect(nextSlaCheckAt(t)).toBeNull()
    expect(dueSlaActions(t, T0 + 50 * HOUR)).toEqual([])
  })

  it('still records a breach the watcher missed: a late first response, a late resolution', () => {
    const late = ticket({ status: 'resolved', firstRespondedAt: T0 + 2 * HOUR, resolvedAt: T0 + 5 * HOUR })
    expect(dueSlaActions(late, T0 + 5 * HOUR)).toEqual([
      { kind: 'breach', clock: 'first_response' },
      { kind: 'breach', clock: 'resolution' },
    ])
    expect(nextSlaCheckAt(late)).toBeNull()
  })

  it('has nothing due for a ticket answered and resolved in time', () => {
    const t = ticket({ status: 'resolved', firstRespondedAt: T0 + 60_000, resolvedAt: T0 + HOUR })
    expect(dueSlaActions(t, T0 + 100 * HOUR)).toEqual([])
  })

  it('does not breach again once a breach is recorded', () => {
    const t = ticket({ firstResponseBreachedAt: T0 + HOUR, escalationLevel: 1 })
    expect(dueSlaActions(t, T0 + 2 * HOUR)).toEqual([])
  })
})
