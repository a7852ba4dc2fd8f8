import { describe, expect, it } from 'vitest'
import {
  hasOptedOut,
  marketingBlock,
  type ConsentState,
  type ContactBlock,
} from '../../../domain/consent/consent.rules.js'
import { sdrContactBlock, sdrContactRoute } from '../../../domain/consent/sdr-contact.rules.js'
import type { ContactChannel } from '../../../domain/lead/lead-capture.js'

const IN = '2026-03-01T10:00:00.000Z'
const OUT = '2026-03-05T10:00:00.000Z'
const LATER = '2026-03-09T10:00:00.000Z'

const state = (over: Partial<ConsentState> = {}): ConsentState => ({
  status: 'granted',
  grantedChannels: ['email', 'whatsapp', 'sms', 'phone'],
  optInAt: IN,
  optOutAt: null,
  optOutReason: null,
  dnd: false,
  ...over,
})

describe('hasOptedOut', () => {
  it.each<[string, Partial<ConsentState>, boolean]>([
    ['granted, never opted out', {}, false],
    ['withdrawn', { status: 'withdrawn', grantedChannels: [], optOutAt: OUT }, true],
    ['an opt-out after the opt-in', { optOutAt: OUT }, true],
    ['an opt-in again after the opt-out', { optInAt: LATER, optOutAt: OUT }, false],
    ['an opt-out at the very instant of the opt-in', { optInAt: OUT, optOutAt: OUT }, true],
    ['an opt-out whose order cannot be told', { optInAt: 'yesterday', optOutAt: OUT }, true],
    ['no answer at all', { status: 'unknown', grantedChannels: [], optInAt: null }, false],
  ])('%s: %s', (_label, over, expected) => {
    expect(hasOptedOut(state(over))).toBe(expected)
  })
})

describe('marketingBlock', () => {
  it.each<[string, Partial<ConsentState>, ContactChannel, ContactBlock | null]>([
    ['allowed', {}, 'sms', null],
    [
      'withdrawn, on any channel',
      { status: 'withdrawn', grantedChannels: [], optOutAt: OUT },
      'email',
      'opted_out',
    ],
    ['declined', { status: 'denied', grantedChannels: [] }, 'email', 'consent_denied'],
    ['no answer', { status: 'unknown', grantedChannels: [], optInAt: null }, 'email', 'no_consent'],
    ['a channel the person did not name', { grantedChannels: ['email'] }, 'sms', 'no_consent_for_channel'],
    ['SMS to a number on DND', { dnd: true }, 'sms', 'dnd'],
    ['email to a person on DND: outside the registry', { dnd: true }, 'email', null],
    ['WhatsApp to a person on DND: outside the registry', { dnd: true }, 'whatsapp', null],
    [
      'an opt-out and DND: the opt-out is named, it stops everything',
      { dnd: true, optOutAt: OUT },
      'sms',
      'opted_out',
    ],
    [
      // Re-granted for email only after an opt-out: SMS lacks consent, the person has not opted out now.
      'a channel left out of a later opt-in',
      { grantedChannels: ['email'], optInAt: LATER, optOutAt: OUT },
      'sms',
      'no_consent_for_channel',
    ],
  ])('%s', (_label, over, channel, expected) => {
    expect(marketingBlock(state(over), channel)).toBe(expected)
  })
})

describe('sdrContactBlock', () => {
  it.each<[string, Partial<ConsentState>, 'phone' | 'email', ContactBlock | null]>([
    ['granted with phone', {}, 'phone', null],
    [
      'no answer recorded: a call about the enquiry is allowed',
      { status: 'unknown', grantedChannels: [], optInAt: null },
      'phone',
      null,
    ],
    [
      'no answer, but on DND',
      { status: 'unknown', grantedChannels: [], optInAt: null, dnd: true },
      'phone',
      'dnd',
    ],
    ['on DND, opted in to calls: DND still wins', { dnd: true }, 'phone', 'dnd'],
    ['on DND: email is not a call', { dnd: true }, 'email', null],
    ['opted out', { optOutAt: OUT }, 'phone', 'opted_out'],
    ['withdrawn', { status: 'withdrawn', grantedChannels: [], optOutAt: OUT }, 'email', 'opted_out'],
    ['declined', { status: 'denied', grantedChannels: [] }, 'phone', 'consent_denied'],
    ['consented to email only', { grantedChannels: ['email'] }, 'phone', 'no_consent_for_channel'],
  ])('%s', (_label, over, channel, expected) => {
    expect(sdrContactBlock(state(over), channel)).toBe(expected)
  })
})

describe('sdrContactRoute', () => {
  const both = { email: true, phone: true }

  it('calls when calling is allowed', () => {
    expect(sdrContactRoute(state(), both)).toEqual({
      by: 'phone',
      callBlock: null,
      reason: 'Calling is allowed.',
    })
  })

  it('sends the SDR to email for a number on DND, naming the registry', () => {
    const route = sdrContactRoute(state({ dnd: true }), both)
    expect(route).toMatchObject({ by: 'email', callBlock: 'dnd' })
    expect(route.reason).toBe(
      'Do not call: the number is on India’s Do Not Call registry (TRAI NCPR). Email the lead instead.',
    )
  })

  it('asks for a review when neither channel is allowed', () => {
    const route = sdrContactRoute(state({ optOutAt: OUT }), both)
    expect(route).toMatchObject({ by: 'none', callBlock: 'opted_out' })
    expect(route.reason).toBe(
      'Do not call: the person opted out. Do not email: the person opted out. Review the lead instead of contacting it.',
    )
    expect(sdrContactRoute(state({ dnd: true }), { email: false, phone: true })).toMatchObject({
      by: 'none',
      callBlock: 'dnd',
    })
  })

  it('emails a lead without a number, and records no skipped call', () => {
    expect(sdrContactRoute(state(), { email: true, phone: false })).toEqual({
      by: 'email',
      callBlock: null,
      reason: 'There is no phone number. Email the lead instead.',
    })
    expect(
      sdrContactRoute(state({ grantedChannels: ['phone'] }), { email: true, phone: false }),
    ).toMatchObject({
      by: 'none',
      callBlock: null,
    })
  })
})
