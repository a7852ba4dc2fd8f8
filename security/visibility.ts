import { Prisma } from '../generated/prisma/client.js'
import type { Principal } from './principal.js'

/*
 * Row-level access, in one place: what each object's queries add to their `where` so a
 * principal reads (or changes) only the records their role's row scope, their reporting
 * line and explicit shares allow. Every list, read, update, report and export builds its
 * filter here; a record outside it is answered as not found, so its existence does not leak.
 *
 * - lead, account, opportunity, task: by owner (task: assignee), plus explicit shares.
 * - contact: through its account.
 * - opportunity: also visible to whoever sees its account (an account's owner sees its deals).
 * - order, invoice, ticket, contract: through their account.
 */

export type Access = 'read' | 'edit'

const sharedWith = async (p: Principal, type: 'lead' | 'account' | 'opportunity', access: Access) => {
  const ids = await p.sharedIds(type)
  return access === 'edit' ? ids.edit : ids.read
}

export async function leadWhere(p: Principal, access: Access = 'read'): Promise<Prisma.LeadWhereInput> {
  const owners = await p.owners('lead')
  if (owners === null) return {}
  return { OR: [{ ownerId: { in: owners } }, { id: { in: await sharedWith(p, 'lead', access) } }] }
}

export async function accountWhere(p: Principal, access: Access = 'read'): Promise<Prisma.AccountWhereInput> {
  const owners = await p.owners('account')
  if (owners === null) return {}
  return { OR: [{ ownerId: { in: owners } }, { id: { in: await sharedWith(p, 'account', access) } }] }
}

export async function contactWhere(p: Principal, access: Access = 'read'): Promise<Prisma.ContactWhereInput> {
  if ((await p.owners('contact')) === null) return {}
  return { account: await accountWhere(p, access) }
}

export async function opportunityWhere(
  p: Principal,
  access: Access = 'read',
): Promise<Prisma.OpportunityWhereInput> {
  const owners = await p.owners('opportunity')
  if (owners === null) return {}
  return {
    OR: [
      { ownerId: { in: owners } },
      { id: { in: await sharedWith(p, 'opportunity', access) } },
      { account: await accountWhere(p, access) },
    ],
  }
}

export async function taskWhere(p: Principal): Promise<Prisma.TaskWhereInput> {
  const owners = await p.owners('task')
  if (owners === null) return {}
  return { assigneeId: { in: owners } }
}

/** Orders, invoices, tickets and contracts: visible with their account. */
export async function throughAccount(
  p: Principal,
  object: 'order' | 'invoice' | 'ticket' | 'contract',
  access: Access = 'read',
): Promise<{ account?: Prisma.AccountWhereInput }> {
  if ((await p.owners(object)) === null) return {}
  return { account: await accountWhere(p, access) }
}

/**
 * For raw SQL (reports): a condition on an owner column, `TRUE` for a principal who sees
 * every owner. Shared records are left out of aggregates: a share opens a record, not a
 * colleague's numbers.
 */
export async function ownerCondition(
  p: Principal,
  object: 'lead' | 'opportunity' | 'report',
  column: Prisma.Sql,
): Promise<Prisma.Sql> {
  const owners = await p.owners(object)
  if (owners === null) return Prisma.sql`TRUE`
  return Prisma.sql`${column} = ANY(${owners}::text[])`
}
