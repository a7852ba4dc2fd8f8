import type { WriteContext } from '../../platform/audit.js'
import type { Db } from '../../platform/database/prisma.js'
import { countsOf, loadHoldings, type Holdings } from './holdings.js'
import { plainRows } from './plain-json.js'
import { recordPrivacyRequest } from './privacy-request.js'
import { findSubject, type SubjectQuery } from './subject.js'

/*
 * The right of access (GDPR Art. 15) and to portability (Art. 20): everything held about a
 * person, as JSON, read in one snapshot so the parts agree with each other. The request is
 * recorded (privacy_request, audit_event) in the same transaction, naming the person only by
 * hash and their records by id.
 */

export type ExportData = Record<Exclude<keyof Holdings, 'needles'>, Record<string, unknown>[]>

export interface SubjectExport {
  privacyRequestId: string
  generatedAt: string
  subject: { subjectHash: string; leadIds: string[]; contactIds: string[] }
  counts: Record<string, number>
  data: ExportData
}

/**
 * An assignment decision keeps the state it was made on (who was available, their loads,
 * capacities and weights) so it can be replayed: that is about the team, not the person,
 * and is left out of what the person receives.
 */
function withoutColleagues<D extends { inputs: unknown }>(decision: D): D {
  const inputs = decision.inputs
  if (inputs === null || typeof inputs !== 'object' || !('state' in inputs)) return decision
  const { state: _state, ...rest } = inputs as Record<string, unknown>
  return { ...decision, inputs: rest }
}

export async function exportSubject(
  db: Db,
  ctx: WriteContext,
  query: SubjectQuery,
  options: { defaultCountry: string; now?: Date },
): Promise<SubjectExport> {
  const at = options.now ?? new Date()
  return db.$transaction(
    async (tx) => {
      const subject = await findSubject(tx, query, options)
      const { needles: _needles, ...holdings } = await loadHoldings(tx, subject)
      const counts = countsOf({ needles: _needles, ...holdings })
      const tables = { ...holdings, decisions: holdings.decisions.map(withoutColleagues) }
      const { id } = await recordPrivacyRequest(tx, ctx, {
        kind: 'export',
        subject,
        summary: { counts },
        at,
      })
      const data = Object.fromEntries(
        Object.entries(tables).map(([table, rows]) => [table, plainRows(rows)]),
      ) as ExportData
      return {
        privacyRequestId: id,
        generatedAt: at.toISOString(),
        subject: {
          subjectHash: subject.subjectHash,
          leadIds: subject.leadIds,
          contactIds: subject.contactIds,
        },
        counts,
        data,
      }
    },
    { isolationLevel: 'RepeatableRead', maxWait: 10_000, timeout: 60_000 },
  )
}
