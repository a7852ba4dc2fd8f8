import type { Static } from 'typebox'
import { dateColumn, dateOf, type ContractRow } from '../../crm/renewals/contract-row.js'
import type { ContractKind, ContractStatus } from '../../domain/renewal/contract.rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { ListContractsQuery } from '../schemas/contract.schema.js'
import { afterCursor, toPage } from './keyset.js'

export function toContract(c: ContractRow) {
  return {
    id: c.id,
    number: c.number,
    accountId: c.accountId,
    opportunityId: c.opportunityId,
    orderId: c.orderId,
    kind: c.kind as ContractKind,
    startDate: dateOf(c.startDate),
    endDate: dateOf(c.endDate),
    value: Number(c.value),
    currency: c.currency,
    status: c.status as ContractStatus,
    autoRenew: c.autoRenew,
    renewalLeadDays: c.renewalLeadDays,
    ownerId: c.ownerId,
    renewedByContractId: c.renewedByContractId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}

/** One contract; one outside `visible` is not found. */
export async function getContract(db: Db, id: string, visible: Prisma.ContractWhereInput) {
  const row = await db.contract.findFirst({ where: { AND: [{ id }, visible] } })
  if (!row) throw new NotFoundError('contract', id)
  return toContract(row)
}

/**
 * Contracts, soonest end first (the renewal desk's order), keyset-paginated on (endDate, id);
 * only those within `visible` (the caller's row-level access).
 */
export async function listContracts(
  db: Db,
  q: Static<typeof ListContractsQuery>,
  visible: Prisma.ContractWhereInput,
) {
  const where: Prisma.ContractWhereInput = {
    ...(q.accountId ? { accountId: q.accountId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.endingBefore ? { endDate: { lt: dateColumn(q.endingBefore) } } : {}),
  }
  const after = afterCursor(q.cursor, 'endDate', 'asc', true, 'uuid')
  const rows = await db.contract.findMany({
    where: { AND: [visible, where, ...(after ? [after] : [])] },
    orderBy: [{ endDate: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  })
  return toPage(rows, q.limit, (c) => c.endDate, toContract)
}
