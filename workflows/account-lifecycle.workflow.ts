import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { Activities } from '../activities/index.js'
import { shortIo } from './activity-profiles.js'
import {
  accountChanged,
  getAccountLifecycle,
  type AccountLifecycleInput,
  type AccountLifecycleState,
} from './account-lifecycle.messages.js'
import { SCORE, STAGE } from './search-attributes.js'
import { workflowNow } from './workflow-clock.js'

const { refreshAccountHealth } = proxyActivities<Activities>(shortIo)

/** Health drifts with time (recency), so it is recomputed at least daily. */
const REFRESH_EVERY = '1 day'
/** One run covers about a year of daily refreshes; then it continues as new. */
const REFRESHES_PER_RUN = 365

/**
 * An account's life after conversion: health recalculated from activities, deals and
 * recency, and the lifecycle stage moved MQA → SQA → Customer → Churned by the rules in
 * domain/account/lifecycle.rules.ts. Runs as long as the account is active.
 */
export async function accountLifecycle(input: AccountLifecycleInput): Promise<AccountLifecycleState> {
  const state: AccountLifecycleState = input.resume ?? {
    accountId: input.accountId,
    stage: null,
    health: null,
    refreshedAt: null,
    refreshes: 0,
  }
  let changed = true
  setHandler(accountChanged, () => {
    changed = true
  })
  setHandler(getAccountLifecycle, () => state)

  for (let run = 0; run < REFRESHES_PER_RUN && !workflowInfo().continueAsNewSuggested; run++) {
    changed = false
    const result = await refreshAccountHealth({ accountId: state.accountId })
    state.stage = result.lifecycleStage
    state.health = result.health
    state.refreshedAt = new Date(workflowNow()).toISOString()
    state.refreshes += 1
    upsertSearchAttributes([
      { key: STAGE, value: result.lifecycleStage },
      { key: SCORE, value: result.health },
    ])
    if (!result.active) return state
    await condition(() => changed, REFRESH_EVERY)
  }
  await condition(allHandlersFinished)
  return continueAsNew<typeof accountLifecycle>({ accountId: state.accountId, resume: state })
}
