import { createAccountActivities } from './account.activities.js'
import { createJourneyActivities, type JourneyDeps } from './journey.activities.js'
import { createNurtureActivities, type NurtureDeps } from './nurture.activities.js'

export type ActivityDeps = JourneyDeps & NurtureDeps

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createJourneyActivities(deps),
    ...createNurtureActivities(deps),
    ...createAccountActivities(deps),
  }
}

export type Activities = ReturnType<typeof createActivities>
