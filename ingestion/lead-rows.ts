import type { DraftLead } from '../domain/lead/draft-lead.js'
import { isFreeEmailDomain } from '../domain/lead/normalise.rules.js'
import type { Prisma } from '../generated/prisma/client.js'
import type { Tx } from '../platform/database/prisma.js'

/** A stored lead as Prisma returns it. */
export type LeadRow = Prisma.LeadGetPayload<object>

/** Statuses that count against an owner's capacity. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(['NEW', 'NURTURING', 'CONTACTED', 'QUALIFIED'])

/** A stored lead in the shape the domain rules take (to rescore, merge or re-key it). */
export function rowToDraft(l: LeadRow): DraftLead {
  return {
    channel: l.channel as DraftLead['channel'],
    receivedAt: l.createdAt.toISOString(),
    externalId: null,
    firstName: l.firstName,
    lastName: l.lastName,
    email: l.email,
    emailDomain: l.emailDomain,
    // Derived, not stored: the domain says whether anyone can sign up for the mailbox.
    freeEmail: isFreeEmailDomain(l.emailDomain),
    phone: l.phone,
    phoneCountry: l.phoneCountry,
    phoneType: null,
    company: l.company,
    title: l.title,
    website: l.website,
    companyDomain: l.companyDomain,
    industry: l.industry,
    companySize: l.companySize as DraftLead['companySize'],
    annualRevenue: l.annualRevenue === null ? null : Number(l.annualRevenue),
    currency: l.currency,
    country: l.country,
    state: l.state,
    city: l.city,
    budget: l.budget,
    authority: l.authority,
    need: l.need,
    timeline: l.timeline,
    honeypot: null,
  }
}

/**
 * Locks leads for update and reads them. Every read-modify-write of a lead (a merge, an
 * edit, engagement counters, a duplicate folded in) goes through here: without the lock,
 * concurrent writers lose each other's changes. Ids are locked in order, so two
 * transactions touching the same pair cannot deadlock.
 */
export async function lockLeads(tx: Tx, ids: string[]): Promise<Map<string, LeadRow>> {
  const sorted = [...new Set(ids)].sort()
  await tx.$queryRaw`SELECT id FROM lead WHERE id = ANY(${sorted}::uuid[]) ORDER BY id FOR UPDATE`
  const rows = await tx.lead.findMany({ where: { id: { in: sorted } } })
  return new Map(rows.map((r) => [r.id, r]))
}

/** Moves an owner's open-lead count, in the caller's transaction (capacity reads it). */
export async function adjustOpenLeads(tx: Tx, ownerId: string, delta: 1 | -1): Promise<void> {
  await tx.$executeRaw`UPDATE app_user SET open_leads = GREATEST(open_leads + ${delta}, 0) WHERE id = ${ownerId}`
}

/** Closes a lead's open tasks when its journey ends (merge, conversion): none lingers in an inbox. */
export async function closeOpenTasks(
  tx: Tx,
  leadId: string,
  outcome: string,
  actorId: string,
  at: Date,
): Promise<number> {
  const { count } = await tx.task.updateMany({
    where: { leadId, status: 'open' },
    data: { status: 'done', outcome, completedAt: at, completedBy: actorId, updatedBy: actorId },
  })
  return count
}
