import type { Prisma } from '../../generated/prisma/client.js'
import { canonicalJson } from '../../ingestion/idempotency.js'
import { enqueue } from '../../ingestion/outbox/outbox.repository.js'
import { leadJourneyId } from '../../workflows/lead-journey.messages.js'
import { recordAudit, type WriteContext } from '../../platform/audit.js'
import { asJson, type Db, type Tx } from '../../platform/database/prisma.js'
import { destroyPayloadKeys } from '../../platform/temporal/payload-keys.js'
import * as anonymise from './anonymise.js'
import { scrubOwnRecordChanges, scrubRelatedRecordChanges } from './audit-scrub.js'
import { loadHoldings, type Holdings } from './holdings.js'
import { plainJson } from './plain-json.js'
import { recordPrivacyRequest } from './privacy-request.js'
import { findSubject, type Subject, type SubjectQuery } from './subject.js'

/*
 * The right to erasure (GDPR Art. 17), as anonymisation: in one transaction every value that
 * identifies the person is removed from every row that holds one (see anonymise.ts for what
 * each row keeps), their match keys and stored idempotent answers are deleted, the audit
 * trail of their records keeps its field names but not their values, each lead's journey
 * is terminated through the outbox, and the keys their Temporal payloads were encrypted with
 * are destroyed. The rows themselves stay, so reports count the same.
 *
 * Kept on purpose: issued invoices (buyer and seller as printed) and payments, which tax law
 * requires unchanged (Art. 17(3)(b)); and the fact that consent was given or withdrawn and
 * when (Art. 7(1), 17(3)(e)).
 */

export interface ErasureResult {
  privacyRequestId: string
  subject: { subjectHash: string; leadIds: string[]; contactIds: string[] }
  /** Rows changed per table (a second erasure of the same person changes none). */
  anonymised: Record<string, number>
  deleted: Record<string, number>
  /** Journeys told to stop (`lead/<id>`), through the outbox. */
  terminatedJourneys: string[]
  /**
   * Subjects whose Temporal payload keys were destroyed (`lead:<id>`, `account:<id>`): their
   * workflow histories can no longer be decoded. The caller drops its cached copies.
   */
  destroyedPayloadKeys: string[]
}

// Key order does not count: jsonb stores an object's keys in its own order.
const same = (a: unknown, b: unknown) => canonicalJson(plainJson(a)) === canonicalJson(plainJson(b))

/** Writes the fields of `patch` that differ from the row; returns how many rows changed. */
async function applyPatches<R extends object>(
  rows: readonly R[],
  patch: (row: R) => Record<string, unknown>,
  write: (row: R, data: Record<string, unknown>) => Promise<unknown>,
): Promise<number> {
  let changed = 0
  for (const row of rows) {
    const data = Object.fromEntries(
      Object.entries(patch(row)).filter(([k, v]) => !same((row as Record<string, unknown>)[k], v)),
    )
    if (Object.keys(data).length === 0) continue
    await write(row, data)
    changed++
  }
  return changed
}

/** Prisma's JSON inputs take a JSON value, not `unknown`. */
const json = (data: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, v !== null && typeof v === 'object' ? asJson(v) : v]),
  )

async function anonymiseRows(tx: Tx, h: Holdings, ctx: WriteContext) {
  const n = h.needles
  const by = ctx.actor.id
  const a = anonymise
  return {
    leads: await applyPatches(
      h.leads,
      (r) => a.leadPatch(r, n),
      (r, d) =>
        tx.lead.update({
          where: { id: r.id },
          data: { ...json(d), updatedBy: by } as Prisma.LeadUpdateInput,
        }),
    ),
    contacts: await applyPatches(h.contacts, a.contactPatch, (r, d) =>
      tx.contact.update({ where: { id: r.id }, data: { ...d, updatedBy: by } }),
    ),
    touches: await applyPatches(
      h.touches,
      (r) => a.touchPatch(r, n),
      (r, d) => tx.touch.update({ where: { id: r.id }, data: d }),
    ),
    consentRecords: await applyPatches(
      h.consentRecords,
      (r) => a.consentPatch(r, n),
      (r, d) => tx.consentRecord.update({ where: { id: r.id }, data: d }),
    ),
    rawCaptures: await applyPatches(h.rawCaptures, a.rawCapturePatch, (r, d) =>
      tx.rawCapture.update({ where: { id: r.id }, data: json(d) }),
    ),
    decisions: await applyPatches(
      h.decisions,
      (r) => a.decisionPatch(r, n),
      (r, d) => tx.leadDecision.update({ where: { id: r.id }, data: json(d) }),
    ),
    activities: await applyPatches(
      h.activities,
      (r) => a.activityPatch(r, n),
      (r, d) => tx.activity.update({ where: { id: r.id }, data: json(d) }),
    ),
    tasks: await applyPatches(
      h.tasks,
      (r) => a.taskPatch(r, n),
      (r, d) => tx.task.update({ where: { id: r.id }, data: { ...d, updatedBy: by } }),
    ),
    outboundMessages: await applyPatches(
      h.outboundMessages,
      (r) => a.outboundMessagePatch(r, n),
      (r, d) => tx.outboundMessage.update({ where: { id: r.id }, data: d }),
    ),
    whatsappMessages: await applyPatches(
      h.whatsappMessages,
      (r) => a.whatsappPatch(r, n),
      (r, d) => tx.whatsAppOutgoing.update({ where: { id: r.id }, data: d }),
    ),
    qualifications: await applyPatches(
      h.qualifications,
      (r) => a.qualificationPatch(r, n),
      (r, d) => tx.leadQualification.update({ where: { leadId: r.leadId }, data: json(d) }),
    ),
    conversions: await applyPatches(
      h.conversions,
      (r) => a.conversionPatch(r, n),
      (r, d) => tx.leadConversion.update({ where: { leadId: r.leadId }, data: json(d) }),
    ),
    opportunities: await applyPatches(
      h.opportunities,
      (r) => a.opportunityPatch(r, n),
      (r, d) => tx.opportunity.update({ where: { id: r.id }, data: { ...d, updatedBy: by } }),
    ),
    tickets: await applyPatches(
      h.tickets,
      (r) => a.ticketPatch(r, n),
      (r, d) => tx.ticket.update({ where: { id: r.id }, data: { ...d, updatedBy: by } }),
    ),
    personalAccounts: await applyPatches(
      h.personalAccounts,
      (r) => a.personalAccountPatch(r, n),
      (r, d) => tx.account.update({ where: { id: r.id }, data: { ...d, updatedBy: by } }),
    ),
    inboundDeliveries: await applyPatches(
      h.inboundDeliveries,
      (r) => a.inboundDeliveryPatch(r, n),
      (r, d) =>
        tx.inboundDelivery.update({
          where: { connectorId_deliveryKey: { connectorId: r.connectorId, deliveryKey: r.deliveryKey } },
          data: json(d),
        }),
    ),
    importRowErrors: await applyPatches(
      h.importRowErrors,
      (r) => a.importRowErrorPatch(r, n),
      (r, d) =>
        tx.importRowError.update({
          where: { jobId_rowNumber: { jobId: r.jobId, rowNumber: r.rowNumber } },
          data: json(d),
        }),
    ),
  }
}

/** The audit trail of the person's records: field names stay, values that describe them go. */
async function scrubAuditTrail(tx: Tx, h: Holdings): Promise<number> {
  // The one transaction in which audit_event accepts an UPDATE (of `changes` only).
  await tx.$executeRaw`SELECT set_config('leadwire.erasure', 'on', true)`
  const own = new Set(['lead', 'contact', 'task', 'activity'])
  return applyPatches(
    h.auditEvents,
    (e) => ({
      changes: own.has(e.entity)
        ? scrubOwnRecordChanges(e.changes, h.needles)
        : scrubRelatedRecordChanges(e.changes, h.needles),
    }),
    (e, d) => tx.auditEvent.update({ where: { id: e.id }, data: json(d) }),
  )
}

/** Stored answers to idempotent requests that name the person or their leads. */
async function deleteIdempotentAnswers(tx: Tx, s: Subject): Promise<number> {
  const tails = s.identity.phones.map((p) => p.replace(/\D/g, '').slice(-10)).filter((t) => t.length >= 7)
  return tx.$executeRaw`
    DELETE FROM idempotency_key
     WHERE response->>'id' = ANY(${s.leadIds}::text[])
        OR response->>'leadId' = ANY(${s.leadIds}::text[])
        OR EXISTS (SELECT 1 FROM unnest(${s.identity.emails}::text[]) e WHERE strpos(lower(response::text), e) > 0)
        OR EXISTS (SELECT 1 FROM unnest(${tails}::text[]) t
                    WHERE strpos(regexp_replace(response::text, '[\\s().-]', '', 'g'), t) > 0)`
}

/**
 * Journeys stop through the outbox, after this commits. Events still waiting for these leads
 * would otherwise start or wake a journey after its termination (a capture's start event
 * relayed in the same batch as the termination), so they are marked done unsent.
 */
async function stopJourneys(tx: Tx, ctx: WriteContext, leadIds: string[]): Promise<number> {
  const superseded = await tx.$executeRaw`
    UPDATE outbox_event SET dispatched_at = now(), locked_until = NULL, last_error = 'superseded: the lead was erased'
     WHERE dispatched_at IS NULL AND (topic LIKE 'lead.%' OR topic LIKE 'task.%') AND topic <> 'lead.erased'
       AND (aggregate_id = ANY(${leadIds}::text[]) OR payload->>'leadId' = ANY(${leadIds}::text[]))`
  for (const leadId of leadIds)
    await enqueue(tx, 'lead.erased', leadId, { leadId }, ctx.requestId ?? undefined)
  return superseded
}

export async function eraseSubject(
  db: Db,
  ctx: WriteContext,
  query: SubjectQuery,
  options: { defaultCountry: string; now?: Date },
): Promise<ErasureResult> {
  const at = options.now ?? new Date()
  return db.$transaction(
    async (tx) => {
      // The touch ledger refuses every change but erasure's (migration `guarantees`).
      await tx.$queryRaw`SELECT set_config('leadwire.erasing', 'on', true)`
      const subject = await findSubject(tx, query, { ...options, lock: true })
      const holdings = await loadHoldings(tx, subject)
      const anonymised = await anonymiseRows(tx, holdings, ctx)
      const deleted = {
        matchKeys: (await tx.leadMatchKey.deleteMany({ where: { leadId: { in: subject.leadIds } } })).count,
        idempotencyKeys: await deleteIdempotentAnswers(tx, subject),
      }
      const auditEvents = await scrubAuditTrail(tx, holdings)
      const supersededEvents = await stopJourneys(tx, ctx, subject.leadIds)
      // What Temporal holds of them (journey inputs, signals, SDRs' notes, conversion
      // details) was encrypted under these keys: without them it is noise, on every server
      // and in every backup of it.
      const payloadSubjects = [
        ...subject.leadIds.map((id) => `lead:${id}`),
        ...holdings.personalAccounts.map((a) => `account:${a.id}`),
      ]
      const payloadKeys = await destroyPayloadKeys(tx, payloadSubjects, at)
      const summary = {
        anonymised: { ...anonymised, auditEvents },
        deleted: { ...deleted, pendingOutboxEvents: supersededEvents, payloadKeys },
      }
      const { id } = await recordPrivacyRequest(tx, ctx, { kind: 'erasure', subject, summary, at })
      // Each record's own history shows that it was erased, and by which request.
      for (const [entity, ids] of [
        ['lead', subject.leadIds],
        ['contact', subject.contactIds],
      ] as const)
        for (const entityId of ids)
          await recordAudit(tx, ctx, {
            entity,
            entityId,
            action: 'erase',
            changes: { privacyRequestId: { from: null, to: id } },
          })
      return {
        privacyRequestId: id,
        subject: {
          subjectHash: subject.subjectHash,
          leadIds: subject.leadIds,
          contactIds: subject.contactIds,
        },
        anonymised: summary.anonymised,
        deleted: summary.deleted,
        terminatedJourneys: subject.leadIds.map(leadJourneyId),
        destroyedPayloadKeys: payloadSubjects,
      }
    },
    { maxWait: 10_000, timeout: 120_000 },
  )
}
