import { at, checkKeys, isObject } from '../rules/rule-set-validation.js'
import { OPPORTUNITY_STAGES, isOpenStage, type OpenOpportunityStage } from './pipeline.rules.js'

/*
 * A team's pipeline settings as versioned data (rule_set kind "pipeline"): the win
 * probability a deal gets when it enters an open stage without an explicit one. The closed
 * stages are not configurable: won is 100 and lost is 0 by definition, and the forecast
 * ("closed" / "omitted") relies on it.
 */

export interface PipelineSettings {
  version: number
  /** Overrides of DEFAULT_STAGE_PROBABILITIES for open stages; a stage left out keeps its default. */
  stageProbabilities: Partial<Record<OpenOpportunityStage, number>>
}

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = { version: 0, stageProbabilities: {} }

const KEYS = ['version', 'stageProbabilities'] as const
const OPEN_STAGES = OPPORTUNITY_STAGES.filter(isOpenStage)
const FIXED: Partial<Record<string, number>> = { closed_won: 100, closed_lost: 0 }

export type PipelineSettingsResult = { ok: true; value: PipelineSettings } | { ok: false; issues: string[] }

/**
 * Validates stored or submitted pipeline settings, listing every problem as a "path message"
 * string (as the other rule sets do).
 *
 * - Only `version` and `stageProbabilities` are allowed; both may be left out.
 * - `stageProbabilities` is an object whose keys are open stages (qualification,
 *   needs_analysis, proposal, negotiation), each an integer from 0 to 100.
 * - closed_won and closed_lost are refused with a message saying they are fixed at 100 and 0;
 *   any other key is refused as unknown, since a misspelt stage would silently do nothing.
 */
export function parsePipelineSettings(json: unknown): PipelineSettingsResult {
  if (!isObject(json)) return { ok: false, issues: ['the pipeline settings must be an object'] }
  const issues: string[] = []
  checkKeys(json, KEYS, '', issues)
  const settings: PipelineSettings = { version: 0, stageProbabilities: {} }
  const version = json['version']
  if (version !== undefined) {
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0)
      issues.push('version must be an integer >= 0')
    else settings.version = version
  }
  const probabilities = json['stageProbabilities']
  if (probabilities !== undefined) {
    if (!isObject(probabilities)) issues.push('stageProbabilities must be an object')
    else
      for (const [stage, value] of Object.entries(probabilities)) {
        const path = at('stageProbabilities', stage)
        if (stage in FIXED) issues.push(`${path} is fixed at ${FIXED[stage]} and cannot be configured`)
        else if (!isOpenStage(stage))
          issues.push(`${path} is not allowed (open stages: ${OPEN_STAGES.join(', ')})`)
        else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100)
          issues.push(`${path} must be an integer from 0 to 100`)
        else settings.stageProbabilities[stage] = value
      }
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: settings }
}
