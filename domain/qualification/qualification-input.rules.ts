import { isCalendarDate } from '../time/calendar-date.rules.js'
import { isObject, type Json } from '../rules/rule-set-validation.js'
import {
  BANT_CRITERIA,
  CONTACT_ROLES,
  CRITERION_FACTS,
  CRITERION_STATUSES,
  FRAMEWORK_CRITERIA,
  MAX_COMPETITOR_LENGTH,
  MAX_COMPETITORS,
  MAX_NOTE_LENGTH,
  MEDDICC_CRITERIA,
  QUALIFICATION_FRAMEWORKS,
  type AnswerFact,
  type ContactRole,
  type Criterion,
  type CriterionAnswer,
  type CriterionStatus,
  type QualificationFramework,
  type QualificationInput,
} from './qualification.js'

/*
 * Checks qualification answers as they arrive: from the API (POST /leads/:id/qualification)
 * and from the lead journey's update handler, which must refuse bad input before it is
 * accepted into workflow history. Pure and synchronous for that reason.
 */

/** One problem with the input. `pointer` is a JSON pointer into the body, e.g. /criteria/budget/amount. */
export interface QualificationFieldError {
  pointer: string
  message: string
}

export type QualificationInputResult =
  { ok: true; value: QualificationInput } | { ok: false; errors: QualificationFieldError[] }

/**
 * Checks answers from the API or a journey update and returns a fresh, cleaned copy; the
 * input is never modified. Every problem is reported at once, each with a JSON pointer
 * relative to the body, so a form can mark all of its fields in one round trip.
 *
 * - Top level: exactly `framework` (BANT or MEDDICC) and `criteria`; other keys are refused.
 * - `criteria`: an object naming at least one criterion, each of the framework (budget,
 *   authority, need, timeline for BANT; metrics, economicBuyer, decisionCriteria,
 *   decisionProcess, identifyPain, champion, competition for MEDDICC). When the framework
 *   itself is wrong, answers of any known criterion are still checked, so the caller learns
 *   everything at once.
 * - Each answer: `status` (unknown, partial, confirmed, negative) is required; `note` is a
 *   string of at most 2,000 characters; and only the facts of that criterion are allowed:
 *   `amount` (finite, >= 0) and `currency` (three upper-case letters) on budget,
 *   `targetDate` (real date, YYYY-MM-DD) on timeline, `role` on authority, economicBuyer and
 *   champion, `competitors` (up to 20 non-blank names of at most 200 characters) on
 *   competition.
 *
 * Unknown keys are refused rather than dropped: a misspelt field ("ammount") would
 * otherwise vanish and the SDR would believe it had been recorded. Strings are kept as
 * sent (not trimmed): a note is the SDR's own words. A field set to `undefined` counts as
 * absent, as it does once the value has been through JSON.
 */
export function validateQualificationInput(input: unknown): QualificationInputResult {
  const errors: QualificationFieldError[] = []
  const add = (pointer: string, message: string) => errors.push({ pointer, message })

  if (!isObject(input)) {
    add('', 'must be an object with framework and criteria')
    return { ok: false, errors }
  }
  for (const key of Object.keys(input)) {
    if (key !== 'framework' && key !== 'criteria') add(pointer('', key), 'is not allowed')
  }

  const framework = readFramework(input.framework, add)
  const criteria = readCriteria(input.criteria, framework, add)

  if (errors.length > 0 || framework === null) return { ok: false, errors }
  return { ok: true, value: { framework, criteria } }
}

type Add = (pointer: string, message: string) => void

function readFramework(value: unknown, add: Add): QualificationFramework | null {
  if (value === undefined) {
    add('/framework', 'is required: BANT or MEDDICC')
    return null
  }
  if (!(QUALIFICATION_FRAMEWORKS as readonly unknown[]).includes(value)) {
    add('/framework', 'must be BANT or MEDDICC')
    return null
  }
  return value as QualificationFramework
}

const ALL_CRITERIA: readonly Criterion[] = [...BANT_CRITERIA, ...MEDDICC_CRITERIA]

function readCriteria(
  value: unknown,
  framework: QualificationFramework | null,
  add: Add,
): Partial<Record<Criterion, CriterionAnswer>> {
  const cleaned: Partial<Record<Criterion, CriterionAnswer>> = {}
  if (value === undefined) {
    add('/criteria', 'is required: an object of answers by criterion')
    return cleaned
  }
  if (!isObject(value)) {
    add('/criteria', 'must be an object of answers by criterion')
    return cleaned
  }
  const names = Object.keys(value)
  if (names.length === 0) add('/criteria', 'must answer at least one criterion')

  // Without a valid framework, any known criterion is checked; its framework is unknowable.
  const allowed = framework === null ? ALL_CRITERIA : FRAMEWORK_CRITERIA[framework]
  for (const name of names) {
    const at = pointer('/criteria', name)
    if (!(allowed as readonly string[]).includes(name)) {
      add(at, notACriterion(name, framework))
      continue
    }
    const answer = readAnswer(name as Criterion, value[name], at, add)
    if (answer !== null) cleaned[name as Criterion] = answer
  }

  // Framework order, not request order, so equal answers give deep-equal values.
  const ordered: Partial<Record<Criterion, CriterionAnswer>> = {}
  for (const name of ALL_CRITERIA) {
    const answer = cleaned[name]
    if (answer !== undefined) ordered[name] = answer
  }
  return ordered
}

function notACriterion(name: string, framework: QualificationFramework | null): string {
  if (framework === null) return 'is not a qualification criterion'
  const other: QualificationFramework = framework === 'BANT' ? 'MEDDICC' : 'BANT'
  // Naming the other framework points at the usual mistake: the right answer, sent in the wrong call.
  if ((FRAMEWORK_CRITERIA[other] as readonly string[]).includes(name)) {
    return `is a ${other} criterion; send it with framework ${other}`
  }
  return `is not a ${framework} criterion (${FRAMEWORK_CRITERIA[framework].join(', ')})`
}

const FACT_ORDER: readonly AnswerFact[] = ['amount', 'currency', 'targetDate', 'role', 'competitors']

function readAnswer(criterion: Criterion, value: unknown, at: string, add: Add): CriterionAnswer | null {
  if (!isObject(value)) {
    add(at, 'must be an object with a status')
    return null
  }
  const facts = CRITERION_FACTS[criterion]
  for (const key of Object.keys(value)) {
    if (key === 'status' || key === 'note' || (facts as readonly string[]).includes(key)) continue
    add(pointer(at, key), notAField(key, criterion))
  }

  // 'unknown' stands in for an invalid status: the error already recorded keeps it from being returned.
  const answer: CriterionAnswer = {
    status: readStatus(value.status, pointer(at, 'status'), add) ?? 'unknown',
  }
  const note = readNote(value.note, pointer(at, 'note'), add)
  if (note !== undefined) answer.note = note
  for (const fact of FACT_ORDER) {
    if (facts.includes(fact)) readFact(fact, value, answer, pointer(at, fact), add)
  }
  return answer
}

function notAField(key: string, criterion: Criterion): string {
  const owners = ALL_CRITERIA.filter((c) => (CRITERION_FACTS[c] as readonly string[]).includes(key))
  return owners.length === 0
    ? `is not allowed (an answer has status, note${factList(criterion)})`
    : `belongs to ${owners.join(', ')}, not ${criterion}`
}

const factList = (criterion: Criterion) =>
  CRITERION_FACTS[criterion].length === 0 ? '' : `, ${CRITERION_FACTS[criterion].join(', ')}`

function readStatus(value: unknown, at: string, add: Add): CriterionStatus | null {
  if (value === undefined) {
    add(at, `is required: one of ${CRITERION_STATUSES.join(', ')}`)
    return null
  }
  if (!(CRITERION_STATUSES as readonly unknown[]).includes(value)) {
    add(at, `must be one of ${CRITERION_STATUSES.join(', ')}`)
    return null
  }
  return value as CriterionStatus
}

/** Counted in code points, as JSON Schema's maxLength does, so an emoji is one character. */
const length = (s: string) => [...s].length

function readNote(value: unknown, at: string, add: Add): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') add(at, `must be a string of at most ${MAX_NOTE_LENGTH} characters`)
  else if (length(value) > MAX_NOTE_LENGTH) add(at, `must be at most ${MAX_NOTE_LENGTH} characters`)
  else return value
  return undefined
}

/** Checks one fact of the answer and copies it onto `answer` when it is valid. */
function readFact(fact: AnswerFact, raw: Json, answer: CriterionAnswer, at: string, add: Add): void {
  const value = raw[fact]
  if (value === undefined) return
  switch (fact) {
    case 'amount':
      if (typeof value !== 'number' || !Number.isFinite(value)) add(at, 'must be a finite number')
      else if (value < 0) add(at, 'must not be negative')
      // -0 becomes 0: JSON cannot tell them apart, so the stored value must not either.
      else answer.amount = value === 0 ? 0 : value
      return
    case 'currency':
      if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) {
        add(at, 'must be a three-letter upper-case currency code such as INR')
      } else answer.currency = value
      return
    case 'targetDate':
      if (!isCalendarDate(value)) add(at, 'must be a real date in the form YYYY-MM-DD')
      else answer.targetDate = value
      return
    case 'role':
      if (!(CONTACT_ROLES as readonly unknown[]).includes(value)) {
        add(at, `must be one of ${CONTACT_ROLES.join(', ')}`)
      } else answer.role = value as ContactRole
      return
    case 'competitors': {
      const names = readCompetitors(value, at, add)
      if (names !== null) answer.competitors = names
      return
    }
  }
}

function readCompetitors(value: unknown, at: string, add: Add): string[] | null {
  if (!Array.isArray(value)) {
    add(at, 'must be an array of competitor names')
    return null
  }
  const problems: QualificationFieldError[] = []
  if (value.length > MAX_COMPETITORS) {
    problems.push({ pointer: at, message: `must name at most ${MAX_COMPETITORS} competitors` })
  }
  value.forEach((name: unknown, i) => {
    const message = competitorProblem(name)
    if (message !== null) problems.push({ pointer: pointer(at, String(i)), message })
  })
  for (const p of problems) add(p.pointer, p.message)
  return problems.length === 0 ? [...(value as string[])] : null
}

function competitorProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'must be a string'
  // A blank name names nobody, yet would still fire the competition risk.
  if (name.trim() === '') return 'must not be blank'
  if (length(name) > MAX_COMPETITOR_LENGTH) return `must be at most ${MAX_COMPETITOR_LENGTH} characters`
  return null
}

/*
 * The JSON pointer (RFC 6901) of `key` inside the value at `base` ('' is the whole body).
 * "~" is written "~0" and "/" "~1", so a key such as "a/b" still points at itself.
 */
const pointer = (base: string, key: string) => `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
