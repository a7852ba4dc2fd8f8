import { humanize } from '../../ui/format'
import type { JourneyStage } from './lead.types'

/*
 * How a lead reads in lists and headings: its name (or, failing that, what else identifies
 * it), its score band and the tone of its status. Pure, so lists and the lead page agree.
 */

export interface NamedLead {
  id: string
  firstName: string | null
  lastName: string | null
  email: string | null
  company: string | null
}

export function leadName(lead: NamedLead): string {
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ')
  return name || lead.email || lead.company || `Lead ${lead.id.slice(0, 8)}`
}

export type ScoreBand = 'cold' | 'warm' | 'hot'

/** The API's bands (domain/scoring/score.rules.ts): 0-39 cold, 40-69 warm, 70+ hot. */
export function scoreBand(score: number): ScoreBand {
  if (score >= 70) return 'hot'
  if (score >= 40) return 'warm'
  return 'cold'
}

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info'

export function statusTone(status: string | null | undefined): Tone {
  switch (status?.toUpperCase()) {
    case 'CONVERTED':
    case 'QUALIFIED':
    case 'QUALIFICATION':
      return 'good'
    case 'CONTACTED':
    case 'NURTURING':
      return 'info'
    case 'DISQUALIFIED':
      return 'bad'
    case 'RECYCLED':
      return 'warn'
    default:
      return 'neutral'
  }
}

/** `NURTURING` → "Nurturing"; stages are already words. */
export function statusLabel(status: string | null | undefined): string {
  return humanize(status?.toLowerCase())
}

/** Channel codes as people say them: `web_form` → "Web form", `api` → "API". */
export function channelLabel(channel: string | null | undefined): string {
  if (channel === 'api') return 'API'
  if (channel === 'partner_api') return 'Partner API'
  return humanize(channel)
}

/** `user:priya` → `priya`; system actors stay as they are. */
export function userIdOfActor(actorId: string): string | null {
  return actorId.startsWith('user:') ? actorId.slice('user:'.length) : null
}

const STAGE_OF_STATUS: Record<string, JourneyStage> = {
  NEW: 'New',
  NURTURING: 'Nurturing',
  CONTACTED: 'Contacted',
  QUALIFIED: 'Qualification',
  CONVERTED: 'Converted',
  DISQUALIFIED: 'Disqualified',
  RECYCLED: 'Recycled',
}

/**
 * The stage to act on: the journey's own answer, except that a converted or disqualified
 * lead (written in the same transaction as the command) is final even while the journey's
 * answer is still on its way.
 */
export function currentStage(
  lead: { status: string },
  journeyStage: JourneyStage | null | undefined,
): JourneyStage | null {
  if (lead.status === 'CONVERTED') return 'Converted'
  if (lead.status === 'DISQUALIFIED') return 'Disqualified'
  return journeyStage ?? STAGE_OF_STATUS[lead.status] ?? null
}
