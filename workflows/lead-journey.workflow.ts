import {
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { Activities } from '../activities/index.js'
import { shortIo } from './activity-profiles.js'
import { getJourneyState, type JourneyState, type LeadJourneyInput } from './lead-journey.messages.js'
import { JOURNEY_VERSION, STAGE } from './search-attributes.js'

const { recordJourneyStarted } = proxyActivities<Activities>(shortIo)

/** Bumped with every patched() change, so operators can count journeys per version. */
const JOURNEY_VERSION_TAG = '1'

/**
 * One lead's journey, from capture to conversion or disqualification. Started by the
 * outbox relay with id `lead/<leadId>`.
 *
 * The nurture, qualification and conversion stages come next; for now the journey records
 * its start and then waits, as a real journey waits for its lead's next move.
 */
export async function leadJourney(input: LeadJourneyInput): Promise<void> {
  const state: JourneyState = {
    leadId: input.leadId,
    stage: 'New',
    startedAt: new Date(workflowInfo().startTime.getTime()).toISOString(),
  }
  setHandler(getJourneyState, () => state)
  upsertSearchAttributes([
    { key: STAGE, value: state.stage },
    { key: JOURNEY_VERSION, value: JOURNEY_VERSION_TAG },
  ])
  await recordJourneyStarted({ leadId: input.leadId, startedAt: state.startedAt })
  await condition(() => false)
}
