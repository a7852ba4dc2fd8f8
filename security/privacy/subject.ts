import { createHash } from 'node:crypto'
import { matchKeys } from '../../domain/dedupe/match-keys.rules.js'
import { normaliseCapture } from '../../domain/lead/normalise.rules.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import type { Identity } from './needles.js'
import { followLinks, matchContactPoints, type Found, type Ids, type PersonRow } from './subject-search.js'

/*
 * Who a privacy request is about: every lead and contact that is the person. The person is
 * named by an email, a phone, or a lead or contact id; email and phone are normalised
 * exactly as ingestion normalises a capture (lower case, E.164, Gmail's mailbox), so the
 * request finds what a capture of the same person would have matched.
 *
 * From there the search follows only the links the system recorded as "the same person": a
 * duplicate and its master, the contact a lead was converted into, the lead a contact came
 * from. Addresses found on those records are the person's too and are searched in turn,
 * by mailbox (leads through their match keys, contacts by the same key rules). A phone
 * number is matched only when the request names it: the one on a record may be an office
 * switchboard that colleagues share, and following it hands one person's data to another
 * or erases someone else. For the same reason name look-alikes that ingestion only
 * suggested (possible duplicates, never linked) are not followed.
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

const mailboxesOf = (keys: readonly string[]) =>
  keys.filter((k) => k.startsWith('email:')).map((k) => k.slice('email:'.length))

/** The mailbox keys of addresses found on records, lower-cased addresses and keys both. */
function addressesOf(rows: readonly PersonRow[]): { emails: string[]; mailboxes: string[] } {
  const emails = rows.flatMap((r) => (r.email ? [r.email.trim().toLowerCase()] : []))
  return { emails, mailboxes: mailboxesOf(emails.flatMap((email) => matchKeys({ email, phone: null }))) }
}

const merge = (...found: Found[]): Found => {
  const leads = new Map(found.flatMap((f) => f.leads).map((r) => [r.id, r]))
  const contacts = new Map(found.flatMap((f) => f.contacts).map((r) => [r.id, r]))
  return { leads: [...leads.values()], contacts: [...contacts.values()] }
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
  const named: Ids = {
    leadIds: n.leadId ? [n.leadId] : [],
    contactIds: n.contactId ? [n.contactId] : [],
  }
  // The person named by id or mailbox, and what is linked to them. Their records' other
  // addresses are theirs too (a master lead's work address, a converted contact's), so each
  // new one is searched in turn until none is left.
  const mailboxes = new Set(mailboxesOf(n.keys))
  let person: Found
  for (;;) {
    const found = await matchContactPoints(db, { mailboxes: [...mailboxes], phones: [] })
    person = await followLinks(db, {
      leadIds: [...named.leadIds, ...found.leadIds],
      contactIds: [...named.contactIds, ...found.contactIds],
    })
    const more = addressesOf([...person.leads, ...person.contacts]).mailboxes.filter((m) => !mailboxes.has(m))
    if (more.length === 0) break
    for (const m of more) mailboxes.add(m)
  }
  // A phone number is matched only when the request names it: one found on a record may be an
  // office switchboard that colleagues share. For the same reason, what the records found by
  // phone hold widens nothing.
  const phonesAsked = [
    ...new Set([
      n.phone,
      ...n.keys.filter((k) => k.startsWith('phone:')).map((k) => k.slice('phone:'.length)),
    ]),
  ].filter((p): p is string => !!p)
  const byPhone =
    phonesAsked.length > 0
      ? await followLinks(db, await matchContactPoints(db, { mailboxes: [], phones: phonesAsked }))
      : { leads: [], contacts: [] }
  const all = merge(person, byPhone)
  const rows = [...all.leads, ...all.contacts]
  const leadIds = all.leads.map((l) => l.id).sort()
  const contactIds = all.contacts.map((c) => c.id).sort()

  if (options.lock) {
    await db.$queryRaw`SELECT 1 FROM lead WHERE id = ANY(${leadIds}::uuid[]) ORDER BY id FOR UPDATE`
    await db.$queryRaw`SELECT 1 FROM contact WHERE id = ANY(${contactIds}::uuid[]) ORDER BY id FOR UPDATE`
  }
  const addresses = addressesOf(rows)
  return {
    subjectHash: subjectHashOf(n),
    leadIds,
    contactIds,
    identity: {
      emails: [
        ...new Set([
          ...(n.email ? [n.email] : []),
          ...addresses.emails,
          ...mailboxes,
          ...addresses.mailboxes,
        ]),
      ],
      phones: [...new Set([...phonesAsked, ...rows.flatMap((r) => (r.phone ? [r.phone] : []))])],
      names: [...new Set(rows.flatMap((r) => [r.first_name, r.last_name]).filter((x): x is string => !!x))],
    },
  }
}
