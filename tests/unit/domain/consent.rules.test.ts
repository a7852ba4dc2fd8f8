import { describe, expect, it } from 'vitest'
import {
  canContact,
  decideConsent,
  withdrawConsent,
  type ConsentState,
} from '../../../domain/consent/consent.rules.js'
import type { ConsentDecision } from '../../../domain/lead/draft-lead.js'
import type { ConsentEvidence, ContactChannel } from '../../../domain/lead/lead-capture.js'

const RECEIVED = '2026-03-01T10:00:00.000Z'

describe('decideConsent', () => {
  it.each<[string, ConsentEvidence | undefined, boolean, ConsentDecision]>([
    [
      'no evidence is unknown, not consent',
      undefined,
      true,
      { status: 'unknown', grantedChannels: [], at: null, source: null, textVersion: null, dnd: true },
    ],
    [
      'an opt-in without channels covers every channel, dated by the capture',
      { granted: true },
      false,
      {
        status: 'granted',
        grantedChannels: ['email', 'whatsapp', 'sms', 'phone'],
        at: RECEIVED,
        source: null,
        textVersion: null,
        dnd: false,
      },
    ],
    [
      'an opt-in for named channels keeps its own time, source and wording version',
      {
        granted: true,
        at: '2026-02-28T18:30:00.000Z',
        source: 'web_form:pricing-page',
        textVersion: 'v3',
        text: 'Send me offers by email and WhatsApp',
        channels: ['whatsapp', 'email', 'whatsapp'],
      },
      true,
      {
        status: 'granted',
        grantedChannels: ['email', 'whatsapp'],
        at: '2026-02-28T18:30:00.000Z',
        source: 'web_form:pricing-page',
        textVersion: 'v3',
        dnd: true,
      },
    ],
    [
      'an opt-in naming no channel covers none',
      { granted: true, channels: [] },
      false,
      { status: 'granted', grantedChannels: [], at: RECEIVED, source: null, textVersion: null, dnd: false },
    ],
    [
      'an explicit refusal is denied and recorded with its time',
      { granted: false, source: 'whatsapp', channels: ['email'] },
      false,
      {
        status: 'denied',
        grantedChannels: [],
        at: RECEIVED,
        source: 'whatsapp',
        textVersion: null,
        dnd: false,
      },
    ],
  ])('%s', (_name, evidence, dnd, expected) => {
    expect(decideConsent(evidence, { receivedAt: RECEIVED, dnd })).toEqual(expected)
  })
})

const GRANTED: ConsentState = {
  status: 'granted',
  grantedChannels: ['email', 'whatsapp', 'sms', 'phone'],
  optInAt: '2026-01-10T00:00:00.000Z',
  optOutAt: null,
  optOutReason: null,
  dnd: false,
}

describe('canContact', () => {
  describe('marketing', () => {
    it.each<[string, Partial<ConsentState>, ContactChannel, boolean, RegExp]>([
      [
        'granted for the channel',
        {},
        'email',
        true,
        /^The person opted in to marketing on email on 2026-01-10/,
      ],
      ['granted, WhatsApp', {}, 'whatsapp', true, /opted in/],
      [
        'not granted for this channel',
        { grantedChannels: ['email'] },
        'whatsapp',
        false,
        /covers email, not whatsapp/,
      ],
      ['granted for no channel', { grantedChannels: [] }, 'email', false, /covers no channel, not email/],
      [
        'unknown consent',
        { status: 'unknown', grantedChannels: [], optInAt: null },
        'email',
        false,
        /no recorded opt-in/,
      ],
      ['declined', { status: 'denied', grantedChannels: [], optInAt: null }, 'email', false, /declined/],
      [
        'withdrawn',
        { status: 'withdrawn', grantedChannels: [], optOutAt: '2026-02-01T00:00:00Z' },
        'email',
        false,
        /withdrew consent on 2026-02-01T00:00:00Z/,
      ],
      [
        'opted out after opting in',
        { optOutAt: '2026-02-01T00:00:00Z' },
        'email',
        false,
        /opted out on 2026-02-01/,
      ],
      [
        'opted out at the same instant',
        { optOutAt: '2026-01-10T05:30:00+05:30' },
        'email',
        false,
        /opted out/,
      ],
      ['opted in again after an opt-out', { optOutAt: '2026-01-01T00:00:00Z' }, 'email', true, /opted in/],
      [
        'an opt-out with no opt-in time',
        { optInAt: null, optOutAt: '2026-01-01T00:00:00Z' },
        'email',
        false,
        /opted out/,
      ],
      ['an opt-out whose time cannot be read', { optOutAt: 'last week' }, 'email', false, /opted out/],
      [
        'DND blocks promotional calls',
        { dnd: true },
        'phone',
        false,
        /Do Not Call registry \(TRAI NCPR\).*calls/,
      ],
      ['DND blocks promotional SMS', { dnd: true }, 'sms', false, /Do Not Call registry \(TRAI NCPR\).*SMS/],
      ['DND does not cover email', { dnd: true }, 'email', true, /opted in/],
      ['DND does not cover WhatsApp with consent', { dnd: true }, 'whatsapp', true, /opted in/],
    ])('%s', (_name, overrides, channel, allowed, reason) => {
      const result = canContact({ ...GRANTED, ...overrides }, channel, 'marketing')
      expect(result.allowed).toBe(allowed)
      expect(result.reason).toMatch(reason)
    })

    it('gives a readable sentence for a channel outside the consent', () => {
      expect(canContact({ ...GRANTED, grantedChannels: ['email'] }, 'sms', 'marketing')).toEqual({
        allowed: false,
        reason: 'The person’s consent covers email, not sms.',
      })
    })
  })

  describe('transactional', () => {
    it.each<[string, Partial<ConsentState>, ContactChannel]>([
      ['granted', {}, 'email'],
      ['unknown', { status: 'unknown', grantedChannels: [], optInAt: null }, 'whatsapp'],
      ['denied', { status: 'denied', grantedChannels: [] }, 'email'],
      ['withdrawn', { status: 'withdrawn', grantedChannels: [], optOutAt: '2026-02-01T00:00:00Z' }, 'email'],
      ['on DND, by phone', { dnd: true }, 'phone'],
      ['on DND, by SMS', { dnd: true, status: 'unknown', grantedChannels: [] }, 'sms'],
    ])('is always allowed (%s, %s)', (_name, overrides, channel) => {
      const result = canContact({ ...GRANTED, ...overrides }, channel, 'transactional')
      expect(result.allowed).toBe(true)
      expect(result.reason).toMatch(/^Transactional messages/)
    })
  })
})

describe('withdrawConsent', () => {
  it('withdraws every channel, records when and why, and keeps the opt-in time', () => {
    const before = { ...GRANTED, dnd: true, grantedChannels: [...GRANTED.grantedChannels] }
    const after = withdrawConsent(before, '2026-02-01T00:00:00.000Z', ' STOP reply ')
    expect(after).toEqual({
      status: 'withdrawn',
      grantedChannels: [],
      optInAt: '2026-01-10T00:00:00.000Z',
      optOutAt: '2026-02-01T00:00:00.000Z',
      optOutReason: 'STOP reply',
      dnd: true,
    } satisfies ConsentState)
    expect(before).toEqual({ ...GRANTED, dnd: true })
  })

  it('blocks marketing afterwards but not transactional messages', () => {
    const after = withdrawConsent(GRANTED, '2026-02-01T00:00:00.000Z', 'unsubscribe link')
    expect(canContact(after, 'email', 'marketing').allowed).toBe(false)
    expect(canContact(after, 'email', 'transactional').allowed).toBe(true)
  })

  it('keeps the first withdrawal when withdrawn again (a replayed unsubscribe)', () => {
    const first = withdrawConsent(GRANTED, '2026-02-01T00:00:00.000Z', 'unsubscribe link')
    expect(withdrawConsent(first, '2026-02-05T00:00:00.000Z', 'STOP reply')).toBe(first)
  })

  it('records a blank reason as null', () => {
    expect(withdrawConsent(GRANTED, '2026-02-01T00:00:00.000Z', '   ').optOutReason).toBeNull()
  })

  it('also withdraws from unknown or denied consent, so the opt-out is on record', () => {
    const unknown: ConsentState = { ...GRANTED, status: 'unknown', grantedChannels: [], optInAt: null }
    expect(withdrawConsent(unknown, '2026-02-01T00:00:00.000Z', 'asked by phone')).toMatchObject({
      status: 'withdrawn',
      optInAt: null,
      optOutAt: '2026-02-01T00:00:00.000Z',
    })
  })
})
