import type { Db, Tx } from '../../platform/database/prisma.js'
import { needlesFor, type Needles } from './needles.js'
import type { Subject } from './subject.js'

/*
 * Everything held about a person, table by table: what an export hands over and what an
 * erasure goes through. Rows are found by their links to the person's leads and contacts;
 * the few tables without such a link (the WhatsApp queue, import errors) are searched for
 * the person's email addresses and phone numbers.
 */

/** The suffix conversion gives an account created for a person rather than a company. */
export const INDIVIDUAL_ACCOUNT_SUFFIX = '(individual)'

/** The last ten digits of a phone: what a typed number and the stored E.164 share. */
const phoneTail = (phone: string) => phone.replace(/\D/g, '').slice(-10)

export async function loadHoldings(db: Db | Tx, s: Subject) {
  const { leadIds, contactIds } = s
  const needles = needlesFor(s.identity)
  const byLead = { leadId: { in: leadIds } }
  const byLeadOrContact = { OR: [{ leadId: { in: leadIds } }, { contactId: { in: contactIds } }] }
  const leads = await db.lead.findMany({ where: { id: { in: leadIds } }, orderBy: { createdAt: 'asc' } })
  const matchKeys = await db.leadMatchKey.findMany({ where: byLead, orderBy: { key: 'asc' } })
  const rawCaptures = await db.rawCapture.findMany({ where: byLead, orderBy: { id: 'asc' } })
  const touches = await db.touch.findMany({ where: byLead, orderBy: { id: 'asc' } })
  const consentRecords = await db.consentRecord.findMany({
    where: byLead,
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  })
  const decisions = await db.leadDecision.findMany({ where: byLead, orderBy: { id: 'asc' } })
  const activities = await db.activity.findMany({ where: byLeadOrContact, orderBy: { occurredAt: 'asc' } })
  const tasks = await db.task.findMany({ where: byLeadOrContact, orderBy: { createdAt: 'asc' } })
  const outboundMessages = await db.outboundMessage.findMany({ where: byLead, orderBy: { createdAt: 'asc' } })
  const qualifications = await db.leadQualification.findMany({ where: byLead })
  const conversions = await db.leadConversion.findMany({ where: byLead })
  const inboundDeliveries = await db.inboundDelivery.findMany({
    where: byLead,
    orderBy: { receivedAt: 'asc' },
  })
  const contacts = await db.contact.findMany({
    where: { id: { in: contactIds } },
    orderBy: { createdAt: 'asc' },
  })
  const opportunities = await db.opportunity.findMany({
    where: byLeadOrContact,
    orderBy: { createdAt: 'asc' },
  })
  const tickets = await db.ticket.findMany({
    where: { contactId: { in: contactIds } },
    orderBy: { createdAt: 'asc' },
  })
  const accountIds = [...new Set(contacts.map((c) => c.accountId))]
  const personalAccounts = await findPersonalAccounts(db, accountIds, contactIds, needles)
  const whatsappMessages = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM whatsapp_outgoing
     WHERE to_e164 = ANY(${s.identity.phones}::text[])
        OR idempotency_key LIKE ANY(${leadIds.map((id) => `${id}/%`)}::text[])`.then((rows) =>
    db.whatsAppOutgoing.findMany({
      where: { id: { in: rows.map((r) => r.id) } },
      orderBy: { createdAt: 'asc' },
    }),
  )
  const importRowErrors = (await findImportRowErrors(db, s)).filter((r) =>
    needles.matches(JSON.stringify([r.raw, r.errors])),
  )
  const ids = {
    lead: leadIds,
    contact: contactIds,
    task: tasks.map((t) => t.id),
    activity: activities.map((a) => a.id),
    opportunity: opportunities.map((o) => o.id),
    ticket: tickets.map((t) => t.id),
    account: personalAccounts.map((a) => a.id),
  }
  const auditEvents = await db.auditEvent.findMany({
    where: { OR: Object.entries(ids).map(([entity, list]) => ({ entity, entityId: { in: list } })) },
    orderBy: { id: 'asc' },
  })
  return {
    needles,
    leads,
    matchKeys,
    rawCaptures,
    touches,
    consentRecords,
    decisions,
    activities,
    tasks,
    outboundMessages,
    whatsappMessages,
    qualifications,
    conversions,
    inboundDeliveries,
    contacts,
    opportunities,
    tickets,
    personalAccounts,
    importRowErrors,
    auditEvents,
  }
}

export type Holdings = Awaited<ReturnType<typeof loadHoldings>>

/**
 * Accounts that are the person rather than a company: converted without a company
 * ("Asha Rao (individual)"), or whose every contact is the person and whose name or domain
 * is theirs (a one-person business at asharao.in). A company's account is shared by its
 * other contacts and stays as it is.
 */
async function findPersonalAccounts(
  db: Db | Tx,
  accountIds: string[],
  contactIds: string[],
  needles: Needles,
) {
  const accounts = await db.account.findMany({
    where: { id: { in: accountIds } },
    include: { contacts: { select: { id: true } } },
  })
  const mine = new Set(contactIds)
  return accounts
    .filter(
      (a) =>
        (a.name.endsWith(INDIVIDUAL_ACCOUNT_SUFFIX) && needles.matches(a.name)) ||
        (a.contacts.every((c) => mine.has(c.id)) && needles.matches(`${a.name} ${a.domain ?? ''}`)),
    )
    .map(({ contacts: _contacts, ...account }) => account)
}

/** Import rows that failed to become a lead: no link to anyone, so found by their text. */
async function findImportRowErrors(db: Db | Tx, s: Subject) {
  const emails = s.identity.emails
  const tails = s.identity.phones.map(phoneTail).filter((t) => t.length >= 7)
  if (emails.length === 0 && tails.length === 0) return []
  const rows = await db.$queryRaw<{ job_id: string; row_number: number }[]>`
    SELECT job_id::text, row_number FROM import_row_error
     WHERE EXISTS (SELECT 1 FROM unnest(${emails}::text[]) e WHERE strpos(lower(raw::text), e) > 0)
        OR EXISTS (SELECT 1 FROM unnest(${tails}::text[]) t
                    WHERE strpos(regexp_replace(raw::text, '[\\s().-]', '', 'g'), t) > 0)`
  if (rows.length === 0) return []
  return db.importRowError.findMany({
    where: { OR: rows.map((r) => ({ jobId: r.job_id, rowNumber: r.row_number })) },
  })
}

/** Per-table row counts: a request's summary, never the data itself. */
export function countsOf(h: Holdings): Record<string, number> {
  const { needles: _needles, ...tables } = h
  return Object.fromEntries(Object.entries(tables).map(([k, rows]) => [k, rows.length]))
}
