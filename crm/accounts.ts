import { uuidv7 } from 'uuidv7'
import {
  checkAccountDraft,
  type AccountDraft,
  type AccountFields,
} from '../domain/account/account-draft.rules.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError, NotFoundError } from '../platform/errors.js'
import { withUniqueAccountKeys } from './account-conflicts.js'
import { accountChanged } from './account-changed.js'

/*
 * Accounts as people create and edit them. Accounts are never deleted: they are deactivated
 * (and may come back), so their history, invoices and contracts keep pointing at them. Each
 * write is one transaction with its audit row; lifecycle stage and health are the lifecycle
 * workflow's (crm/account-health.ts), never set here.
 */

export type AccountRow = Awaited<ReturnType<Db['account']['findFirstOrThrow']>>

/**
 * Locks an account row for the rest of the transaction: writes that read the account to
 * decide (its primary contact, whether it is active) queue behind each other instead of
 * deciding on the same stale value.
 */
export async function lockAccount(tx: Tx, id: string): Promise<AccountRow | null> {
  await tx.$queryRaw`SELECT id FROM account WHERE id = ${id}::uuid FOR UPDATE`
  return tx.account.findUnique({ where: { id } })
}

/**
 * Whether account `id` is within `scope`, the accounts a caller may attach records to
 * (row-level access; `{}` is every account). Writes that add a record to an account read
 * one outside it as absent, so the answer does not tell that it exists.
 */
export async function accountInScope(tx: Tx, id: string, scope: Prisma.AccountWhereInput): Promise<boolean> {
  if (Object.keys(scope).length === 0) return true
  return (await tx.account.count({ where: { AND: [{ id }, scope] } })) > 0
}

async function lockExisting(tx: Tx, id: string): Promise<AccountRow> {
  const account = await lockAccount(tx, id)
  if (!account) throw new NotFoundError('account', id)
  return account
}

/** The editable fields of a stored account, as the draft rules compare them (and the API shows them). */
export function editableFieldsOf(a: AccountRow): AccountFields {
  return {
    name: a.name,
    type: a.type,
    industry: a.industry,
    companySize: a.companySize,
    annualRevenue: a.annualRevenue === null ? null : Number(a.annualRevenue),
    currency: a.currency,
    domain: a.domain,
    gstin: a.gstin,
    addressLine1: a.addressLine1,
    addressLine2: a.addressLine2,
    city: a.city,
    state: a.state,
    postalCode: a.postalCode,
    country: a.country,
    stateCode: a.stateCode,
    ownerId: a.ownerId,
  }
}

/** The draft's canonical values, or a 422 with each refused field under /body. */
function checked(draft: AccountDraft, current: AccountFields | null): Partial<AccountFields> {
  const result = checkAccountDraft(draft, current)
  if (result.ok) return result.values
  throw new DomainRuleError(
    'The account has invalid fields.',
    result.errors.map((e) => ({ pointer: `/body${e.pointer}`, message: e.message })),
  )
}

async function assertOwnerExists(tx: Tx, ownerId: string | null | undefined): Promise<void> {
  if (!ownerId) return
  const user = await tx.user.findUnique({ where: { id: ownerId }, select: { id: true } })
  if (!user)
    throw new DomainRuleError('The owner is not a user.', [
      { pointer: '/body/ownerId', message: `no user ${JSON.stringify(ownerId)} exists` },
    ])
}

export type NewAccount = AccountDraft & { name: string }

/** Creates an account (type prospect unless given); 409 when its domain or GSTIN is taken. */
export async function createAccount(db: Db, ctx: WriteContext, input: NewAccount): Promise<AccountRow> {
  const values = checked({ type: 'prospect', ...input }, null)
  return withUniqueAccountKeys(
    db,
    () => values,
    () =>
      db.$transaction(async (tx) => {
        await assertOwnerExists(tx, values.ownerId)
        const id = uuidv7()
        const by = ctx.actor.id
        const row = await tx.account.create({
          data: { id, ...values, name: values.name ?? input.name, createdBy: by, updatedBy: by },
        })
        await recordAudit(tx, ctx, {
          entity: 'account',
          entityId: id,
          action: 'create',
          changes: fieldChanges(null, editableFieldsOf(row)),
        })
        return row
      }),
  )
}

/** Edits an account's editable fields; each changed field is audited with its before and after. */
export async function updateAccount(
  db: Db,
  ctx: WriteContext,
  id: string,
  patch: AccountDraft,
): Promise<AccountRow> {
  let values: Partial<AccountFields> = {}
  return withUniqueAccountKeys(
    db,
    () => values,
    () =>
      db.$transaction(async (tx) => {
        const before = await lockExisting(tx, id)
        values = checked(patch, editableFieldsOf(before))
        const changes = fieldChanges(editableFieldsOf(before), values)
        if (Object.keys(changes).length === 0) return before
        if ('ownerId' in changes) await assertOwnerExists(tx, values.ownerId)
        const changed = Object.fromEntries(
          Object.keys(changes).map((k) => [k, values[k as keyof AccountFields]]),
        ) as Partial<AccountFields>
        const row = await tx.account.update({ where: { id }, data: { ...changed, updatedBy: ctx.actor.id } })
        await recordAudit(tx, ctx, { entity: 'account', entityId: id, action: 'update', changes })
        return row
      }),
  )
}

type Activation = { active: false; reason: string } | { active: true }

/*
 * Deactivating or reactivating: the account row, its audit row, a timeline entry and the
 * outbox event that tells the account's lifecycle workflow, all in one transaction.
 */
async function setActive(db: Db, ctx: WriteContext, id: string, to: Activation, now: Date) {
  return db.$transaction(async (tx) => {
    const before = await lockExisting(tx, id)
    if (before.isActive === to.active)
      throw new ConflictError(
        to.active
          ? `Account ${id} is active already.`
          : `Account ${id} is inactive already (since ${before.deactivatedAt?.toISOString() ?? 'unknown'}).`,
      )
    const data = to.active
      ? { isActive: true, deactivatedAt: null, deactivationReason: null }
      : { isActive: false, deactivatedAt: now, deactivationReason: to.reason }
    const row = await tx.account.update({ where: { id }, data: { ...data, updatedBy: ctx.actor.id } })
    const action = to.active ? 'reactivate' : 'deactivate'
    await recordAudit(tx, ctx, {
      entity: 'account',
      entityId: id,
      action,
      changes: fieldChanges(before, data),
    })
    await recordActivity(tx, {
      kind: to.active ? 'account_reactivated' : 'account_deactivated',
      direction: 'internal',
      subject: to.active ? 'Account reactivated' : `Account deactivated: ${to.reason}`,
      details: to.active ? {} : { reason: to.reason },
      accountId: id,
      occurredAt: now,
      actorId: ctx.actor.id,
    })
    await accountChanged(tx, ctx, id, to.active ? 'reactivated' : 'deactivated')
    return row
  })
}

/** Deactivates an account (never deleted): hidden from default lists, history kept; 409 if inactive. */
export function deactivateAccount(
  db: Db,
  ctx: WriteContext,
  id: string,
  reason: string,
  now = new Date(),
): Promise<AccountRow> {
  return setActive(db, ctx, id, { active: false, reason }, now)
}

/** Brings a deactivated account back; 409 if it is active. */
export function reactivateAccount(
  db: Db,
  ctx: WriteContext,
  id: string,
  now = new Date(),
): Promise<AccountRow> {
  return setActive(db, ctx, id, { active: true }, now)
}
