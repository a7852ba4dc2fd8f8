import { describe, expect, it } from 'vitest'
import {
  deliveryKeys,
  incomingCallCapture,
  isDialableCaller,
  isMissedCall,
  isRecordableStatus,
  recordingPatch,
  statusPatch,
} from '../../../connectors/twilio/parse.js'

describe('Twilio parameters', () => {
  it('turns an incoming call into a phone capture with the dialled number as its campaign', () => {
    const capture = incomingCallCapture(
      {
        CallSid: 'CA1',
        From: '+14155551234',
        To: '+14155559999',
        FromCity: 'SAN FRANCISCO',
        FromState: 'CA',
        FromCountry: 'US',
      },
      '2026-11-24T10:00:00.000Z',
    )
    expect(capture).toEqual({
      channel: 'phone',
      receivedAt: '2026-11-24T10:00:00.000Z',
      externalId: 'CA1',
      phone: '+14155551234',
      city: 'SAN FRANCISCO',
      state: 'CA',
      country: 'US',
      attribution: { source: 'phone', medium: 'call', campaign: '+14155559999' },
    })
  })

  it('drops empty location fields and a missing dialled number', () => {
    const capture = incomingCallCapture({ CallSid: 'CA1', From: '+14155551234', FromCity: '' }, 'now')
    expect(capture.city).toBeUndefined()
    expect(capture.attribution?.campaign).toBeUndefined()
  })

  it.each([
    ['+14155551234', true],
    ['+91 98765 43210', true],
    ['anonymous', false],
    ['client:agent-7', false],
    ['sip:someone@example.com', false],
    ['+266696687', false],
    ['+7378742833', false],
    ['+123', false],
  ])('knows whether %s is a caller a lead can be made of', (from, dialable) => {
    expect(isDialableCaller(from)).toBe(dialable)
  })

  it('keys the Dial action apart from the final status (both can say completed)', () => {
    expect(deliveryKeys.status({ CallSid: 'CA1', CallStatus: 'completed' })).toBe('status:CA1:completed')
    expect(
      deliveryKeys.status({ CallSid: 'CA1', CallStatus: 'completed', DialCallStatus: 'no-answer' }),
    ).toBe('dial:CA1:no-answer')
    expect(deliveryKeys.call('CA1')).toBe('call:CA1')
    expect(deliveryKeys.recording('RE1')).toBe('recording:RE1')
  })

  it('records final statuses and Dial outcomes, not progress', () => {
    expect(isRecordableStatus({ CallStatus: 'ringing' })).toBe(false)
    expect(isRecordableStatus({ CallStatus: 'in-progress' })).toBe(false)
    expect(isRecordableStatus({ CallStatus: 'in-progress', DialCallStatus: 'busy' })).toBe(true)
    expect(isRecordableStatus({ CallStatus: 'canceled' })).toBe(true)
  })

  it('builds the status patch from the call and the Dial legs', () => {
    expect(
      statusPatch(
        { CallSid: 'CA1', CallStatus: 'completed', CallDuration: '42' },
        '2026-11-24T10:00:00.000Z',
      ),
    ).toEqual({ status: 'completed', durationSeconds: 42, endedAt: '2026-11-24T10:00:00.000Z' })
    expect(
      statusPatch(
        { CallSid: 'CA1', CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' },
        'x',
      ),
    ).toEqual({ dialStatus: 'no-answer', dialDurationSeconds: 0 })
  })

  it.each([
    [{ status: 'no-answer' }, true],
    [{ status: 'busy' }, true],
    [{ status: 'canceled' }, true],
    [{ status: 'failed' }, false],
    [{ status: 'completed', route: 'dial' }, false],
    [{ status: 'completed', dialStatus: 'completed' }, false],
    [{ status: 'completed', dialStatus: 'no-answer' }, true],
    [{ status: 'completed', dialStatus: 'busy' }, true],
    [{ status: 'ringing', dialStatus: 'failed' }, true],
    [{ status: 'completed', route: 'voicemail' }, true],
    [{ status: 'ringing', route: 'voicemail' }, false],
  ])('calls %o missed: %s', (details, missed) => {
    expect(isMissedCall(details)).toBe(missed)
  })

  it('keeps the recording sid, URL and length', () => {
    expect(
      recordingPatch({
        CallSid: 'CA1',
        RecordingSid: 'RE1',
        RecordingUrl: 'https://api.twilio.com/r/RE1',
        RecordingDuration: '17',
      }),
    ).toEqual({ recording: { sid: 'RE1', url: 'https://api.twilio.com/r/RE1', durationSeconds: 17 } })
    expect(
      recordingPatch({
        CallSid: 'CA1',
        RecordingSid: 'RE1',
        RecordingUrl: 'u',
        RecordingDuration: '-1',
        RecordingStatus: 'failed',
      }),
    ).toEqual({ recording: { sid: 'RE1', url: 'u', durationSeconds: null, status: 'failed' } })
  })
})
