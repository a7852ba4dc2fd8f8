import type { Actor } from '../domain/lead/lead-capture.js'
import { fieldChanges, recordAudit, type FieldChange } from '../platform/audit.js'
import type { Tx } from '../platform/database/prisma.js'

/*
 * Audit rows for lead writes (entity 'lead'), each in the transaction of the write it
 * records. Personal values are kept as written: a privacy erasure scrubs them from the
 * trail along with the lead.
 */

export interface LeadWriteContext {
  actor: Actor
  requestId?: string | null | undefined
}

export async function auditLead(
  tx: Tx,
  ctx: LeadWriteContext,
  leadId: string,
  action: string,
  changes: Record<string, FieldChange>,
): Promise<void> {
  await recordAudit(tx, ctx, { entity: 'lead', entityId: leadId, action, changes })
}

/**
 * A new lead's audit row as the columns of the capture's one INSERT statement
 * (persist.ts): the created values, nulls left out.
 */
export function leadCreatedChanges(values: Record<string, unknown>): string {
  return JSON.stringify(fieldChanges(null, values))
}
