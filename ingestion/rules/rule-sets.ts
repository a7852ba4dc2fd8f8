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
import { recordAudit, type WriteContext } from '../../platform/audit.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { ConflictError, DomainRuleError, NotFoundError } from '../../platform/errors.js'

/*
 * Rule sets as versioned data: each save is a new version, never edited in place, so every
 * stored decision can name the version it was made under. A version is saved either active
 * (the previous one retired) or as a draft, which decides nothing until it is activated and
 * can be evaluated against past leads first (evaluate-draft.ts). Scoring and assignment apply
 * to the next capture (within the rule cache's few seconds); a journey policy applies to
 * journeys and nurture cycles that start after it; pipeline settings (stage probabilities) to
 * the next deal that enters a stage. Every save and activation is audited (entity rule_set).
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
function pointerOf(issue: string, base: string): string {
  const path = issue.split(' ')[0] ?? ''
  const segments = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
  return [base, ...segments].join('/')
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

/**
 * A definition as it will be stored (without a version: the row holds it), or a 422 listing
 * every problem with its pointer (`base` is where the definition sits in the request).
 */
export function checkedDefinition(
  kind: RuleSetKind,
  definition: unknown,
  base = '/body/definition',
): Record<string, unknown> {
  const { version: _ignored, ...body } = (definition ?? {}) as Record<string, unknown>
  const issues = issuesOf(kind, { ...body, version: 1 })
  if (issues.length)
    throw new DomainRuleError(
      `The ${kind} rule set is not valid: ${issues.join('; ')}.`,
      issues.map((i) => ({ pointer: pointerOf(i, base), message: i })),
    )
  return body
}

/** One stored version of a kind, whatever its status. */
export interface RuleSetVersion {
  kind: RuleSetKind
  version: number
  status: string
  definition: unknown
  createdAt: string
  createdBy: string
  activatedAt: string | null
}

type RuleSetRow = Prisma.RuleSetGetPayload<object>

const versionOf = (row: RuleSetRow): RuleSetVersion => ({
  kind: row.kind as RuleSetKind,
  version: row.version,
  status: row.status,
  definition: row.definition,
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdBy,
  activatedAt: row.activatedAt?.toISOString() ?? null,
})

const activeOf = (row: RuleSetRow): ActiveRuleSet => ({
  kind: row.kind as RuleSetKind,
  version: row.version,
  source: 'stored',
  definition: row.definition,
  activatedAt: row.activatedAt?.toISOString() ?? null,
  createdBy: row.createdBy,
})

/** A stored version (draft, active or retired); 404 when the kind has no such version. */
export async function readRuleSetVersion(
  db: Db | Tx,
  kind: RuleSetKind,
  version: number,
): Promise<RuleSetVersion> {
  const row = await db.ruleSet.findUnique({ where: { kind_version: { kind, version } } })
  if (!row) throw new NotFoundError(`${kind} rule set version`, String(version))
  return versionOf(row)
}

/** One writer per kind at a time: versions are consecutive and exactly one is active. */
async function nextVersion(tx: Tx, kind: RuleSetKind): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rule_set:${kind}`}))`
  const last = await tx.ruleSet.findFirst({
    where: { kind },
    orderBy: { version: 'desc' },
    select: { version: true },
  })
  return (last?.version ?? 0) + 1
}

/** Retires the kind's active version (if any), audited. */
async function retireActive(tx: Tx, kind: RuleSetKind, ctx: WriteContext, by: number): Promise<void> {
  const active = await tx.ruleSet.findMany({ where: { kind, status: 'active' } })
  for (const row of active) {
    await tx.ruleSet.update({ where: { id: row.id }, data: { status: 'retired' } })
    await recordAudit(tx, ctx, {
      entity: 'rule_set',
      entityId: row.id,
      action: 'retire',
      changes: { status: { from: 'active', to: 'retired' }, replacedBy: { from: null, to: by } },
    })
  }
}

async function createVersion(
  tx: Tx,
  kind: RuleSetKind,
  body: Record<string, unknown>,
  status: 'active' | 'draft',
  ctx: WriteContext,
): Promise<RuleSetRow> {
  const version = await nextVersion(tx, kind)
  if (status === 'active') await retireActive(tx, kind, ctx, version)
  const row = await tx.ruleSet.create({
    data: {
      id: uuidv7(),
      kind,
      version,
      status,
      definition: body as Prisma.InputJsonValue,
      createdBy: ctx.actor.id,
      activatedAt: status === 'active' ? new Date() : null,
    },
  })
  await recordAudit(tx, ctx, {
    entity: 'rule_set',
    entityId: row.id,
    action: status === 'active' ? 'create' : 'draft',
    changes: {
      kind: { from: null, to: kind },
      version: { from: null, to: version },
      status: { from: null, to: status },
      definition: { from: null, to: body },
    },
  })
  return row
}

/** Validates a definition and makes it the kind's next active version, in one transaction. */
export async function activateRuleSet(
  db: Db,
  kind: RuleSetKind,
  definition: unknown,
  actor: Actor,
  requestId?: string,
): Promise<ActiveRuleSet> {
  const body = checkedDefinition(kind, definition)
  return db.$transaction(async (tx) =>
    activeOf(await createVersion(tx, kind, body, 'active', { actor, requestId })),
  )
}

/** Validates a definition and stores it as the kind's next version, a draft: nothing changes until it is activated. */
export async function saveDraftRuleSet(
  db: Db,
  kind: RuleSetKind,
  definition: unknown,
  ctx: WriteContext,
): Promise<RuleSetVersion> {
  const body = checkedDefinition(kind, definition)
  return db.$transaction(async (tx) => versionOf(await createVersion(tx, kind, body, 'draft', ctx)))
}

/**
 * Makes a stored draft the active version, the previous one retired. Its definition is checked
 * again: the rules may have grown stricter since it was saved. 404 for an unknown version,
 * 409 for one that is not a draft (versions are activated once).
 */
export async function activateDraftRuleSet(
  db: Db,
  kind: RuleSetKind,
  version: number,
  ctx: WriteContext,
): Promise<ActiveRuleSet> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rule_set:${kind}`}))`
    const row = await tx.ruleSet.findUnique({ where: { kind_version: { kind, version } } })
    if (!row) throw new NotFoundError(`${kind} rule set version`, String(version))
    if (row.status !== 'draft')
      throw new ConflictError(`Version ${version} of the ${kind} rules is ${row.status}, not a draft.`)
    checkedDefinition(kind, row.definition, '/definition')
    await retireActive(tx, kind, ctx, version)
    const activated = await tx.ruleSet.update({
      where: { id: row.id },
      data: { status: 'active', activatedAt: new Date() },
    })
    await recordAudit(tx, ctx, {
      entity: 'rule_set',
      entityId: row.id,
      action: 'activate',
      changes: { status: { from: 'draft', to: 'active' } },
    })
    return activeOf(activated)
  })
}
