import { describe, expect, it } from 'vitest'
import { scrubOwnRecordChanges, scrubRelatedRecordChanges } from '../../security/privacy/audit-scrub.js'
import { ERASED, keepOnly, needlesFor, scrubJson } from '../../security/privacy/needles.js'

/*
 * How an erasure recognises the person in free text and JSON (pure; no database): phones in
 * any typed format, addresses in any case, names only as whole words.
 */

const needles = needlesFor({
  emails: ['asha.rao@acme.in', 'asharao@gmail.com'],
  phones: ['+919845012345'],
  names: ['Asha', 'Rao', 'Erased'],
})

describe('needles', () => {
  it.each([
    'call +91 98450 12345',
    'call 098450-12345',
    'call (98450) 12345',
    '{"jid":"919845012345@s.whatsapp.net"}',
    'Mail ASHA.RAO@ACME.IN',
    'asharao@gmail.com',
    'Spoke to Mr Rao today',
    'rao',
    'asha rao|acme',
  ])('finds the person in %s', (text) => {
    expect(needles.matches(text)).toBe(true)
  })

  it.each(['Raosaheb Industries', 'Prasha Ltd', '98450123456789', 'Erased', 'the deal closed'])(
    'does not see the person in %s',
    (text) => {
      expect(needles.matches(text)).toBe(false)
    },
  )

  it('keeps campaign words that only look like a name when asked for contact points only', () => {
    expect(needles.matchesContactPoint('rao-diwali-campaign')).toBe(false)
    expect(needles.matchesContactPoint('utm from asharao@gmail.com')).toBe(true)
  })
})

describe('scrubbing JSON', () => {
  it('replaces strings that name the person, drops keys that do and free-text keys', () => {
    expect(
      scrubJson(
        {
          reason: { kind: 'email', key: 'email:asharao@gmail.com' },
          'asharao@gmail.com': 1,
          note: 'anything at all',
          list: ['Rao', 'ok', 3],
        },
        needles,
        new Set(['note']),
      ),
    ).toEqual({ reason: { kind: 'email', key: ERASED }, list: [ERASED, 'ok', 3] })
  })

  it('keeps only listed system keys, numbers and booleans in timeline details', () => {
    expect(
      keepOnly(
        { status: 'sent', body: 'hello', from: '+91 98450 12345', to: 'Nurturing', n: 3, ok: true, url: 'x' },
        new Set(['status', 'from', 'to']),
        needles,
      ),
    ).toEqual({ status: 'sent', from: ERASED, to: 'Nurturing', n: 3, ok: true })
  })
})

describe('scrubbing audit changes', () => {
  it('keeps field names and neutral values of the person’s own records', () => {
    expect(
      scrubOwnRecordChanges(
        {
          email: { from: null, to: 'asharao@gmail.com' },
          status: { from: 'NEW', to: 'CONVERTED' },
          title: { from: null, to: 'Head of Procurement' },
          dnd: { from: false, to: true },
          legacy: 'Asha',
        },
        needles,
      ),
    ).toEqual({
      email: { from: null, to: ERASED },
      status: { from: 'NEW', to: 'CONVERTED' },
      title: { from: null, to: ERASED },
      dnd: { from: false, to: true },
      legacy: ERASED,
    })
  })

  it('removes only what names the person on related records, and their free text', () => {
    expect(
      scrubRelatedRecordChanges(
        {
          name: { from: null, to: 'Asha Rao (individual)' },
          amount: { from: null, to: '90000' },
          description: { from: null, to: 'printer is broken' },
        },
        needles,
      ),
    ).toEqual({
      name: { from: null, to: ERASED },
      amount: { from: null, to: '90000' },
      description: { from: null, to: ERASED },
    })
  })
})
