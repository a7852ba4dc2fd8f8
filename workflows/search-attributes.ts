import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common'

/*
 * Search attributes let operators list journeys in the Temporal UI ("Stage = 'Nurturing'
 * AND Owner = 'u-42'"). They must be registered on the namespace before a workflow sets
 * them: the dev server registers JOURNEY_SEARCH_ATTRIBUTES at start, docker-compose's
 * temporal-setup job does it in production.
 */
export const STAGE = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD)
export const SCORE = defineSearchAttributeKey('Score', SearchAttributeType.INT)
export const OWNER = defineSearchAttributeKey('Owner', SearchAttributeType.KEYWORD)
export const JOURNEY_VERSION = defineSearchAttributeKey('JourneyVersion', SearchAttributeType.KEYWORD)

export const JOURNEY_SEARCH_ATTRIBUTES = [STAGE, SCORE, OWNER, JOURNEY_VERSION] as const
