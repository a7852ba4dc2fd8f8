import type { ActivityDeps } from './index.js'

// STUB: replaced by the post-sales work.
export function createBillingActivities(_deps: ActivityDeps) {
  return {}
}
