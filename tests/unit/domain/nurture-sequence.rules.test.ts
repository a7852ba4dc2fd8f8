import { describe, expect, it } from 'vitest'
import {
  DEFAULT_NURTURE_SEQUENCE,
  MAX_AFTER_HOURS,
  MAX_SEQUENCE_STEPS,
  parseNurtureSequence,
  planSequence,
  SEQUENCE_STOP_REASONS,
  stopReasonForEvent,
  type NurtureSequence,
  type PlanOptions,
  type SequenceStep,
} from '../../../domain/journey/nurture-sequence.rules.js'
import { DEFAULT_QUIET_HOURS, type QuietHours } from '../../../domain/journey/quiet-hours.rules.js'
import { ENGAGEMENT_EVENTS } from '../../../domain/scoring/scoring-rules.js'

/*
 * Dates: 2026-01-15 is a Thursday. Asia/Kolkata is +05:30 all year; America/New_York is
 * -05:00 and America/Los_Angeles -08:00 in January.
 */

const HOURS_IN_14_DAYS = 14 * 24 // 336

const WEEKENDS: QuietHours = { start: '20:00', end: '09:00', weekendsQuiet: true }

const options = (overrides: Partial<PlanOptions> = {}): PlanOptions => ({
  channels: { email: true, whatsapp: true },
  zones: ['Asia/Kolkata'],
  quietHours: DEFAULT_QUIET_HOURS,
  ...overrides,
})

const step = (id: string, afterHours: number, channel: SequenceStep['channel'] = 'email'): SequenceStep => ({
  id,
  channel,
  template: `t-${id}`,
  afterHours,
})

const sequenceOf = (...steps: SequenceStep[]): NurtureSequence => ({ id: 'test', version: 1, steps })

const issuesOf = (json: unknown): string[] => {
  const result = parseNurtureSequence(json)
  return result.ok ? [] : result.issues
}

const valid = () => JSON.parse(JSON.stringify(DEFAULT_NURTURE_SEQUENCE)) as Record<string, unknown>

describe('DEFAULT_NURTURE_SEQUENCE', () => {
  it('is default-nurture v1', () => {
    expect(DEFAULT_NURTURE_SEQUENCE.id).toBe('default-nurture')
    expect(DEFAULT_NURTURE_SEQUENCE.version).toBe(1)
  })

  it('sends 5 emails over exactly 14 days', () => {
    const emails = DEFAULT_NURTURE_SEQUENCE.steps.filter((s) => s.channel === 'email')
    expect(emails.map((s) => [s.id, s.afterHours, s.template])).toEqual([
      ['welcome', 0, 'nurture-welcome'],
      ['value', 48, 'nurture-value'],
      ['case-study', 120, 'nurture-case-study'],
      ['check-in', 216, 'nurture-check-in'],
      ['breakup', 336, 'nurture-breakup'],
    ])
    expect(emails.at(-1)!.afterHours - emails[0]!.afterHours).toBe(HOURS_IN_14_DAYS)
  })

  it('adds 2 WhatsApp follow-ups on days 1 and 7', () => {
    const whatsapp = DEFAULT_NURTURE_SEQUENCE.steps.filter((s) => s.channel === 'whatsapp')
    expect(whatsapp.map((s) => [s.id, s.afterHours, s.template])).toEqual([
      ['wa-intro', 24, 'nurture-wa-intro'],
      ['wa-follow-up', 168, 'nurture-wa-follow-up'],
    ])
    expect(DEFAULT_NURTURE_SEQUENCE.steps).toHaveLength(7)
  })

  it('passes its own parser unchanged', () => {
    expect(parseNurtureSequence(valid())).toEqual({ ok: true, value: DEFAULT_NURTURE_SEQUENCE })
  })

  it('is frozen all the way down, since every journey shares it', () => {
    expect(Object.isFrozen(DEFAULT_NURTURE_SEQUENCE)).toBe(true)
    expect(Object.isFrozen(DEFAULT_NURTURE_SEQUENCE.steps)).toBe(true)
    expect(DEFAULT_NURTURE_SEQUENCE.steps.every((s) => Object.isFrozen(s))).toBe(true)
  })
})

describe('parseNurtureSequence', () => {
  it('returns a fresh copy, not the input', () => {
    const json = valid()
    const result = parseNurtureSequence(json)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value).not.toBe(json)
    expect(result.value.steps).not.toBe(json.steps)
    expect(result.value.steps[0]).not.toBe((json.steps as unknown[])[0])
  })

  it('accepts the boundaries: one step, 50 steps, hour 0, fractional hours and a full year', () => {
    expect(issuesOf({ id: 's', version: 1, steps: [step('a', 0)] })).toEqual([])
    const fifty = Array.from({ length: MAX_SEQUENCE_STEPS }, (_, i) => step(`s${i}`, i))
    expect(issuesOf({ id: 's', version: 1, steps: fifty })).toEqual([])
    expect(issuesOf({ id: 's', version: 2, steps: [step('a', 0.5), step('b', MAX_AFTER_HOURS)] })).toEqual([])
    expect(MAX_AFTER_HOURS).toBe(8760)
  })

  it.each([[null], [[]], ['default-nurture'], [42], [undefined]])(
    'refuses %j, which is not an object',
    (json) => {
      expect(parseNurtureSequence(json)).toEqual({ ok: false, issues: ['sequence must be an object'] })
    },
  )

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an unknown top-level key', { name: 'Nurture' }, ['name is not allowed']],
    ['a missing id', { id: undefined }, ['id must be a non-empty string']],
    ['a blank id', { id: '  ' }, ['id must be a non-empty string']],
    ['a version that is not a number', { version: '1' }, ['version must be a number']],
    ['version 0', { version: 0 }, ['version must be at least 1']],
    ['a fractional version', { version: 1.5 }, ['version must be an integer']],
    ['steps that are not an array', { steps: { welcome: {} } }, ['steps must be an array']],
    ['missing steps', { steps: undefined }, ['steps must be an array']],
    ['no steps', { steps: [] }, ['steps must not be empty']],
  ])('refuses %s', (_label, patch, issues) => {
    expect(issuesOf({ ...valid(), ...patch })).toEqual(issues)
  })

  it('refuses more than 50 steps', () => {
    const many = Array.from({ length: MAX_SEQUENCE_STEPS + 1 }, (_, i) => step(`s${i}`, i))
    expect(issuesOf({ id: 's', version: 1, steps: many })).toEqual([
      'steps must have at most 50 steps (got 51)',
    ])
  })

  it.each<[string, unknown, string[]]>([
    ['a step that is not an object', 'welcome', ['steps[1] must be an object']],
    ['an unknown step key', { ...step('x', 1), delay: 2 }, ['steps[1].delay is not allowed']],
    [
      'a misspelt afterHours',
      { id: 'x', channel: 'email', template: 't', afterHour: 2 },
      ['steps[1].afterHour is not allowed', 'steps[1].afterHours must be a number'],
    ],
    ['a step without an id', { ...step('x', 1), id: '' }, ['steps[1].id must be a non-empty string']],
    [
      'an unknown channel',
      { ...step('x', 1), channel: 'phone' },
      ['steps[1].channel must be one of email, whatsapp, sms'],
    ],
    [
      'a channel in the wrong case',
      { ...step('x', 1), channel: 'Email' },
      ['steps[1].channel must be one of email, whatsapp, sms'],
    ],
    ['a blank template', { ...step('x', 1), template: '' }, ['steps[1].template must be a non-empty string']],
    [
      'a template that is not a string',
      { ...step('x', 1), template: 7 },
      ['steps[1].template must be a non-empty string'],
    ],
    [
      'afterHours as a string',
      { ...step('x', 1), afterHours: '24' },
      ['steps[1].afterHours must be a number'],
    ],
    [
      'an infinite afterHours',
      { ...step('x', 1), afterHours: Infinity },
      ['steps[1].afterHours must be a number'],
    ],
    [
      'a NaN afterHours',
      { ...step('x', 1), afterHours: Number.NaN },
      ['steps[1].afterHours must be a number'],
    ],
    [
      'a negative afterHours',
      { ...step('x', 1), afterHours: -1 },
      ['steps[1].afterHours must be at least 0'],
    ],
    [
      'afterHours over a year',
      { ...step('x', 1), afterHours: MAX_AFTER_HOURS + 0.5 },
      ['steps[1].afterHours must be at most 8760'],
    ],
  ])('refuses %s', (_label, bad, issues) => {
    expect(issuesOf({ id: 's', version: 1, steps: [step('ok', 0), bad] })).toEqual(issues)
  })

  it('refuses a step id used twice, naming the first use', () => {
    expect(
      issuesOf({ id: 's', version: 1, steps: [step('a', 0), step('b', 1), step('a', 2), step('a', 3)] }),
    ).toEqual(['steps[2].id "a" is already used by steps[0]', 'steps[3].id "a" is already used by steps[0]'])
  })

  it('lists every problem at once', () => {
    expect(
      issuesOf({
        id: '',
        version: -1,
        cadence: 'weekly',
        steps: [null, { id: 'a', channel: 'fax', template: '', afterHours: -2, extra: true }, step('a', 1)],
      }),
    ).toEqual([
      'cadence is not allowed',
      'id must be a non-empty string',
      'version must be at least 1',
      'steps[0] must be an object',
      'steps[1].extra is not allowed',
      'steps[1].channel must be one of email, whatsapp, sms',
      'steps[1].template must be a non-empty string',
      'steps[1].afterHours must be at least 0',
      'steps[2].id "a" is already used by steps[1]',
    ])
  })
})

describe('planSequence', () => {
  it('plans the default sequence at exact offsets when nothing falls in quiet hours', () => {
    // Thursday 10:00 IST; every offset is whole days, so every message is at 10:00 IST.
    expect(planSequence(DEFAULT_NURTURE_SEQUENCE, '2026-01-15T04:30:00.000Z', options())).toEqual([
      { stepId: 'welcome', channel: 'email', template: 'nurture-welcome', dueAt: '2026-01-15T04:30:00.000Z' },
      {
        stepId: 'wa-intro',
        channel: 'whatsapp',
        template: 'nurture-wa-intro',
        dueAt: '2026-01-16T04:30:00.000Z',
      },
      { stepId: 'value', channel: 'email', template: 'nurture-value', dueAt: '2026-01-17T04:30:00.000Z' },
      {
        stepId: 'case-study',
        channel: 'email',
        template: 'nurture-case-study',
        dueAt: '2026-01-20T04:30:00.000Z',
      },
      {
        stepId: 'wa-follow-up',
        channel: 'whatsapp',
        template: 'nurture-wa-follow-up',
        dueAt: '2026-01-22T04:30:00.000Z',
      },
      {
        stepId: 'check-in',
        channel: 'email',
        template: 'nurture-check-in',
        dueAt: '2026-01-24T04:30:00.000Z',
      },
      { stepId: 'breakup', channel: 'email', template: 'nurture-breakup', dueAt: '2026-01-29T04:30:00.000Z' },
    ])
  })

  it('moves messages out of quiet nights and weekends, ties in sequence order', () => {
    // Thursday 22:00 IST, so every offset lands at 22:00 IST and moves to the next 09:00 IST
    // (03:30Z) on a weekday.
    const plan = planSequence(
      DEFAULT_NURTURE_SEQUENCE,
      '2026-01-15T16:30:00.000Z',
      options({ quietHours: WEEKENDS }),
    )
    expect(plan.map((p) => [p.stepId, p.dueAt])).toEqual([
      ['welcome', '2026-01-16T03:30:00.000Z'], // Thu 22:00 -> Fri 09:00
      ['wa-intro', '2026-01-19T03:30:00.000Z'], // Fri 22:00 -> Mon 09:00
      ['value', '2026-01-19T03:30:00.000Z'], // Sat 22:00 -> Mon 09:00: same instant, later in the sequence
      ['case-study', '2026-01-21T03:30:00.000Z'], // Tue 20th 22:00 -> Wed 09:00
      ['wa-follow-up', '2026-01-23T03:30:00.000Z'], // Thu 22nd 22:00 -> Fri 09:00
      ['check-in', '2026-01-26T03:30:00.000Z'], // Sat 24th 22:00 -> Mon 09:00
      ['breakup', '2026-01-30T03:30:00.000Z'], // Thu 29th 22:00 -> Fri 09:00
    ])
  })

  it('leaves out steps on channels that are not allowed', () => {
    const start = '2026-01-15T04:30:00.000Z'
    const emailOnly = planSequence(
      DEFAULT_NURTURE_SEQUENCE,
      start,
      options({ channels: { email: true, whatsapp: false } }),
    )
    expect(emailOnly.map((p) => p.stepId)).toEqual(['welcome', 'value', 'case-study', 'check-in', 'breakup'])
    expect(emailOnly.every((p) => p.channel === 'email')).toBe(true)

    const whatsappOnly = planSequence(
      DEFAULT_NURTURE_SEQUENCE,
      start,
      options({ channels: { email: false, whatsapp: true } }),
    )
    expect(whatsappOnly.map((p) => [p.stepId, p.dueAt])).toEqual([
      ['wa-intro', '2026-01-16T04:30:00.000Z'],
      ['wa-follow-up', '2026-01-22T04:30:00.000Z'],
    ])

    expect(
      planSequence(DEFAULT_NURTURE_SEQUENCE, start, options({ channels: { email: false, whatsapp: false } })),
    ).toEqual([])
  })

  it('plans SMS steps only when the sms channel is allowed, and treats a missing flag as not allowed', () => {
    const start = '2026-01-15T04:30:00.000Z'
    const mixed = sequenceOf(step('mail', 0), step('text', 1, 'sms'), step('wa', 2, 'whatsapp'))
    const all = { email: true, whatsapp: true, sms: true }
    expect(planSequence(mixed, start, options({ channels: all })).map((p) => [p.stepId, p.channel])).toEqual([
      ['mail', 'email'],
      ['text', 'sms'],
      ['wa', 'whatsapp'],
    ])
    expect(
      planSequence(mixed, start, options({ channels: { ...all, sms: false } })).map((p) => p.stepId),
    ).toEqual(['mail', 'wa'])
    // A journey that started before SMS existed carries { email, whatsapp } only.
    expect(
      planSequence(mixed, start, options({ channels: { email: true, whatsapp: true } })).map((p) => p.stepId),
    ).toEqual(['mail', 'wa'])
  })

  it('accepts sms steps in a stored sequence', () => {
    expect(issuesOf({ id: 's', version: 1, steps: [step('a', 0, 'sms')] })).toEqual([])
  })

  it('orders by due time, not by position in the sequence', () => {
    const plan = planSequence(
      sequenceOf(step('late', 48), step('early', 0), step('middle', 24, 'whatsapp')),
      '2026-01-15T04:30:00.000Z',
      options(),
    )
    expect(plan.map((p) => p.stepId)).toEqual(['early', 'middle', 'late'])
  })

  it('breaks ties by position in the sequence, not by afterHours', () => {
    // 22:00 and 23:00 IST both move to Friday 09:00 IST; "second" comes first in the list.
    const plan = planSequence(
      sequenceOf(step('second', 1), step('first', 0, 'whatsapp'), step('next-day', 24)),
      '2026-01-15T15:30:00.000Z', // Thu 21:00 IST
      options(),
    )
    expect(plan.map((p) => [p.stepId, p.dueAt])).toEqual([
      ['second', '2026-01-16T03:30:00.000Z'],
      ['first', '2026-01-16T03:30:00.000Z'],
      ['next-day', '2026-01-17T03:30:00.000Z'], // Fri 21:00 IST is quiet -> Sat 09:00 IST
    ])
  })

  it('waits for daytime in every zone of the lead', () => {
    // 15:00Z is 10:00 in New York but 07:00 in Los Angeles: every message waits for 09:00 PST (17:00Z).
    const plan = planSequence(
      DEFAULT_NURTURE_SEQUENCE,
      '2026-01-15T15:00:00.000Z',
      options({ zones: ['America/New_York', 'America/Los_Angeles'] }),
    )
    expect(plan.map((p) => p.dueAt)).toEqual([
      '2026-01-15T17:00:00.000Z',
      '2026-01-16T17:00:00.000Z',
      '2026-01-17T17:00:00.000Z',
      '2026-01-20T17:00:00.000Z',
      '2026-01-22T17:00:00.000Z',
      '2026-01-24T17:00:00.000Z',
      '2026-01-29T17:00:00.000Z',
    ])
  })

  it('reads startedAt with any offset and handles fractional hours to the millisecond', () => {
    const plan = planSequence(
      sequenceOf(step('quarter', 0.25), step('third', 1 / 3)),
      '2026-01-15T10:00:00+05:30', // 04:30Z
      options(),
    )
    expect(plan.map((p) => p.dueAt)).toEqual(['2026-01-15T04:45:00.000Z', '2026-01-15T04:50:00.000Z'])
  })

  it('keeps step ids and templates, and nothing else', () => {
    const [only] = planSequence(sequenceOf(step('hello', 0)), '2026-01-15T04:30:00Z', options())
    expect(only).toStrictEqual({
      stepId: 'hello',
      channel: 'email',
      template: 't-hello',
      dueAt: '2026-01-15T04:30:00.000Z',
    })
  })

  it.each(['', 'yesterday', '2026-13-01T00:00:00Z', '15/01/2026'])(
    'throws a RangeError for startedAt %j',
    (start) => {
      expect(() => planSequence(DEFAULT_NURTURE_SEQUENCE, start, options())).toThrow(RangeError)
    },
  )

  it('counts afterHours as elapsed time, so a DST change can push a step into quiet hours', () => {
    // Friday 19:30 EST (00:30Z). After the spring-forward on Sunday the same 00:30Z is 20:30
    // EDT, which is quiet, so those steps move to 09:00 EDT (13:00Z).
    const start = '2026-03-07T00:30:00.000Z'
    const plan = planSequence(DEFAULT_NURTURE_SEQUENCE, start, options({ zones: ['America/New_York'] }))
    expect(plan.map((p) => [p.stepId, p.dueAt])).toEqual([
      ['welcome', '2026-03-07T00:30:00.000Z'], // Fri 19:30 EST
      ['wa-intro', '2026-03-08T00:30:00.000Z'], // Sat 19:30 EST
      ['value', '2026-03-09T13:00:00.000Z'], // Sun 20:30 EDT -> Mon 09:00 EDT
      ['case-study', '2026-03-12T13:00:00.000Z'], // Wed 20:30 EDT -> Thu 09:00
      ['wa-follow-up', '2026-03-14T13:00:00.000Z'], // Fri 20:30 EDT -> Sat 09:00
      ['check-in', '2026-03-16T13:00:00.000Z'], // Sun 20:30 EDT -> Mon 09:00
      ['breakup', '2026-03-21T13:00:00.000Z'], // Fri 20:30 EDT -> Sat 09:00
    ])
    // Pure: planning again gives the same plan.
    expect(planSequence(DEFAULT_NURTURE_SEQUENCE, start, options({ zones: ['America/New_York'] }))).toEqual(
      plan,
    )
  })
})

describe('stopReasonForEvent', () => {
  it('lists the stop reasons', () => {
    expect(SEQUENCE_STOP_REASONS).toEqual([
      'replied',
      'opted_out',
      'dnd',
      'meeting_booked',
      'converted',
      'disqualified',
      'contacted_by_sdr',
    ])
  })

  it.each([
    ['emailReply', 'replied'],
    ['whatsappReply', 'replied'],
    ['meetingBooked', 'meeting_booked'],
    ['emailOpen', null],
    ['emailClick', null],
    ['webVisit', null],
    ['call', null],
    ['eventAttended', null],
  ])('%s -> %s', (event, reason) => {
    expect(stopReasonForEvent(event)).toBe(reason)
  })

  it('covers every engagement event the scoring rules know', () => {
    const stopping = ENGAGEMENT_EVENTS.filter((e) => stopReasonForEvent(e) !== null)
    expect(stopping).toEqual(['emailReply', 'whatsappReply', 'meetingBooked'])
  })

  it.each(['', 'EmailReply', 'reply', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'gives null for %j',
    (event) => {
      expect(stopReasonForEvent(event)).toBeNull()
    },
  )
})
