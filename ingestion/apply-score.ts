import type { DraftLead } from '../domain/lead/draft-lead.js'
import type { ScoreResult } from '../domain/scoring/score.rules.js'
import type { Prisma } from '../generated/prisma/client.js'
import { asJson, type Tx } from '../platform/database/prisma.js'

/**
 * Stores a recalculated score on a lead (with any field changes that caused it) and the
 * score decision beside it: every rescoring, whatever triggered it, leaves the inputs and
 * the rule version that produced it.
 */
export async function applyScore(
  tx: Tx,
  input: {
    leadId: string
    score: ScoreResult
    scoredLead: DraftLead
    engagement: Record<string, number>
    cause: string
    actorId: string
    at: Date
    changes?: Prisma.LeadUpdateInput
  },
) {
  const { score } = input
  const updated = await tx.lead.update({
    where: { id: input.leadId },
    data: {
      ...(input.changes ?? {}),
      engagement: asJson(input.engagement),
      score: score.score,
      scoreBreakdown: asJson(score.breakdown),
      scoreExplanation: score.explanation,
      scoreRuleVersion: score.version,
      updatedBy: input.actorId,
    },
  })
  await tx.leadDecision.create({
    data: {
      leadId: input.leadId,
      kind: 'score',
      ruleVersion: score.version,
      inputs: asJson({
        lead: input.scoredLead,
        engagement: input.engagement,
        cause: input.cause,
        by: input.actorId,
      }),
      outcome: asJson(score),
      decidedAt: input.at,
    },
  })
  return updated
}
