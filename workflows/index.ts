// The worker's workflow bundle entry: every workflow type the task queue serves.
export { leadJourney } from './lead-journey.workflow.js'
export { accountLifecycle } from './account-lifecycle.workflow.js'
