import type { ConnectorManifest } from '../sdk/connector.js'

const SIGNED = 'X-Twilio-Signature'

export const twilioManifest: ConnectorManifest = {
  id: 'twilio',
  title: 'Twilio calls (CTI)',
  channel: 'phone',
  kind: 'webhook',
  summary:
    "Inbound calls on the hub's Twilio numbers: an unknown caller becomes a lead, a known one gets a call on " +
    'their timeline; the call is routed by TwiML, its outcome and voicemail are recorded, and a missed call ' +
    'opens a call-back task for the SDRs. With an account SID and a sender it also sends the SMS steps of ' +
    'nurture journeys.',
  settings: [
    { key: 'TWILIO_AUTH_TOKEN', secret: true, required: true },
    { key: 'TWILIO_FALLBACK_NUMBER' },
    { key: 'TWILIO_ACCOUNT_SID' },
    { key: 'TWILIO_SMS_FROM' },
    { key: 'PUBLIC_BASE_URL' },
  ],
  endpoints: [
    { method: 'POST', path: '/webhooks/twilio/voice', auth: SIGNED, access: 'public' },
    { method: 'POST', path: '/webhooks/twilio/status', auth: SIGNED, access: 'public' },
    { method: 'POST', path: '/webhooks/twilio/recording', auth: SIGNED, access: 'public' },
  ],
  deliveryKey: 'CallSid (+ call status / RecordingSid)',
}

/** The webhook paths, also written into the TwiML so Twilio calls us back on them. */
export const TWILIO_PATHS = {
  voice: '/webhooks/twilio/voice',
  status: '/webhooks/twilio/status',
  recording: '/webhooks/twilio/recording',
} as const
