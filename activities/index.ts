import { createAccountActivities } from './account.activities.js'
import { createBillingActivities } from './billing.activities.js'
import { createJourneyActivities, type JourneyDeps } from './journey.activities.js'
import { createNurtureActivities, type NurtureDeps } from './nurture.activities.js'
import { createRenewalActivities } from './renewal.activities.js'
import { createSupportActivities } from './support.activities.js'

export type ActivityDeps = JourneyDeps & NurtureDeps

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createJourneyActivities(deps),
    ...createNurtureActivities(deps),
    ...createAccountActivities(deps),
    ...createBillingActivities(deps),
    ...createSupportActivities(deps),
    ...createRenewalActivities(deps),
  }
}

export type Activities = ReturnType<typeof createActivities>
