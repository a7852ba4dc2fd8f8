import { MERGEABLE_FIELDS, mergeLeads } from '../../domain/dedupe/merge.rules.js'
import type { DraftLead } from '../../domain/lead/draft-lead.js'
import type { Actor } from '../../domain/lead/lead-capture.js'
import { engagementEventForCapture } from '../../domain/scoring/capture-engagement.rules.js'
import { scoreLead } from '../../domain/scoring/score.rules.js'
import type { ScoringRuleSet } from '../../domain/scoring/scoring-rules.js'
import type { Tx } from '../../platform/database/prisma.js'

/** A master as a fold starts from: its stored fields and engagement counters. */
export interface FoldMaster {
  draft: DraftLead
  engagement: Record<string, number>
}

const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/**
 * Folds a batch's linked duplicates into their masters in row order, with the single path's
 * merge policy (persist.ts foldIntoMaster): empty master fields filled, each capture counted
 * as engagement, the master rescored, and a score decision per fold. The arithmetic runs in
 * memory, one fold after another on the same master; the masters are written back in one
 * UPDATE and the decisions in one INSERT. The caller holds the masters' row locks.
 */
export async function foldDuplicates(
  tx: Tx,
  input: {
    folds: { masterId: string; duplicate: DraftLead }[]
    masters: Map<string, FoldMaster>
    scoring: ScoringRuleSet
    actor: Actor
  },
): Promise<void> {
  if (input.folds.length === 0) return
  const changed = new Map<
    string,
    { patch: Partial<DraftLead>; engagement: Record<string, number>; score: ReturnType<typeof scoreLead> }
  >()
  const decisions: object[] = []
  for (const { masterId, duplicate } of input.folds) {
    const master = input.masters.get(masterId)
    if (!master) throw new Error(`master lead ${masterId} vanished during the import`)
    const { patch } = mergeLeads(master.draft, duplicate)
    const engagement = { ...master.engagement }
    const event = engagementEventForCapture(duplicate.channel)
    engagement[event] = (engagement[event] ?? 0) + 1
    const merged = { ...master.draft, ...patch }
    const score = scoreLead({ lead: merged, engagement }, input.scoring)
    input.masters.set(masterId, { draft: merged, engagement })
    const previous = changed.get(masterId)
    changed.set(masterId, { patch: { ...previous?.patch, ...patch }, engagement, score })
    decisions.push({
      lead_id: masterId,
      kind: 'score',
      rule_version: score.version,
      inputs: {
        lead: merged,
        engagement,
        cause: `duplicate capture (${duplicate.channel})`,
        by: input.actor.id,
      },
      outcome: score,
      decided_at: new Date(duplicate.receivedAt),
    })
  }

  const updates = [...changed].map(([id, c]) => {
    const row: Record<string, unknown> = {
      id,
      engagement: c.engagement,
      score: c.score.score,
      score_breakdown: c.score.breakdown,
      score_explanation: c.score.explanation,
      score_rule_version: c.score.version,
    }
    for (const field of MERGEABLE_FIELDS) {
      if (c.patch[field] !== undefined) row[column(field)] = c.patch[field]
    }
    return row
  })
  const fields = MERGEABLE_FIELDS.map(column)
  const sets = fields.map((f) => `"${f}" = COALESCE(u."${f}", l."${f}")`).join(', ')
  const types = fields.map((f) => `"${f}" ${f === 'annual_revenue' ? 'numeric' : 'text'}`).join(', ')
  await tx.$executeRawUnsafe(
    `UPDATE lead l SET ${sets}, engagement = u.engagement, score = u.score, score_breakdown = u.score_breakdown,
            score_explanation = u.score_explanation, score_rule_version = u.score_rule_version,
            updated_by = $2, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, engagement jsonb, score int, score_breakdown jsonb,
            score_explanation text, score_rule_version int, ${types})
      WHERE l.id = u.id`,
    JSON.stringify(updates),
    input.actor.id,
  )
  await tx.$executeRawUnsafe(
    `INSERT INTO lead_decision (lead_id, kind, rule_version, inputs, outcome, decided_at)
     SELECT lead_id, kind, rule_version, inputs, outcome, decided_at
       FROM jsonb_to_recordset($1::jsonb) AS d(lead_id uuid, kind text, rule_version int, inputs jsonb,
            outcome jsonb, decided_at timestamptz)`,
    JSON.stringify(decisions),
  )
}
