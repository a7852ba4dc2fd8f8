import {
  DEFAULT_PIPELINE_SETTINGS,
  parsePipelineSettings,
  type PipelineSettings,
} from '../domain/opportunity/pipeline-settings.rules.js'
import { probabilityFor, type OpportunityStage } from '../domain/opportunity/pipeline.rules.js'
import type { Db, Tx } from '../platform/database/prisma.js'

/*
 * The active pipeline settings (rule_set kind "pipeline", saved through /v1/rule-sets/pipeline).
 * Read in the write's transaction, uncached: a deal entering a stage right after a save gets
 * the new probability, and the read is one indexed row.
 */

/** The active settings, or the built-in defaults when none were saved (or a stored one no longer parses). */
export async function readPipelineSettings(db: Db | Tx): Promise<PipelineSettings> {
  const row = await db.ruleSet.findFirst({
    where: { kind: 'pipeline', status: 'active' },
    orderBy: { version: 'desc' },
    select: { definition: true, version: true },
  })
  if (!row) return DEFAULT_PIPELINE_SETTINGS
  const parsed = parsePipelineSettings({ ...(row.definition as object), version: row.version })
  return parsed.ok ? parsed.value : DEFAULT_PIPELINE_SETTINGS
}

/** The probability a deal gets on entering `stage` under the active settings. */
export async function stageProbabilities(db: Db | Tx): Promise<(stage: OpportunityStage) => number> {
  const settings = await readPipelineSettings(db)
  return (stage) => probabilityFor(stage, settings.stageProbabilities)
}
