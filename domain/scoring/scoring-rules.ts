import { COMPANY_SIZES, type DraftLead } from '../lead/draft-lead.js'
import { at, checkKeys, isObject, oneOf, readString, readStringList } from '../rules/rule-set-validation.js'

/*
 * Scoring rules are versioned data: a rule set is stored as JSON (rule_set.definition),
 * validated by parseScoringRuleSet when it is saved, and every score records the version
 * it was computed with. Replaying a day of decisions means loading that version again, so
 * nothing here may depend on anything but the rule set and the lead.
 */

export const ENGAGEMENT_EVENTS = [
  'emailOpen',
  'emailClick',
  'emailReply',
  'whatsappReply',
  'call',
  'webVisit',
  'eventAttended',
  'meetingBooked',
] as const
export type EngagementEvent = (typeof ENGAGEMENT_EVENTS)[number]

/** Lead fields a fit rule can compare against a list of accepted values. */
export const FIT_LIST_FIELDS = ['companySize', 'industry', 'country', 'currency'] as const
export type FitListField = (typeof FIT_LIST_FIELDS)[number]

/** Fires when the title contains one of the terms as whole words, ignoring case ("VP, Sales" matches "vp"). */
export interface TitleCondition {
  field: 'title'
  matchesAny: string[]
}

/** Fires when the field equals one of the values, ignoring case and surrounding spaces. */
export interface ListCondition {
  field: FitListField
  in: string[]
}

/** Fires when annual revenue is at least the amount, in whatever currency the lead states (no conversion). */
export interface RevenueCondition {
  field: 'annualRevenue'
  atLeast: number
}

/** Gives the rule's points scaled by the share of these fields that are filled. */
export interface CompletenessCondition {
  completeness: (keyof DraftLead)[]
}

/** Fires when the lead's email is (true) or is not (false) on a free-mail domain. */
export interface FreeEmailCondition {
  field: 'freeEmail'
  equals: boolean
}

export type FitCondition =
  TitleCondition | ListCondition | RevenueCondition | CompletenessCondition | FreeEmailCondition

/** Who the lead is: points for matching the ideal customer profile. Points may be negative. */
export interface FitRule {
  id: string
  label: string
  points: number
  when: FitCondition
}

/** What the lead did: `pointsEach` per event, at most `max` from this rule. */
export interface EngagementRule {
  id: string
  label: string
  event: EngagementEvent
  pointsEach: number
  max: number
}

/**
 * Fit and engagement are capped separately (fitMax, engagementMax) and the caps add up
 * to 100, so the score is an integer 0..100 however generous the individual rules are.
 */
export interface ScoringRuleSet {
  version: number
  fitMax: number
  engagementMax: number
  fit: FitRule[]
  engagement: EngagementRule[]
}

/** Thrown by parseScoringRuleSet; `issues` holds one "path message" entry per problem found. */
export class ScoringRuleSetError extends Error {
  override readonly name = 'ScoringRuleSetError'
  readonly issues: readonly string[]

  constructor(issues: readonly string[]) {
    super(`Invalid scoring rule set: ${issues.join('; ')}`)
    this.issues = issues
  }
}

/*
 * Every DraftLead field, as a value: completeness rules name fields in stored JSON, so the
 * names must be checkable at run time. Typing it as a Record makes the compiler flag this
 * list when DraftLead gains or loses a field.
 */
const DRAFT_LEAD_FIELDS: Record<keyof DraftLead, true> = {
  channel: true,
  receivedAt: true,
  externalId: true,
  firstName: true,
  lastName: true,
  email: true,
  emailDomain: true,
  freeEmail: true,
  phone: true,
  phoneCountry: true,
  phoneType: true,
  company: true,
  title: true,
  website: true,
  companyDomain: true,
  industry: true,
  companySize: true,
  annualRevenue: true,
  currency: true,
  country: true,
  state: true,
  city: true,
  budget: true,
  authority: true,
  need: true,
  timeline: true,
  honeypot: true,
}

function readNumber(
  v: unknown,
  path: string,
  issues: string[],
  opts: { integer?: boolean; min?: number },
): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push(`${path} must be a number`)
    return 0
  }
  if (opts.integer && !Number.isInteger(v)) issues.push(`${path} must be an integer`)
  if (opts.min !== undefined && v < opts.min) issues.push(`${path} must be at least ${opts.min}`)
  return v
}

function readArray(v: unknown, path: string, issues: string[]): unknown[] {
  if (!Array.isArray(v)) {
    issues.push(`${path} must be an array`)
    return []
  }
  return v
}

function parseCondition(v: unknown, path: string, issues: string[]): FitCondition {
  if (!isObject(v)) {
    issues.push(`${path} must be an object`)
    return { completeness: [] }
  }
  if ('completeness' in v) {
    checkKeys(v, ['completeness'], path, issues)
    const fields = readStringList(v.completeness, at(path, 'completeness'), issues)
    fields.forEach((f, i) => {
      if (f !== '' && !Object.hasOwn(DRAFT_LEAD_FIELDS, f)) {
        issues.push(`${path}.completeness[${i}] must be a lead field, not "${f}"`)
      }
    })
    return { completeness: fields as (keyof DraftLead)[] }
  }
  const field = v.field
  switch (field) {
    case 'title':
      checkKeys(v, ['field', 'matchesAny'], path, issues)
      return { field, matchesAny: readStringList(v.matchesAny, at(path, 'matchesAny'), issues) }
    case 'annualRevenue':
      checkKeys(v, ['field', 'atLeast'], path, issues)
      return { field, atLeast: readNumber(v.atLeast, at(path, 'atLeast'), issues, { min: 0 }) }
    case 'freeEmail':
      checkKeys(v, ['field', 'equals'], path, issues)
      if (typeof v.equals !== 'boolean') issues.push(`${path}.equals must be a boolean`)
      return { field, equals: v.equals === true }
    case 'companySize':
    case 'industry':
    case 'country':
    case 'currency': {
      checkKeys(v, ['field', 'in'], path, issues)
      const values = readStringList(v.in, at(path, 'in'), issues)
      if (field === 'companySize') {
        // Sizes are fixed buckets; a value outside them ("50-200") could never match.
        values.forEach((s, i) => {
          if (s !== '' && !(COMPANY_SIZES as readonly string[]).includes(s)) {
            issues.push(`${path}.in[${i}] ${oneOf(COMPANY_SIZES)}`)
          }
        })
      }
      return { field, in: values }
    }
    default:
      issues.push(
        `${path}.field ${oneOf(['title', ...FIT_LIST_FIELDS, 'annualRevenue', 'freeEmail'])} (or use completeness)`,
      )
      return { completeness: [] }
  }
}

function parseFitRule(v: unknown, path: string, issues: string[]): FitRule {
  if (!isObject(v)) {
    issues.push(`${path} must be an object`)
    return { id: '', label: '', points: 0, when: { completeness: [] } }
  }
  checkKeys(v, ['id', 'label', 'points', 'when'], path, issues)
  return {
    id: readString(v.id, at(path, 'id'), issues),
    label: readString(v.label, at(path, 'label'), issues),
    points: readNumber(v.points, at(path, 'points'), issues, { integer: true }),
    when: parseCondition(v.when, at(path, 'when'), issues),
  }
}

function parseEngagementRule(v: unknown, path: string, issues: string[]): EngagementRule {
  if (!isObject(v)) {
    issues.push(`${path} must be an object`)
    return { id: '', label: '', event: 'emailOpen', pointsEach: 0, max: 0 }
  }
  checkKeys(v, ['id', 'label', 'event', 'pointsEach', 'max'], path, issues)
  const event = v.event
  if (!(ENGAGEMENT_EVENTS as readonly unknown[]).includes(event)) {
    issues.push(`${path}.event ${oneOf(ENGAGEMENT_EVENTS)}`)
  }
  return {
    id: readString(v.id, at(path, 'id'), issues),
    label: readString(v.label, at(path, 'label'), issues),
    event: event as EngagementEvent,
    // Engagement only ever adds: negative signals (unsubscribes, bounces) belong to fit or lifecycle rules.
    pointsEach: readNumber(v.pointsEach, at(path, 'pointsEach'), issues, { integer: true, min: 0 }),
    max: readNumber(v.max, at(path, 'max'), issues, { integer: true, min: 0 }),
  }
}

/**
 * Checks stored or submitted JSON against the ScoringRuleSet shape and returns a fresh copy.
 * Call it when a rule set is saved and again when it is loaded, so a hand-edited row cannot
 * reach scoreLead.
 *
 * Points are integers and fitMax + engagementMax must be 100, which is what keeps every score
 * an integer 0..100. Rule ids must be unique across fit and engagement, because a score's
 * breakdown names rules by id.
 *
 * @throws ScoringRuleSetError listing every problem with its path, e.g. "fit[2].points must be a number".
 */
export function parseScoringRuleSet(data: unknown): ScoringRuleSet {
  const issues: string[] = []
  if (!isObject(data)) throw new ScoringRuleSetError(['rule set must be an object'])
  checkKeys(data, ['version', 'fitMax', 'engagementMax', 'fit', 'engagement'], '', issues)

  const version = readNumber(data.version, 'version', issues, { integer: true, min: 1 })
  const fitMax = readNumber(data.fitMax, 'fitMax', issues, { integer: true, min: 0 })
  const engagementMax = readNumber(data.engagementMax, 'engagementMax', issues, { integer: true, min: 0 })
  if (
    typeof data.fitMax === 'number' &&
    typeof data.engagementMax === 'number' &&
    fitMax + engagementMax !== 100
  ) {
    issues.push(`fitMax + engagementMax must be 100 (got ${fitMax + engagementMax})`)
  }

  const fit = readArray(data.fit, 'fit', issues).map((r, i) => parseFitRule(r, `fit[${i}]`, issues))
  const engagement = readArray(data.engagement, 'engagement', issues).map((r, i) =>
    parseEngagementRule(r, `engagement[${i}]`, issues),
  )

  const seen = new Map<string, string>()
  const ids = [
    ...fit.map((r, i) => [r.id, `fit[${i}]`] as const),
    ...engagement.map((r, i) => [r.id, `engagement[${i}]`] as const),
  ]
  for (const [id, path] of ids) {
    if (id === '') continue
    const first = seen.get(id)
    if (first !== undefined) issues.push(`${path}.id "${id}" is already used by ${first}`)
    else seen.set(id, path)
  }

  if (issues.length > 0) throw new ScoringRuleSetError(issues)
  return { version, fitMax, engagementMax, fit, engagement }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/*
 * The starting profile for Indian and global B2B teams. It is frozen because every process
 * shares this one object: copy it to make a new version, never edit it in place.
 * The fit rules add up to exactly fitMax (20 + 15 + 10 + 15) for an ideal lead; a senior title
 * that also contains a mid-level word ("Senior Director") collects both and is capped.
 */
export const DEFAULT_SCORING_RULES: ScoringRuleSet = deepFreeze<ScoringRuleSet>({
  version: 1,
  fitMax: 60,
  engagementMax: 40,
  fit: [
    {
      id: 'title-senior',
      label: 'Senior title',
      points: 20,
      when: {
        field: 'title',
        matchesAny: [
          'ceo',
          'cto',
          'cfo',
          'coo',
          'cio',
          'cmo',
          'cxo',
          'chief',
          'founder',
          'owner',
          'president',
          'vp',
          'director',
          'managing director',
          'md',
          'head',
        ],
      },
    },
    {
      id: 'title-mid',
      label: 'Mid-level title',
      points: 10,
      // "sr" so that the common abbreviation "Sr. Manager" counts like "Senior Manager".
      when: { field: 'title', matchesAny: ['manager', 'lead', 'architect', 'senior', 'sr'] },
    },
    {
      id: 'size-mid',
      label: 'Mid-size company (51-200)',
      points: 10,
      when: { field: 'companySize', in: ['51-200'] },
    },
    {
      id: 'size-large',
      label: 'Large company (201+)',
      points: 15,
      when: { field: 'companySize', in: ['201-500', '501-1000', '1001-5000', '5001+'] },
    },
    {
      id: 'industry-target',
      label: 'Target industry',
      points: 10,
      when: {
        field: 'industry',
        in: [
          'software',
          'it services',
          'saas',
          'fintech',
          'banking',
          'manufacturing',
          'healthcare',
          'education',
          'retail',
          'e-commerce',
        ],
      },
    },
    {
      id: 'completeness',
      label: 'Profile completeness',
      points: 15,
      when: {
        completeness: [
          'firstName',
          'lastName',
          'email',
          'phone',
          'company',
          'title',
          'companyDomain',
          'country',
        ],
      },
    },
    {
      id: 'free-email',
      label: 'Free email address',
      points: -5,
      when: { field: 'freeEmail', equals: true },
    },
  ],
  // Replies, calls, events and meetings have no cap of their own (max = engagementMax): one
  // strong signal is worth its points and the engagementMax cap bounds the total.
  engagement: [
    { id: 'email-open', label: 'Email opens', event: 'emailOpen', pointsEach: 5, max: 15 },
    { id: 'email-click', label: 'Email clicks', event: 'emailClick', pointsEach: 10, max: 20 },
    { id: 'email-reply', label: 'Email replies', event: 'emailReply', pointsEach: 15, max: 40 },
    { id: 'whatsapp-reply', label: 'WhatsApp replies', event: 'whatsappReply', pointsEach: 15, max: 40 },
    { id: 'call', label: 'Calls', event: 'call', pointsEach: 10, max: 40 },
    { id: 'web-visit', label: 'Web visits', event: 'webVisit', pointsEach: 2, max: 10 },
    { id: 'event-attended', label: 'Events attended', event: 'eventAttended', pointsEach: 15, max: 40 },
    { id: 'meeting-booked', label: 'Meetings booked', event: 'meetingBooked', pointsEach: 25, max: 40 },
  ],
})
