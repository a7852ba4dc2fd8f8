import { defineQuery } from '@temporalio/workflow'

/*
 * The lead journey's public surface: its name, id scheme, input and messages. The API
 * and the outbox relay import this file and nothing else from workflows/. Names here are
 * stored in workflow histories: never rename one in place.
 */
export const LEAD_JOURNEY_WORKFLOW = 'leadJourney'

/** Workflow ids come from the business id, so starting twice reaches the same journey. */
export function leadJourneyId(leadId: string): string {
  return `lead/${leadId}`
}

/** Ids only: workflow inputs are stored in history, personal data stays in PostgreSQL. */
export interface LeadJourneyInput {
  leadId: string
}

export type JourneyStage =
  'New' | 'Nurturing' | 'Contacted' | 'Qualification' | 'Converted' | 'Disqualified' | 'Recycled'

export interface JourneyState {
  leadId: string
  stage: JourneyStage
  /** ISO time the journey recorded its start (from the workflow clock). */
  startedAt: string
}

export const getJourneyState = defineQuery<JourneyState>('getJourneyState')

/** The journey's current stage as a search attribute (read by the API from describe()). */
export { STAGE as JOURNEY_STAGE_ATTRIBUTE } from './search-attributes.js'
