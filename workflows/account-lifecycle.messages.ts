import { defineQuery, defineSignal } from '@temporalio/workflow'
import type { LifecycleStage } from '../domain/account/lifecycle.rules.js'

/*
 * The account lifecycle workflow's public surface. One per account, id `account/<id>`,
 * started (or signalled) by the outbox when a lead converts into the account.
 */
export const ACCOUNT_LIFECYCLE_WORKFLOW = 'accountLifecycle'

export function accountLifecycleId(accountId: string): string {
  return `account/${accountId}`
}

export interface AccountLifecycleInput {
  accountId: string
  /** Carried over by continue-as-new. */
  resume?: AccountLifecycleState
}

export interface AccountLifecycleState {
  accountId: string
  stage: LifecycleStage | null
  health: number | null
  refreshedAt: string | null
  refreshes: number
}

/** Something changed on the account (a conversion, a deal, an activity): recompute now. */
export const accountChanged = defineSignal<[{ reason: string; leadId?: string }]>('accountChanged')

export const getAccountLifecycle = defineQuery<AccountLifecycleState>('getAccountLifecycle')
