import { uuidv7 } from 'uuidv7'
import { validateContractTerms, type ContractKind } from '../../domain/renewal/contract.rules.js'
import { addDays, indiaDate } from '../../domain/time/india-date.rules.js'
import { enqueue } from '../../ingestion/outbox/outbox.repository.js'
import { fieldChanges, recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { ConflictError, DomainRuleError, type FieldError } from '../../platform/errors.js'
import { nextDocumentNumberAt } from '../document-numbers.js'
import { dateColumn, dateOf, lockContract, recordContractEvent, type ContractRow } from './contract-row.js'
import { winRenewalOpportunity } from './renewal-opportunity.js'
import { accountInScope } from '../accounts.js'
import { accountChanged } from '../account-changed.js'

/*
 * Contracts (AMCs, subscriptions, licences, support plans): activated, changed, cancelled and
 * renewed through the API. Every write is one transaction with its audit row, a timeline
 * entry on the account, and the event the contract's renewal workflow hears
 * (`contract.activated` starts it, `contract.changed` makes it re-read the contract).
 */

export const CONTRACT_SERIES = 'CTR'

export interface NewContract {
  accountId: string
  opportunityId?: string | undefined
  orderId?: string | undefined
  kind: ContractKind
  startDate: string
  endDate: string
  value: number
  currency: string
  autoRenew?: boolean | undefined
  renewalLeadDays?: number | undefined
  /** Defaults to the account's owner. */
  ownerId?: string | null | undefined
}

const atBody = (errors: FieldError[]) => errors.map((e) => ({ ...e, pointer: `/body${e.pointer}` }))
const requestIdOf = (ctx: WriteContext) => ctx.requestId ?? undefined

/** The references a new contract names, checked: 422 for anything unusable, 409 for a second contract on a deal. */
async function checkNewContract(tx: Tx, c: NewContract, today: string, accounts: Prisma.AccountWhereInput) {
  const errors = atBody(validateContractTerms(c, today))
  const account = (await accountInScope(tx, c.accountId, accounts))
    ? await tx.account.findUnique({ where: { id: c.accountId } })
    : null
  if (!account) errors.push({ pointer: '/body/accountId', message: 'no such account' })
  else if (!account.isActive)
    errors.push({ pointer: '/body/accountId', message: 'the account is deactivated' })
  if (c.opportunityId) {
    const deal = await tx.opportunity.findUnique({ where: { id: c.opportunityId } })
    if (!deal || deal.accountId !== c.accountId)
      errors.push({ pointer: '/body/opportunityId', message: 'no such opportunity on this account' })
    else if (deal.stage !== 'closed_won')
      errors.push({ pointer: '/body/opportunityId', message: `must be won (it is ${deal.stage})` })
  }
  if (c.orderId) {
    const order = await tx.salesOrder.findUnique({ where: { id: c.orderId }, select: { accountId: true } })
    if (!order || order.accountId !== c.accountId)
      errors.push({ pointer: '/body/orderId', message: 'no such sales order on this account' })
  }
  if (c.ownerId && !(await tx.user.findUnique({ where: { id: c.ownerId }, select: { id: true } })))
    errors.push({ pointer: '/body/ownerId', message: 'no such user' })
  if (errors.length || !account) throw new DomainRuleError('The contract cannot be activated.', errors)
  if (c.opportunityId) {
    const taken = await tx.contract.findUnique({
      where: { opportunityId: c.opportunityId },
      select: { number: true },
    })
    if (taken) throw new ConflictError(`Opportunity ${c.opportunityId} already has contract ${taken.number}.`)
  }
  return account
}

/** Inserts an active contract with its audit row, timeline entry and activation event. */
async function insertContract(
  tx: Tx,
  ctx: WriteContext,
  c: NewContract & { ownerId: string | null },
  now: Date,
): Promise<ContractRow> {
  const { number } = await nextDocumentNumberAt(tx, CONTRACT_SERIES, now)
  const values = {
    number,
    accountId: c.accountId,
    opportunityId: c.opportunityId ?? null,
    orderId: c.orderId ?? null,
    kind: c.kind,
    startDate: c.startDate,
    endDate: c.endDate,
    value: c.value,
    currency: c.currency,
    status: 'active',
    autoRenew: c.autoRenew ?? false,
    renewalLeadDays: c.renewalLeadDays ?? 90,
    ownerId: c.ownerId,
  }
  const row = await tx.contract.create({
    data: {
      id: uuidv7(),
      ...values,
      startDate: dateColumn(c.startDate),
      endDate: dateColumn(c.endDate),
      createdAt: now,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    },
  })
  await recordAudit(tx, ctx, {
    entity: 'contract',
    entityId: row.id,
    action: 'create',
    changes: fieldChanges(null, values),
  })
  await recordContractEvent(tx, row, {
    kind: 'contract_activated',
    subject: `Contract ${number} (${c.kind}) active ${c.startDate} to ${c.endDate}`,
    actorId: ctx.actor.id,
    at: now,
  })
  await enqueue(tx, 'contract.activated', row.id, { contractId: row.id }, requestIdOf(ctx))
  return row
}

/**
 * Activates a contract: validated, numbered (CTR series), and handed to its renewal workflow.
 * Only on an account within `accounts` (the caller's row-level access; others read as absent).
 */
export async function createContract(
  db: Db,
  ctx: WriteContext,
  c: NewContract,
  now = new Date(),
  accounts: Prisma.AccountWhereInput = {},
) {
  return db.$transaction(async (tx) => {
    const account = await checkNewContract(tx, c, indiaDate(now.getTime()), accounts)
    return insertContract(tx, ctx, { ...c, ownerId: c.ownerId ?? account.ownerId }, now)
  })
}

function refuseUnlessActive(c: ContractRow, what: string) {
  if (c.status !== 'active')
    throw new ConflictError(`Contract ${c.number} is ${c.status}; it cannot ${what}.`)
}

export interface ContractPatch {
  endDate?: string | undefined
  renewalLeadDays?: number | undefined
  ownerId?: string | null | undefined
  value?: number | undefined
}

/** Changes an active contract's terms; the renewal workflow re-plans its milestones from them. */
export async function updateContract(
  db: Db,
  ctx: WriteContext,
  id: string,
  patch: ContractPatch,
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const c = await lockContract(tx, id)
    refuseUnlessActive(c, 'change')
    const errors = atBody(
      validateContractTerms(
        { ...patch, ...(patch.endDate !== undefined ? { startDate: dateOf(c.startDate) } : {}) },
        indiaDate(now.getTime()),
      ),
    )
    if (patch.ownerId && !(await tx.user.findUnique({ where: { id: patch.ownerId }, select: { id: true } })))
      errors.push({ pointer: '/body/ownerId', message: 'no such user' })
    if (errors.length) throw new DomainRuleError('The contract cannot be changed.', errors)
    const before = {
      endDate: dateOf(c.endDate),
      renewalLeadDays: c.renewalLeadDays,
      ownerId: c.ownerId,
      value: Number(c.value),
    }
    const changes = fieldChanges(before, { ...patch })
    if (Object.keys(changes).length === 0) return c
    const after = await tx.contract.update({
      where: { id },
      data: {
        ...patch,
        ...(patch.endDate !== undefined ? { endDate: dateColumn(patch.endDate) } : {}),
        updatedBy: ctx.actor.id,
      },
    })
    await recordAudit(tx, ctx, { entity: 'contract', entityId: id, action: 'update', changes })
    await recordContractEvent(tx, after, {
      kind: 'contract_changed',
      subject: `Contract ${c.number} changed: ${Object.keys(changes).join(', ')}`,
      actorId: ctx.actor.id,
      at: now,
      details: { changes },
    })
    await enqueue(tx, 'contract.changed', id, { contractId: id, reason: 'terms_changed' }, requestIdOf(ctx))
    return after
  })
}

/** Cancels an active contract: its renewal workflow ends without expiring it. */
export async function cancelContract(
  db: Db,
  ctx: WriteContext,
  id: string,
  reason: string,
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const c = await lockContract(tx, id)
    if (c.status === 'cancelled') return c
    refuseUnlessActive(c, 'be cancelled')
    const after = await tx.contract.update({
      where: { id },
      data: { status: 'cancelled', updatedBy: ctx.actor.id },
    })
    await recordAudit(tx, ctx, {
      entity: 'contract',
      entityId: id,
      action: 'cancel',
      changes: { status: { from: c.status, to: 'cancelled' }, reason: { from: null, to: reason } },
    })
    await recordContractEvent(tx, after, {
      kind: 'contract_cancelled',
      subject: `Contract ${c.number} cancelled`,
      actorId: ctx.actor.id,
      at: now,
      details: { reason },
    })
    await enqueue(tx, 'contract.changed', id, { contractId: id, reason: 'cancelled' }, requestIdOf(ctx))
    await accountChanged(tx, ctx, c.accountId, 'contract_cancelled')
    return after
  })
}

export interface RenewContract {
  endDate: string
  value?: number | undefined
}

/**
 * Renews a contract (active, or expired and renewed late): the successor starts the day
 * after the old end date with the same kind, currency, lead time and owner; the old one is
 * marked renewed and points at it; an open renewal opportunity is closed as won and becomes
 * the successor's deal. Returns both contracts.
 */
export async function renewContract(
  db: Db,
  ctx: WriteContext,
  id: string,
  r: RenewContract,
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const old = await lockContract(tx, id)
    if (old.status !== 'active' && old.status !== 'expired')
      throw new ConflictError(`Contract ${old.number} is ${old.status}; it cannot be renewed.`)
    const startDate = addDays(dateOf(old.endDate), 1)
    const errors = atBody(
      validateContractTerms({ startDate, endDate: r.endDate, value: r.value }, indiaDate(now.getTime())),
    )
    if (errors.length) throw new DomainRuleError('The contract cannot be renewed.', errors)
    const renewal = await tx.opportunity.findUnique({ where: { renewalOfContractId: id } })
    if (renewal) await winRenewalOpportunity(tx, ctx, renewal.id, old.number, now)
    // The won renewal becomes the successor's deal, unless a contract was made from it already.
    const linkable =
      renewal !== null &&
      (await tx.opportunity.count({ where: { id: renewal.id, stage: 'closed_won' } })) > 0 &&
      (await tx.contract.count({ where: { opportunityId: renewal.id } })) === 0
    const successor = await insertContract(
      tx,
      ctx,
      {
        accountId: old.accountId,
        opportunityId: linkable ? renewal.id : undefined,
        kind: old.kind as ContractKind,
        startDate,
        endDate: r.endDate,
        value: r.value ?? Number(old.value),
        currency: old.currency,
        autoRenew: old.autoRenew,
        renewalLeadDays: old.renewalLeadDays,
        ownerId: old.ownerId,
      },
      now,
    )
    const data = { status: 'renewed', renewedByContractId: successor.id }
    const renewed = await tx.contract.update({ where: { id }, data: { ...data, updatedBy: ctx.actor.id } })
    await recordAudit(tx, ctx, {
      entity: 'contract',
      entityId: id,
      action: 'renew',
      changes: fieldChanges(old, data),
    })
    await recordContractEvent(tx, renewed, {
      kind: 'contract_renewed',
      subject: `Contract ${old.number} renewed as ${successor.number} until ${r.endDate}`,
      actorId: ctx.actor.id,
      at: now,
      details: { successorId: successor.id, successorNumber: successor.number },
    })
    await enqueue(tx, 'contract.changed', id, { contractId: id, reason: 'renewed' }, requestIdOf(ctx))
    await accountChanged(tx, ctx, old.accountId, 'contract_renewed')
    return { renewed, successor }
  })
}
