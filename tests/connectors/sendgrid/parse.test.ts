import { describe, expect, it } from 'vitest'
import { composeEmail, renderTemplate } from '../../../activities/message-templates.js'
import {
  MalformedBatchError,
  parseEventBatch,
  readEvent,
  type ParsedEvent,
} from '../../../connectors/sendgrid/parse.js'
import { maskEmail } from '../../../connectors/sendgrid/unsubscribe-page.js'

const LEAD = '0195f7a2-1c2b-7d3e-8f40-123456789abc'
const MESSAGE = '0195f7a2-1c2b-7d3e-8f40-cba987654321'
const isOwnLink = (url: string) => url.startsWith('https://hub.example.in/u/')

/** A SendGrid event as the webhook posts it, with our custom args at the top level. */
const sg = (event: string, extra: Record<string, unknown> = {}) => ({
  email: 'meera@example.in',
  timestamp: 1_773_130_000,
  event,
  sg_event_id: `evt-${event}`,
  sg_message_id: 'sg-1.filterdrecv-5bd4c8b77b-2xkqv-1-67C1E3A4-5.0',
  leadId: LEAD,
  messageId: MESSAGE,
  messageKey: `${LEAD}/email/default-nurture/1/welcome`,
  ...extra,
})

const read = (raw: unknown): ParsedEvent => {
  const result = readEvent(raw, isOwnLink)
  if (!result.ok) throw new Error(`expected an event, got ${result.reason}`)
  return result.event
}

describe('readEvent', () => {
  it('reads the ids, the time and our custom args', () => {
    expect(read(sg('open'))).toEqual({
      eventId: 'evt-open',
      leadId: LEAD,
      email: 'meera@example.in',
      messageId: MESSAGE,
      providerMessageId: 'sg-1',
      occurredAt: new Date(1_773_130_000_000),
      action: { kind: 'engagement', event: 'emailOpen', activityKind: 'email_open', details: {} },
    })
  })

  it('makes a click an engagement with its URL, but not a click on our own unsubscribe link', () => {
    expect(read(sg('click', { url: 'https://example.com/pricing?utm_source=email' })).action).toEqual({
      kind: 'engagement',
      event: 'emailClick',
      activityKind: 'email_click',
      details: { url: 'https://example.com/pricing?utm_source=email' },
    })
    expect(readEvent(sg('click', { url: 'https://hub.example.in/u/abc.def' }), isOwnLink)).toEqual({
      ok: false,
      reason: 'unsubscribe_link_click',
    })
  })

  it('ignores opens SendGrid flags as machine opens (mail privacy proxies)', () => {
    expect(readEvent(sg('open', { sg_machine_open: true }), isOwnLink)).toEqual({
      ok: false,
      reason: 'machine_open',
    })
  })

  it.each([
    ['unsubscribe', 'sendgrid:unsubscribe'],
    ['group_unsubscribe', 'sendgrid:group_unsubscribe'],
    ['spamreport', 'sendgrid:spamreport'],
  ])('makes %s a consent withdrawal', (event, source) => {
    expect(read(sg(event)).action).toMatchObject({ kind: 'consent', source })
  })

  it('tells a hard bounce from a block, and scrubs addresses out of the server text', () => {
    const hard = read(
      sg('bounce', {
        type: 'bounce',
        status: '5.1.1',
        reason: '550 5.1.1 <meera@example.in>: Recipient address rejected: User unknown',
        bounce_classification: 'Invalid Address',
      }),
    )
    expect(hard.action).toEqual({
      kind: 'bounce',
      activityKind: 'email_bounced',
      subject: 'Email bounced',
      messageStatus: 'bounced',
      lastError: 'bounced (5.1.1)',
      details: {
        bounceType: 'bounce',
        status: '5.1.1',
        classification: 'Invalid Address',
        reason: '550 5.1.1 <[address]>: Recipient address rejected: User unknown',
      },
    })
    expect(read(sg('bounce', { type: 'blocked', status: '4.0.0' })).action).toMatchObject({
      subject: 'Email blocked by the receiving server',
      details: { bounceType: 'blocked' },
    })
    expect(read(sg('dropped', { reason: 'Bounced Address' })).action).toMatchObject({
      kind: 'bounce',
      activityKind: 'email_dropped',
      messageStatus: 'dropped',
      lastError: 'dropped: Bounced Address',
    })
  })

  it('makes processed, delivered and deferred delivery progress only', () => {
    for (const event of ['processed', 'delivered', 'deferred'])
      expect(read(sg(event)).action).toEqual({ kind: 'status', event })
  })

  it('accepts outboundMessageId as the message custom arg, and drops custom args that are not ids', () => {
    const event = read(sg('open', { messageId: undefined, outboundMessageId: MESSAGE, leadId: 'robert' }))
    expect(event).toMatchObject({ messageId: MESSAGE, leadId: null, email: 'meera@example.in' })
    expect(read(sg('open', { timestamp: undefined })).occurredAt).toBeNull()
  })

  it.each([
    ['not an object', 'open', 'not_an_event'],
    ['an array', [], 'not_an_event'],
    ['no event type', { sg_event_id: 'x' }, 'no_event_type'],
    ['no sg_event_id', { event: 'open' }, 'no_event_id'],
    [
      'an event we do not act on',
      { event: 'group_resubscribe', sg_event_id: 'x' },
      'unhandled_event:group_resubscribe',
    ],
  ])('ignores %s', (_name, raw, reason) => {
    expect(readEvent(raw, isOwnLink)).toEqual({ ok: false, reason })
  })
})

describe('parseEventBatch', () => {
  it('reads a JSON array', () => {
    expect(parseEventBatch('[{"event":"open"}]\r\n')).toEqual([{ event: 'open' }])
  })
  it.each([
    ['bad JSON', '[{"event":', 'The body is not valid JSON.'],
    ['an object', '{"event":"open"}', 'The body must be a JSON array of events.'],
    ['empty', '', 'The body is not valid JSON.'],
  ])('refuses %s', (_name, body, message) => {
    expect(() => parseEventBatch(body)).toThrow(new MalformedBatchError(message))
  })
})

describe('maskEmail', () => {
  it.each([
    ['meera.iyer@example.co.in', 'm***@example.co.in'],
    ['a@b.in', 'a***@b.in'],
    ['no-at-sign', null],
    ['@example.in', null],
    [null, null],
  ])('%s → %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked)
  })
})

describe('composeEmail', () => {
  const vars = { firstName: 'Meera', company: 'Acme <Industries>', senderName: 'Leadwire' }
  const link = {
    url: 'https://hub.example.in/u/tok.en',
    headers: {
      'List-Unsubscribe': '<https://hub.example.in/u/tok.en>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  }

  it('without a link: the rendered text only, as before', () => {
    expect(composeEmail('nurture-welcome', vars)).toEqual(renderTemplate('nurture-welcome', vars))
  })

  it('with a link: a footer, an escaped HTML part that keeps the link out of click tracking, and the headers', () => {
    const email = composeEmail('nurture-welcome', vars, link)!
    expect(email.subject).toBe('Thanks for your interest')
    expect(email.text).toMatch(/^Hi Meera,\n\n/)
    expect(email.text.endsWith('unsubscribe here: https://hub.example.in/u/tok.en')).toBe(true)
    expect(email.html).toContain('<p>Hi Meera,</p>')
    expect(email.html).toContain('Acme &lt;Industries&gt;')
    expect(email.html).toContain(
      '<a href="https://hub.example.in/u/tok.en" clicktracking="off">unsubscribe here</a>',
    )
    expect(email.headers).toEqual(link.headers)
    expect(email.templateId).toBeUndefined()
  })

  it('sends a SendGrid dynamic template as such, with the link among its data', () => {
    const id = 'd-0123456789abcdef0123456789abcdef'
    expect(composeEmail(id, vars, link)).toEqual({
      subject: '',
      text: '',
      templateId: id,
      dynamicTemplateData: { ...vars, unsubscribeUrl: link.url },
      headers: link.headers,
    })
    expect(composeEmail(id, vars)).toEqual({
      subject: '',
      text: '',
      templateId: id,
      dynamicTemplateData: vars,
    })
  })

  it('knows nothing of an unknown template', () => {
    expect(composeEmail('no-such-template', vars, link)).toBeNull()
  })
})
