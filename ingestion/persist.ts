import { uuidv7 } from 'uuidv7'
import type { Actor, LeadCapture } from '../domain/lead/lead-capture.js'
import type { Db } from '../platform/database/prisma.js'
import { enqueue } from './outbox/outbox.repository.js'

export interface PersistedLead {
  id: string
  status: string
  createdAt: Date
}

/**
 * Writes the lead and its `lead.captured` outbox event in one transaction: a saved lead
 * is always a lead whose journey starts, even if Temporal is down right now.
 */
export async function persistLead(
  db: Db,
  capture: LeadCapture,
  actor: Actor,
  requestId: string | undefined,
): Promise<PersistedLead> {
  // UUIDv7: time-ordered, so inserts stay at the right edge of the primary-key index.
  const id = uuidv7()
  return db.$transaction(async (tx) => {
    const lead = await tx.lead.create({
      data: {
        id,
        channel: capture.channel,
        firstName: capture.firstName ?? null,
        lastName: capture.lastName ?? null,
        email: capture.email ?? null,
        phone: capture.phone ?? null,
        company: capture.company ?? null,
        createdBy: actor.id,
        updatedBy: actor.id,
      },
      select: { id: true, status: true, createdAt: true },
    })
    await enqueue(tx, 'lead.captured', id, { leadId: id }, requestId)
    return lead
  })
}
