import { MAX_OPPORTUNITY_AMOUNT } from '../opportunity/pipeline.rules.js'
import { parseCalendarDate } from '../time/calendar-date.rules.js'

/*
 * What a contract's terms must satisfy. The request schema already checks types and
 * formats; these are the rules between fields and against today.
 */

export const CONTRACT_KINDS = ['amc', 'subscription', 'licence', 'support'] as const
export type ContractKind = (typeof CONTRACT_KINDS)[number]

export const CONTRACT_STATUSES = ['active', 'renewed', 'expired', 'cancelled'] as const
export type ContractStatus = (typeof CONTRACT_STATUSES)[number]

export const DEFAULT_RENEWAL_LEAD_DAYS = 90
export const MAX_RENEWAL_LEAD_DAYS = 365

export interface FieldError {
  pointer: string
  message: string
}

export interface ContractTermsInput {
  startDate?: string | undefined
  endDate?: string | undefined
  value?: number | undefined
  renewalLeadDays?: number | undefined
}

/**
 * Every problem with a contract's terms (pointers relative to the body); empty when valid.
 * Only the fields given are checked, so a partial update passes the stored values for the
 * rest.
 *
 * - startDate, endDate: real calendar dates; the end after the start (a contract covers at
 *   least two days: start and end are both covered) and not before `today`: a contract that
 *   has already ended cannot be activated or moved into the past.
 * - value: at least 0, at most two decimals, below the amount a double holds to the cent.
 * - renewalLeadDays: an integer from 0 to 365.
 */
export function validateContractTerms(t: ContractTermsInput, today: string): FieldError[] {
  const errors: FieldError[] = []
  const add = (pointer: string, message: string) => errors.push({ pointer, message })
  const start = t.startDate === undefined ? undefined : parseCalendarDate(t.startDate)
  const end = t.endDate === undefined ? undefined : parseCalendarDate(t.endDate)
  if (start === null) add('/startDate', 'must be a real date in the form YYYY-MM-DD')
  if (end === null) add('/endDate', 'must be a real date in the form YYYY-MM-DD')
  if (t.endDate !== undefined && end) {
    if (t.startDate !== undefined && start && t.endDate <= t.startDate)
      add('/endDate', `must be after the start date (${t.startDate})`)
    else if (t.endDate < today) add('/endDate', `must not be before today (${today})`)
  }
  if (t.value !== undefined) {
    if (!Number.isFinite(t.value) || t.value < 0) add('/value', 'must be a number of at least 0')
    else if (t.value > MAX_OPPORTUNITY_AMOUNT) add('/value', `must be at most ${MAX_OPPORTUNITY_AMOUNT}`)
    else if (Math.round(t.value * 100) / 100 !== t.value) add('/value', 'must have at most 2 decimals')
  }
  if (
    t.renewalLeadDays !== undefined &&
    (!Number.isInteger(t.renewalLeadDays) ||
      t.renewalLeadDays < 0 ||
      t.renewalLeadDays > MAX_RENEWAL_LEAD_DAYS)
  )
    add('/renewalLeadDays', `must be an integer from 0 to ${MAX_RENEWAL_LEAD_DAYS}`)
  return errors
}
