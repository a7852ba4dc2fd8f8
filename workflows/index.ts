// The worker's workflow bundle entry: every workflow type the task queue serves.
export { leadJourney } from './lead-journey.workflow.js'
export { accountLifecycle } from './account-lifecycle.workflow.js'
export { invoiceCollection } from './invoice-collection.workflow.js'
export { ticketSla } from './ticket-sla.workflow.js'
export { contractRenewal } from './contract-renewal.workflow.js'
