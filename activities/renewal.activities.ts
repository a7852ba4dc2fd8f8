import { openRenewalOpportunity } from '../crm/renewals/renewal-opportunity.js'
import { expireContract, loadContractRenewal, remindContractRenewal } from '../crm/renewals/renewal.js'
import type { ActivityDeps } from './index.js'

/*
 * The contractRenewal workflow's side effects. `at` is the workflow's clock (epoch ms), so
 * "is the end date over" is judged at the instant the workflow woke. Each write is
 * idempotent and re-checks the contract under its row lock (crm/renewals/).
 */
export function createRenewalActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /** Status, end date and lead time (no amounts or names), or null when it does not exist. */
    async loadContractRenewal(input: { contractId: string }) {
      return loadContractRenewal(db, input.contractId)
    },
    /** The renewal opportunity and the owner's task, once per contract. */
    async openRenewalOpportunity(input: { contractId: string; at: number; workflowId: string }) {
      return openRenewalOpportunity(db, input)
    },
    /** A reminder task and timeline entry, once per contract, end date and reminder. */
    async remindContractRenewal(input: {
      contractId: string
      endDate: string
      daysBefore: number
      at: number
      workflowId: string
    }) {
      return remindContractRenewal(db, input)
    },
    /** Expires the contract when its end date is over and it was neither renewed nor cancelled. */
    async expireContract(input: { contractId: string; endDate: string; at: number }) {
      return expireContract(db, input)
    },
  }
}
