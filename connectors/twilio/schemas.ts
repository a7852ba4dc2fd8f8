import { Type } from 'typebox'

/*
 * Twilio's webhook parameters (form-encoded). Only the ones we read are declared; Twilio
 * sends many more (AccountSid, ApiVersion, CallerName...) and adds new ones over time, so
 * unknown parameters are accepted, and kept in the raw capture.
 */
const Sid = (description: string) =>
  Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9]+$', description })
const Seconds = Type.String({ pattern: '^[0-9]+$', maxLength: 10 })
const Text = Type.String({ maxLength: 200 })

/** Twilio's call statuses (https://www.twilio.com/docs/voice/api/call-resource#call-status-values). */
const CALL_STATUSES = [
  'queued',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
] as const
const DIAL_STATUSES = ['completed', 'answered', 'busy', 'failed', 'no-answer', 'canceled'] as const

export const TwilioHeaders = Type.Object({
  'x-twilio-signature': Type.Optional(
    Type.String({
      description: "Twilio's HMAC-SHA1 of the URL and the parameters, keyed with the auth token.",
    }),
  ),
})

export const VoiceWebhookBody = Type.Object(
  {
    CallSid: Sid('The call (CA...): its delivery key.'),
    From: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The caller, E.164 (or "anonymous", a client or SIP id).',
    }),
    To: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'The number dialled: a tracking number names the campaign.',
      }),
    ),
    FromCity: Type.Optional(Text),
    FromState: Type.Optional(Text),
    FromCountry: Type.Optional(Text),
  },
  { title: 'TwilioVoiceWebhook' },
)

export const StatusWebhookBody = Type.Object(
  {
    CallSid: Sid('The call (CA...).'),
    CallStatus: Type.Union(
      CALL_STATUSES.map((s) => Type.Literal(s)),
      { description: "The call's status (on the Dial's action: the caller's leg, usually in-progress)." },
    ),
    CallDuration: Type.Optional(Seconds),
    From: Type.Optional(Type.String({ maxLength: 64 })),
    DialCallStatus: Type.Optional(
      Type.Union(
        DIAL_STATUSES.map((s) => Type.Literal(s)),
        { description: "Sent on the Dial's action: how the SDR's leg ended." },
      ),
    ),
    DialCallDuration: Type.Optional(Seconds),
  },
  { title: 'TwilioCallStatusWebhook' },
)

export const RecordingWebhookBody = Type.Object(
  {
    CallSid: Sid('The call (CA...).'),
    RecordingSid: Sid('The recording (RE...): its delivery key.'),
    RecordingUrl: Type.String({ format: 'uri', maxLength: 2000 }),
    RecordingDuration: Type.Optional(Type.String({ pattern: '^-?[0-9]+$', maxLength: 10 })),
    RecordingStatus: Type.Optional(Text),
  },
  { title: 'TwilioRecordingWebhook' },
)

export const TwiML = (description: string) => ({
  description,
  content: { 'text/xml': { schema: Type.String({ description: 'TwiML' }) } },
})
