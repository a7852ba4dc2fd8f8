import { sdrContactRoute, type SdrContactRoute } from '../domain/consent/sdr-contact.rules.js'
import { openTaskOnce, type OpenJourneyTask, type TaskRow } from '../crm/tasks.js'
import { consentStateOf } from '../ingestion/consent-state.js'
import { fieldChanges, recordAudit } from '../platform/audit.js'
import type { Db } from '../platform/database/prisma.js'
import { NotFoundError } from '../platform/errors.js'
import { readConsentNow } from './consent-now.js'

/*
 * A journey's contact task (first contact, follow-up), which an SDR works by phone in
 * practice. Whether they may call is decided when the task opens, from consent, DND and
 * opt-out as they stand then, and the task keeps the consent record it relied on. A lead
 * that may not be called still gets its task, so the journey's SLA, escalation and attempt
 * count go on unchanged, but the task sends the SDR to email, or asks for a review when no
 * channel is allowed; the skipped call is audited with the consent record.
 */

const JOURNEY = { actor: { id: 'system:journey' } }

const TITLES: Record<SdrContactRoute['by'], Record<OpenJourneyTask['kind'], string>> = {
  // The titles journeys have always used: a call task reads as before.
  phone: {
    first_contact: 'First contact: the lead has not been reached yet',
    follow_up: 'Follow up: try to reach the lead again',
  },
  email: {
    first_contact: 'First contact by email: the lead has not been reached yet',
    follow_up: 'Follow up by email: try to reach the lead again',
  },
  none: {
    first_contact: 'Review the lead: it may not be contacted',
    follow_up: 'Review the lead: it may not be contacted',
  },
}

export type ContactTask = TaskRow & { contactBy: SdrContactRoute['by'] | null }

/**
 * Opens the task once per journey step (the key openJourneyTask uses, so a task opened
 * before this existed is found, not opened twice). The lead's row is locked first: a consent
 * change locks it too, so it commits wholly before the read below or after the task, never
 * in between.
 */
export async function openContactTask(db: Db, t: OpenJourneyTask): Promise<ContactTask> {
  const dedupeKey = `${t.workflowId}/${t.kind}/${t.cycle}/${t.attempt}`
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ owner_id: string | null; queue: string | null }[]>`
      SELECT owner_id, queue FROM lead WHERE id = ${t.leadId}::uuid FOR UPDATE`
    const lead = locked[0]
    if (!lead) throw new NotFoundError('lead', t.leadId)
    // Opened by an earlier attempt: it already records what it relied on.
    const existing = await tx.task.findUnique({ where: { dedupeKey } })
    if (existing) return { ...existing, contactBy: null }

    // A statement of its own, after the lock: it sees a consent change that committed while we waited.
    const consent = await readConsentNow(tx, t.leadId)
    if (!consent) throw new NotFoundError('lead', t.leadId)
    const route = sdrContactRoute(consentStateOf(consent), {
      email: consent.email !== null,
      phone: consent.phone !== null,
    })
    const task = await openTaskOnce(tx, {
      kind: t.kind,
      title: TITLES[route.by][t.kind],
      description: route.by === 'phone' ? null : route.reason,
      leadId: t.leadId,
      assigneeId: lead.owner_id,
      queue: lead.owner_id ? null : (lead.queue ?? 'unassigned'),
      dueAt: new Date(t.dueAt),
      workflowId: t.workflowId,
      dedupeKey,
      actorId: JOURNEY.actor.id,
      consentRecordId: consent.consentRecordId,
    })
    if (route.callBlock)
      await recordAudit(tx, JOURNEY, {
        entity: 'task',
        entityId: task.id,
        action: 'call_skipped',
        changes: fieldChanges(null, {
          leadId: t.leadId,
          skipReason: route.callBlock,
          contactBy: route.by,
          consentRecordId: consent.consentRecordId,
        }),
      })
    return { ...task, contactBy: route.by }
  })
}
