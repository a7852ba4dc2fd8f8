import { uuidv7 } from 'uuidv7'
import {
  accountMatchKeys,
  accountNameFor,
  chooseAccountMatch,
} from '../domain/account/account-match.rules.js'
import { parseGstin } from '../domain/account/gstin.rules.js'
import { forecastCategory, type OpportunityStage } from '../domain/opportunity/pipeline.rules.js'
import {
  adjustOpenLeads,
  closeOpenTasks,
  lockLeads,
  OPEN_STATUSES,
  type LeadRow,
} from '../ingestion/lead-rows.js'
import { enqueue } from '../ingestion/outbox/outbox.repository.js'
import { asJson, type Db, type Tx } from '../platform/database/prisma.js'
import { DomainRuleError, LeadwireError, NotFoundError, type FieldError } from '../platform/errors.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { FieldAccess } from '../domain/security/roles.rules.js'
import type { ConversionRequest, ConversionResult } from '../workflows/lead-journey.messages.js'
import { recordActivity } from '../ingestion/activity-log.js'
import { insertOpportunity } from './opportunities.js'
import { stageProbabilities } from './pipeline-settings.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import { editableFieldsOf } from './accounts.js'

/*
 * Account-first conversion: a qualified lead becomes an Account (matched by domain, then
 * GSTIN, else created), a Contact at it, an Opportunity and the first Activity, and the
 * lead is marked Converted. All in one transaction: all or nothing, and idempotent, since
 * a retry finds the lead_conversion row the first attempt wrote.
 */

export interface EligibilityReason {
  code: string
  message: string
}

export interface Eligibility {
  eligible: boolean
  stage: string | null
  reasons: EligibilityReason[]
}

/** Why a lead cannot be converted now; empty when it can. */
export function eligibilityOf(lead: LeadRow, converted: boolean): Eligibility {
  const reasons: EligibilityReason[] = []
  if (converted) reasons.push({ code: 'already_converted', message: 'The lead is converted already.' })
  else if (lead.isDuplicate)
    reasons.push({
      code: 'duplicate',
      message: `The lead is a duplicate of ${lead.duplicateOfId}: convert its master.`,
    })
  else if (lead.status === 'DISQUALIFIED')
    reasons.push({ code: 'disqualified', message: 'The lead is disqualified.' })
  else if (lead.journeyStage !== 'Qualification')
    reasons.push({
      code: 'not_in_qualification',
      message: `Qualification opens when the conversion trigger holds; the lead is ${lead.journeyStage ?? 'not in a journey yet'}.`,
    })
  if (!lead.email && !lead.phone && !lead.lastName)
    reasons.push({
      code: 'no_identity',
      message: 'The contact needs at least a name, an email or a phone number.',
    })
  return { eligible: reasons.length === 0, stage: lead.journeyStage, reasons }
}

export async function conversionEligibility(db: Db, leadId: string): Promise<Eligibility> {
  const lead = await db.lead.findUnique({
    where: { id: leadId },
    include: { conversion: { select: { leadId: true } } },
  })
  if (!lead) throw new NotFoundError('lead', leadId)
  return eligibilityOf(lead, lead.conversion !== null)
}

function gstinOf(request: ConversionRequest): { gstin: string | null; errors: FieldError[] } {
  const raw = request.account?.gstin
  if (raw === undefined || raw.trim() === '') return { gstin: null, errors: [] }
  const parsed = parseGstin(raw)
  if (parsed.ok) return { gstin: parsed.gstin, errors: [] }
  const why: Record<string, string> = {
    format: 'is not a GSTIN (15 characters)',
    state_code: 'has an unknown state code',
    checksum: 'fails its check character',
  }
  return {
    gstin: null,
    errors: [{ pointer: '/body/account/gstin', message: why[parsed.reason] ?? 'is not valid' }],
  }
}

async function findAccount(tx: Tx | Db, lead: LeadRow, gstin: string | null) {
  const keys = accountMatchKeys({
    companyDomain: lead.companyDomain,
    emailDomain: lead.emailDomain,
    website: lead.website,
    gstin,
  })
  // Among every account, not only the caller's: domain and GSTIN are unique, so a conversion
  // that created a second account for a company someone else owns would fail anyway. What
  // the caller may learn of, or add to, the match is decided by their reach (below).
  const pick = { id: true, domain: true, gstin: true, isActive: true, name: true } as const
  const [byDomain, byGstin] = await Promise.all([
    keys.domain ? tx.account.findUnique({ where: { domain: keys.domain }, select: pick }) : null,
    keys.gstin ? tx.account.findUnique({ where: { gstin: keys.gstin }, select: pick }) : null,
  ])
  return { keys, match: chooseAccountMatch({ byDomain, byGstin }) }
}

/**
 * What the caller may do with the account a conversion matches, from their principal
 * (api/routes/leads/journey.ts builds it): the accounts they see, those they may add a
 * contact and a deal to, and their rule on an account's GSTIN.
 */
export interface AccountReach {
  /** Accounts the caller sees (`{}`: all); null: none, their role has no account access. */
  read: Prisma.AccountWhereInput | null
  /** Accounts the caller may change, and so add to (`{}`: all); null: none. */
  edit: Prisma.AccountWhereInput | null
  /** read_only: a GSTIN may be given to a new account, not written onto an existing one. */
  gstin: FieldAccess | undefined
}

type Reached = 'edit' | 'read' | 'none'

async function reachOf(db: Db, reach: AccountReach, id: string): Promise<Reached> {
  const within = async (where: Prisma.AccountWhereInput | null) =>
    where !== null &&
    (Object.keys(where).length === 0 || (await db.account.count({ where: { AND: [{ id }, where] } })) > 0)
  if (await within(reach.edit)) return 'edit'
  return (await within(reach.read)) ? 'read' : 'none'
}

const matchedByWords = { domain: "the lead's company domain", gstin: 'the GSTIN sent' } as const

/**
 * Why the caller may not convert into the matched account, or null when they may. Converting
 * adds a contact and a deal to it (changing it), and fills a GSTIN it lacks, which a role
 * whose GSTIN rule is read_only (or hidden) may not write onto an existing account.
 */
function refusalOf(
  reached: Reached,
  match: { account: { id: string; gstin: string | null }; matchedBy: 'domain' | 'gstin' },
  gstin: string | null,
  reach: AccountReach,
): (EligibilityReason & { pointer: string }) | null {
  if (reached === 'none')
    return {
      code: 'account_not_visible',
      pointer: '/body/account',
      message:
        `An account already exists that you cannot see (matched by ${matchedByWords[match.matchedBy]}): ` +
        'its owner or a manager can share it with you, or convert the lead.',
    }
  if (reached === 'read')
    return {
      code: 'account_not_editable',
      pointer: '/body/account',
      message: `Account ${match.account.id} is shared with you to read, not to add a contact and a deal to.`,
    }
  if (gstin !== null && match.account.gstin === null && reach.gstin !== undefined)
    return {
      code: 'account_gstin_read_only',
      pointer: '/body/account/gstin',
      message:
        `Account ${match.account.id} has no GSTIN and yours is ${reach.gstin === 'hidden' ? 'hidden from' : 'read-only for'} ` +
        'your role on an existing account: convert without it, and ask someone who may edit the account to set it.',
    }
  return null
}

/** A search by a field the caller may not see would say whether an account holds that value. */
function refuseHiddenGstin(request: ConversionRequest, reach: AccountReach) {
  if (reach.gstin === 'hidden' && request.account?.gstin !== undefined)
    throw new LeadwireError('forbidden', 403, 'Your role may not look accounts up by GSTIN.', {
      errors: [{ pointer: '/body/account/gstin', message: 'is hidden from your role' }],
    })
}

/** The account a conversion's lookup reports when the caller does not see it: nothing of it. */
const HIDDEN_ACCOUNT_NAME = '(an existing account you cannot see)'

function opportunityFor(
  lead: LeadRow,
  request: ConversionRequest,
  accountName: string,
  today: string,
  probabilityOf: (stage: OpportunityStage) => number,
) {
  const o = request.opportunity
  const stage = (o.stage ?? 'qualification') as OpportunityStage
  const probability = o.probability ?? probabilityOf(stage)
  return {
    name: o.name ?? `${accountName}: new business`,
    amount: o.amount,
    currency: o.currency,
    stage,
    probability,
    forecastCategory: forecastCategory({ stage, probability, closeDate: o.closeDate, today }),
    closeDate: o.closeDate,
    ownerId: lead.ownerId,
  }
}

/**
 * What converting would create or match, without writing anything. A matched account the
 * caller does not see is reported as existing, with nothing of it (no id, name, domain or
 * GSTIN), and the eligibility says why the caller could not convert into it.
 */
export async function previewConversion(
  db: Db,
  leadId: string,
  request: ConversionRequest,
  reach: AccountReach,
  now = new Date(),
) {
  const lead = await db.lead.findUnique({
    where: { id: leadId },
    include: { conversion: { select: { leadId: true } } },
  })
  if (!lead) throw new NotFoundError('lead', leadId)
  refuseHiddenGstin(request, reach)
  const { gstin, errors } = gstinOf(request)
  if (errors.length) throw new DomainRuleError('The account GSTIN is not valid.', errors)
  const { keys, match } = await findAccount(db, lead, gstin)
  const reached = match ? await reachOf(db, reach, match.account.id) : 'edit'
  const refusal = match ? refusalOf(reached, match, gstin, reach) : null
  const ownName = request.account?.name ?? accountNameFor(lead)
  const eligibility = eligibilityOf(lead, lead.conversion !== null)
  if (refusal) {
    eligibility.reasons.push({ code: refusal.code, message: refusal.message })
    eligibility.eligible = false
  }
  const account = !match
    ? {
        action: 'create' as const,
        matchedBy: null,
        id: null,
        name: ownName,
        domain: keys.domain,
        gstin: keys.gstin,
        reactivate: false,
      }
    : reached === 'none'
      ? {
          action: 'match' as const,
          matchedBy: match.matchedBy,
          id: null,
          name: HIDDEN_ACCOUNT_NAME,
          domain: null,
          gstin: null,
          reactivate: false,
        }
      : {
          action: 'match' as const,
          matchedBy: match.matchedBy,
          id: match.account.id,
          name: match.account.name,
          domain: match.account.domain,
          gstin: match.account.gstin,
          reactivate: !match.account.isActive,
        }
  return {
    eligibility,
    account,
    contact: {
      firstName: lead.firstName,
      lastName: lead.lastName,
      email: lead.email,
      phone: lead.phone,
      title: lead.title,
      roles: request.contactRole ? [request.contactRole] : [],
    },
    opportunity: opportunityFor(
      lead,
      request,
      // The deal's default name must not carry a hidden account's name either.
      reached === 'none' ? ownName : account.name,
      now.toISOString().slice(0, 10),
      await stageProbabilities(db),
    ),
  }
}

/**
 * Refuses, before the journey is asked to convert, a conversion into an account the caller
 * may not add to (403, pointer /body/account): one they do not see, or see through a read
 * share; and one that would get a GSTIN their role may not write onto an existing account
 * (403, /body/account/gstin). 403 rather than 422: the data is fine, the caller's access is
 * not, and someone with access can make the same conversion. Answers the account the
 * conversion may join (null: a new one), for the command to carry (expectedAccountId).
 */
export async function checkConversionAccount(
  db: Db,
  leadId: string,
  request: ConversionRequest,
  reach: AccountReach,
): Promise<string | null> {
  const lead = await db.lead.findUnique({ where: { id: leadId } })
  if (!lead) throw new NotFoundError('lead', leadId)
  refuseHiddenGstin(request, reach)
  // An invalid GSTIN matches nothing; the journey refuses it (422) after its stage check.
  const { gstin } = gstinOf(request)
  const { match } = await findAccount(db, lead, gstin)
  if (!match) return null
  const refusal = refusalOf(await reachOf(db, reach, match.account.id), match, gstin, reach)
  if (refusal)
    throw new LeadwireError('forbidden', 403, refusal.message, {
      errors: [{ pointer: refusal.pointer, message: refusal.message }],
    })
  return match.account.id
}

export interface ConvertCommand {
  leadId: string
  request: ConversionRequest
  actorId: string
  requestId?: string | undefined
  at: string
}

/** Thrown for conversions the data does not allow; the journey does not retry these. */
export class ConversionRejected extends DomainRuleError {
  override name = 'ConversionRejected'
}

export async function convertLead(db: Db, cmd: ConvertCommand): Promise<ConversionResult> {
  return db.$transaction(async (tx) => {
    const lead = (await lockLeads(tx, [cmd.leadId])).get(cmd.leadId)
    if (!lead) throw new ConversionRejected(`Lead ${cmd.leadId} does not exist.`)
    const done = await tx.leadConversion.findUnique({ where: { leadId: cmd.leadId } })
    if (done) return resultOf(done)
    if (lead.isDuplicate)
      throw new ConversionRejected(`Lead ${cmd.leadId} is a duplicate: convert its master.`)
    if (lead.status === 'DISQUALIFIED') throw new ConversionRejected(`Lead ${cmd.leadId} is disqualified.`)
    const { gstin, errors } = gstinOf(cmd.request)
    if (errors.length) throw new ConversionRejected('The account GSTIN is not valid.', errors)

    const at = new Date(cmd.at)
    const by = cmd.actorId
    const { keys, match } = await findAccount(tx, lead, gstin)
    // The API checked the caller may convert into this account (checkConversionAccount); one
    // found since (an account created or given that domain meanwhile) was not checked.
    const expected = cmd.request.expectedAccountId
    if (expected !== undefined && (match?.account.id ?? null) !== expected)
      throw new ConversionRejected(
        'The account this lead converts into changed since your access to it was checked; try again.',
        [{ pointer: '/body/account', message: 'matches a different account now' }],
      )
    let accountId: string
    let accountName: string
    const ctx: WriteContext = { actor: { id: by }, requestId: cmd.requestId }
    const contactId = uuidv7()
    if (match) {
      accountId = match.account.id
      const before = await tx.account.findUniqueOrThrow({ where: { id: accountId } })
      const changes = {
        // Accounts are never deleted: converting into a deactivated one brings it back.
        ...(before.isActive ? {} : { isActive: true, deactivatedAt: null, deactivationReason: null }),
        // A GSTIN fixes the GST state code (the account rules refuse the two disagreeing).
        ...(gstin && !before.gstin ? { gstin, stateCode: gstin.slice(0, 2) } : {}),
        ...(keys.domain && !before.domain ? { domain: keys.domain } : {}),
      }
      const account = await tx.account.update({
        where: { id: accountId },
        data: { ...changes, updatedBy: by },
      })
      await recordAudit(tx, ctx, {
        entity: 'account',
        entityId: accountId,
        action: 'update',
        changes: fieldChanges(before, changes),
      })
      accountName = account.name
    } else {
      accountId = uuidv7()
      accountName = cmd.request.account?.name ?? accountNameFor(lead)
      const account = await tx.account.create({
        data: {
          id: accountId,
          name: accountName,
          domain: keys.domain,
          gstin: keys.gstin,
          // The GSTIN's first two digits are the GST state code: the invoices' place of supply.
          stateCode: keys.gstin ? keys.gstin.slice(0, 2) : null,
          type: cmd.request.account?.type ?? 'prospect',
          industry: lead.industry,
          companySize: lead.companySize,
          annualRevenue: lead.annualRevenue,
          currency: lead.currency,
          country: lead.country,
          state: lead.state,
          city: lead.city,
          ownerId: lead.ownerId,
          lifecycleStage: 'MQA',
          lifecycleChangedAt: at,
          // Its first contact, created below, is its primary one (no foreign key to wait for).
          primaryContactId: contactId,
          createdBy: by,
          updatedBy: by,
        },
      })
      await recordAudit(tx, ctx, {
        entity: 'account',
        entityId: accountId,
        action: 'create',
        changes: fieldChanges(null, { ...editableFieldsOf(account), primaryContactId: contactId }),
      })
    }

    const contact = await tx.contact.create({
      data: {
        id: contactId,
        accountId,
        leadId: lead.id,
        firstName: lead.firstName,
        lastName: lead.lastName,
        email: lead.email,
        phone: lead.phone,
        title: lead.title,
        roles: cmd.request.contactRole ? [cmd.request.contactRole] : [],
        // Consent travels with the person: what they agreed to as a lead still holds.
        consentStatus: lead.consentStatus,
        consentChannels: lead.consentChannels,
        dnd: lead.dnd,
        optOutAt: lead.optOutAt,
        createdBy: by,
        updatedBy: by,
      },
    })
    const {
      id: _id,
      createdAt: _c,
      updatedAt: _u,
      createdBy: _cb,
      updatedBy: _ub,
      ...contactValues
    } = contact
    await recordAudit(tx, ctx, {
      entity: 'contact',
      entityId: contactId,
      action: 'create',
      changes: fieldChanges(null, contactValues),
    })

    // A matched account's first contact becomes its primary one (a second conversion keeps it).
    const madePrimary = await tx.account.updateMany({
      where: { id: accountId, primaryContactId: null },
      data: { primaryContactId: contactId, updatedBy: by },
    })
    if (madePrimary.count === 1)
      await recordAudit(tx, ctx, {
        entity: 'account',
        entityId: accountId,
        action: 'update',
        changes: { primaryContactId: { from: null, to: contactId } },
      })

    const opportunityId = uuidv7()
    const opp = opportunityFor(
      lead,
      cmd.request,
      accountName,
      cmd.at.slice(0, 10),
      await stageProbabilities(tx),
    )
    await insertOpportunity(tx, ctx, {
      id: opportunityId,
      accountId,
      contactId,
      leadId: lead.id,
      name: opp.name,
      kind: 'new_business',
      amount: opp.amount,
      currency: opp.currency,
      stage: opp.stage,
      probability: opp.probability,
      closeDate: opp.closeDate,
      ownerId: opp.ownerId,
      today: cmd.at.slice(0, 10),
      at,
    })

    const activity = await recordActivity(tx, {
      kind: 'conversion',
      direction: 'internal',
      subject: `Converted: ${accountName}`,
      details: {
        accountMatchedBy: match?.matchedBy ?? 'created',
        ...(cmd.request.note ? { note: cmd.request.note } : {}),
      },
      leadId: lead.id,
      accountId,
      contactId,
      opportunityId,
      occurredAt: at,
      actorId: by,
      dedupeKey: `conversion/${lead.id}`,
    })

    await tx.lead.update({
      where: { id: lead.id },
      data: { status: 'CONVERTED', journeyStage: 'Converted', updatedBy: by },
    })
    await recordAudit(tx, ctx, {
      entity: 'lead',
      entityId: lead.id,
      action: 'convert',
      changes: {
        ...fieldChanges(lead, { status: 'CONVERTED', journeyStage: 'Converted' }),
        accountId: { from: null, to: accountId },
        contactId: { from: null, to: contactId },
        opportunityId: { from: null, to: opportunityId },
      },
    })
    await closeOpenTasks(tx, lead.id, 'converted', by, at)
    if (lead.ownerId && OPEN_STATUSES.has(lead.status)) await adjustOpenLeads(tx, lead.ownerId, -1)

    const accountMatchedBy = match?.matchedBy ?? 'created'
    const row = await tx.leadConversion.create({
      data: {
        leadId: lead.id,
        accountId,
        contactId,
        opportunityId,
        activityId: activity.id,
        accountMatchedBy,
        request: asJson(cmd.request),
        convertedAt: at,
        convertedBy: by,
      },
    })
    await tx.leadDecision.create({
      data: {
        leadId: lead.id,
        kind: 'conversion',
        inputs: asJson({ request: cmd.request, by, accountKeys: keys }),
        outcome: asJson({ accountId, accountMatchedBy, contactId, opportunityId }),
        decidedAt: at,
      },
    })
    await enqueue(tx, 'account.lead_converted', accountId, { accountId, leadId: lead.id }, cmd.requestId)
    return resultOf(row)
  })
}

/** The conversion already made for a lead, if any. */
export async function findConversion(db: Db, leadId: string): Promise<ConversionResult | null> {
  const row = await db.leadConversion.findUnique({ where: { leadId } })
  return row ? resultOf(row) : null
}

function resultOf(row: {
  accountId: string
  contactId: string
  opportunityId: string
  activityId: string
  accountMatchedBy: string
  convertedAt: Date
}): ConversionResult {
  return {
    accountId: row.accountId,
    contactId: row.contactId,
    opportunityId: row.opportunityId,
    activityId: row.activityId,
    accountMatchedBy: row.accountMatchedBy as ConversionResult['accountMatchedBy'],
    convertedAt: row.convertedAt.toISOString(),
  }
}
