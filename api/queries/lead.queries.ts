import { decodeCursor, encodeCursor } from './cursor.js'
import { firstAndLastTouch, type Touch } from '../../domain/attribution/touch.rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { NotFoundError } from '../../platform/errors.js'
import type { Principal } from '../../security/principal.js'
import { leadWhere, visibleIds } from '../../security/visibility.js'
import type { ListLeadsQuery } from '../schemas/lead.schema.js'

type LeadRow = Prisma.LeadGetPayload<object>
const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toSummary(l: LeadRow) {
  return {
    id: l.id,
    status: l.status,
    channel: l.channel,
    firstName: l.firstName,
    lastName: l.lastName,
    email: l.email,
    phone: l.phone,
    company: l.company,
    title: l.title,
    companyDomain: l.companyDomain,
    country: l.country,
    score: l.score,
    ownerId: l.ownerId,
    queue: l.queue,
    isDuplicate: l.isDuplicate,
    duplicateOfId: l.duplicateOfId,
    validationStatus: l.validationStatus,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  }
}

/**
 * Keyset pagination: each page continues after the last row of the previous one, so pages
 * stay fast at any depth and do not skip or repeat rows when leads arrive meanwhile. Only
 * the leads the principal sees are listed, whatever the filters and search ask for.
 */
export async function listLeads(db: Db | Tx, p: Principal, q: ListLeadsQuery) {
  const sort = q.sort ?? '-createdAt'
  const field = sort.replace('-', '') as 'createdAt' | 'score'
  const dir = sort.startsWith('-') ? 'desc' : 'asc'
  const limit = q.limit ?? 50
  const where: Prisma.LeadWhereInput = {
    ...(q.status ? { status: q.status } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.ownerId ? { ownerId: q.ownerId } : {}),
    ...(q.queue ? { queue: q.queue } : {}),
    ...(q.country ? { country: q.country } : {}),
    ...(q.isDuplicate !== undefined ? { isDuplicate: q.isDuplicate } : {}),
    ...(q.validationStatus ? { validationStatus: q.validationStatus } : {}),
    ...(q.minScore !== undefined || q.maxScore !== undefined
      ? {
          score: {
            ...(q.minScore !== undefined ? { gte: q.minScore } : {}),
            ...(q.maxScore !== undefined ? { lte: q.maxScore } : {}),
          },
        }
      : {}),
    ...(q.createdFrom || q.createdTo
      ? {
          createdAt: {
            ...(q.createdFrom ? { gte: new Date(q.createdFrom) } : {}),
            ...(q.createdTo ? { lt: new Date(q.createdTo) } : {}),
          },
        }
      : {}),
    ...(q.q
      ? {
          // A field the caller's role hides is not searched: a match would confirm its value.
          OR: (['firstName', 'lastName', 'email', 'phone', 'company'] as const)
            .filter((f) => p.fieldAccess('lead', f) !== 'hidden')
            .map((f) => ({ [f]: { contains: q.q, mode: 'insensitive' as const } })),
        }
      : {}),
  }
  let after: Prisma.LeadWhereInput = {}
  if (q.cursor) {
    const c = decodeCursor(q.cursor)
    const v = field === 'createdAt' ? new Date(String(c.v)) : Number(c.v)
    const beyond = dir === 'desc' ? 'lt' : 'gt'
    // The plain bound lets PostgreSQL range-scan the index (see keyset.ts afterCursor).
    after = {
      AND: [
        { [field]: { [dir === 'desc' ? 'lte' : 'gte']: v } },
        { OR: [{ [field]: { [beyond]: v } }, { [field]: v, id: { [beyond]: c.id } }] },
      ],
    }
  }
  const rows = await db.lead.findMany({
    where: { AND: [where, await leadWhere(p), after] },
    orderBy: [{ [field]: dir }, { id: dir }],
    take: limit + 1,
  })
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ v: field === 'createdAt' ? last.createdAt.toISOString() : last.score, id: last.id })
      : null
  return { items: page.map(toSummary), nextCursor }
}

/**
 * One lead with everything that explains it: score, consent, assignment, duplicates,
 * attribution. A lead the principal does not see is not found; of its duplicates and
 * look-alikes, only those they see are named.
 */
export async function getLeadDetail(db: Db, p: Principal, id: string) {
  const visible = await leadWhere(p)
  const lead = await db.lead.findFirst({ where: { AND: [{ id }, visible] } })
  if (!lead) throw new NotFoundError('lead', id)
  const [duplicates, touches, dedupe] = await Promise.all([
    db.lead.findMany({
      where: { AND: [{ duplicateOfId: id }, visible] },
      select: { id: true, channel: true, createdAt: true, duplicateReason: true },
      orderBy: { createdAt: 'asc' },
    }),
    // Attribution spans the master and every capture folded into it.
    db.touch.findMany({
      where: { OR: [{ leadId: id }, { lead: { duplicateOfId: id } }] },
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
    }),
    db.leadDecision.findFirst({
      where: { leadId: id, kind: 'dedupe' },
      orderBy: { id: 'desc' },
      select: { outcome: true },
    }),
  ])
  // Look-alikes the dedupe step found but did not link: for someone to merge or dismiss.
  const lookAlikes = (
    (dedupe?.outcome as { possibleDuplicates?: { id: string; similarity: number }[] } | undefined)
      ?.possibleDuplicates ?? []
  ).filter((d) => d.id !== lead.duplicateOfId)
  const seen = await visibleIds(
    db,
    p,
    'lead',
    lookAlikes.map((d) => d.id),
  )
  const suggested = lookAlikes.filter((d) => seen.has(d.id))
  const ledger: Touch[] = touches.map((t) => ({
    channel: t.channel as Touch['channel'],
    source: t.source,
    medium: t.medium,
    campaign: t.campaign,
    term: t.term,
    content: t.content,
    referrer: t.referrer,
    landingPage: t.landingPage,
    occurredAt: t.occurredAt.toISOString(),
  }))
  const { first, last } = firstAndLastTouch(ledger)
  return {
    ...toSummary(lead),
    emailDomain: lead.emailDomain,
    phoneCountry: lead.phoneCountry,
    website: lead.website,
    industry: lead.industry,
    companySize: lead.companySize,
    annualRevenue: lead.annualRevenue === null ? null : Number(lead.annualRevenue),
    currency: lead.currency,
    state: lead.state,
    city: lead.city,
    territoryId: lead.territoryId,
    budget: lead.budget,
    authority: lead.authority,
    need: lead.need,
    timeline: lead.timeline,
    externalIds: lead.externalIds as Record<string, string>,
    consent: {
      status: lead.consentStatus,
      channels: lead.consentChannels,
      at: iso(lead.consentAt),
      source: lead.consentSource,
      textVersion: lead.consentTextVersion,
      dnd: lead.dnd,
      optInAt: iso(lead.optInAt),
      optOutAt: iso(lead.optOutAt),
      optOutReason: lead.optOutReason,
    },
    scoring: {
      score: lead.score,
      ruleVersion: lead.scoreRuleVersion,
      explanation: lead.scoreExplanation,
      breakdown: lead.scoreBreakdown as { ruleId: string; label: string; points: number; detail: string }[],
      engagement: lead.engagement as Record<string, number>,
    },
    spam: {
      score: lead.spamScore,
      signals: lead.spamSignals as { code: string; weight: number; detail: string }[],
    },
    validationIssues: lead.validationIssues as {
      field: string
      code: string
      message: string
      severity: string
    }[],
    assignment: {
      ownerId: lead.ownerId,
      queue: lead.queue,
      assignedAt: iso(lead.assignedAt),
      reason: lead.assignmentReason,
    },
    attribution: { firstTouch: first, lastTouch: last, touches: ledger.length },
    duplicates: duplicates.map((d) => ({
      id: d.id,
      channel: d.channel,
      createdAt: d.createdAt.toISOString(),
      reason: d.duplicateReason,
    })),
    possibleDuplicates: suggested.map((d) => ({
      id: d.id,
      similarity: Math.round(d.similarity * 1000) / 1000,
    })),
    duplicateReason: lead.duplicateReason,
    createdBy: lead.createdBy,
    updatedBy: lead.updatedBy,
  }
}
