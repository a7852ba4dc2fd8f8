import { marketingChannels } from '../../ingestion/consent-state.js'
import type { Db } from '../../platform/database/prisma.js'
import { findSubject, type SubjectQuery } from './subject.js'

/*
 * A person's consent as the controller must be able to show it (GDPR Art. 7(1)): every
 * record of what they agreed to or withdrew, where and with which wording, oldest first,
 * and what that means now on each of their leads and contacts (opt-out, DND, and whether
 * marketing may go out on each nurture channel). A contact carries its lead's consent at
 * conversion; later changes are recorded on the lead's history.
 */

const iso = (d: Date | null) => d?.toISOString() ?? null

export async function consentHistory(db: Db, query: SubjectQuery, options: { defaultCountry: string }) {
  const subject = await findSubject(db, query, options)
  const [records, leads, contacts] = await Promise.all([
    db.consentRecord.findMany({
      where: { leadId: { in: subject.leadIds } },
      orderBy: [{ at: 'asc' }, { recordedAt: 'asc' }, { id: 'asc' }],
    }),
    db.lead.findMany({ where: { id: { in: subject.leadIds } }, orderBy: { createdAt: 'asc' } }),
    db.contact.findMany({ where: { id: { in: subject.contactIds } }, orderBy: { createdAt: 'asc' } }),
  ])
  return {
    subject: { subjectHash: subject.subjectHash, leadIds: subject.leadIds, contactIds: subject.contactIds },
    records: records.map((r) => ({
      id: r.id.toString(),
      leadId: r.leadId,
      status: r.status,
      channels: r.channels,
      source: r.source,
      textVersion: r.textVersion,
      text: r.text,
      at: r.at.toISOString(),
      dnd: r.dnd,
      recordedAt: r.recordedAt.toISOString(),
      recordedBy: r.recordedBy,
    })),
    current: {
      leads: leads.map((l) => ({
        leadId: l.id,
        isDuplicate: l.isDuplicate,
        consentStatus: l.consentStatus,
        consentChannels: l.consentChannels,
        optInAt: iso(l.optInAt),
        optOutAt: iso(l.optOutAt),
        optOutReason: l.optOutReason,
        dnd: l.dnd,
        marketing: marketingChannels(l),
      })),
      contacts: contacts.map((c) => ({
        contactId: c.id,
        consentStatus: c.consentStatus,
        consentChannels: c.consentChannels,
        optOutAt: iso(c.optOutAt),
        dnd: c.dnd,
        isActive: c.isActive,
      })),
    },
  }
}
