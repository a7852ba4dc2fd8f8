import { recordActivity } from '../../ingestion/activity-log.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'

export type ContractRow = Awaited<ReturnType<Db['contract']['findFirstOrThrow']>>

/** 'YYYY-MM-DD' of a DATE column (stored at midnight UTC). */
export const dateOf = (d: Date) => d.toISOString().slice(0, 10)
/** A DATE column's value for a 'YYYY-MM-DD' date. */
export const dateColumn = (date: string) => new Date(`${date}T00:00:00Z`)

/** Reads a contract with its row locked until the transaction ends: writers take turns. */
export async function lockContract(tx: Tx, contractId: string): Promise<ContractRow> {
  await tx.$queryRaw`SELECT id FROM contract WHERE id = ${contractId}::uuid FOR UPDATE`
  const row = await tx.contract.findUnique({ where: { id: contractId } })
  if (!row) throw new NotFoundError('contract', contractId)
  return row
}

/**
 * A contract event on the account's timeline (the timeline has no contract column: the
 * contract travels in the details). Keyed when the event can only happen once.
 */
export async function recordContractEvent(
  tx: Tx,
  c: ContractRow,
  e: { kind: string; subject: string; actorId: string; at: Date; details?: object; dedupeKey?: string },
) {
  return recordActivity(tx, {
    kind: e.kind,
    direction: 'internal',
    subject: e.subject,
    details: { contractId: c.id, number: c.number, ...e.details },
    accountId: c.accountId,
    opportunityId: c.opportunityId,
    occurredAt: e.at,
    actorId: e.actorId,
    dedupeKey: e.dedupeKey ?? null,
  })
}
