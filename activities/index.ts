import { createJourneyActivities, type JourneyDeps } from './journey.activities.js'

export type ActivityDeps = JourneyDeps

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createJourneyActivities(deps),
  }
}

export type Activities = ReturnType<typeof createActivities>
