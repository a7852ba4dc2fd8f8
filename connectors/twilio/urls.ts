import type { Config } from '../../platform/config.js'
import { TWILIO_PATHS } from './manifest.js'

/** Where Twilio reaches this API: PUBLIC_BASE_URL, else the address it listens on. No trailing slash. */
export function twilioBaseUrl(config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL.replace(/\/+$/, '')
  return `http://${config.HOST}:${config.PORT}`
}

export interface CallbackUrls {
  /** The Dial's action: Twilio posts the dialled leg's outcome there and runs the TwiML it answers. */
  status: string
  /** The voicemail's action and recording status callback. */
  recording: string
}

export function callbackUrls(baseUrl: string): CallbackUrls {
  return { status: `${baseUrl}${TWILIO_PATHS.status}`, recording: `${baseUrl}${TWILIO_PATHS.recording}` }
}
