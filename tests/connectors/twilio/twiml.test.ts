import { describe, expect, it } from 'vitest'
import {
  afterDialTwiml,
  emptyTwiml,
  hangUpTwiml,
  incomingCallTwiml,
  routeOf,
} from '../../../connectors/twilio/twiml.js'
import { callbackUrls } from '../../../connectors/twilio/urls.js'

const urls = callbackUrls('https://hub.example.com')

describe('TwiML answers', () => {
  it('rings the number with the status webhook as the Dial action', () => {
    const xml = incomingCallTwiml({ dialTo: '+14155550100', urls })
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Dial action="https://hub.example.com/webhooks/twilio/status" method="POST" timeout="20" answerOnBridge="true">' +
        '<Number>+14155550100</Number></Dial></Response>',
    )
    expect(routeOf({ dialTo: '+14155550100' })).toBe('dial')
  })

  it('takes a voicemail, whose action is the recording webhook, when there is nobody to ring', () => {
    const xml = incomingCallTwiml({ dialTo: undefined, urls })
    expect(xml).toContain('<Say>')
    expect(xml).toContain('<Record action="https://hub.example.com/webhooks/twilio/recording" method="POST"')
    expect(xml).toContain('recordingStatusCallback="https://hub.example.com/webhooks/twilio/recording"')
    expect(xml).not.toContain('<Dial')
    expect(routeOf({ dialTo: undefined })).toBe('voicemail')
  })

  it('is the same document for the same inputs (a retried webhook gets the same answer)', () => {
    expect(incomingCallTwiml({ dialTo: '+14155550100', urls })).toBe(
      incomingCallTwiml({ dialTo: '+14155550100', urls }),
    )
  })

  it('offers voicemail after a Dial nobody picked up, and ends the call otherwise', () => {
    expect(afterDialTwiml(true, urls)).toContain('<Record ')
    expect(afterDialTwiml(false, urls)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>')
    expect(emptyTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>')
    expect(hangUpTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>')
  })

  it('escapes what it writes', () => {
    expect(incomingCallTwiml({ dialTo: '+1<script>', urls })).toContain('+1&lt;script&gt;')
  })
})
