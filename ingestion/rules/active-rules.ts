import { parseAssignmentRuleSet, type AssignmentRuleSet } from '../../domain/assignment/assignment-rules.js'
import { parseScoringRuleSet, type ScoringRuleSet } from '../../domain/scoring/scoring-rules.js'
import {
  DEFAULT_JOURNEY_POLICY,
  parseJourneyPolicy,
  type JourneyPolicy,
} from '../../domain/journey/journey-policy.js'
import type { TerritoryDefinition } from '../../domain/territory/territory.rules.js'
import type { Db } from '../../platform/database/prisma.js'
import { BUILT_IN_RULES } from './rule-versions.js'

export interface ActiveRules {
  scoring: ScoringRuleSet
  assignment: AssignmentRuleSet
  journey: JourneyPolicy
  territories: TerritoryDefinition[]
}

export interface RuleCache {
  get(): Promise<ActiveRules>
  /** After a rule set or territory changes in this process; other replicas refresh within the TTL. */
  invalidate(): void
}

/**
 * The active scoring, assignment and journey rule sets (versioned data in rule_set) and the
 * territories, cached for a few seconds: every capture needs them, and reading three
 * tables per lead would cost more than the rest of the pipeline.
 */
export function createRuleCache(db: Db, ttlMs = 5000): RuleCache {
  let cached: { at: number; rules: Promise<ActiveRules> } | undefined
  const load = async (): Promise<ActiveRules> => {
    const [sets, territories] = await Promise.all([
      db.ruleSet.findMany({
        where: { status: 'active', kind: { in: ['scoring', 'assignment', 'journey'] } },
      }),
      db.territory.findMany({ orderBy: [{ priority: 'asc' }, { name: 'asc' }] }),
    ])
    const scoring = sets.find((s) => s.kind === 'scoring')
    const assignment = sets.find((s) => s.kind === 'assignment')
    const journey = sets.find((s) => s.kind === 'journey')
    const journeyPolicy = journey
      ? parseJourneyPolicy({ ...(journey.definition as object), version: journey.version })
      : null
    return {
      // Until a version is saved the built-in rules decide, as version 0 (rule-versions.ts).
      scoring: scoring
        ? parseScoringRuleSet({ ...(scoring.definition as object), version: scoring.version })
        : BUILT_IN_RULES.scoring,
      assignment: assignment
        ? parseAssignmentRuleSet({ ...(assignment.definition as object), version: assignment.version })
        : BUILT_IN_RULES.assignment,
      // A stored policy was validated when saved; one that no longer parses falls back.
      journey: journeyPolicy?.ok ? journeyPolicy.value : DEFAULT_JOURNEY_POLICY,
      territories: territories.map((t) => ({
        id: t.id,
        name: t.name,
        countries: t.countries,
        states: t.states,
        industries: t.industries,
      })),
    }
  }
  return {
    get() {
      const now = Date.now()
      if (!cached || now - cached.at > ttlMs) {
        const rules = load()
        cached = { at: now, rules }
        rules.catch(() => (cached = undefined))
      }
      return cached.rules
    },
    invalidate() {
      cached = undefined
    },
  }
}
