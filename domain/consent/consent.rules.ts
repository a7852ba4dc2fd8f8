import type { ConsentDecision } from '../lead/draft-lead.js'
import { CONTACT_CHANNELS, type ConsentEvidence, type ContactChannel } from '../lead/lead-capture.js'
import { instantMs } from '../time/instant.rules.js'

/** A lead's current consent, as stored on the lead (the history is the consent_record ledger). */
export interface ConsentState {
  status: 'granted' | 'denied' | 'unknown' | 'withdrawn'
  grantedChannels: ContactChannel[]
  optInAt: string | null
  optOutAt: string | null
  optOutReason: string | null
  /** On India's National Do Not Call registry (TRAI NCPR). */
  dnd: boolean
}

/**
 * The consent a lead is created with, from what the channel captured.
 *
 * - Opted in: granted for the channels the evidence names, or every contact channel when it
 *   names none (the capture's contract: absent means every channel), dated by the evidence
 *   or else by when the capture was received.
 * - Explicitly declined: `denied`, dated the same way, so the refusal can be shown too.
 * - No evidence: `unknown`. Silence is not consent (GDPR Art. 4(11) and Recital 32:
 *   https://gdpr-info.eu/art-4-gdpr/, https://gdpr-info.eu/recitals/no-32/).
 *
 * Where and with which wording consent was given is kept, because the controller must be
 * able to show it (GDPR Art. 7(1): https://gdpr-info.eu/art-7-gdpr/).
 *
 * @param evidence - The capture's consent evidence, if any.
 * @param ctx - When the capture was received (ISO 8601) and whether the phone number is on
 *   the DND registry.
 */
export function decideConsent(
  evidence: ConsentEvidence | undefined,
  ctx: { receivedAt: string; dnd: boolean },
): ConsentDecision {
  if (!evidence) {
    return { status: 'unknown', grantedChannels: [], at: null, source: null, textVersion: null, dnd: ctx.dnd }
  }
  const recorded = {
    at: evidence.at ?? ctx.receivedAt,
    source: evidence.source ?? null,
    textVersion: evidence.textVersion ?? null,
    dnd: ctx.dnd,
  }
  if (!evidence.granted) return { status: 'denied', grantedChannels: [], ...recorded }
  // Kept in CONTACT_CHANNELS order and without repeats so equal consents compare equal.
  const named = evidence.channels ?? CONTACT_CHANNELS
  const grantedChannels = CONTACT_CHANNELS.filter((c) => named.includes(c))
  return { status: 'granted', grantedChannels, ...recorded }
}

/**
 * Whether a message may go out to a lead on a channel, with a sentence saying why.
 *
 * Transactional messages (a reply to the person's own enquiry, a meeting confirmation, an
 * invoice) are always allowed: they rest on the request or contract, not on marketing
 * consent (GDPR Art. 6(1)(b): https://gdpr-info.eu/art-6-gdpr/), and TRAI's regulations
 * exempt transactional and service messages from DND preferences (TCCCPR 2018:
 * https://www.trai.gov.in/sites/default/files/2024-09/RegulationUcc19072018.pdf). Withdrawal
 * therefore stops marketing only.
 *
 * Marketing needs, conservatively:
 * - status `granted` for that very channel (an opt-in that can be shown, GDPR Art. 7(1));
 * - no opt-out at or after the latest opt-in (withdrawal must work, Art. 7(3)); when the two
 *   times cannot be ordered the opt-out wins;
 * - for `phone` and `sms`, a number not on the DND registry (TRAI NCPR, TCCCPR 2018). Our
 *   own opt-in does not lift DND: only consent registered with the telecom operator's
 *   consent register does, and we do not hold that proof. Email and WhatsApp are outside
 *   NCPR; WhatsApp still needs the opt-in checked above
 *   (https://developers.facebook.com/docs/whatsapp/overview/getting-opt-in).
 *
 * @param state - The lead's current consent.
 * @param channel - The channel the message would go out on.
 * @param purpose - `marketing` (promotional) or `transactional` (about the person's own request).
 */
export function canContact(
  state: ConsentState,
  channel: ContactChannel,
  purpose: 'marketing' | 'transactional',
): { allowed: boolean; reason: string } {
  if (purpose === 'transactional') {
    return {
      allowed: true,
      reason:
        'Transactional messages about the person’s own request need no marketing consent and are exempt from DND.',
    }
  }

  switch (state.status) {
    case 'withdrawn':
      return deny(
        `The person withdrew consent${state.optOutAt ? ` on ${state.optOutAt}` : ''}; no marketing until they opt in again.`,
      )
    case 'denied':
      return deny('The person declined marketing consent.')
    case 'unknown':
      return deny(
        'There is no recorded opt-in, and marketing needs consent that can be shown (GDPR Art. 7(1)).',
      )
    case 'granted':
      break
  }

  if (!state.grantedChannels.includes(channel)) {
    const covered = state.grantedChannels.length > 0 ? state.grantedChannels.join(', ') : 'no channel'
    return deny(`The person’s consent covers ${covered}, not ${channel}.`)
  }

  if (state.optOutAt !== null && !optInIsNewer(state.optInAt, state.optOutAt)) {
    return deny(
      `The person opted out on ${state.optOutAt}${state.optInAt ? `, after opting in on ${state.optInAt}` : ''}.`,
    )
  }

  if (state.dnd && (channel === 'phone' || channel === 'sms')) {
    return deny(
      `The number is on India’s Do Not Call registry (TRAI NCPR): no promotional ${channelNoun(channel)}.`,
    )
  }

  return {
    allowed: true,
    reason: `The person opted in to marketing on ${channel}${state.optInAt ? ` on ${state.optInAt}` : ''}.`,
  }
}

/**
 * The state after the person withdraws consent (GDPR Art. 7(3): withdrawing must be as easy
 * as giving, https://gdpr-info.eu/art-7-gdpr/). Every channel is withdrawn; the opt-in time
 * is kept because it shows that earlier contact was lawful. Withdrawing again changes
 * nothing, so a replayed unsubscribe keeps the first withdrawal's time and reason.
 *
 * @param state - The lead's current consent (not modified).
 * @param at - When the person withdrew (ISO 8601).
 * @param reason - Why or how ("unsubscribe link", "STOP reply"...).
 */
export function withdrawConsent(state: ConsentState, at: string, reason: string): ConsentState {
  if (state.status === 'withdrawn' && state.optOutAt !== null) return state
  return {
    ...state,
    status: 'withdrawn',
    grantedChannels: [],
    optOutAt: at,
    optOutReason: reason.trim() === '' ? null : reason.trim(),
  }
}

/** Why a message or call may not go out, as a short code the journey acts on and an audit can read. */
export type ContactBlock = 'opted_out' | 'consent_denied' | 'no_consent' | 'no_consent_for_channel' | 'dnd'

/**
 * True when the person's latest word is an opt-out: consent withdrawn, or an opt-out at or
 * after the latest opt-in (when the two cannot be ordered the opt-out wins, as in canContact).
 */
export function hasOptedOut(state: ConsentState): boolean {
  if (state.status === 'withdrawn') return true
  return state.optOutAt !== null && !optInIsNewer(state.optInAt, state.optOutAt)
}

/**
 * Why canContact refuses marketing on a channel, as a code; null when it allows it. An
 * opt-out is named first, because it stops every channel (the journey ends its sequence),
 * whereas a missing channel or DND only rules out this one.
 *
 * @param state - The lead's current consent.
 * @param channel - The channel the message would go out on.
 */
export function marketingBlock(state: ConsentState, channel: ContactChannel): ContactBlock | null {
  if (canContact(state, channel, 'marketing').allowed) return null
  if (hasOptedOut(state)) return 'opted_out'
  if (state.status === 'denied') return 'consent_denied'
  if (state.status === 'unknown') return 'no_consent'
  if (!state.grantedChannels.includes(channel)) return 'no_consent_for_channel'
  return 'dnd'
}

function deny(reason: string): { allowed: false; reason: string } {
  return { allowed: false, reason }
}

function channelNoun(channel: 'phone' | 'sms'): string {
  return channel === 'phone' ? 'calls' : 'SMS'
}

/** True only when both times can be read and the opt-in came strictly after the opt-out. */
function optInIsNewer(optInAt: string | null, optOutAt: string): boolean {
  if (optInAt === null) return false
  const optIn = instantMs(optInAt)
  const optOut = instantMs(optOutAt)
  return !Number.isNaN(optIn) && !Number.isNaN(optOut) && optIn > optOut
}
