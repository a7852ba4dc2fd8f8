import type { SecuredObject } from '../domain/security/roles.rules.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { Db } from '../platform/database/prisma.js'
import { ForbiddenError, NotFoundError } from '../platform/errors.js'
import type { Principal } from './principal.js'
import { accountWhere, contactWhere, opportunityWhere, throughAccount, type Access } from './visibility.js'

/*
 * Row-level checks for commands on one record, built on the visibility filters: a command
 * on a record the caller does not see is answered exactly as one on a record that does not
 * exist; one they see but may not change (a read share) is a 403, which tells them nothing
 * new. A record can only be given to an owner the caller could see it under.
 */

export type VisibleRecord =
  'account' | 'contact' | 'opportunity' | 'order' | 'invoice' | 'ticket' | 'contract'

/** How many records `id` of `type` the principal reaches with `access` (0 or 1); null: every record. */
async function reachable(
  db: Db,
  p: Principal,
  type: VisibleRecord,
  id: string,
  access: Access,
): Promise<number | null> {
  const only = <W extends object>(where: W) =>
    Object.keys(where).length === 0 ? null : { AND: [{ id }, where] }
  switch (type) {
    case 'account': {
      const where = only(await accountWhere(p, access))
      return where && db.account.count({ where })
    }
    case 'contact': {
      const where = only(await contactWhere(p, access))
      return where && db.contact.count({ where })
    }
    case 'opportunity': {
      const where = only(await opportunityWhere(p, access))
      return where && db.opportunity.count({ where })
    }
    case 'order': {
      const where = only(await throughAccount(p, 'order', access))
      return where && db.salesOrder.count({ where })
    }
    case 'invoice': {
      const where = only(await throughAccount(p, 'invoice', access))
      return where && db.invoice.count({ where })
    }
    case 'ticket': {
      const where = only(await throughAccount(p, 'ticket', access))
      return where && db.ticket.count({ where })
    }
    case 'contract': {
      const where = only(await throughAccount(p, 'contract', access))
      return where && db.contract.count({ where })
    }
  }
}

/**
 * Refuses a record the principal may not reach with `access`: 404 (the NotFoundError the
 * command itself throws for a missing record) when they do not see it, 403 when they see it
 * but are asked to change it. A principal who sees every record is not queried: the
 * command answers for a missing one.
 */
export async function assertRecordAccess(
  db: Db,
  p: Principal,
  type: VisibleRecord,
  id: string,
  access: Access = 'read',
): Promise<void> {
  if ((await reachable(db, p, type, id, access)) !== 0) return
  if (access === 'edit' && (await reachable(db, p, type, id, 'read')) !== 0)
    throw new ForbiddenError(`This ${type} is shared with you to read, not to change.`)
  throw new NotFoundError(type, id)
}

const outsideScope = (object: SecuredObject, ownerId: string | null) =>
  new ForbiddenError(
    ownerId === null
      ? `Only a role that sees every ${object} may leave one without an owner.`
      : `User ${ownerId} is outside the people whose ${object} records you may see.`,
  )

/** 403 when a new record names an owner outside the caller's row scope; none named is the write's default. */
export async function assertOwnerInScope(
  p: Principal,
  object: SecuredObject,
  ownerId: string | null | undefined,
): Promise<void> {
  if (ownerId === undefined || ownerId === null) return
  const owners = await p.owners(object)
  if (owners !== null && !owners.includes(ownerId)) throw outsideScope(object, ownerId)
}

/**
 * The owner of a new record whose owner decides who sees it: the one asked for when the
 * caller's row scope covers them (403 otherwise), else the caller, who would not see a
 * record without an owner. A principal who sees every record keeps `requested` as sent, so
 * the write's own default applies.
 */
export async function ownerForNew(
  p: Principal,
  object: SecuredObject,
  requested: string | null | undefined,
): Promise<string | null | undefined> {
  await assertOwnerInScope(p, object, requested)
  if ((requested === undefined || requested === null) && (await p.owners(object)) !== null) return p.userId
  return requested
}

/**
 * 403 when a command would move an existing record between owners the caller may not move it
 * between: both the current and the new owner must be within the caller's row scope, so a
 * share opens a record without letting its holder take it over. Sending the current owner
 * back unchanged is always allowed.
 */
export async function assertAssignable(
  p: Principal,
  object: SecuredObject,
  requested: string | null | undefined,
  currentOwner: () => Promise<string | null | undefined>,
): Promise<void> {
  if (requested === undefined) return
  const owners = await p.owners(object)
  if (owners === null) return
  const current = await currentOwner()
  if (current === requested) return
  if (requested === null || !owners.includes(requested)) throw outsideScope(object, requested)
  if (current === null || current === undefined || !owners.includes(current))
    throw new ForbiddenError(
      `This ${object} is not owned within your reach: only its owner's line may give it to someone else.`,
    )
}

type AddedToAccount = 'contact' | 'opportunity' | 'order' | 'invoice' | 'ticket' | 'contract'

/** The accounts a principal may add a record of `object` to: all, or those they may edit. */
async function addableAccounts(p: Principal, object: AddedToAccount): Promise<Prisma.AccountWhereInput> {
  if ((await p.owners(object)) === null) return {}
  return accountWhere(p, 'edit')
}

/**
 * The accounts a principal may add a record of `object` to (a contact, a deal, a ticket, a
 * contract), for the write to apply where it looks `accountId` up, so an account they do not
 * see is refused as a missing one is. Adding to an account is changing it: an account they
 * see through a read share is a 403.
 */
export async function accountsToAddTo(
  db: Db,
  p: Principal,
  object: AddedToAccount,
  accountId: string,
): Promise<Prisma.AccountWhereInput> {
  const accounts = await addableAccounts(p, object)
  if (Object.keys(accounts).length === 0) return accounts
  const editable = await db.account.count({ where: { AND: [{ id: accountId }, accounts] } })
  if (editable === 0 && (await reachable(db, p, 'account', accountId, 'read')) !== 0)
    throw new ForbiddenError(`Account ${accountId} is shared with you to read, not to add to.`)
  return accounts
}

/**
 * Refuses (as assertRecordAccess does) unless the principal may edit the record a new one is
 * made from (an order from a won deal, an invoice from an order) and add `object` records to
 * its account, where the new record will be seen.
 */
export async function assertCanAddFrom(
  db: Db,
  p: Principal,
  from: { type: 'opportunity' | 'order'; id: string },
  object: 'order' | 'invoice',
): Promise<void> {
  await assertRecordAccess(db, p, from.type, from.id, 'edit')
  const accounts = await addableAccounts(p, object)
  if (Object.keys(accounts).length === 0) return
  const where = { AND: [{ id: from.id }, { account: accounts }] }
  const found =
    from.type === 'opportunity' ? await db.opportunity.count({ where }) : await db.salesOrder.count({ where })
  if (found === 0)
    throw new ForbiddenError(
      `You may not add ${object === 'order' ? 'an order' : 'an invoice'} to this account.`,
    )
}
