import { createHash } from 'node:crypto'
import { matchKeys } from '../../domain/dedupe/match-keys.rules.js'
import { normaliseCapture } from '../../domain/lead/normalise.rules.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import type { Identity } from './needles.js'

/*
 * Who a privacy request is about: every lead and contact that is the person. The person is
 * named by an email, a phone, or a lead or contact id; email and phone are normalised
 * exactly as ingestion normalises a capture (lower case, E.164, Gmail's mailbox), so the
 * request finds what a capture of the same person would have matched.
 *
 * From there the search follows the links ingestion itself treats as "the same person":
 * a duplicate and its master, a lead that owns one of the person's match keys, a lead or
 * contact with one of the email addresses or phone numbers found so far, the contact a lead
 * was converted into. Name look-alikes that ingestion only suggested (possible duplicates,
 * never linked) are not followed: a wrong guess would hand one person's data to another, or
 * erase someone else.
 */

export interface SubjectQuery {
  email?: string | undefined
  phone?: string | undefined
  leadId?: string | undefined
  contactId?: string | undefined
}

export interface Subject {
  /** sha256 of the normalised identifiers asked for: the request's name for the person. */
  subjectHash: string
  leadIds: string[]
  contactIds: string[]
  /** The person's identifiers as found on those records, before any erasure. */
  identity: Identity
}

/** Rounds of following links: each round adds what the records found so far point to. */
const MAX_ROUNDS = 4

/** The identifiers asked for, as ingestion would store them. */
export function normaliseQuery(q: SubjectQuery, defaultCountry: string) {
  const draft = normaliseCapture(
    { channel: 'api', email: q.email, phone: q.phone },
    { receivedAt: new Date(0).toISOString(), defaultCountry },
  )
  return {
    email: draft.email,
    phone: draft.phone,
    keys: matchKeys(draft),
    leadId: q.leadId ?? null,
    contactId: q.contactId ?? null,
  }
}

/** sha256 over the normalised identifiers, in a fixed order: one person, one hash. */
export function subjectHashOf(n: ReturnType<typeof normaliseQuery>): string {
  const parts = [...n.keys, n.leadId && `lead:${n.leadId}`, n.contactId && `contact:${n.contactId}`]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .sort()
  return createHash('sha256').update(parts.join('\n')).digest('hex')
}

interface LeadHit {
  id: string
  email: string | null
  phone: string | null
  first_name: string | null
  last_name: string | null
}
interface ContactHit extends LeadHit {
  lead_id: string | null
}

/**
 * Finds every lead and contact of the person. Inside an erasure's transaction, `lock` takes
 * the leads' and contacts' row locks, so a capture or edit running at the same time waits
 * and then sees the erased rows.
 */
export async function findSubject(
  db: Db | Tx,
  q: SubjectQuery,
  options: { defaultCountry: string; lock?: boolean },
): Promise<Subject> {
  const n = normaliseQuery(q, options.defaultCountry)
  const emails = new Set<string>(n.email ? [n.email] : [])
  const phones = new Set<string>(n.phone ? [n.phone] : [])
  const keys = new Set<string>(n.keys)
  const leadIds = new Set<string>(n.leadId ? [n.leadId] : [])
  const contactIds = new Set<string>(n.contactId ? [n.contactId] : [])
  const names = new Set<string>()
  const leads = new Map<string, LeadHit>()
  const contacts = new Map<string, ContactHit>()

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const size = leadIds.size + contactIds.size
    const ids = [...leadIds]
    const foundLeads = await db.$queryRaw<LeadHit[]>`
      WITH seed AS (
        SELECT id, duplicate_of_id FROM lead
         WHERE id = ANY(${ids}::uuid[]) OR email = ANY(${[...emails]}::text[])
            OR phone = ANY(${[...phones]}::text[])
            OR id IN (SELECT lead_id FROM lead_match_key WHERE key = ANY(${[...keys]}::text[]))
      ), masters AS (
        SELECT id FROM seed UNION SELECT duplicate_of_id FROM seed WHERE duplicate_of_id IS NOT NULL
      )
      SELECT id::text, email, phone, first_name, last_name FROM lead
       WHERE id IN (SELECT id FROM masters) OR duplicate_of_id IN (SELECT id FROM masters)`
    for (const l of foundLeads) leads.set(l.id, l)
    for (const l of foundLeads) leadIds.add(l.id)
    const foundContacts = await db.$queryRaw<ContactHit[]>`
      SELECT id::text, lead_id::text, email, phone, first_name, last_name FROM contact
       WHERE id = ANY(${[...contactIds]}::uuid[]) OR lead_id = ANY(${[...leadIds]}::uuid[])
          OR lower(email) = ANY(${[...emails]}::text[]) OR phone = ANY(${[...phones]}::text[])`
    for (const c of foundContacts) {
      contacts.set(c.id, c)
      contactIds.add(c.id)
      if (c.lead_id) leadIds.add(c.lead_id)
    }
    for (const r of [...leads.values(), ...contacts.values()]) {
      if (r.email) {
        emails.add(r.email.toLowerCase())
        for (const k of matchKeys({ email: r.email, phone: null })) keys.add(k)
      }
      if (r.phone) {
        phones.add(r.phone)
        for (const k of matchKeys({ email: null, phone: r.phone })) keys.add(k)
      }
      if (r.first_name) names.add(r.first_name)
      if (r.last_name) names.add(r.last_name)
    }
    if (leadIds.size + contactIds.size === size && round > 0) break
  }

  // An id asked for that names nothing is not part of the person.
  const existingLeads = [...leadIds].filter((id) => leads.has(id))
  const existingContacts = [...contactIds].filter((id) => contacts.has(id))
  if (options.lock) {
    await db.$queryRaw`SELECT 1 FROM lead WHERE id = ANY(${existingLeads}::uuid[]) ORDER BY id FOR UPDATE`
    await db.$queryRaw`SELECT 1 FROM contact WHERE id = ANY(${existingContacts}::uuid[]) ORDER BY id FOR UPDATE`
  }
  const mailboxes = [...keys].filter((k) => k.startsWith('email:')).map((k) => k.slice('email:'.length))
  return {
    subjectHash: subjectHashOf(n),
    leadIds: existingLeads.sort(),
    contactIds: existingContacts.sort(),
    identity: {
      emails: [...new Set([...emails, ...mailboxes])],
      phones: [...phones],
      names: [...names],
    },
  }
}
