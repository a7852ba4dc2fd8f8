import { enqueue } from '../ingestion/outbox/outbox.repository.js'
import type { WriteContext } from '../platform/audit.js'
import type { Tx } from '../platform/database/prisma.js'

/**
 * Tells the account's lifecycle workflow, through the outbox in the caller's transaction,
 * that something its health or stage depends on changed (a deal, an invoice, a payment, a
 * ticket, a contract, an activity), so it recomputes now rather than at its daily refresh.
 */
export async function accountChanged(tx: Tx, ctx: WriteContext, accountId: string, reason: string) {
  await enqueue(tx, 'account.changed', accountId, { accountId, reason }, ctx.requestId ?? undefined)
}
