import {
  replayAssignmentDecision,
  replayScoreDecision,
  type ReplayVerdict,
} from '../../domain/rules/decision-replay.rules.js'
import type { Db } from '../../platform/database/prisma.js'
import { isMissing, ruleVersions, type DecidingKind, type RuleVersions } from './rule-versions.js'

/*
 * The replay of a period's score and assignment decisions: each one re-run on its stored
 * inputs under its stored rule version (domain/rules/decision-replay.rules.ts) and compared
 * with its stored outcome. A day that replays with no mismatch proves that what was decided
 * is explained by the inputs and rules on record, and nothing else.
 */

export const REPLAYED_KINDS = ['score', 'assignment'] as const
export type ReplayedKind = (typeof REPLAYED_KINDS)[number]

const RULES_OF: Record<ReplayedKind, DecidingKind> = { score: 'scoring', assignment: 'assignment' }

export interface ReplayedDecision {
  /** lead_decision.id */
  id: string
  leadId: string
  kind: ReplayedKind
  version: number | null
  decidedAt: string
  status: ReplayVerdict<unknown>['status']
  /** A mismatch's first difference ("path: stored ≠ replayed"), or why a decision could not be re-run. */
  detail: string | null
  /** Both outcomes, for mismatches only. */
  stored?: unknown
  replayed?: unknown
}

export interface ReplayTally {
  decisions: number
  reproduced: number
  mismatches: number
  /** Decisions without inputs to re-run: erased, or recorded before decisions kept them. */
  unreplayable: number
}

export interface ReplayReport extends ReplayTally {
  from: string
  to: string
  byKind: Record<ReplayedKind, ReplayTally>
  /** The rule versions the period's decisions name. */
  versions: Record<DecidingKind, number[]>
  /** Every decision in id order; stored and replayed outcomes only on mismatches. */
  results: ReplayedDecision[]
}

/** The UTC day of an ISO date (2026-11-23) as a half-open period. */
export function utcDay(date: string): { from: Date; to: Date } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`)
  const from = new Date(`${date}T00:00:00.000Z`)
  if (Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== date)
    throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`)
  return { from, to: new Date(from.getTime() + 86_400_000) }
}

const emptyTally = (): ReplayTally => ({ decisions: 0, reproduced: 0, mismatches: 0, unreplayable: 0 })

interface DecisionRow {
  id: bigint
  leadId: string
  kind: string
  ruleVersion: number | null
  inputs: unknown
  outcome: unknown
  decidedAt: Date
}

/** A decision whose rules cannot be had does not reproduce: nothing on record explains it. */
const unexplained = (difference: string): ReplayVerdict<unknown> => ({
  status: 'mismatch',
  replayed: null,
  difference,
})

async function replayOne(d: DecisionRow, versions: RuleVersions): Promise<ReplayVerdict<unknown>> {
  if (d.ruleVersion === null) return unexplained('the decision names no rule version')
  if (d.kind === 'score') {
    const rules = await versions.get('scoring', d.ruleVersion)
    return isMissing(rules) ? unexplained(rules.missing) : replayScoreDecision(d.inputs, d.outcome, rules)
  }
  const rules = await versions.get('assignment', d.ruleVersion)
  return isMissing(rules) ? unexplained(rules.missing) : replayAssignmentDecision(d.inputs, d.outcome, rules)
}

/**
 * Re-runs every score and assignment decision made in [from, to) and reports each one.
 * Reads in pages of `pageSize` decisions, in id order (the order they were made).
 */
export async function replayDecisions(
  db: Db,
  period: { from: Date; to: Date },
  pageSize = 1000,
): Promise<ReplayReport> {
  const versions = ruleVersions(db)
  const report: ReplayReport = {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    ...emptyTally(),
    byKind: { score: emptyTally(), assignment: emptyTally() },
    versions: { scoring: [], assignment: [] },
    results: [],
  }
  const named = { scoring: new Set<number>(), assignment: new Set<number>() }
  let after: bigint | undefined
  for (;;) {
    const page: DecisionRow[] = await db.leadDecision.findMany({
      where: {
        kind: { in: [...REPLAYED_KINDS] },
        decidedAt: { gte: period.from, lt: period.to },
        ...(after === undefined ? {} : { id: { gt: after } }),
      },
      orderBy: { id: 'asc' },
      take: pageSize,
    })
    for (const d of page) {
      const kind = d.kind as ReplayedKind
      const verdict = await replayOne(d, versions)
      if (d.ruleVersion !== null) named[RULES_OF[kind]].add(d.ruleVersion)
      const result: ReplayedDecision = {
        id: d.id.toString(),
        leadId: d.leadId,
        kind,
        version: d.ruleVersion,
        decidedAt: d.decidedAt.toISOString(),
        status: verdict.status,
        detail: null,
      }
      const tallies = [report, report.byKind[kind]]
      for (const t of tallies) t.decisions++
      if (verdict.status === 'reproduced') for (const t of tallies) t.reproduced++
      else if (verdict.status === 'unreplayable') {
        for (const t of tallies) t.unreplayable++
        result.detail = verdict.reason
      } else {
        for (const t of tallies) t.mismatches++
        Object.assign(result, { detail: verdict.difference, stored: d.outcome, replayed: verdict.replayed })
      }
      report.results.push(result)
    }
    if (page.length < pageSize) break
    after = page.at(-1)!.id
  }
  report.versions = {
    scoring: [...named.scoring].sort((a, b) => a - b),
    assignment: [...named.assignment].sort((a, b) => a - b),
  }
  return report
}
