import { uuidv7 } from 'uuidv7'
import { editRefusal } from '../domain/opportunity/deal-transitions.rules.js'
import {
  forecastCategory,
  validateOpportunityDraft,
  type OpportunityStage,
} from '../domain/opportunity/pipeline.rules.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError, NotFoundError } from '../platform/errors.js'
import { stageProbabilities } from './pipeline-settings.js'
import { accountInScope } from './accounts.js'
import { accountChanged } from './account-changed.js'

/*
 * Opportunities: the one place a deal row is written, so every deal, however it was born
 * (conversion, the API, a renewal workflow, an upsell), gets its first stage-history entry
 * and its audit row in the transaction that creates it.
 */

export const OPPORTUNITY_KINDS = ['new_business', 'upsell', 'cross_sell', 'renewal'] as const
export type OpportunityKind = (typeof OPPORTUNITY_KINDS)[number]

export interface NewOpportunity {
  id?: string
  accountId: string
  contactId?: string | null
  leadId?: string | null
  name: string
  kind: OpportunityKind
  renewalOfContractId?: string | null
  amount: number | string
  currency: string
  stage: OpportunityStage
  probability: number
  /** 'YYYY-MM-DD'. */
  closeDate: string
  ownerId: string | null
  /** Today, 'YYYY-MM-DD', for the forecast category. */
  today: string
  at: Date
}

/** Inserts a validated opportunity with its first stage-history entry and audit row. */
export async function insertOpportunity(tx: Tx, ctx: WriteContext, o: NewOpportunity) {
  const id = o.id ?? uuidv7()
  const by = ctx.actor.id
  const row = await tx.opportunity.create({
    data: {
      id,
      accountId: o.accountId,
      contactId: o.contactId ?? null,
      leadId: o.leadId ?? null,
      name: o.name,
      kind: o.kind,
      renewalOfContractId: o.renewalOfContractId ?? null,
      amount: o.amount,
      currency: o.currency,
      stage: o.stage,
      probability: o.probability,
      forecastCategory: forecastCategory({
        stage: o.stage,
        probability: o.probability,
        closeDate: o.closeDate,
        today: o.today,
      }),
      closeDate: new Date(`${o.closeDate}T00:00:00Z`),
      ownerId: o.ownerId,
      ...(o.stage === 'closed_won' ? { wonAt: o.at } : {}),
      ...(o.stage === 'closed_lost' ? { lostAt: o.at } : {}),
      createdBy: by,
      updatedBy: by,
    },
  })
  await tx.opportunityStageChange.create({
    data: { opportunityId: id, fromStage: null, toStage: o.stage, probability: o.probability, at: o.at, by },
  })
  const { id: _id, today: _today, at: _at, ...values } = o
  await recordAudit(tx, ctx, {
    entity: 'opportunity',
    entityId: id,
    action: 'create',
    changes: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { from: null, to: v ?? null }])),
  })
  return row
}

export type OpportunityRow = Awaited<ReturnType<Tx['opportunity']['findUniqueOrThrow']>>

/** The date forecasts and close dates are judged against: the UTC date, as conversion uses. */
export const todayOf = (now: Date) => now.toISOString().slice(0, 10)

/** 'YYYY-MM-DD' of a DATE column. */
export const calendarDateOf = (d: Date) => d.toISOString().slice(0, 10)

const atBody = (errors: { pointer: string; message: string }[]) =>
  errors.map((e) => ({ pointer: `/body${e.pointer}`, message: e.message }))

/**
 * Locks a deal for the rest of the transaction and reads it, so two writes to one deal
 * (a stage move racing a win) apply one after the other, each seeing the other's result.
 */
export async function lockOpportunity(tx: Tx, id: string): Promise<OpportunityRow> {
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM opportunity WHERE id = ${id}::uuid FOR UPDATE`
  if (locked.length === 0) throw new NotFoundError('opportunity', id)
  return tx.opportunity.findUniqueOrThrow({ where: { id } })
}

/** Why a contact cannot be the deal's contact at `accountId`, or null when it can. */
async function contactProblem(tx: Tx, contactId: string, accountId: string): Promise<string | null> {
  const contact = await tx.contact.findUnique({
    where: { id: contactId },
    select: { accountId: true, isActive: true },
  })
  if (!contact) return 'does not exist'
  if (contact.accountId !== accountId) return 'belongs to another account'
  if (!contact.isActive) return 'is deactivated'
  return null
}

async function userExists(tx: Tx, userId: string): Promise<boolean> {
  return (await tx.user.count({ where: { id: userId } })) > 0
}

export interface CreateOpportunityCommand {
  accountId: string
  contactId?: string | null | undefined
  kind?: OpportunityKind | undefined
  name: string
  amount: number
  /** Defaults to the account's currency, else INR. */
  currency?: string | undefined
  stage?: OpportunityStage | undefined
  /** Defaults to the stage's probability in the active pipeline settings. */
  probability?: number | undefined
  closeDate: string
  /** Defaults to the account's owner. */
  ownerId?: string | null | undefined
}

/**
 * Creates a deal from the API: checks the draft (domain rules) and what it refers to (an
 * active account, a contact of that account, an existing owner, and for upsell and
 * cross-sell an account that is a customer already), then inserts it and tells the
 * account's lifecycle (open deals count in its health and stage), in one transaction. An
 * account outside `accounts` (the caller's row-level access) reads as absent.
 */
export async function createOpportunity(
  db: Db,
  ctx: WriteContext,
  cmd: CreateOpportunityCommand,
  now: Date,
  accounts: Prisma.AccountWhereInput = {},
) {
  const today = todayOf(now)
  const stage = cmd.stage ?? 'qualification'
  return db.$transaction(async (tx) => {
    const account = (await accountInScope(tx, cmd.accountId, accounts))
      ? await tx.account.findUnique({ where: { id: cmd.accountId } })
      : null
    const currency = cmd.currency ?? account?.currency ?? 'INR'
    const errors = atBody(
      validateOpportunityDraft(
        {
          name: cmd.name,
          amount: cmd.amount,
          currency,
          stage,
          probability: cmd.probability,
          closeDate: cmd.closeDate,
        },
        today,
      ),
    )
    if (!account) errors.push({ pointer: '/body/accountId', message: 'does not exist' })
    else if (!account.isActive) errors.push({ pointer: '/body/accountId', message: 'is deactivated' })
    if (account && cmd.contactId) {
      const problem = await contactProblem(tx, cmd.contactId, account.id)
      if (problem) errors.push({ pointer: '/body/contactId', message: problem })
    }
    if (cmd.ownerId && !(await userExists(tx, cmd.ownerId)))
      errors.push({ pointer: '/body/ownerId', message: 'is not a user' })
    const kind = cmd.kind ?? 'new_business'
    if (account && (kind === 'upsell' || kind === 'cross_sell') && !(await isCustomer(tx, account)))
      errors.push({
        pointer: '/body/kind',
        message: `${kind} needs a customer account (one with a won deal); this account has none`,
      })
    if (errors.length || !account) throw new DomainRuleError('The opportunity cannot be created.', errors)

    const probability = cmd.probability ?? (await stageProbabilities(tx))(stage)
    const row = await insertOpportunity(tx, ctx, {
      accountId: account.id,
      contactId: cmd.contactId ?? null,
      name: cmd.name.trim(),
      kind,
      amount: cmd.amount,
      currency,
      stage,
      probability,
      closeDate: cmd.closeDate,
      ownerId: cmd.ownerId ?? account.ownerId,
      today,
      at: now,
    })
    await accountChanged(tx, ctx, account.id, 'opportunity_created')
    return row
  })
}

/** A customer: marked as one, or with at least one won deal. */
async function isCustomer(tx: Tx, account: { id: string; type: string }): Promise<boolean> {
  if (account.type === 'customer') return true
  return (await tx.opportunity.count({ where: { accountId: account.id, stage: 'closed_won' } })) > 0
}

export interface UpdateOpportunityCommand {
  name?: string | undefined
  amount?: number | undefined
  currency?: string | undefined
  closeDate?: string | undefined
  probability?: number | undefined
  ownerId?: string | null | undefined
  contactId?: string | null | undefined
}

/**
 * Changes an open deal's details and re-derives its forecast category. Closed deals are
 * read-only (409): their amount and date are what was won or lost. Only the fields sent
 * are checked, so an update to a slipped deal's name does not demand a new close date.
 */
export async function updateOpportunity(
  db: Db,
  ctx: WriteContext,
  id: string,
  patch: UpdateOpportunityCommand,
  now: Date,
): Promise<OpportunityRow> {
  const today = todayOf(now)
  return db.$transaction(async (tx) => {
    const deal = await lockOpportunity(tx, id)
    const refusal = editRefusal(deal.stage as OpportunityStage)
    if (refusal) throw new ConflictError(refusal.message)
    const before = {
      name: deal.name,
      amount: Number(deal.amount),
      currency: deal.currency,
      closeDate: calendarDateOf(deal.closeDate),
      probability: deal.probability,
      ownerId: deal.ownerId,
      contactId: deal.contactId,
      forecastCategory: deal.forecastCategory,
    }
    const next = {
      name: patch.name?.trim() ?? before.name,
      amount: patch.amount ?? before.amount,
      currency: patch.currency ?? before.currency,
      closeDate: patch.closeDate ?? before.closeDate,
      probability: patch.probability ?? before.probability,
    }
    const sent = new Set(
      Object.keys(patch).filter((k) => patch[k as keyof UpdateOpportunityCommand] !== undefined),
    )
    const errors = atBody(
      validateOpportunityDraft({ ...next, stage: deal.stage }, today).filter((e) =>
        sent.has(e.pointer.slice(1)),
      ),
    )
    if (patch.contactId) {
      const problem = await contactProblem(tx, patch.contactId, deal.accountId)
      if (problem) errors.push({ pointer: '/body/contactId', message: problem })
    }
    if (patch.ownerId && !(await userExists(tx, patch.ownerId)))
      errors.push({ pointer: '/body/ownerId', message: 'is not a user' })
    if (errors.length) throw new DomainRuleError('The opportunity cannot be updated.', errors)

    const after = {
      ...next,
      ...(patch.ownerId !== undefined ? { ownerId: patch.ownerId } : {}),
      ...(patch.contactId !== undefined ? { contactId: patch.contactId } : {}),
      forecastCategory: forecastCategory({ stage: deal.stage as OpportunityStage, ...next, today }),
    }
    const changes = fieldChanges(before, after)
    if (Object.keys(changes).length === 0) return deal
    await recordAudit(tx, ctx, { entity: 'opportunity', entityId: id, action: 'update', changes })
    return tx.opportunity.update({
      where: { id },
      data: { ...after, closeDate: new Date(`${after.closeDate}T00:00:00Z`), updatedBy: ctx.actor.id },
    })
  })
}
