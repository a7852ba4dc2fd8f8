import { Prisma } from '../../generated/prisma/client.js'
import type { Db, Tx } from '../../platform/database/prisma.js'

/*
 * The queries behind a privacy request's search (subject.ts): records that carry one of the
 * person's contact points, and the records linked to those by what the system itself recorded
 * as "the same person".
 */

export interface PersonRow {
  id: string
  email: string | null
  phone: string | null
  first_name: string | null
  last_name: string | null
}

export interface Found {
  leads: PersonRow[]
  contacts: PersonRow[]
}

export interface Ids {
  leadIds: string[]
  contactIds: string[]
}

export const NO_IDS: Ids = Object.freeze({ leadIds: [], contactIds: [] })

/**
 * The mailbox key of an address column, exactly as matchKeys() computes it for lead_match_key
 * (domain/dedupe/match-keys.rules.ts): trimmed and lower-cased; on gmail.com and googlemail.com
 * the user name loses its dots and its +tag and the domain reads gmail.com, unless that leaves
 * no user name. Contacts have no match-key rows, so their addresses are keyed here, in the
 * query, rather than by loading every Gmail contact to key them in JavaScript.
 */
function mailboxKeyOf(column: Prisma.Sql): Prisma.Sql {
  const address = Prisma.sql`lower(btrim(${column}))`
  // Greedy: everything before the last @, as lastIndexOf('@') in matchKeys().
  const user = Prisma.sql`replace(split_part(substring(${address} from '^(.*)@'), '+', 1), '.', '')`
  return Prisma.sql`CASE WHEN ${address} ~ '^.+@(gmail|googlemail)[.]com$' AND ${user} <> ''
    THEN ${user} || '@gmail.com' ELSE ${address} END`
}

/**
 * Leads and contacts that hold one of these mailboxes (keys as matchKeys() gives them, without
 * the `email:` prefix) or one of these phone numbers, compared as written.
 */
export async function matchContactPoints(
  db: Db | Tx,
  points: { mailboxes: readonly string[]; phones: readonly string[] },
): Promise<Ids> {
  const mailboxes = [...points.mailboxes]
  const phones = [...points.phones]
  if (mailboxes.length === 0 && phones.length === 0) return NO_IDS
  const keys = [...mailboxes.map((m) => `email:${m}`), ...phones.map((p) => `phone:${p}`)]
  const leads = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM lead
     WHERE id IN (SELECT lead_id FROM lead_match_key WHERE key = ANY(${keys}::text[]))
        OR ${mailboxKeyOf(Prisma.sql`email`)} = ANY(${mailboxes}::text[])
        OR phone = ANY(${phones}::text[])`
  const contacts = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM contact
     WHERE ${mailboxKeyOf(Prisma.sql`email`)} = ANY(${mailboxes}::text[])
        OR phone = ANY(${phones}::text[])`
  return { leadIds: leads.map((l) => l.id), contactIds: contacts.map((c) => c.id) }
}

/**
 * The records given and every record linked to them, to a fixed point: a duplicate lead and its
 * master (and the master's other duplicates), the contact a lead was converted into, and the
 * lead a contact came from. Ids that name no record are dropped.
 */
export async function followLinks(db: Db | Tx, seed: Ids): Promise<Found> {
  const leadIds = new Set(seed.leadIds)
  const contactIds = new Set(seed.contactIds)
  for (;;) {
    const size = leadIds.size + contactIds.size
    const L = [...leadIds]
    const C = [...contactIds]
    const leads = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM lead
       WHERE id = ANY(${L}::uuid[]) OR duplicate_of_id = ANY(${L}::uuid[])
          OR id IN (SELECT duplicate_of_id FROM lead WHERE id = ANY(${L}::uuid[]))
          OR id IN (SELECT lead_id FROM contact WHERE id = ANY(${C}::uuid[]))
          OR id IN (SELECT lead_id FROM lead_conversion WHERE contact_id = ANY(${C}::uuid[]))`
    const contacts = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM contact
       WHERE id = ANY(${C}::uuid[]) OR lead_id = ANY(${L}::uuid[])
          OR id IN (SELECT contact_id FROM lead_conversion WHERE lead_id = ANY(${L}::uuid[]))`
    for (const l of leads) leadIds.add(l.id)
    for (const c of contacts) contactIds.add(c.id)
    if (leadIds.size + contactIds.size === size) break
  }
  const [leads, contacts] = [[...leadIds], [...contactIds]]
  return {
    leads: await db.$queryRaw<PersonRow[]>`
      SELECT id::text, email, phone, first_name, last_name FROM lead WHERE id = ANY(${leads}::uuid[])`,
    contacts: await db.$queryRaw<PersonRow[]>`
      SELECT id::text, email, phone, first_name, last_name FROM contact WHERE id = ANY(${contacts}::uuid[])`,
  }
}
