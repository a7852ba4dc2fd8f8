import type { DraftLead } from '../../domain/lead/draft-lead.js'
import { scoreLead, type ScoreResult } from '../../domain/scoring/score.rules.js'
import type { StepContext } from './assess.js'

/** A new lead has no engagement yet: its first score is fit only. */
export function scoreStep(draft: DraftLead, ctx: StepContext): ScoreResult {
  return scoreLead({ lead: draft, engagement: {} }, ctx.rules.scoring)
}
