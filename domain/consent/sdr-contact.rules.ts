import { hasOptedOut, type ConsentState, type ContactBlock } from './consent.rules.js'

/*
 * How an SDR may reach a lead for a journey's contact task: by phone, by email, or not at
 * all. A person writing or calling about the lead's own enquiry is held to a lighter rule
 * than automated nurture (canContact, which needs a shown opt-in): no consent answer is
 * enough, because captures from places where marketing needs an opt-in are refused without
 * one (domain/lead/validate.rules.ts). What the person said still binds it: an opt-out, a
 * refusal, or consent given for other channels only. A sales call is promotional under
 * TRAI's rules, so a number on the DND registry is never called, whatever the opt-in
 * (TCCCPR 2018: https://www.trai.gov.in/sites/default/files/2024-09/RegulationUcc19072018.pdf).
 */

export type SdrContactChannel = 'phone' | 'email'

/**
 * Why an SDR may not contact the lead on a channel one-to-one, or null when they may.
 *
 * @param state - The lead's current consent.
 * @param channel - phone (a call) or email (a personal email).
 */
export function sdrContactBlock(state: ConsentState, channel: SdrContactChannel): ContactBlock | null {
  if (hasOptedOut(state)) return 'opted_out'
  if (state.status === 'denied') return 'consent_denied'
  if (state.status === 'granted' && !state.grantedChannels.includes(channel)) return 'no_consent_for_channel'
  if (channel === 'phone' && state.dnd) return 'dnd'
  return null
}

export interface SdrContactRoute {
  /** How the task asks the SDR to reach the lead; none: review the lead, do not contact. */
  by: SdrContactChannel | 'none'
  /** Set when the lead has a phone number but may not be called: the skipped call, for the audit. */
  callBlock: ContactBlock | null
  /** One sentence for the task's description. */
  reason: string
}

const WHY_NOT: Record<ContactBlock, string> = {
  opted_out: 'the person opted out',
  consent_denied: 'the person declined to be contacted',
  no_consent: 'no consent was recorded',
  no_consent_for_channel: 'the person did not consent to this channel',
  dnd: 'the number is on India’s Do Not Call registry (TRAI NCPR)',
}

/**
 * The channel a contact task sends the SDR to: a call when the lead has a number that may
 * be called, else an email when that is allowed, else none (the task asks for a review:
 * disqualify, or wait for the person to get in touch).
 *
 * @param state - The lead's current consent, read when the task opens.
 * @param reachable - Whether the lead has an email address and a phone number.
 */
export function sdrContactRoute(
  state: ConsentState,
  reachable: { email: boolean; phone: boolean },
): SdrContactRoute {
  const callBlock = reachable.phone ? sdrContactBlock(state, 'phone') : null
  if (reachable.phone && callBlock === null) return { by: 'phone', callBlock, reason: 'Calling is allowed.' }
  const noCall = callBlock ? `Do not call: ${WHY_NOT[callBlock]}.` : 'There is no phone number.'
  const emailBlock = reachable.email ? sdrContactBlock(state, 'email') : null
  if (reachable.email && emailBlock === null)
    return { by: 'email', callBlock, reason: `${noCall} Email the lead instead.` }
  const noEmail = !reachable.email
    ? 'There is no email address.'
    : `Do not email: ${WHY_NOT[emailBlock ?? 'no_consent_for_channel']}.`
  return { by: 'none', callBlock, reason: `${noCall} ${noEmail} Review the lead instead of contacting it.` }
}
