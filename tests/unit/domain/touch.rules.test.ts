import { describe, expect, it } from 'vitest'
import { firstAndLastTouch, touchFromCapture, type Touch } from '../../../domain/attribution/touch.rules.js'
import type { AttributionInput, LeadChannel } from '../../../domain/lead/lead-capture.js'

const AT = '2026-01-01T09:00:00.000Z'

function sm(channel: LeadChannel, input: AttributionInput | undefined): string {
  const t = touchFromCapture(channel, input, AT)
  return `${t.source} / ${t.medium}`
}

describe('touchFromCapture', () => {
  it('keeps every field of the capture, trimmed, with source and medium lower-cased', () => {
    expect(
      touchFromCapture(
        'web_form',
        {
          landingPage:
            ' https://www.acme.in/pricing?utm_source=LinkedIn&utm_medium=Paid_Social&utm_campaign=Q4-CXO&utm_term=crm+india&utm_content=video ',
          referrer: 'https://www.linkedin.com/ ',
        },
        AT,
      ),
    ).toEqual({
      channel: 'web_form',
      source: 'linkedin',
      medium: 'paid_social',
      campaign: 'Q4-CXO',
      term: 'crm india',
      content: 'video',
      referrer: 'https://www.linkedin.com/',
      landingPage:
        'https://www.acme.in/pricing?utm_source=LinkedIn&utm_medium=Paid_Social&utm_campaign=Q4-CXO&utm_term=crm+india&utm_content=video',
      occurredAt: AT,
    } satisfies Touch)
  })

  it('returns null for everything optional when there is no attribution at all', () => {
    expect(touchFromCapture('web_form', undefined, AT)).toEqual({
      channel: 'web_form',
      source: '(direct)',
      medium: '(none)',
      campaign: null,
      term: null,
      content: null,
      referrer: null,
      landingPage: null,
      occurredAt: AT,
    } satisfies Touch)
  })

  describe('precedence: explicit fields, utm_* on the landing page, click ids, referrer, channel', () => {
    it.each<[string, LeadChannel, AttributionInput | undefined, string]>([
      [
        'explicit fields beat the landing page tags',
        'web_form',
        {
          source: 'Newsletter',
          medium: 'Email',
          landingPage: 'https://acme.in/?utm_source=google&utm_medium=cpc',
        },
        'newsletter / email',
      ],
      [
        'utm tags beat a gclid',
        'web_form',
        { landingPage: 'https://acme.in/?utm_source=bing&utm_medium=cpc&gclid=Cj0KCQ' },
        'bing / cpc',
      ],
      [
        'explicit source with the medium from utm_medium',
        'web_form',
        { source: 'partner-site', landingPage: 'https://acme.in/?utm_medium=referral' },
        'partner-site / referral',
      ],
      [
        'gclid means a Google Ads click',
        'web_form',
        { landingPage: 'https://acme.in/demo?gclid=Cj0KCQ' },
        'google / cpc',
      ],
      ['gbraid (iOS) too', 'web_form', { landingPage: 'https://acme.in/demo?gbraid=0AAAAA' }, 'google / cpc'],
      [
        'gclid beats the referrer',
        'web_form',
        { landingPage: 'https://acme.in/?gclid=abc', referrer: 'https://www.google.com/' },
        'google / cpc',
      ],
      [
        'fbclid means a Meta ad click',
        'web_form',
        { landingPage: 'https://acme.in/?fbclid=IwAR0', referrer: 'https://l.facebook.com/' },
        'facebook / paid_social',
      ],
      [
        'tags on a relative landing page still count',
        'web_form',
        { landingPage: '/pricing?utm_source=Expo' },
        'expo / (not set)',
      ],
      ['a source without a medium on the web', 'web_form', { source: 'brochure' }, 'brochure / (not set)'],
      ['a medium without a source', 'web_form', { medium: 'print' }, '(not set) / print'],
      [
        'off the web the channel fills a missing medium',
        'whatsapp',
        { source: 'QR-Poster' },
        'qr-poster / messaging',
      ],
      ['blank explicit fields are ignored', 'web_form', { source: '  ', medium: '' }, '(direct) / (none)'],
    ])('%s', (_name, channel, input, expected) => {
      expect(sm(channel, input)).toBe(expected)
    })
  })

  describe('referrer classification by registrable domain', () => {
    it.each<[string, string]>([
      ['https://www.google.com/', 'google / organic'],
      ['https://www.google.co.in/search?q=crm', 'google / organic'],
      ['https://www.bing.com/search?q=crm', 'bing / organic'],
      ['https://duckduckgo.com/', 'duckduckgo / organic'],
      ['https://in.search.yahoo.com/search?p=crm', 'yahoo / organic'],
      ['https://yandex.ru/search/?text=crm', 'yandex / organic'],
      ['https://www.baidu.com/s?wd=crm', 'baidu / organic'],
      ['https://www.ecosia.org/search?q=crm', 'ecosia / organic'],
      ['www.google.com', 'google / organic'],
      ['https://l.facebook.com/l.php?u=x', 'facebook / social'],
      ['https://www.instagram.com/', 'instagram / social'],
      ['https://www.linkedin.com/feed/', 'linkedin / social'],
      ['https://lnkd.in/abc', 'linkedin / social'],
      ['https://twitter.com/acme', 'twitter / social'],
      ['https://x.com/acme', 'twitter / social'],
      ['https://t.co/abc', 'twitter / social'],
      ['https://m.youtube.com/watch?v=1', 'youtube / social'],
      ['https://youtu.be/1', 'youtube / social'],
      ['https://web.whatsapp.com/', 'whatsapp / social'],
      ['https://wa.me/919876543210', 'whatsapp / social'],
      ['https://news.ycombinator.com/item?id=1', 'ycombinator.com / referral'],
      ['https://www.economictimes.indiatimes.com/tech', 'indiatimes.com / referral'],
      ['https://someblog.blogspot.com/post', 'someblog.blogspot.com / referral'],
      ['https://google.blogspot.com/', 'google.blogspot.com / referral'],
      ['http://192.168.1.10:8080/admin', '192.168.1.10 / referral'],
      ['http://constructor/', 'constructor / referral'],
      ['android-app://com.google.android.gm/', '(direct) / (none)'],
      ['not a url', '(direct) / (none)'],
    ])('%s → %s', (referrer, expected) => {
      expect(sm('web_form', { referrer, landingPage: 'https://www.acme.in/pricing' })).toBe(expected)
    })

    it.each<[string, string]>([
      ['https://www.acme.in/blog/post', 'the same host'],
      ['https://blog.acme.in/post', 'a sub-domain of the same site'],
      ['http://acme.in/', 'the bare domain over http'],
    ])('ignores a referrer on the landing page’s own site: %s (%s)', (referrer) => {
      expect(sm('web_form', { referrer, landingPage: 'https://www.acme.in/pricing' })).toBe(
        '(direct) / (none)',
      )
    })

    it('treats two sites on one hosting suffix as different sites', () => {
      expect(
        sm('web_form', { referrer: 'https://other.vercel.app/', landingPage: 'https://acme.vercel.app/' }),
      ).toBe('other.vercel.app / referral')
    })

    it('cannot tell same-site without a landing page, so counts it as a referral', () => {
      expect(sm('web_form', { referrer: 'https://blog.acme.in/post' })).toBe('acme.in / referral')
    })
  })

  describe('no campaign data', () => {
    it.each<[LeadChannel, string]>([
      ['web_form', '(direct) / (none)'],
      ['api', 'api / api'],
      ['whatsapp', 'whatsapp / messaging'],
      ['email', 'email / email'],
      ['phone', 'phone / phone'],
      ['partner_api', 'partner_api / partner'],
      ['event', 'event / event'],
      ['import', 'import / import'],
    ])('%s → %s', (channel, expected) => {
      expect(sm(channel, undefined)).toBe(expected)
      expect(sm(channel, {})).toBe(expected)
    })

    it('a non-web channel with a referrer is classified by the referrer', () => {
      expect(sm('whatsapp', { referrer: 'https://www.facebook.com/' })).toBe('facebook / social')
    })
  })

  describe('cleaning', () => {
    it('lower-cases and trims source and medium', () => {
      const t = touchFromCapture('web_form', { source: '  GOOGLE ', medium: ' CPC' }, AT)
      expect([t.source, t.medium]).toEqual(['google', 'cpc'])
    })

    it('keeps the campaign’s case (analytics tools treat it as case-sensitive)', () => {
      expect(touchFromCapture('web_form', { campaign: ' Diwali-2026 ' }, AT).campaign).toBe('Diwali-2026')
    })

    it('caps source, medium, campaign, term and content at 200 characters', () => {
      const long = 'A'.repeat(250)
      const t = touchFromCapture(
        'web_form',
        { source: long, medium: long, campaign: long, term: long, content: long },
        AT,
      )
      expect(t.source).toBe('a'.repeat(200))
      expect(t.medium).toBe('a'.repeat(200))
      expect(t.campaign).toBe('A'.repeat(200))
      expect(t.term).toBe('A'.repeat(200))
      expect(t.content).toBe('A'.repeat(200))
    })

    it('cuts on characters, never inside an emoji', () => {
      const t = touchFromCapture('web_form', { campaign: '🎉'.repeat(201) }, AT)
      expect(t.campaign).toBe('🎉'.repeat(200))
    })

    it('caps URLs at 2,048 characters', () => {
      const url = `https://acme.in/?x=${'a'.repeat(3000)}`
      const t = touchFromCapture('web_form', { landingPage: url, referrer: url }, AT)
      expect(t.landingPage).toBe(url.slice(0, 2048))
      expect(t.referrer).toBe(url.slice(0, 2048))
    })

    it('reads percent-encoded utm values', () => {
      const t = touchFromCapture(
        'web_form',
        { landingPage: 'https://acme.in/?utm_source=ET%20Now&utm_campaign=B2B%2FQ4' },
        AT,
      )
      expect([t.source, t.campaign]).toEqual(['et now', 'B2B/Q4'])
    })
  })
})

function touch(source: string, occurredAt: string): Touch {
  return { ...touchFromCapture('web_form', { source, medium: 'test' }, occurredAt) }
}

describe('firstAndLastTouch', () => {
  it('returns nulls for an empty ledger', () => {
    expect(firstAndLastTouch([])).toEqual({ first: null, last: null })
  })

  it('returns the only touch as both first and last', () => {
    const only = touch('a', '2026-01-01T00:00:00Z')
    expect(firstAndLastTouch([only])).toEqual({ first: only, last: only })
  })

  it.each<[string, [string, string][], string, string]>([
    [
      'orders by time, not by position',
      [
        ['b', '2026-01-02T00:00:00Z'],
        ['c', '2026-01-03T00:00:00Z'],
        ['a', '2026-01-01T00:00:00Z'],
      ],
      'a',
      'c',
    ],
    [
      'on equal times, first is the earlier position and last the later',
      [
        ['x', '2026-01-01T00:00:00Z'],
        ['y', '2026-01-01T00:00:00.000Z'],
        ['z', '2026-01-01T05:30:00+05:30'],
      ],
      'x',
      'z',
    ],
    [
      'compares instants across offsets',
      [
        ['utc', '2026-01-01T05:00:00Z'],
        ['ist', '2026-01-01T10:00:00+05:30'],
      ],
      'ist',
      'utc',
    ],
    [
      'reads a time without an offset as UTC, whatever the machine’s time zone',
      [
        ['naive', '2026-01-01T05:00:00'],
        ['utc', '2026-01-01T04:59:00Z'],
      ],
      'utc',
      'naive',
    ],
    [
      'reads a date alone as midnight UTC',
      [
        ['date', '2026-01-02'],
        ['before', '2026-01-01T23:59:59Z'],
      ],
      'before',
      'date',
    ],
    [
      'an unreadable time never beats a dated touch',
      [
        ['bad', 'yesterday'],
        ['dated', '2026-01-05T00:00:00Z'],
        ['bad2', ''],
      ],
      'dated',
      'dated',
    ],
    [
      'with no readable time, position decides',
      [
        ['p', 'soon'],
        ['q', 'later'],
      ],
      'p',
      'q',
    ],
  ])('%s', (_name, rows, first, last) => {
    const ledger = rows.map(([source, at]) => touch(source, at))
    const result = firstAndLastTouch(ledger)
    expect(result.first?.source).toBe(first)
    expect(result.last?.source).toBe(last)
  })

  it('does not reorder the ledger it is given', () => {
    const ledger = [touch('b', '2026-01-02T00:00:00Z'), touch('a', '2026-01-01T00:00:00Z')]
    const copy = [...ledger]
    firstAndLastTouch(ledger)
    expect(ledger).toEqual(copy)
  })

  describe('after merging two leads (ledgers concatenate)', () => {
    // Lead A clicked a Google ad on 1 January; lead B, the same person, wrote on WhatsApp on 3 January.
    const leadA = [
      touchFromCapture(
        'web_form',
        { landingPage: 'https://acme.in/demo?gclid=Cj0KCQiA' },
        '2026-01-01T10:15:00+05:30',
      ),
    ]
    const leadB = [touchFromCapture('whatsapp', undefined, '2026-01-03T09:00:00+05:30')]

    it.each([
      ['A is the master', [...leadA, ...leadB]],
      ['B is the master', [...leadB, ...leadA]],
    ])('first touch is the Google ad and last touch is WhatsApp when %s', (_name, ledger) => {
      const { first, last } = firstAndLastTouch(ledger)
      expect(first).toMatchObject({
        channel: 'web_form',
        source: 'google',
        medium: 'cpc',
        occurredAt: '2026-01-01T10:15:00+05:30',
      })
      expect(last).toMatchObject({
        channel: 'whatsapp',
        source: 'whatsapp',
        medium: 'messaging',
        occurredAt: '2026-01-03T09:00:00+05:30',
      })
    })
  })
})
