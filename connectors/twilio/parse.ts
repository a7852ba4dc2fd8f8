import type { LeadCapture } from '../../domain/lead/lead-capture.js'

/*
 * Twilio's webhook parameters (https://www.twilio.com/docs/voice/twiml#request-parameters)
 * turned into our inputs. Pure: no I/O, no clock, unit-tested on its own. Values are kept
 * as Twilio sends them; the pipeline normalises phones and countries for every channel.
 */

/** The voice webhook's parameters we read (Twilio sends more; they stay in the raw capture). */
export interface VoiceParams {
  CallSid: string
  From: string
  To?: string | undefined
  FromCity?: string | undefined
  FromState?: string | undefined
  FromCountry?: string | undefined
}

export interface StatusParams {
  CallSid: string
  CallStatus: string
  CallDuration?: string | undefined
  From?: string | undefined
  /** Present on the <Dial> action request: how the dialled leg (the SDR) ended. */
  DialCallStatus?: string | undefined
  DialCallDuration?: string | undefined
}

export interface RecordingParams {
  CallSid: string
  RecordingSid: string
  RecordingUrl: string
  RecordingDuration?: string | undefined
  RecordingStatus?: string | undefined
}

/** How the incoming call was routed: to a person, or straight to voicemail. */
export type CallRoute = 'dial' | 'voicemail'

/**
 * Numbers Twilio puts in `From` when the caller withheld or has no caller id: they are not
 * a person's number, so no lead is made of them (the call is still routed).
 * https://help.twilio.com/articles/223179988 ("anonymous", +266696687 and the others).
 */
const WITHHELD = new Set(['+266696687', '+7378742833', '+2562533', '+86282452253', '+8656696'])

/** True when `From` is a phone number a lead can be made of (not a SIP/client id or a withheld number). */
export function isDialableCaller(from: string): boolean {
  const compact = from.replace(/[\s().-]/g, '')
  return /^\+?[1-9]\d{5,14}$/.test(compact) && !WITHHELD.has(compact)
}

/** The natural delivery keys: a CallSid, and per call its status changes and recordings. */
export const deliveryKeys = {
  call: (callSid: string) => `call:${callSid}`,
  /** The final status callback; the Dial action is keyed apart (both may say `completed`). */
  status: (p: Pick<StatusParams, 'CallSid' | 'CallStatus' | 'DialCallStatus'>) =>
    p.DialCallStatus ? `dial:${p.CallSid}:${p.DialCallStatus}` : `status:${p.CallSid}:${p.CallStatus}`,
  recording: (recordingSid: string) => `recording:${recordingSid}`,
}

/** The lead an unknown caller becomes. The dialled tracking number names the campaign. */
export function incomingCallCapture(p: VoiceParams, receivedAt: string): LeadCapture {
  return {
    channel: 'phone',
    receivedAt,
    externalId: p.CallSid,
    phone: p.From,
    city: p.FromCity || undefined,
    state: p.FromState || undefined,
    country: p.FromCountry || undefined,
    // No consent is assumed: calling us lets us call back, not market to them.
    attribution: { source: 'phone', medium: 'call', campaign: p.To || undefined },
  }
}

/** The call's timeline entry as first recorded (updated later by its status and recording). */
export function incomingCallDetails(p: VoiceParams, route: CallRoute): Record<string, unknown> {
  return { callSid: p.CallSid, from: p.From, to: p.To ?? null, status: 'ringing', route }
}

const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled'])
/** The caller hung up or was never answered by Twilio. */
const MISSED_CALL_STATUSES = new Set(['no-answer', 'busy', 'canceled'])
/** The SDR's leg was not picked up (or could not ring): the caller reached nobody. */
const MISSED_DIAL_STATUSES = new Set(['no-answer', 'busy', 'failed', 'canceled'])

/** True when the Dial's leg ended without the SDR picking up. */
export function isMissedDial(dialStatus: string): boolean {
  return MISSED_DIAL_STATUSES.has(dialStatus)
}

/** True when a status callback says something worth recording (a final status or the Dial's outcome). */
export function isRecordableStatus(p: Pick<StatusParams, 'CallStatus' | 'DialCallStatus'>): boolean {
  return Boolean(p.DialCallStatus) || FINAL_CALL_STATUSES.has(p.CallStatus)
}

const seconds = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined)

/** What a status callback adds to the call activity's details (merged into them). */
export function statusPatch(p: StatusParams, at: string): Record<string, unknown> {
  const patch: Record<string, unknown> = {}
  if (p.DialCallStatus) {
    patch['dialStatus'] = p.DialCallStatus
    const d = seconds(p.DialCallDuration)
    if (d !== undefined) patch['dialDurationSeconds'] = d
  }
  if (FINAL_CALL_STATUSES.has(p.CallStatus)) {
    patch['status'] = p.CallStatus
    const d = seconds(p.CallDuration)
    if (d !== undefined) patch['durationSeconds'] = d
    patch['endedAt'] = at
  }
  return patch
}

/**
 * A missed call: nobody spoke with the caller. The call itself was not answered, the SDR's
 * leg was not, or the call went to voicemail (whatever was left there still wants a call back).
 * Read from the call's merged details, so the order of the callbacks does not matter.
 */
export function isMissedCall(details: Record<string, unknown>): boolean {
  const status = details['status']
  const dialStatus = details['dialStatus']
  if (typeof status === 'string' && MISSED_CALL_STATUSES.has(status)) return true
  if (typeof dialStatus === 'string' && isMissedDial(dialStatus)) return true
  return status === 'completed' && details['route'] === 'voicemail'
}

/** What a recording callback adds to the call activity's details. */
export function recordingPatch(p: RecordingParams): Record<string, unknown> {
  return {
    recording: {
      sid: p.RecordingSid,
      url: p.RecordingUrl,
      durationSeconds: seconds(p.RecordingDuration) ?? null,
      ...(p.RecordingStatus ? { status: p.RecordingStatus } : {}),
    },
  }
}
