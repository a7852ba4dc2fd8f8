import { Prisma } from '../generated/prisma/client.js'
import type { RowScope, SecuredObject } from '../domain/security/roles.rules.js'
import type { Db } from '../platform/database/prisma.js'
import { ForbiddenError, NotFoundError } from '../platform/errors.js'
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
 *
 * Single records: assertVisible (404 when hidden, 403 when shared to read only and asked to
 * change). Handing work to someone: assertAssignable. A filter naming a person (an inbox, a
 * statistic, a report): assertOwnerInReach. Aggregates in raw SQL: ownerCondition.
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
  // Whoever sees every account sees every deal on them. (Prisma drops an empty `{}` branch
  // from an OR rather than reading it as "true", so this case cannot go through the OR.)
  if (owners === null || (await p.owners('account')) === null) return {}
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

/**
 * What a new record may link to (a task's lead, an activity's account...): each kind's
 * filter, applied where the write checks that the linked record exists, so a record the
 * principal does not see is refused exactly as one that does not exist.
 */
export interface LinkScopes {
  lead: Prisma.LeadWhereInput
  account: Prisma.AccountWhereInput
  contact: Prisma.ContactWhereInput
  opportunity: Prisma.OpportunityWhereInput
  task: Prisma.TaskWhereInput
}

export async function linkScopes(p: Principal, access: Access = 'read'): Promise<LinkScopes> {
  const [lead, account, contact, opportunity, task] = await Promise.all([
    leadWhere(p, access),
    accountWhere(p, access),
    contactWhere(p, access),
    opportunityWhere(p, access),
    taskWhere(p),
  ])
  return { lead, account, contact, opportunity, task }
}

/** Records a single-record check (read, change, timeline, link) can name. */
export type VisibleKind = 'lead' | 'account' | 'contact' | 'opportunity' | 'task'

/** Of `ids`, the `kind` records the principal sees with `access`; absent ids are not in it either. */
export async function visibleIds(
  db: Db,
  p: Principal,
  kind: VisibleKind,
  ids: readonly string[],
  access: Access = 'read',
): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const id = { in: [...new Set(ids)] }
  const select = { id: true } as const
  let rows: { id: string }[]
  switch (kind) {
    case 'lead':
      rows = await db.lead.findMany({ where: { AND: [{ id }, await leadWhere(p, access)] }, select })
      break
    case 'account':
      rows = await db.account.findMany({ where: { AND: [{ id }, await accountWhere(p, access)] }, select })
      break
    case 'contact':
      rows = await db.contact.findMany({ where: { AND: [{ id }, await contactWhere(p, access)] }, select })
      break
    case 'opportunity':
      rows = await db.opportunity.findMany({
        where: { AND: [{ id }, await opportunityWhere(p, access)] },
        select,
      })
      break
    case 'task':
      // Tasks are not shared: whoever sees one may work it.
      rows = await db.task.findMany({ where: { AND: [{ id }, await taskWhere(p)] }, select })
      break
  }
  return new Set(rows.map((r) => r.id))
}

/**
 * Refuses a record the principal may not reach: not found (404) when they do not see it,
 * so its existence does not leak; forbidden (403) when they see it (a read share) but are
 * asked to change it.
 */
export async function assertVisible(
  db: Db,
  p: Principal,
  kind: VisibleKind,
  id: string,
  access: Access = 'read',
): Promise<void> {
  if ((await visibleIds(db, p, kind, [id], access)).has(id)) return
  if (access === 'edit' && (await visibleIds(db, p, kind, [id], 'read')).has(id))
    throw new ForbiddenError(`This ${kind} is shared with you to read, not to change.`)
  throw new NotFoundError(kind, id)
}

/**
 * Refuses to give a record to someone outside the principal's reach (their row scope on
 * `object`): a person hands work only to themselves or to those who report to them, unless
 * their role sees every record. `null` (back to a queue) takes the 'all' scope too.
 */
export async function assertAssignable(
  p: Principal,
  object: 'lead' | 'task',
  userId: string | null,
): Promise<void> {
  const owners = await p.owners(object)
  if (owners === null) return
  if (userId === null)
    throw new ForbiddenError(`Only a role that sees every ${object} may leave one unassigned.`)
  if (!owners.includes(userId))
    throw new ForbiddenError(
      `You may give a ${object} only to yourself or to someone in your team; ${userId} is not.`,
    )
}

/**
 * Refuses a filter on a person outside the principal's reach (an inbox, a statistic, a
 * report of someone else's): 403 with a clear message, rather than an empty answer that
 * reads as "they have nothing".
 */
export async function assertOwnerInReach(p: Principal, object: SecuredObject, userId: string): Promise<void> {
  const owners = await p.owners(object)
  if (owners !== null && !owners.includes(userId))
    throw new ForbiddenError(
      `Your role (${p.role.name}) reaches ${p.rowScope(object) === 'own' ? 'your own' : "your team's"} ${object}s only; ${userId} is outside that.`,
    )
}

/**
 * Who an activity statistic may count: null for every actor, else the people the principal
 * sees, as the actor ids their entries carry (`user:<id>`). System actors (journeys,
 * connectors) are counted only for a principal who sees everyone.
 */
export async function activityActorIds(p: Principal): Promise<string[] | null> {
  const owners = await p.owners('activity')
  return owners === null ? null : owners.map((id) => `user:${id}`)
}

/** The reach an aggregate was computed over, for its response. */
export const reportScope = (p: Principal): RowScope => p.rowScope('report')
