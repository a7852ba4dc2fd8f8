import type { DraftLead } from '../lead/draft-lead.js'

/** The person and company fields a merge may fill in on the master. */
export const MERGEABLE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'website',
  'companyDomain',
  'industry',
  'companySize',
  'annualRevenue',
  'country',
  'state',
  'city',
  'budget',
  'authority',
  'need',
  'timeline',
] as const satisfies readonly (keyof DraftLead)[]

export type MergeableLead = Pick<DraftLead, (typeof MERGEABLE_FIELDS)[number]>

/**
 * Merges a duplicate into its master, following the written merge policy:
 *
 * - Empty fields are filled: a master field that is empty (null, or blank text) takes the
 *   duplicate's value.
 * - Nothing is overwritten: a master field with a value keeps it, even when the duplicate
 *   says otherwise; such fields are listed in `kept` so the difference can be shown and
 *   settled by a person.
 * - Engagement is counted, not chosen: the caller sums the two leads' engagement counters.
 * - Attribution is not merged here: the two touch ledgers concatenate, and first and last
 *   touch are computed from the combined ledger (domain/attribution/touch.rules.ts), so
 *   the last touch comes from the ledger whichever lead is the master.
 * - The duplicate is linked to the master (is_duplicate, duplicate_of_id), never dropped.
 *
 * Pure: it returns the patch to apply to the master and changes neither argument.
 *
 * @param master - The lead that survives.
 * @param duplicate - The lead being merged into it.
 * @returns The fields to set on the master, the fields that were filled, and the fields
 *   whose master value was kept although the duplicate differs.
 */
export function mergeLeads<T extends MergeableLead>(
  master: T,
  duplicate: T,
): { patch: Partial<T>; filled: (keyof T)[]; kept: (keyof T)[] } {
  const patch: Partial<T> = {}
  const filled: (keyof T)[] = []
  const kept: (keyof T)[] = []

  for (const field of MERGEABLE_FIELDS) {
    const ours = master[field]
    const theirs = duplicate[field]
    if (isEmpty(theirs)) continue
    if (isEmpty(ours)) {
      copyField(patch, duplicate, field)
      filled.push(field)
    } else if (ours !== theirs) {
      kept.push(field)
    }
  }

  return { patch, filled, kept }
}

function copyField<T, K extends keyof T>(patch: Partial<T>, from: T, field: K): void {
  patch[field] = from[field]
}

// Normalisation stores "no value" as null, but a blank string from an older import or an
// edit says no more about the person than null does; 0 (revenue) is a real value.
function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
}
