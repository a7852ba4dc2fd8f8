import twilio from 'twilio'
import type { CallRoute } from './parse.js'
import type { CallbackUrls } from './urls.js'

/*
 * The TwiML we answer Twilio with (https://www.twilio.com/docs/voice/twiml), built with
 * Twilio's own VoiceResponse so escaping and attribute names are the vendor's. Pure: the
 * same inputs give the same document, which is what lets a replayed webhook get the same
 * answer as the first delivery.
 */

/** Seconds the SDR's phone rings before the caller goes to voicemail. */
const RING_SECONDS = 20
/** Longest voicemail, in seconds. */
const VOICEMAIL_SECONDS = 120
const VOICEMAIL_PROMPT =
  'Thank you for calling. Nobody can take your call right now. Please leave your name, number and message after the tone.'

export interface IncomingCallRouting {
  /** The number to ring (the lead owner's, else the fallback); none: straight to voicemail. */
  dialTo: string | undefined
  urls: CallbackUrls
}

export function routeOf(routing: Pick<IncomingCallRouting, 'dialTo'>): CallRoute {
  return routing.dialTo ? 'dial' : 'voicemail'
}

/**
 * The answer to an incoming call: ring a person, with the Dial's action pointing to the
 * status webhook (Twilio posts DialCallStatus there and runs the TwiML it answers, which is
 * voicemail when nobody picked up); or, with nobody to ring, voicemail right away.
 */
export function incomingCallTwiml(routing: IncomingCallRouting): string {
  const response = new twilio.twiml.VoiceResponse()
  if (routing.dialTo) {
    const dial = response.dial({
      action: routing.urls.status,
      method: 'POST',
      timeout: RING_SECONDS,
      // The caller keeps hearing the ring until the SDR picks up, not silence.
      answerOnBridge: true,
    })
    dial.number(routing.dialTo)
  } else {
    voicemail(response, routing.urls)
  }
  return response.toString()
}

/**
 * The answer to the Dial's action request. Nobody picked up: voicemail. Otherwise the call
 * is over, and an empty response ends it.
 */
export function afterDialTwiml(missed: boolean, urls: CallbackUrls): string {
  const response = new twilio.twiml.VoiceResponse()
  if (missed) voicemail(response, urls)
  return response.toString()
}

/** Ends the call (the answer to the voicemail's action request; other callbacks ignore it). */
export function hangUpTwiml(): string {
  const response = new twilio.twiml.VoiceResponse()
  response.hangup()
  return response.toString()
}

/** An empty document: acknowledged, nothing more to do on the call. */
export function emptyTwiml(): string {
  return new twilio.twiml.VoiceResponse().toString()
}

function voicemail(response: InstanceType<typeof twilio.twiml.VoiceResponse>, urls: CallbackUrls): void {
  response.say(VOICEMAIL_PROMPT)
  // The action must be set: by default Twilio posts to the current document's URL, which
  // for a first-ring voicemail is the voice webhook, and the call would start over.
  response.record({
    action: urls.recording,
    method: 'POST',
    maxLength: VOICEMAIL_SECONDS,
    playBeep: true,
    trim: 'trim-silence',
    recordingStatusCallback: urls.recording,
    recordingStatusCallbackMethod: 'POST',
  })
}
