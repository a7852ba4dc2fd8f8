import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import type { LeadStatus } from '../../generated/prisma/enums.js'
import type { Db } from '../../platform/database/prisma.js'
import { TEST_ADMIN_ID, userWithRole } from '../support/auth.js'

/*
 * A small sales org for the row-level access tests (access-*.test.ts):
 *
 *   admin                      sees everything
 *   manager M ── sdr S1        M sees M, S1, S2; S1 and S2 see their own
 *             └─ sdr S2
 *   manager M2 ── sdr S3       M2 sees M2, S3
 *   marketing, read_only       see every lead and report (read_only changes nothing)
 *
 * with a lead owned by each SDR and one nobody owns, all from the company "Acme Tools".
 */

export type Caller = { authorization: string }

export interface Org {
  ids: Record<'admin' | 'm' | 's1' | 's2' | 'm2' | 's3' | 'marketing' | 'readOnly', string>
  as: Record<'admin' | 'm' | 's1' | 's2' | 'm2' | 's3' | 'marketing' | 'readOnly', Caller>
  leads: { s1: string; s2: string; s3: string; unassigned: string }
}

export async function buildOrg(db: Db): Promise<Org> {
  const admin = await userWithRole(db, 'admin', { id: 'org-admin', name: 'Org Admin' })
  const m = await userWithRole(db, 'sales_manager', { id: 'org-m', name: 'Maya Manager' })
  const s1 = await userWithRole(db, 'sdr', { id: 'org-s1', name: 'Sunil One', managerId: m.id })
  const s2 = await userWithRole(db, 'sdr', { id: 'org-s2', name: 'Sara Two', managerId: m.id })
  const m2 = await userWithRole(db, 'sales_manager', { id: 'org-m2', name: 'Mohan Manager' })
  const s3 = await userWithRole(db, 'sdr', { id: 'org-s3', name: 'Sita Three', managerId: m2.id })
  const marketing = await userWithRole(db, 'marketing', { id: 'org-marketing', name: 'Meena Marketing' })
  const readOnly = await userWithRole(db, 'read_only', { id: 'org-readonly', name: 'Rahul Readonly' })
  const people = { admin, m, s1, s2, m2, s3, marketing, readOnly }
  const ids = Object.fromEntries(Object.entries(people).map(([k, v]) => [k, v.id])) as Org['ids']
  const as = Object.fromEntries(Object.entries(people).map(([k, v]) => [k, v.headers])) as Org['as']
  const leads = {
    s1: await insertLead(db, { ownerId: s1.id, firstName: 'Anil', email: 'anil@acmetools.in' }),
    s2: await insertLead(db, { ownerId: s2.id, firstName: 'Bina', email: 'bina@acmetools.in' }),
    s3: await insertLead(db, { ownerId: s3.id, firstName: 'Chetan', email: 'chetan@acmetools.in' }),
    unassigned: await insertLead(db, { ownerId: null, firstName: 'Divya', email: 'divya@acmetools.in' }),
  }
  return { ids, as, leads }
}

/** A lead as capture would leave it (with its email's match key), owned by `ownerId`. */
export async function insertLead(
  db: Db,
  l: {
    ownerId: string | null
    firstName: string
    email: string
    status?: LeadStatus
    createdAt?: Date
    contactedAt?: Date
    duplicateOfId?: string
  },
): Promise<string> {
  const id = uuidv7()
  await db.lead.create({
    data: {
      id,
      channel: 'web_form',
      firstName: l.firstName,
      lastName: 'Rao',
      email: l.email,
      company: 'Acme Tools',
      ownerId: l.ownerId,
      queue: l.ownerId ? null : 'unassigned',
      status: l.status ?? 'NEW',
      ...(l.createdAt ? { createdAt: l.createdAt, assignedAt: l.createdAt } : {}),
      ...(l.contactedAt ? { contactedAt: l.contactedAt } : {}),
      ...(l.duplicateOfId ? { isDuplicate: true, duplicateOfId: l.duplicateOfId } : {}),
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  if (!l.duplicateOfId) await db.leadMatchKey.create({ data: { key: `email:${l.email}`, leadId: id } })
  return id
}

/** Shares a record with a user, as an admin's share would (record_share). */
export async function share(
  db: Db,
  recordType: 'lead' | 'account' | 'opportunity',
  recordId: string,
  userId: string,
  access: 'read' | 'edit',
): Promise<void> {
  await db.recordShare.upsert({
    where: { recordType_recordId_userId: { recordType, recordId, userId } },
    create: { id: uuidv7(), recordType, recordId, userId, access, grantedBy: TEST_ADMIN_ID },
    update: { access },
  })
}

/** A GET as `caller`: status and JSON body. */
export async function getAs<T = Record<string, unknown>>(
  app: FastifyInstance,
  caller: Caller,
  url: string,
): Promise<{ status: number; body: T }> {
  const res = await app.inject({ method: 'GET', url, headers: caller })
  return { status: res.statusCode, body: res.json<T>() }
}

/** Ids of a page's items, sorted, to compare with the expected set. */
export const idsOf = (page: { items: { id: string }[] }) => page.items.map((i) => i.id).sort()
export const sorted = (ids: string[]) => [...ids].sort()
