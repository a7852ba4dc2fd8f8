import { LeadwireError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import {
  deliveryKeys,
  incomingCallCapture,
  incomingCallDetails,
  isDialableCaller,
  type CallRoute,
  type VoiceParams,
} from './parse.js'

export type IncomingCallRecord = 'recorded' | 'replayed' | 'not_a_lead'

/**
 * The incoming call through intake: an engagement on a known caller's lead, else a new
 * lead with the call on its timeline, once per CallSid. A caller who cannot be a lead (a
 * withheld number, or one the pipeline refuses) is reported, never thrown: the person on
 * the line must still be put through, and an error here would make Twilio hang up on them.
 */
export async function recordIncomingCall(
  ctx: ConnectorContext,
  p: VoiceParams & Record<string, unknown>,
  route: CallRoute,
  requestId: string,
): Promise<IncomingCallRecord> {
  if (!isDialableCaller(p.From)) return 'not_a_lead'
  const now = ctx.clock()
  try {
    const result = await ctx.intake.interaction(
      { phone: p.From },
      {
        event: 'call',
        activity: {
          kind: 'call',
          direction: 'inbound',
          subject: 'Incoming call',
          details: incomingCallDetails(p, route),
          occurredAt: now,
        },
        ifUnknown: incomingCallCapture(p, now.toISOString()),
      },
      { key: deliveryKeys.call(p.CallSid), raw: p, requestId },
    )
    if (result.replayed) return 'replayed'
    await ctx.status.touched()
    return 'recorded'
  } catch (err) {
    if (err instanceof LeadwireError && err.status === 422) {
      ctx.log.warn(
        { callSid: p.CallSid, code: err.code },
        'incoming call not recorded: the caller was refused',
      )
      return 'not_a_lead'
    }
    throw err
  }
}
