/*
 * The workflow's clock. Inside the workflow sandbox Date is replaced: it returns the time
 * of the workflow task being processed, the same on every replay. Going through this one
 * function keeps that reliance visible; real time is only ever read in activities.
 */
export function workflowNow(): number {
  return Date.now()
}
