import { parseCalendarDate, type CalendarDate } from '../time/calendar-date.rules.js'
/*
 * The opportunity pipeline: its stages, their default win probabilities, the forecast
 * category a deal counts in, and what a valid opportunity looks like. Pure: "today" is
 * always an argument (a 'YYYY-MM-DD' date), never the clock.
 *
 *   qualification ─► needs_analysis ─► proposal ─► negotiation ─► closed_won
 *         │                │               │            │
 *         └────────────────┴───────────────┴────────────┴─────► closed_lost
 */

export const OPPORTUNITY_STAGES = [
  'qualification',
  'needs_analysis',
  'proposal',
  'negotiation',
  'closed_won',
  'closed_lost',
] as const
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number]
export type OpenOpportunityStage = Exclude<OpportunityStage, 'closed_won' | 'closed_lost'>

/**
 * Win probability (percent) of a deal in each stage unless a team configures its own.
 * Closed stages are certain: won is 100, lost is 0.
 */
export const DEFAULT_STAGE_PROBABILITIES: Readonly<Record<OpportunityStage, number>> = {
  qualification: 10,
  needs_analysis: 25,
  proposal: 50,
  negotiation: 75,
  closed_won: 100,
  closed_lost: 0,
}

export type ForecastCategory = 'pipeline' | 'best_case' | 'commit' | 'closed' | 'omitted'

/** Probability (percent) from which an open deal closing this quarter is a commitment. */
export const COMMIT_PROBABILITY = 75
/** Probability (percent) from which an open deal counts as best case. */
export const BEST_CASE_PROBABILITY = 50

/** Longest opportunity name, in characters. */
export const MAX_OPPORTUNITY_NAME = 200

/*
 * Amounts are stored as DECIMAL(18,2) but arrive as JSON numbers (IEEE doubles). Beyond
 * 2^53 cents a double cannot hold every cent, so "at most two decimals" could no longer be
 * checked and the stored value might differ from what was typed: about 90 trillion, far
 * above any real deal in any currency.
 */
export const MAX_OPPORTUNITY_AMOUNT = Number.MAX_SAFE_INTEGER / 100

export function isOpportunityStage(value: unknown): value is OpportunityStage {
  return typeof value === 'string' && (OPPORTUNITY_STAGES as readonly string[]).includes(value)
}

/** True for the four stages a deal is still being worked in; false for closed and unknown stages. */
export function isOpenStage(stage: string): stage is OpenOpportunityStage {
  return isOpportunityStage(stage) && stage !== 'closed_won' && stage !== 'closed_lost'
}

/**
 * The win probability a deal gets on entering a stage.
 *
 * `overrides` are a team's own probabilities for open stages. They are ignored for the
 * closed stages (a won deal is 100 and a lost one 0 by definition, and the forecast relies
 * on that) and when they are not an integer from 0 to 100: settings are validated where
 * they are saved, and a broken one must not stop every deal from moving.
 */
export function probabilityFor(
  stage: OpportunityStage,
  overrides?: Partial<Record<OpportunityStage, number>>,
): number {
  const override = overrides?.[stage]
  if (isOpenStage(stage) && isPercent(override)) return override
  return DEFAULT_STAGE_PROBABILITIES[stage]
}

/**
 * The forecast category a deal counts in.
 *
 * | stage       | condition (first that applies)                               | category  |
 * |-------------|--------------------------------------------------------------|-----------|
 * | closed_won  |                                                              | closed    |
 * | closed_lost |                                                              | omitted   |
 * | open        | close date before today (slipped)                            | pipeline  |
 * | open        | probability ≥ 75 and close date in today's calendar quarter  | commit    |
 * | open        | probability ≥ 50                                             | best_case |
 * | open        | otherwise                                                    | pipeline  |
 *
 * A slipped deal is still open but its date is no longer believable, so it is not a
 * commitment (nor best case) until someone sets a new close date. A likely deal closing
 * in a later quarter is best case: "commit" is what the team promises for this quarter.
 * Calendar quarters (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) also fit India's April-March
 * financial year, whose quarters have the same boundaries.
 *
 * An unknown stage is omitted, as nothing can be said about it. When `closeDate` or
 * `today` is not a real 'YYYY-MM-DD' date, neither the slip nor the quarter can be
 * established, so the deal is at most best case.
 */
export function forecastCategory(input: {
  stage: OpportunityStage
  probability: number
  closeDate: string
  today: string
}): ForecastCategory {
  const { stage, probability } = input
  if (stage === 'closed_won') return 'closed'
  if (!isOpenStage(stage)) return 'omitted'
  const close = parseCalendarDate(input.closeDate)
  const today = parseCalendarDate(input.today)
  const datesKnown = close !== null && today !== null
  if (datesKnown && input.closeDate < input.today) return 'pipeline'
  if (datesKnown && probability >= COMMIT_PROBABILITY && quarterIndex(close) === quarterIndex(today)) {
    return 'commit'
  }
  if (probability >= BEST_CASE_PROBABILITY) return 'best_case'
  return 'pipeline'
}

/** A problem with one field of a request; `pointer` is a JSON pointer relative to the draft. */
export interface FieldError {
  pointer: string
  message: string
}

/**
 * What is checked on an opportunity before it is created. Fields are `unknown` because
 * they come straight from requests and signals.
 */
export interface OpportunityDraftInput {
  name: unknown
  amount: unknown
  currency: unknown
  stage: unknown
  probability?: unknown
  closeDate: unknown
}

/**
 * Every problem with an opportunity draft, in field order; an empty list means valid.
 *
 * - name: a string of 1 to 200 characters once surrounding spaces are dropped.
 * - amount: a finite number, at least 0, at most two decimals, not above
 *   MAX_OPPORTUNITY_AMOUNT.
 * - currency: three upper-case letters (ISO 4217 style; not checked against the list, so a
 *   new currency needs no release).
 * - stage: one of OPPORTUNITY_STAGES.
 * - probability (optional; the stage's default applies when absent): an integer 0 to 100.
 * - closeDate: a real calendar date 'YYYY-MM-DD' (2028-02-29 yes, 2026-02-29 no). A date
 *   before `today` is allowed only for a closed stage (recording a deal already won or
 *   lost); an open deal cannot be expected to close in the past. Today itself is fine.
 *   When the stage is unknown this check waits until the stage is fixed.
 *
 * @param draft - The opportunity as requested.
 * @param today - The caller's current date, 'YYYY-MM-DD'.
 */
export function validateOpportunityDraft(draft: OpportunityDraftInput, today: string): FieldError[] {
  const errors: FieldError[] = []
  const add = (pointer: string, message: string) => errors.push({ pointer, message })

  const { name, amount, currency, stage, probability, closeDate } = draft

  if (typeof name !== 'string') add('/name', `must be a string of 1 to ${MAX_OPPORTUNITY_NAME} characters`)
  else {
    // Counted in code points, so an emoji or a non-BMP character is one character as people see it.
    const length = [...name.trim()].length
    if (length < 1 || length > MAX_OPPORTUNITY_NAME) {
      add('/name', `must be 1 to ${MAX_OPPORTUNITY_NAME} characters`)
    }
  }

  if (typeof amount !== 'number' || !Number.isFinite(amount)) add('/amount', 'must be a finite number')
  else if (amount < 0) add('/amount', 'must not be negative')
  else if (amount > MAX_OPPORTUNITY_AMOUNT) add('/amount', `must be at most ${MAX_OPPORTUNITY_AMOUNT}`)
  else if (Math.round(amount * 100) / 100 !== amount) add('/amount', 'must have at most 2 decimals')

  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    add('/currency', 'must be a three-letter upper-case currency code such as INR')
  }

  if (!isOpportunityStage(stage)) add('/stage', `must be one of ${OPPORTUNITY_STAGES.join(', ')}`)

  if (probability !== undefined && !isPercent(probability)) {
    add('/probability', 'must be an integer from 0 to 100')
  }

  if (typeof closeDate !== 'string' || parseCalendarDate(closeDate) === null) {
    add('/closeDate', 'must be a real date in the form YYYY-MM-DD')
  } else if (
    typeof stage === 'string' &&
    isOpenStage(stage) &&
    parseCalendarDate(today) !== null &&
    closeDate < today
  ) {
    add('/closeDate', `must not be before today (${today}) while the opportunity is open`)
  }

  return errors
}

function isPercent(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100
}

/** Quarters counted from year 0, so two dates share a quarter exactly when their indices match. */
function quarterIndex(date: CalendarDate): number {
  return date.year * 4 + Math.floor((date.month - 1) / 3)
}
