import { uuidv7 } from 'uuidv7'
import { recordAudit, type WriteContext } from '../../platform/audit.js'
import { asJson, type Tx } from '../../platform/database/prisma.js'
import type { Subject } from './subject.js'

export type PrivacyRequestKind = 'export' | 'erasure'

const AUDIT_ACTION: Record<PrivacyRequestKind, string> = { export: 'export', erasure: 'erase' }

/**
 * Records a data subject's request and its audit row, in the caller's transaction. Both
 * name the person by hash and their records by id, with counts: the record that an erasure
 * happened must not undo it.
 */
export async function recordPrivacyRequest(
  tx: Tx,
  ctx: WriteContext,
  request: { kind: PrivacyRequestKind; subject: Subject; summary: object; at: Date },
): Promise<{ id: string }> {
  const id = uuidv7()
  const { subject, summary, kind } = request
  await tx.privacyRequest.create({
    data: {
      id,
      kind,
      subjectHash: subject.subjectHash,
      leadIds: subject.leadIds,
      contactIds: subject.contactIds,
      requestedBy: ctx.actor.id,
      requestId: ctx.requestId ?? null,
      requestedAt: request.at,
      completedAt: new Date(),
      summary: asJson(summary),
    },
  })
  await recordAudit(tx, ctx, {
    entity: 'privacy_request',
    entityId: id,
    action: AUDIT_ACTION[kind],
    changes: {
      kind: { from: null, to: kind },
      subjectHash: { from: null, to: subject.subjectHash },
      leadIds: { from: null, to: subject.leadIds },
      contactIds: { from: null, to: subject.contactIds },
      summary: { from: null, to: summary },
    },
  })
  return { id }
}
