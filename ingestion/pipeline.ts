import type { Actor, LeadCapture } from '../domain/lead/lead-capture.js'
import type { Db } from '../platform/database/prisma.js'
import { persistLead, type PersistedLead } from './persist.js'

export interface Ingestion {
  /** The one governed path every channel's lead takes into Leadwire. */
  capture(capture: LeadCapture, actor: Actor, requestId?: string): Promise<PersistedLead>
}

export function createIngestion(deps: { db: Db }): Ingestion {
  return {
    capture(capture, actor, requestId) {
      return persistLead(deps.db, capture, actor, requestId)
    },
  }
}
