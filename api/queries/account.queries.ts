import { editableFieldsOf, type AccountRow } from '../../crm/accounts.js'
import type { HealthFactor } from '../../domain/account/health.rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { HistoryQuery, ListAccountsQuery } from '../schemas/account.schema.js'
import { textContains } from './filters.js'
import { afterCursor, toPage } from './keyset.js'
import { listAuditEntries } from './audit.queries.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toAccount(a: AccountRow) {
  return {
    id: a.id,
    ...editableFieldsOf(a),
    primaryContactId: a.primaryContactId,
    lifecycleStage: a.lifecycleStage,
    lifecycleChangedAt: a.lifecycleChangedAt.toISOString(),
    healthScore: a.healthScore,
    healthFactors: Array.isArray(a.healthFactors) ? (a.healthFactors as unknown as HealthFactor[]) : [],
    healthUpdatedAt: iso(a.healthUpdatedAt),
    isActive: a.isActive,
    deactivatedAt: iso(a.deactivatedAt),
    deactivationReason: a.deactivationReason,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    createdBy: a.createdBy,
    updatedBy: a.updatedBy,
  }
}

/**
 * Accounts by name (then id), keyset-paginated; active ones unless isActive=false. Only
 * those within `visible` (the caller's row-level access), whatever the filters say.
 */
export async function listAccounts(db: Db | Tx, q: ListAccountsQuery, visible: Prisma.AccountWhereInput) {
  const healthScore = {
    ...(q.healthBelow !== undefined ? { lt: q.healthBelow } : {}),
    ...(q.healthAtLeast !== undefined ? { gte: q.healthAtLeast } : {}),
  }
  const where: Prisma.AccountWhereInput = {
    AND: [
      visible,
      {
        isActive: q.isActive,
        ...(q.ownerId ? { ownerId: q.ownerId } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.lifecycleStage ? { lifecycleStage: q.lifecycleStage } : {}),
        ...(q.industry ? { industry: { equals: q.industry, mode: 'insensitive' } } : {}),
        ...(Object.keys(healthScore).length ? { healthScore } : {}),
      },
      textContains(q.q, ['name']),
      afterCursor(q.cursor, 'name', 'asc', false, 'uuid') ?? {},
    ],
  }
  const rows = await db.account.findMany({
    where,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  })
  return toPage(rows, q.limit, (a) => a.name, toAccount)
}

/**
 * One account with its primary contact and how many contacts and open deals it has; one
 * outside `visible` is not found. Its contacts and deals are visible with it.
 */
export async function getAccount(db: Db, id: string, visible: Prisma.AccountWhereInput) {
  const account = await db.account.findFirst({ where: { AND: [{ id }, visible] } })
  if (!account) throw new NotFoundError('account', id)
  const [primary, contacts, openOpportunities] = await Promise.all([
    account.primaryContactId
      ? db.contact.findUnique({
          where: { id: account.primaryContactId },
          select: { id: true, firstName: true, lastName: true, email: true, phone: true, title: true },
        })
      : null,
    db.contact.count({ where: { accountId: id, isActive: true } }),
    db.opportunity.count({ where: { accountId: id, stage: { notIn: ['closed_won', 'closed_lost'] } } }),
  ])
  return { ...toAccount(account), primaryContact: primary, counts: { contacts, openOpportunities } }
}

/** An account's audit trail, newest first: the audit trail's query for this one record. */
export async function listAccountHistory(
  db: Db,
  id: string,
  q: HistoryQuery,
  visible: Prisma.AccountWhereInput,
) {
  const exists = await db.account.findFirst({ where: { AND: [{ id }, visible] }, select: { id: true } })
  if (!exists) throw new NotFoundError('account', id)
  const page = await listAuditEntries(db, { ...q, entity: 'account', entityId: id })
  return { ...page, items: page.items.map(({ entity: _e, entityId: _id, ...entry }) => entry) }
}
