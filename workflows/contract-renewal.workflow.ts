import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'
import type { Activities } from '../activities/index.js'
import {
  dueRenewalMilestones,
  nextMilestoneAt,
  renewalSchedule,
} from '../domain/renewal/renewal-schedule.rules.js'
import { shortIo } from './activity-profiles.js'
import { contractChanged, getContractRenewal, type ContractRenewalInput } from './post-sales.messages.js'
import { workflowNow } from './workflow-clock.js'

const { loadContractRenewal, openRenewalOpportunity, remindContractRenewal, expireContract } =
  proxyActivities<Activities>(shortIo)

/** The input plus what a run hands the next one when it continues as new. */
export interface ContractRenewalRunInput extends ContractRenewalInput {
  /** Milestone keys already acted on or skipped. */
  settled?: string[]
}

/** What getContractRenewal answers: ids, dates and milestone keys only. */
export interface ContractRenewalState {
  contractId: string
  /** The contract's status at the last read ('missing' if it does not exist). */
  status: string
  settled: string[]
  renewalOpportunityId: string | null
  nextMilestoneAt: string | null
}

/** Never wake sooner than this for a milestone the clock has just reached. */
const MIN_WAIT_MS = 1000

/**
 * Drives one contract to its renewal (id `contract/<id>`): opens the renewal opportunity
 * `renewalLeadDays` before the end date, reminds the owner 60, 30 and 7 days before it, and
 * expires the contract when the end date is over without a renewal. The schedule is pure
 * (domain/renewal/renewal-schedule.rules.ts) and re-planned after every contractChanged
 * signal (new end date or lead time); a renewed or cancelled contract ends the run.
 *
 * Contracts run for years, but the history does not grow with time: one durable timer per
 * milestone (five or so per end date) and one read per wake-up or change signal, a few
 * dozen events per contract. Should a contract be changed often enough for the server to
 * suggest it, the run continues as new with its settled milestones.
 */
export async function contractRenewal(input: ContractRenewalRunInput): Promise<ContractRenewalState> {
  const state: ContractRenewalState = {
    contractId: input.contractId,
    status: 'unknown',
    settled: [...(input.settled ?? [])],
    renewalOpportunityId: null,
    nextMilestoneAt: null,
  }
  let changed = false
  setHandler(contractChanged, () => {
    changed = true
  })
  setHandler(getContractRenewal, () => state)
  const { workflowId } = workflowInfo()
  const { contractId } = input

  while (!workflowInfo().continueAsNewSuggested) {
    changed = false
    const contract = await loadContractRenewal({ contractId })
    state.status = contract?.status ?? 'missing'
    if (!contract || contract.status !== 'active') return state
    const schedule = renewalSchedule(contract)
    const due = dueRenewalMilestones(schedule, workflowNow(), state.settled, contract.createdAt)
    for (const milestone of due.fire) {
      const at = workflowNow()
      if (milestone.kind === 'renewal_opportunity') {
        const result = await openRenewalOpportunity({ contractId, at, workflowId })
        state.renewalOpportunityId = result.opportunityId
      } else if (milestone.kind === 'reminder') {
        await remindContractRenewal({
          contractId,
          endDate: contract.endDate,
          daysBefore: milestone.daysBefore,
          at,
          workflowId,
        })
      } else {
        const result = await expireContract({ contractId, endDate: contract.endDate, at })
        state.status = result.status
        if (result.expired) return state
      }
    }
    state.settled = [...new Set([...state.settled, ...due.settled])]
    if (due.fire.length > 0) continue // re-read: the contract may have changed meanwhile
    const next = nextMilestoneAt(schedule, state.settled)
    state.nextMilestoneAt = next === null ? null : new Date(next).toISOString()
    if (next === null) await condition(() => changed)
    else await condition(() => changed, Math.max(next - workflowNow(), MIN_WAIT_MS))
  }
  await condition(allHandlersFinished)
  return continueAsNew<typeof contractRenewal>({ contractId, settled: state.settled })
}
