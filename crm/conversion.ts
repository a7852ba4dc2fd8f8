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
import { DomainRuleError, NotFoundError, type FieldError } from '../platform/errors.js'
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
  const pick = { id: true, domain: true, gstin: true, isActive: true, name: true } as const
  const [byDomain, byGstin] = await Promise.all([
    keys.domain ? tx.account.findUnique({ where: { domain: keys.domain }, select: pick }) : null,
    keys.gstin ? tx.account.findUnique({ where: { gstin: keys.gstin }, select: pick }) : null,
  ])
  return { keys, match: chooseAccountMatch({ byDomain, byGstin }) }
}

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

/** What converting would create or match, without writing anything. */
export async function previewConversion(
  db: Db,
  leadId: string,
  request: ConversionRequest,
  now = new Date(),
) {
  const lead = await db.lead.findUnique({
    where: { id: leadId },
    include: { conversion: { select: { leadId: true } } },
  })
  if (!lead) throw new NotFoundError('lead', leadId)
  const { gstin, errors } = gstinOf(request)
  if (errors.length) throw new DomainRuleError('The account GSTIN is not valid.', errors)
  const { keys, match } = await findAccount(db, lead, gstin)
  const accountName = match ? match.account.name : (request.account?.name ?? accountNameFor(lead))
  return {
    eligibility: eligibilityOf(lead, lead.conversion !== null),
    account: match
      ? {
          action: 'match' as const,
          matchedBy: match.matchedBy,
          id: match.account.id,
          name: accountName,
          domain: match.account.domain,
          gstin: match.account.gstin,
          reactivate: !match.account.isActive,
        }
      : {
          action: 'create' as const,
          matchedBy: null,
          id: null,
          name: accountName,
          domain: keys.domain,
          gstin: keys.gstin,
          reactivate: false,
        },
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
      accountName,
      now.toISOString().slice(0, 10),
      await stageProbabilities(db),
    ),
  }
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
