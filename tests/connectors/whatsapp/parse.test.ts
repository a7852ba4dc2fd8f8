import { describe, expect, it } from 'vitest'
import { reconnectDelay } from '../../../connectors/whatsapp/backoff.js'
import { isOptOut, parseWhatsAppMessage } from '../../../connectors/whatsapp/parse.js'
import { phoneOfJid } from '../../../connectors/whatsapp/pairing.js'
import type { WAMessage } from '../../../connectors/whatsapp/transport.js'
import { incoming } from './fake-socket.js'

const ignored = (msg: WAMessage) => {
  const parsed = parseWhatsAppMessage(msg)
  return parsed.ok ? null : parsed.reason
}

describe('parseWhatsAppMessage', () => {
  it('reads a plain text message into phone, name, text and time', () => {
    const parsed = parseWhatsAppMessage(
      incoming({
        id: '3A5F0C1D2E',
        text: 'Hello, is the demo free?',
        pushName: 'Meera  Iyer',
        at: 1_764_000_000,
      }),
    )
    expect(parsed).toEqual({
      ok: true,
      message: {
        deliveryKey: '919876543210:3A5F0C1D2E',
        messageId: '3A5F0C1D2E',
        jid: '919876543210@s.whatsapp.net',
        phone: '+919876543210',
        name: 'Meera Iyer',
        firstName: 'Meera',
        lastName: 'Iyer',
        text: 'Hello, is the demo free?',
        truncated: false,
        contentType: 'text',
        sentAt: '2025-11-24T16:00:00.000Z',
      },
    })
  })

  it('reads extended text, captions, ephemeral wrappers and media placeholders', () => {
    const text = (message: NonNullable<Parameters<typeof incoming>[0]>['message']) => {
      const parsed = parseWhatsAppMessage(incoming({ message }))
      return parsed.ok ? [parsed.message.contentType, parsed.message.text] : parsed.reason
    }
    expect(text({ extendedTextMessage: { text: 'see https://example.in' } })).toEqual([
      'text',
      'see https://example.in',
    ])
    expect(text({ imageMessage: { caption: 'our floor plan' } })).toEqual(['image', 'our floor plan'])
    expect(text({ audioMessage: { seconds: 4 } })).toEqual(['audio', '[audio]'])
    expect(text({ ephemeralMessage: { message: { conversation: 'disappearing hello' } } })).toEqual([
      'text',
      'disappearing hello',
    ])
  })

  it('truncates long text to 2,000 characters and says so', () => {
    const parsed = parseWhatsAppMessage(incoming({ text: 'x'.repeat(2_500) }))
    expect(parsed.ok && parsed.message.text.length).toBe(2_000)
    expect(parsed.ok && parsed.message.truncated).toBe(true)
  })

  it('takes the phone number from remoteJidAlt when the chat is addressed by LID', () => {
    const msg = incoming({ from: '123456789012345@lid' })
    expect(ignored(msg)).toBe('no_phone')
    msg.key.remoteJidAlt = '919812345678@s.whatsapp.net'
    const parsed = parseWhatsAppMessage(msg)
    expect(parsed.ok && parsed.message.phone).toBe('+919812345678')
  })

  it('keeps a message without a profile name, with no name', () => {
    const msg = incoming()
    msg.pushName = null
    const parsed = parseWhatsAppMessage(msg)
    expect(parsed.ok && [parsed.message.name, parsed.message.firstName]).toEqual([undefined, undefined])
  })

  it('ignores what is not a person writing to us', () => {
    expect(ignored(incoming({ fromMe: true }))).toBe('from_me')
    expect(ignored(incoming({ from: 'status@broadcast' }))).toBe('status_broadcast')
    expect(ignored(incoming({ from: '1234567890@broadcast' }))).toBe('broadcast')
    expect(ignored(incoming({ from: '120363041234567890@g.us' }))).toBe('group')
    expect(ignored(incoming({ from: '120363041234567890@newsletter' }))).toBe('newsletter')
    expect(ignored(incoming({ message: { reactionMessage: { text: '👍' } } }))).toBe('reaction')
    expect(ignored(incoming({ message: { protocolMessage: { type: 0 } } }))).toBe('protocol')
    expect(ignored(incoming({ message: { pollUpdateMessage: {} } }))).toBe('unsupported')
    expect(ignored(incoming({ message: {} }))).toBe('no_content')
    const stub = incoming()
    stub.message = null
    expect(ignored(stub)).toBe('no_content')
    const noId = incoming()
    noId.key.id = null
    expect(ignored(noId)).toBe('no_key')
  })
})

describe('isOptOut', () => {
  it('recognises a lone opt-out word in any case, with trailing punctuation', () => {
    for (const text of ['STOP', 'stop', ' Stop! ', 'unsubscribe', 'Opt out', 'STOP ALL', 'stop.']) {
      expect(isOptOut(text), text).toBe(true)
    }
  })
  it('does not read opt-out into ordinary sentences', () => {
    for (const text of ['please stop by tomorrow', 'cancel', "don't stop", 'stopwatch', '']) {
      expect(isOptOut(text), text).toBe(false)
    }
  })
})

describe('reconnectDelay', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000, stableMs: 60_000 }
  it('doubles from the base, capped, with half of it jittered', () => {
    expect([0, 1, 2, 5, 6, 20].map((a) => reconnectDelay(a, policy, () => 1))).toEqual([
      1_000, 2_000, 4_000, 32_000, 60_000, 60_000,
    ])
    expect(reconnectDelay(0, policy, () => 0)).toBe(500)
    expect(reconnectDelay(10, policy, () => 0)).toBe(30_000)
  })
})

describe('phoneOfJid', () => {
  it('reads the paired number from a device jid', () => {
    expect(phoneOfJid('919800000001:7@s.whatsapp.net')).toBe('+919800000001')
    expect(phoneOfJid(undefined)).toBeNull()
  })
})
