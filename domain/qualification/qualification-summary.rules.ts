import { calendarDay } from '../time/calendar-date.rules.js'
import {
  BANT_CRITERIA,
  CRITERION_FACTS,
  FRAMEWORK_CRITERIA,
  MEDDICC_CRITERIA,
  type Criterion,
  type CriterionAnswer,
  type FrameworkSummary,
  type QualificationContext,
  type QualificationInput,
  type QualificationRecord,
  type QualificationSummary,
  type RiskLevel,
  type RiskReason,
  type StampedAnswer,
} from './qualification.js'

/*
 * Recording qualification answers and reading them back as scores and a risk level. Pure:
 * "today", the lead's score and its quiet days are arguments, so the same record and
 * context always give a deep-equal summary (the journey workflow relies on this).
 *
 * Risk rules. Each fires one reason with a stable code; reasons are listed high first,
 * then medium, each group in the order of this table.
 *
 * | code                      | weight | fires when                                                          |
 * |---------------------------|--------|---------------------------------------------------------------------|
 * | bant_negative:budget      | high   | budget is answered "negative"                                       |
 * | bant_negative:authority   | high   | authority is answered "negative"                                    |
 * | bant_negative:need        | high   | need is answered "negative"                                         |
 * | timeline_passed           | high   | the timeline's targetDate is before today (today itself is fine)    |
 * | no_champion_or_buyer      | high   | BANT score >= 75, MEDDICC has been started (any criterion recorded) |
 * |                           |        | and neither champion nor economicBuyer is confirmed                 |
 * | bant_incomplete           | medium | BANT score < 50                                                     |
 * | budget_unquantified       | medium | budget is confirmed but has no amount                               |
 * | timeline_distant          | medium | the timeline's targetDate is more than 365 days after today         |
 * | competition_present       | medium | competition names at least one competitor                           |
 * | gone_quiet                | medium | daysSinceLastEngagement > 30 (never fires when it is null)          |
 * | low_score                 | medium | the lead's score < 50                                               |
 *
 * Level: High with any high reason; Medium with two or more medium reasons; Low otherwise
 * (a single medium reason is listed but is not enough to worry about on its own).
 * Qualified: BANT score >= 75 and no high reason.
 *
 * Why these choices:
 * - A negative timeline is not a high risk: it means "not now", a nurture signal, whereas
 *   no budget, no authority or no need means the deal cannot happen as scoped.
 * - Dates are rules on the targetDate whatever the timeline's status: a past date is stale
 *   even on a "partial" answer. When today or the targetDate is not a real date, neither
 *   date rule can be decided and neither fires.
 * - no_champion_or_buyer waits for BANT to look complete, because that is when a deal is
 *   about to be forecast on a single-threaded relationship, a common way late deals die.
 *   It also waits until the team has started MEDDICC: many teams qualify on BANT alone, and
 *   a framework nobody uses must not make every such lead "unqualified".
 */

/** BANT score from which a lead counts as qualified (three of four confirmed, or equivalent). */
export const QUALIFIED_BANT_SCORE = 75
/** BANT score below which BANT is too thin to judge the deal. */
export const INCOMPLETE_BANT_SCORE = 50
/** Lead score below which the lead's fit and engagement do not back the answers up. */
export const LOW_LEAD_SCORE = 50
/** Days without engagement after which a lead has gone quiet. */
export const QUIET_AFTER_DAYS = 30
/** Days ahead after which a target date is too far out to forecast on. */
export const DISTANT_AFTER_DAYS = 365

/**
 * The record after recording `input`: each answered criterion's answer replaces the earlier
 * one wholesale (a budget sent without an amount drops the old amount), stamped with who
 * recorded it and when. Criteria not in the input keep their answers. Nothing is modified:
 * `current` may be EMPTY_QUALIFICATION (frozen) or a value read from storage.
 *
 * Only the input's framework is applied and only the facts of each criterion are copied.
 * validateQualificationInput already refuses anything else; this keeps a caller that skipped
 * it from storing facts the summary would never read.
 *
 * @param at - When the answers were recorded (ISO 8601).
 * @param by - Who recorded them (a user or actor id).
 */
export function applyQualificationInput(
  current: QualificationRecord,
  input: QualificationInput,
  at: string,
  by: string,
): QualificationRecord {
  const updated: Partial<Record<Criterion, StampedAnswer>> = {}
  for (const criterion of FRAMEWORK_CRITERIA[input.framework]) {
    const answer = input.criteria[criterion]
    if (answer !== undefined)
      updated[criterion] = { ...copyAnswer(criterion, answer), updatedAt: at, updatedBy: by }
  }
  return input.framework === 'BANT'
    ? { bant: { ...current.bant, ...updated }, meddicc: { ...current.meddicc } }
    : { bant: { ...current.bant }, meddicc: { ...current.meddicc, ...updated } }
}

function copyAnswer(criterion: Criterion, answer: CriterionAnswer): CriterionAnswer {
  const copy: CriterionAnswer = { status: answer.status }
  if (answer.note !== undefined) copy.note = answer.note
  const facts = CRITERION_FACTS[criterion]
  if (facts.includes('amount') && answer.amount !== undefined) copy.amount = answer.amount
  if (facts.includes('currency') && answer.currency !== undefined) copy.currency = answer.currency
  if (facts.includes('targetDate') && answer.targetDate !== undefined) copy.targetDate = answer.targetDate
  if (facts.includes('role') && answer.role !== undefined) copy.role = answer.role
  // A fresh array: the stored record must not share a list the caller may still change.
  if (facts.includes('competitors') && answer.competitors !== undefined)
    copy.competitors = [...answer.competitors]
  return copy
}

/**
 * Scores both frameworks and assesses the risk, under the rules in the table at the top of
 * this file. Risk depends on `context.today`, so a stored record is re-summarised when read.
 */
export function summariseQualification(
  record: QualificationRecord,
  context: QualificationContext,
): QualificationSummary {
  // The record is stored JSON read back with a cast; a row without one framework is empty, not a crash.
  const bantAnswers: QualificationRecord['bant'] = record.bant ?? {}
  const meddiccAnswers: QualificationRecord['meddicc'] = record.meddicc ?? {}
  const bant = summariseFramework(bantAnswers, BANT_CRITERIA)
  const meddicc = summariseFramework(meddiccAnswers, MEDDICC_CRITERIA)

  const high: RiskReason[] = []
  const medium: RiskReason[] = []
  const flag = (weight: RiskReason['weight'], code: string, message: string) =>
    (weight === 'high' ? high : medium).push({ code, message, weight })

  for (const criterion of ['budget', 'authority', 'need'] as const) {
    if (bantAnswers[criterion]?.status === 'negative') {
      flag('high', `bant_negative:${criterion}`, NEGATIVE_MESSAGES[criterion])
    }
  }

  const today = calendarDay(context.today)
  const targetDate = bantAnswers.timeline?.targetDate
  const target = typeof targetDate === 'string' ? calendarDay(targetDate) : null
  const daysAhead = today !== null && target !== null ? target - today : null
  if (daysAhead !== null && daysAhead < 0) {
    flag('high', 'timeline_passed', `The target date ${targetDate} is before today (${context.today}).`)
  }

  const meddiccStarted = MEDDICC_CRITERIA.some((c) => meddiccAnswers[c] !== undefined)
  const confirmed = (answer: CriterionAnswer | undefined) => answer?.status === 'confirmed'
  if (
    bant.score >= QUALIFIED_BANT_SCORE &&
    meddiccStarted &&
    !confirmed(meddiccAnswers.champion) &&
    !confirmed(meddiccAnswers.economicBuyer)
  ) {
    flag(
      'high',
      'no_champion_or_buyer',
      'BANT looks qualified, but neither a champion nor the economic buyer is confirmed.',
    )
  }

  if (bant.score < INCOMPLETE_BANT_SCORE) {
    flag('medium', 'bant_incomplete', `BANT is ${bant.score}/100, below ${INCOMPLETE_BANT_SCORE}.`)
  }
  const budget = bantAnswers.budget
  if (budget?.status === 'confirmed' && budget.amount === undefined) {
    flag('medium', 'budget_unquantified', 'The budget is confirmed but no amount is recorded.')
  }
  if (daysAhead !== null && daysAhead > DISTANT_AFTER_DAYS) {
    flag(
      'medium',
      'timeline_distant',
      `The target date ${targetDate} is ${daysAhead} days away, more than ${DISTANT_AFTER_DAYS}.`,
    )
  }
  // A count, not the names: reasons go to history and logs, and names are in the record anyway.
  const competitors = meddiccAnswers.competition?.competitors?.length ?? 0
  if (competitors > 0) {
    flag(
      'medium',
      'competition_present',
      `${competitors} competitor${competitors === 1 ? ' is' : 's are'} being considered.`,
    )
  }
  const quietDays = context.daysSinceLastEngagement
  if (quietDays !== null && quietDays > QUIET_AFTER_DAYS) {
    flag('medium', 'gone_quiet', `No engagement for ${quietDays} days (more than ${QUIET_AFTER_DAYS}).`)
  }
  if (context.score < LOW_LEAD_SCORE) {
    flag('medium', 'low_score', `The lead score is ${context.score}, below ${LOW_LEAD_SCORE}.`)
  }

  const level: RiskLevel = high.length > 0 ? 'High' : medium.length >= 2 ? 'Medium' : 'Low'
  return {
    bant,
    meddicc,
    risk: { level, reasons: [...high, ...medium] },
    qualified: bant.score >= QUALIFIED_BANT_SCORE && high.length === 0,
  }
}

const NEGATIVE_MESSAGES = {
  budget: 'Budget is answered negative: there is no money for this.',
  authority: 'Authority is answered negative: the contact cannot make or reach the decision.',
  need: 'Need is answered negative: the buyer does not need this.',
} as const

/**
 * Counts and scores one framework. Confirmed counts 1 and partial 0.5, averaged over all of
 * the framework's criteria (unanswered ones count as unknown), times 100, rounded half up.
 */
function summariseFramework(
  answers: Partial<Record<Criterion, CriterionAnswer>>,
  criteria: readonly Criterion[],
): FrameworkSummary {
  const summary: FrameworkSummary = {
    score: 0,
    confirmed: 0,
    partial: 0,
    negative: 0,
    unknown: 0,
    of: criteria.length,
    missing: [],
  }
  for (const criterion of criteria) {
    const status = answers[criterion]?.status
    // Anything unreadable in a stored answer counts as unknown rather than failing the summary.
    if (status === 'confirmed' || status === 'partial' || status === 'negative') summary[status] += 1
    else summary.unknown += 1
    if (status !== 'confirmed') summary.missing.push(criterion)
  }
  // In half-points so the division is exact: 3.5 of 4 is 87.5, which rounds to 88, not 87.
  const halfPoints = summary.confirmed * 2 + summary.partial
  summary.score = Math.round((halfPoints * 100) / (criteria.length * 2))
  return summary
}
