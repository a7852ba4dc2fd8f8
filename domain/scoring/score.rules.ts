import type { DraftLead } from '../lead/draft-lead.js'
import type { EngagementEvent, EngagementRule, FitCondition, ScoringRuleSet } from './scoring-rules.js'

export interface ScoreInput {
  lead: DraftLead
  /** How many times each event happened; missing events count as 0. */
  engagement: Partial<Record<EngagementEvent, number>>
}

/**
 * One rule that changed the score. `detail` names fields and rule terms but never echoes
 * personal values (names, emails, phones), so a breakdown can go to history and logs.
 */
export interface ScoreLine {
  ruleId: string
  label: string
  points: number
  detail: string
}

export interface ScoreResult {
  /** Integer 0..100: fit + engagement after their caps. */
  score: number
  fit: number
  engagement: number
  /** Version of the rule set that produced this score, for replay. */
  version: number
  /** Rules that contributed, fit rules first, each in rule-set order. Points are before the caps. */
  breakdown: ScoreLine[]
  explanation: string
}

export type ScoreBand = 'cold' | 'warm' | 'hot'

export const WARM_SCORE = 40
/** The lead journey starts qualification (BANT/MEDDICC) when a lead reaches this score. */
export const HOT_SCORE = 70

interface Hit {
  /** Share of the rule's points earned: 1 for yes/no conditions, filled/total for completeness. */
  share: number
  detail: string
}

/*
 * Whole-word matching on letter/digit runs, so "Head of Sales" matches "head" but
 * "Headhunter" does not, and "Co-Founder" matches "founder". toLowerCase (not
 * toLocaleLowerCase) because the result must not depend on the host's locale.
 */
const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []

function containsPhrase(haystack: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return false
  for (let i = 0; i + phrase.length <= haystack.length; i++) {
    if (phrase.every((w, j) => haystack[i + j] === w)) return true
  }
  return false
}

const canonical = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase()

const isFilled = (v: unknown) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')

function evaluateFit(when: FitCondition, lead: DraftLead): Hit | null {
  if ('completeness' in when) {
    const missing = when.completeness.filter((f) => !isFilled(lead[f]))
    const total = when.completeness.length
    const filled = total - missing.length
    if (total === 0 || filled === 0) return null
    const detail =
      missing.length === 0
        ? `${filled} of ${total} fields filled`
        : `${filled} of ${total} fields filled; missing ${missing.join(', ')}`
    return { share: filled / total, detail }
  }
  switch (when.field) {
    case 'title': {
      if (lead.title === null) return null
      const titleWords = words(lead.title)
      const term = when.matchesAny.find((t) => containsPhrase(titleWords, words(t)))
      return term === undefined ? null : { share: 1, detail: `title matches "${term}"` }
    }
    case 'annualRevenue': {
      const revenue = lead.annualRevenue
      if (revenue === null || revenue < when.atLeast) return null
      const currency = lead.currency === null ? '' : ` ${lead.currency}`
      return { share: 1, detail: `annualRevenue ${revenue}${currency} ≥ ${when.atLeast}` }
    }
    case 'freeEmail':
      // freeEmail is false when there is no email at all, which must not count as a company email.
      if (lead.email === null || lead.freeEmail !== when.equals) return null
      return {
        share: 1,
        detail: when.equals ? 'email is on a free-mail domain' : 'email is on a company domain',
      }
    default: {
      const value = lead[when.field]
      if (value === null) return null
      const wanted = canonical(value)
      return when.in.some((v) => canonical(v) === wanted)
        ? { share: 1, detail: `${when.field} is ${value}` }
        : null
    }
  }
}

/*
 * Counts come from event tallies outside our control; a negative or fractional count is a
 * bug upstream, but throwing here would fail a workflow task over and over, so it is read as
 * the nearest sane count instead.
 */
const countOf = (n: number | undefined) =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0

function engagementLine(rule: EngagementRule, count: number): ScoreLine | null {
  const uncapped = count * rule.pointsEach
  const points = Math.round(Math.min(uncapped, rule.max))
  if (points === 0) return null
  const detail =
    uncapped > rule.max
      ? `${count} × ${rule.pointsEach} (${rule.event}), capped at ${rule.max}`
      : `${count} × ${rule.pointsEach} (${rule.event})`
  return { ruleId: rule.id, label: rule.label, points, detail }
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n))
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`)

function capNote(part: 'fit' | 'engagement', raw: number, capped: number): string | null {
  if (raw > capped) return `${part} capped at ${capped} (rules gave ${raw})`
  if (raw < capped) return `${part} floored at ${capped} (rules gave ${raw})`
  return null
}

/**
 * Scores a lead 0..100 from who it is (fit) and what it did (engagement), under one
 * versioned rule set. Pure and deterministic: the same lead, counts and rule set always give
 * a deep-equal result, so stored decisions can be replayed.
 *
 * Each rule's points are rounded to an integer (completeness rules earn a share of theirs);
 * the fit total is then held to 0..fitMax and the engagement total to 0..engagementMax.
 * The breakdown keeps the points before those caps and the explanation says when a cap applied.
 */
export function scoreLead(input: ScoreInput, rules: ScoringRuleSet): ScoreResult {
  const breakdown: ScoreLine[] = []

  let fitRaw = 0
  for (const rule of rules.fit) {
    const hit = evaluateFit(rule.when, input.lead)
    if (hit === null) continue
    const points = Math.round(rule.points * hit.share)
    if (points === 0) continue
    fitRaw += points
    breakdown.push({ ruleId: rule.id, label: rule.label, points, detail: hit.detail })
  }

  let engagementRaw = 0
  for (const rule of rules.engagement) {
    const line = engagementLine(rule, countOf(input.engagement[rule.event]))
    if (line === null) continue
    engagementRaw += line.points
    breakdown.push(line)
  }

  const fit = clamp(fitRaw, 0, rules.fitMax)
  const engagement = clamp(engagementRaw, 0, rules.engagementMax)
  const score = clamp(fit + engagement, 0, 100)

  const parts = breakdown.map((l) => `${l.label} ${signed(l.points)}`)
  for (const note of [capNote('fit', fitRaw, fit), capNote('engagement', engagementRaw, engagement)]) {
    if (note !== null) parts.push(note)
  }
  const explanation = `${score}/100 (fit ${fit}, engagement ${engagement}): ${parts.length > 0 ? parts.join('; ') : 'no rule applied'}`

  return { score, fit, engagement, version: rules.version, breakdown, explanation }
}

/**
 * Buckets a score for people and lists: 0-39 cold, 40-69 warm, 70+ hot. HOT_SCORE (70) is
 * also the threshold at which the lead journey starts qualification, so "hot" in the UI
 * means "the journey is qualifying this lead".
 */
export function scoreBand(score: number): ScoreBand {
  if (score >= HOT_SCORE) return 'hot'
  if (score >= WARM_SCORE) return 'warm'
  return 'cold'
}
