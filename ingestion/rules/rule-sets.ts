import { uuidv7 } from 'uuidv7'
import {
  AssignmentRuleSetError,
  DEFAULT_ASSIGNMENT_RULES,
  parseAssignmentRuleSet,
} from '../../domain/assignment/assignment-rules.js'
import { DEFAULT_JOURNEY_POLICY, parseJourneyPolicy } from '../../domain/journey/journey-policy.js'
import type { Actor } from '../../domain/lead/lead-capture.js'
import {
  DEFAULT_PIPELINE_SETTINGS,
  parsePipelineSettings,
} from '../../domain/opportunity/pipeline-settings.rules.js'
import {
  DEFAULT_SCORING_RULES,
  parseScoringRuleSet,
  ScoringRuleSetError,
} from '../../domain/scoring/scoring-rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db } from '../../platform/database/prisma.js'
import { DomainRuleError } from '../../platform/errors.js'

/*
 * Rule sets as versioned data: each save is a new version that becomes the active one, the
 * previous one retired, never edited in place, so every stored decision can name the
 * version it was made under. Scoring and assignment apply to the next capture (within the
 * rule cache's few seconds); a journey policy applies to journeys and nurture cycles that
 * start after it; pipeline settings (stage probabilities) to the next deal that enters a stage.
 */
export const RULE_SET_KINDS = ['scoring', 'assignment', 'journey', 'pipeline'] as const
export type RuleSetKind = (typeof RULE_SET_KINDS)[number]

const DEFAULTS: Record<RuleSetKind, unknown> = {
  scoring: DEFAULT_SCORING_RULES,
  assignment: DEFAULT_ASSIGNMENT_RULES,
  journey: DEFAULT_JOURNEY_POLICY,
  pipeline: DEFAULT_PIPELINE_SETTINGS,
}

/** The problems with a definition, as "path message" strings; none when it is valid. */
function issuesOf(kind: RuleSetKind, definition: unknown): string[] {
  if (kind === 'journey' || kind === 'pipeline') {
    const parsed = kind === 'journey' ? parseJourneyPolicy(definition) : parsePipelineSettings(definition)
    return parsed.ok ? [] : parsed.issues
  }
  try {
    if (kind === 'scoring') parseScoringRuleSet(definition)
    else parseAssignmentRuleSet(definition)
    return []
  } catch (err) {
    if (err instanceof ScoringRuleSetError || err instanceof AssignmentRuleSetError) return [...err.issues]
    throw err
  }
}

/** "rules[1].when.countries must not be empty" → /body/definition/rules/1/when/countries. */
function pointerOf(issue: string): string {
  const path = issue.split(' ')[0] ?? ''
  const segments = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
  return ['/body/definition', ...segments].join('/')
}

export interface ActiveRuleSet {
  kind: RuleSetKind
  version: number
  /** `default` when no version was ever saved: the built-in rules apply. */
  source: 'stored' | 'default'
  definition: unknown
  activatedAt: string | null
  createdBy: string | null
}

export async function readActiveRuleSet(db: Db, kind: RuleSetKind): Promise<ActiveRuleSet> {
  const row = await db.ruleSet.findFirst({ where: { kind, status: 'active' }, orderBy: { version: 'desc' } })
  if (!row)
    return {
      kind,
      version: 0,
      source: 'default',
      definition: DEFAULTS[kind],
      activatedAt: null,
      createdBy: null,
    }
  return {
    kind,
    version: row.version,
    source: 'stored',
    definition: row.definition,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
  }
}

/** Validates a definition and makes it the kind's next active version, in one transaction. */
export async function activateRuleSet(
  db: Db,
  kind: RuleSetKind,
  definition: unknown,
  actor: Actor,
): Promise<ActiveRuleSet> {
  const { version: _ignored, ...body } = (definition ?? {}) as Record<string, unknown>
  const issues = issuesOf(kind, { ...body, version: 1 })
  if (issues.length)
    throw new DomainRuleError(
      `The ${kind} rule set is not valid: ${issues.join('; ')}.`,
      issues.map((i) => ({ pointer: pointerOf(i), message: i })),
    )
  return db.$transaction(async (tx) => {
    // One writer per kind at a time: versions are consecutive and exactly one is active.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rule_set:${kind}`}))`
    const last = await tx.ruleSet.findFirst({
      where: { kind },
      orderBy: { version: 'desc' },
      select: { version: true },
    })
    const version = (last?.version ?? 0) + 1
    await tx.ruleSet.updateMany({ where: { kind, status: 'active' }, data: { status: 'retired' } })
    const row = await tx.ruleSet.create({
      data: {
        id: uuidv7(),
        kind,
        version,
        status: 'active',
        definition: body as Prisma.InputJsonValue,
        createdBy: actor.id,
        activatedAt: new Date(),
      },
    })
    return {
      kind,
      version,
      source: 'stored' as const,
      definition: row.definition,
      activatedAt: row.activatedAt?.toISOString() ?? null,
      createdBy: row.createdBy,
    }
  })
}
