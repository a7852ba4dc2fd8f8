import { canContact, marketingBlock, type ConsentState } from '../domain/consent/consent.rules.js'
import type { ContactChannel } from '../domain/lead/lead-capture.js'

/** The consent columns a lead (or contact) stores. */
export interface ConsentColumns {
  consentStatus: string
  consentChannels: string[]
  optInAt: Date | null
  optOutAt: Date | null
  optOutReason: string | null
  dnd: boolean
}

/** A stored lead's consent in the shape the consent rules take. */
export function consentStateOf(row: ConsentColumns): ConsentState {
  return {
    status: row.consentStatus as ConsentState['status'],
    grantedChannels: row.consentChannels as ContactChannel[],
    optInAt: row.optInAt?.toISOString() ?? null,
    optOutAt: row.optOutAt?.toISOString() ?? null,
    optOutReason: row.optOutReason,
    dnd: row.dnd,
  }
}

/** Which nurture channels may carry marketing to this person right now. */
export function marketingChannels(row: ConsentColumns & { email: string | null; phone: string | null }) {
  const state = consentStateOf(row)
  return {
    email: row.email !== null && canContact(state, 'email', 'marketing').allowed,
    whatsapp: row.phone !== null && canContact(state, 'whatsapp', 'marketing').allowed,
    sms: row.phone !== null && canContact(state, 'sms', 'marketing').allowed,
  }
}

/**
 * Why a marketing message may not go out, as a short code the journey acts on and an
 * audit can read (domain/consent/consent.rules.ts marketingBlock).
 */
export function blockedReason(row: ConsentColumns, channel: ContactChannel): string | null {
  return marketingBlock(consentStateOf(row), channel)
}
