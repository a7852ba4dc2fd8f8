import type { Person } from '../../domain/assignment/assign.rules.js'
import type { AssignmentRuleSet } from '../../domain/assignment/assignment-rules.js'
import {
  evaluateAssignmentDraft,
  evaluateScoringDraft,
  type DraftEvaluation,
  type LeadHistory,
  type StoredDecision,
} from '../../domain/rules/draft-evaluation.rules.js'
import { HOT_SCORE, WARM_SCORE } from '../../domain/scoring/score.rules.js'
import type { ScoringRuleSet } from '../../domain/scoring/scoring-rules.js'
import type { Db } from '../../platform/database/prisma.js'
import { DomainRuleError } from '../../platform/errors.js'
import { checkedDefinition, readRuleSetVersion } from './rule-sets.js'
import { isMissing, parseRules, ruleVersions, type DecidingKind, type RulesByKind } from './rule-versions.js'

/*
 * Before a scoring or assignment draft is activated: which of the last N days' leads would
 * land in another score band or with another owner, judged from the inputs their stored
 * decisions kept (domain/rules/draft-evaluation.rules.ts). Nothing is written.
 */

export const EVALUATION_MAX_DAYS = 90

/** A stored version (any status) or a definition sent inline, not saved. */
export type DraftSource = { version: number } | { definition: unknown }

export interface EvaluateDraftRequest {
  kind: DecidingKind
  draft: DraftSource
  /** Leads created in the last `days` days (up to `now`). */
  days: number
  /** At most this many changed leads per answer; `cursor` (a lead id) continues after the last. */
  limit: number
  cursor?: string | undefined
  now: Date
}

export interface DraftEvaluationTotals {
  /** Leads whose decisions could be re-run under the draft. */
  evaluated: number
  changed: number
  bandChanged: number
  ownerChanged: number
  /** Leads in the window with nothing to re-run: erased, or recorded before decisions kept their inputs. */
  notEvaluated: number
}

export interface DraftEvaluationReport {
  kind: DecidingKind
  /** The stored version evaluated, or null for an inline definition. */
  version: number | null
  window: { days: number; from: string; to: string }
  /** What the evaluation takes for granted, in words. */
  assumptions: string[]
  totals: DraftEvaluationTotals
  /** Changed leads only, in lead id (capture) order. */
  items: DraftEvaluation[]
  nextCursor: string | null
}

const BANDS = `Score bands: cold below ${WARM_SCORE}, warm ${WARM_SCORE} to ${HOT_SCORE - 1}, hot ${HOT_SCORE} and above.`
const OWNER =
  'An owner change includes a move between queues (no owner). Each lead is judged on its own: ' +
  "the draft's picks for earlier leads do not move later leads' loads or cursors. Leads re-routed " +
  'after capture (SLA) are judged by their capture decision.'

const ASSUMPTIONS: Record<DecidingKind, string[]> = {
  scoring: [
    BANDS,
    "A lead's current score is its latest score decision; the draft rescores that decision's inputs " +
      '(its fields and engagement counts then).',
    "Its owner is re-decided from its capture's assignment decision, under the assignment version that " +
      'made it, with its capture score rescored under the draft, against the availability, out-of-office, ' +
      'loads, capacities, weights and cursors that decision saw.',
    OWNER,
  ],
  assignment: [
    BANDS + ' Scores do not change under an assignment draft.',
    "Each lead's capture assignment decision is re-run under the draft against the state it saw: the pool " +
      "members' availability, out-of-office, loads, capacities and weights and the rules' cursors then. " +
      "People in the draft's pools that decision did not see (in no pool of the version then in force) are " +
      'taken as they are now; the cursors of rules it did not know start at the beginning of their pool.',
    OWNER,
  ],
}

async function draftRules<K extends DecidingKind>(db: Db, kind: K, source: DraftSource) {
  if ('version' in source) {
    const stored = await readRuleSetVersion(db, kind, source.version)
    return { version: source.version, rules: parseStored(kind, stored.definition, source.version) }
  }
  // Checked like a save, with pointers into the request body; an inline draft has no version yet.
  return { version: null, rules: parseRules(kind, checkedDefinition(kind, source.definition), 1) }
}

function parseStored<K extends DecidingKind>(kind: K, definition: unknown, version: number): RulesByKind[K] {
  checkedDefinition(kind, definition, '/definition')
  return parseRules(kind, definition, version)
}

/** The current records of the draft's pool members: for the people a past decision did not see. */
async function presentPeople(db: Db, rules: AssignmentRuleSet): Promise<Record<string, Person>> {
  const ids = [...new Set(rules.rules.flatMap((r) => r.pool))]
  if (ids.length === 0) return {}
  const rows = await db.user.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      available: true,
      outOfOfficeUntil: true,
      capacity: true,
      openLeads: true,
      weight: true,
    },
  })
  return Object.fromEntries(
    rows.map((u) => [
      u.id,
      {
        userId: u.id,
        available: u.available,
        outOfOfficeUntil: u.outOfOfficeUntil?.toISOString() ?? null,
        capacity: u.capacity,
        openLoad: u.openLeads,
        weight: u.weight,
      },
    ]),
  )
}

interface DecisionRow {
  lead_id: string
  which: 'capture_score' | 'latest_score' | 'assignment'
  rule_version: number
  inputs: unknown
  outcome: unknown
}

/** Each lead's capture and latest score decisions and its capture assignment decision, in one query. */
async function histories(db: Db, leadIds: string[]): Promise<LeadHistory[]> {
  const rows = await db.$queryRaw<DecisionRow[]>`
    WITH d AS (
      SELECT id, lead_id, kind, rule_version, inputs, outcome FROM lead_decision
       WHERE lead_id = ANY(${leadIds}::uuid[]) AND kind IN ('score', 'assignment') AND rule_version IS NOT NULL
    )
    (SELECT DISTINCT ON (lead_id) lead_id, 'capture_score' AS which, rule_version, inputs, outcome
       FROM d WHERE kind = 'score' ORDER BY lead_id, id)
    UNION ALL
    (SELECT DISTINCT ON (lead_id) lead_id, 'latest_score', rule_version, inputs, outcome
       FROM d WHERE kind = 'score' ORDER BY lead_id, id DESC)
    UNION ALL
    (SELECT DISTINCT ON (lead_id) lead_id, 'assignment', rule_version, inputs, outcome
       FROM d WHERE kind = 'assignment' ORDER BY lead_id, id)`
  const byLead = new Map<string, LeadHistory>(
    leadIds.map((leadId) => [leadId, { leadId, captureScore: null, latestScore: null, assignment: null }]),
  )
  for (const r of rows) {
    const h = byLead.get(r.lead_id)!
    const d: StoredDecision = { inputs: r.inputs, outcome: r.outcome, version: r.rule_version }
    if (r.which === 'capture_score') h.captureScore = d
    else if (r.which === 'latest_score') h.latestScore = d
    else h.assignment = d
  }
  return [...byLead.values()]
}

/**
 * Evaluates a draft against the masters (not duplicates) created in the window, reading them
 * in pages; the totals cover the whole window, the items one page of the changed leads.
 *
 * @throws NotFoundError for an unknown stored version; DomainRuleError (422) for an invalid draft.
 */
export async function evaluateDraft(db: Db, req: EvaluateDraftRequest): Promise<DraftEvaluationReport> {
  if (!Number.isInteger(req.days) || req.days < 1 || req.days > EVALUATION_MAX_DAYS)
    throw new DomainRuleError(`days must be 1 to ${EVALUATION_MAX_DAYS}.`, [
      { pointer: '/body/days', message: `must be an integer from 1 to ${EVALUATION_MAX_DAYS}` },
    ])
  const { version, rules } = await draftRules(db, req.kind, req.draft)
  const to = req.now
  const from = new Date(to.getTime() - req.days * 86_400_000)

  const versions = ruleVersions(db)
  const present = req.kind === 'assignment' ? await presentPeople(db, rules as AssignmentRuleSet) : {}
  const evaluate = async (h: LeadHistory): Promise<DraftEvaluation | null> => {
    if (req.kind === 'assignment') return evaluateAssignmentDraft(h, rules as AssignmentRuleSet, present)
    const made = h.assignment && (await versions.get('assignment', h.assignment.version))
    const assignmentRules = made && !isMissing(made) ? made : null
    return evaluateScoringDraft(h, rules as ScoringRuleSet, assignmentRules)
  }

  const totals: DraftEvaluationTotals = {
    evaluated: 0,
    changed: 0,
    bandChanged: 0,
    ownerChanged: 0,
    notEvaluated: 0,
  }
  const items: DraftEvaluation[] = []
  let more = false
  let after: string | undefined
  for (;;) {
    const page = await db.lead.findMany({
      where: {
        createdAt: { gte: from, lte: to },
        isDuplicate: false,
        ...(after === undefined ? {} : { id: { gt: after } }),
      },
      orderBy: { id: 'asc' },
      select: { id: true },
      take: 500,
    })
    if (page.length === 0) break
    const ids = page.map((l) => l.id)
    const leads = await histories(db, ids)
    for (const h of leads) {
      const e = await evaluate(h)
      if (e === null) {
        totals.notEvaluated++
        continue
      }
      totals.evaluated++
      if (e.changed.length === 0) continue
      totals.changed++
      if (e.changed.includes('band')) totals.bandChanged++
      if (e.changed.includes('owner')) totals.ownerChanged++
      if (req.cursor !== undefined && e.leadId <= req.cursor) continue
      if (items.length < req.limit) items.push(e)
      else more = true
    }
    after = page.at(-1)!.id
  }
  return {
    kind: req.kind,
    version,
    window: { days: req.days, from: from.toISOString(), to: to.toISOString() },
    assumptions: ASSUMPTIONS[req.kind],
    totals,
    items,
    nextCursor: more ? items.at(-1)!.leadId : null,
  }
}
