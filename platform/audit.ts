import type { Actor } from '../domain/lead/lead-capture.js'
import type { Tx } from './database/prisma.js'

/*
 * The audit trail: one append-only row per write, in the same transaction as the write,
 * naming who did it, in which request, and each changed field's value before and after.
 * The table refuses UPDATE and DELETE (a trigger), so history cannot be rewritten.
 */

/** Who is writing and in which request: passed to every write in crm/. */
export interface WriteContext {
  actor: Actor
  /** The API request id (or workflow/activity id) the write belongs to. */
  requestId?: string | null | undefined
}

export interface FieldChange {
  from: unknown
  to: unknown
}

export interface AuditEntry {
  /** account, contact, opportunity, task, order, invoice, payment, ticket, contract, … */
  entity: string
  entityId: string
  /** create, update, deactivate, reactivate, stage_change, won, lost, complete, snooze, … */
  action: string
  /** Per-field changes for updates; for creates, the created values as `{ from: null, to }`. */
  changes: Record<string, FieldChange>
}

/** Dates, decimals and bigints as the strings an auditor reads (and JSON can hold). */
export function auditValue(value: unknown): unknown {
  if (value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'bigint') return value.toString()
  if (value !== null && typeof value === 'object' && 'toFixed' in value && 'isZero' in value)
    return String(value) // Prisma.Decimal
  if (Array.isArray(value)) return value.map(auditValue)
  return value
}

/**
 * The fields whose value differs between two versions of a record, each with its before and
 * after. Only the keys of `after` are compared: callers pass what a write set.
 */
export function fieldChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {}
  for (const [field, next] of Object.entries(after)) {
    if (next === undefined) continue
    const from = auditValue(before ? before[field] : null)
    const to = auditValue(next)
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to }
  }
  return changes
}

/** Appends one audit row. An update that changed nothing records nothing. */
export async function recordAudit(tx: Tx, ctx: WriteContext, e: AuditEntry): Promise<void> {
  if (e.action === 'update' && Object.keys(e.changes).length === 0) return
  await tx.auditEvent.create({
    data: {
      entity: e.entity,
      entityId: e.entityId,
      action: e.action,
      actorId: ctx.actor.id,
      requestId: ctx.requestId ?? null,
      changes: JSON.parse(JSON.stringify(e.changes)) as object,
    },
  })
}
