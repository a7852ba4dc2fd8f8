import {
  DEFAULT_ASSIGNMENT_RULES,
  parseAssignmentRuleSet,
  type AssignmentRuleSet,
} from '../../domain/assignment/assignment-rules.js'
import {
  DEFAULT_SCORING_RULES,
  parseScoringRuleSet,
  type ScoringRuleSet,
} from '../../domain/scoring/scoring-rules.js'
import type { Db, Tx } from '../../platform/database/prisma.js'

/*
 * Rule sets by version, for replaying decisions and evaluating drafts. Version 0 is the
 * built-in rules: what decides while no version of the kind was ever saved (readActiveRuleSet
 * answers version 0 then too), so a decision made under them names a version no saved one
 * can share.
 */

export const BUILT_IN_VERSION = 0

export interface RulesByKind {
  scoring: ScoringRuleSet
  assignment: AssignmentRuleSet
}
export type DecidingKind = keyof RulesByKind

export const BUILT_IN_RULES: RulesByKind = {
  scoring: Object.freeze({ ...DEFAULT_SCORING_RULES, version: BUILT_IN_VERSION }),
  assignment: Object.freeze({ ...DEFAULT_ASSIGNMENT_RULES, version: BUILT_IN_VERSION }),
}

/** Checks a definition and gives it its version; throws the kind's RuleSetError listing every problem. */
export function parseRules<K extends DecidingKind>(
  kind: K,
  definition: unknown,
  version: number,
): RulesByKind[K] {
  const data = { ...(definition as object), version }
  return (kind === 'scoring' ? parseScoringRuleSet(data) : parseAssignmentRuleSet(data)) as RulesByKind[K]
}

/** A version that cannot be used, and why. */
export interface MissingVersion {
  missing: string
}

export interface RuleVersions {
  /** The rules of a stored version (whatever its status), or why they cannot be had. */
  get<K extends DecidingKind>(kind: K, version: number): Promise<RulesByKind[K] | MissingVersion>
}

/** Reads each version once: a day of decisions names a handful. */
export function ruleVersions(db: Db | Tx): RuleVersions {
  const loaded = new Map<string, Promise<unknown>>()
  const load = async (kind: DecidingKind, version: number) => {
    if (version === BUILT_IN_VERSION) return BUILT_IN_RULES[kind]
    const row = await db.ruleSet.findUnique({ where: { kind_version: { kind, version } } })
    if (!row) return { missing: `${kind} version ${version} is not stored` }
    try {
      return parseRules(kind, row.definition, version)
    } catch (err) {
      return { missing: `${kind} version ${version} no longer parses: ${(err as Error).message}` }
    }
  }
  return {
    get(kind, version) {
      const key = `${kind}:${version}`
      if (!loaded.has(key)) loaded.set(key, load(kind, version))
      return loaded.get(key) as Promise<never>
    },
  }
}

export const isMissing = (r: unknown): r is MissingVersion =>
  typeof r === 'object' && r !== null && 'missing' in r
