import { TWILIO_PATHS } from './manifest.js'

export interface CallbackUrls {
  /** The Dial's action: Twilio posts the dialled leg's outcome there and runs the TwiML it answers. */
  status: string
  /** The voicemail's action and recording status callback. */
  recording: string
}

export function callbackUrls(baseUrl: string): CallbackUrls {
  return { status: `${baseUrl}${TWILIO_PATHS.status}`, recording: `${baseUrl}${TWILIO_PATHS.recording}` }
}
