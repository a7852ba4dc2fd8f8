import { CONTACT_ROLES, type CriterionAnswer, type CriterionStatus } from './lead.types'

/*
 * The qualification form's model: each criterion's answer as the inputs hold it (strings),
 * and the API body built from the criteria someone answered. Kept apart from the markup so
 * the rules (which facts belong to which criterion) sit in one place, as in the domain.
 */

export type Framework = 'BANT' | 'MEDDICC'

export const CRITERIA: Record<Framework, readonly string[]> = {
  BANT: ['budget', 'authority', 'need', 'timeline'],
  MEDDICC: [
    'metrics',
    'economicBuyer',
    'decisionCriteria',
    'decisionProcess',
    'identifyPain',
    'champion',
    'competition',
  ],
}

export const CRITERION_LABELS: Record<string, { label: string; hint: string }> = {
  budget: { label: 'Budget', hint: 'Can they pay for it?' },
  authority: { label: 'Authority', hint: 'Is this person part of the decision?' },
  need: { label: 'Need', hint: 'Do they have a problem we solve?' },
  timeline: { label: 'Timeline', hint: 'When do they want to buy or go live?' },
  metrics: { label: 'Metrics', hint: 'The numbers the buyer will judge success by.' },
  economicBuyer: { label: 'Economic buyer', hint: 'Who signs off the money.' },
  decisionCriteria: { label: 'Decision criteria', hint: 'How they will choose.' },
  decisionProcess: { label: 'Decision process', hint: 'The steps and people to a signature.' },
  identifyPain: { label: 'Identified pain', hint: 'The pain that makes them act now.' },
  champion: { label: 'Champion', hint: 'Who sells for us inside.' },
  competition: { label: 'Competition', hint: 'Who else they are considering.' },
}

/** Which facts a criterion carries besides status and note (domain/qualification CRITERION_FACTS). */
export function factsOf(
  criterion: string,
): readonly ('amount' | 'currency' | 'targetDate' | 'role' | 'competitors')[] {
  switch (criterion) {
    case 'budget':
      return ['amount', 'currency']
    case 'timeline':
      return ['targetDate']
    case 'authority':
    case 'economicBuyer':
    case 'champion':
      return ['role']
    case 'competition':
      return ['competitors']
    default:
      return []
  }
}

export interface AnswerDraft {
  status: CriterionStatus | ''
  note: string
  amount: string
  currency: string
  targetDate: string
  role: string
  competitors: string
}

export const EMPTY_DRAFT: AnswerDraft = {
  status: '',
  note: '',
  amount: '',
  currency: 'INR',
  targetDate: '',
  role: '',
  competitors: '',
}

export function draftFrom(answer: CriterionAnswer | undefined): AnswerDraft {
  if (!answer) return { ...EMPTY_DRAFT }
  return {
    status: answer.status,
    note: answer.note ?? '',
    amount: answer.amount !== undefined ? String(answer.amount) : '',
    currency: answer.currency ?? 'INR',
    targetDate: answer.targetDate ?? '',
    role: answer.role ?? '',
    competitors: answer.competitors?.join(', ') ?? '',
  }
}

/** The answers to send: only criteria with a status; facts only when filled in. */
export function toBody(framework: Framework, drafts: Record<string, AnswerDraft>) {
  const criteria: Record<string, CriterionAnswer> = {}
  for (const c of CRITERIA[framework]) {
    const d = drafts[c]
    if (!d || d.status === '') continue
    const facts = factsOf(c)
    const answer: CriterionAnswer = { status: d.status }
    if (d.note.trim()) answer.note = d.note.trim()
    if (facts.includes('amount') && d.amount.trim() !== '') {
      answer.amount = Number(d.amount)
      answer.currency = d.currency.trim().toUpperCase() || 'INR'
    }
    if (facts.includes('targetDate') && d.targetDate) answer.targetDate = d.targetDate
    if (facts.includes('role') && d.role) answer.role = d.role
    if (facts.includes('competitors') && d.competitors.trim())
      answer.competitors = d.competitors
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    criteria[c] = answer
  }
  return { framework, criteria }
}

export const ROLE_OPTIONS = [
  { value: '', label: 'Not known' },
  ...CONTACT_ROLES.filter((r) => r !== 'unknown').map((r) => ({
    value: r,
    label: r.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
  })),
]

export const STATUS_OPTIONS = [
  { value: '', label: 'Not answered' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'partial', label: 'Partial' },
  { value: 'unknown', label: 'Unknown' },
  { value: 'negative', label: 'Negative' },
]
