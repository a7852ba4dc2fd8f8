import {
  RESTRICTABLE_FIELDS,
  type FieldAccess,
  type FieldRules,
  type RestrictableObject,
} from './roles.rules.js'

/*
 * What a role's field rules mean, for reads and for writes:
 * - hidden: the field reads as null (one record, a list, an export) and no write of the
 *   role may set it: a value you may not see is not yours to overwrite or to probe by
 *   writing it and watching for a conflict;
 * - read_only: the field reads as usual; a change to an existing record may not set it.
 *   Creating a record may: the built-in roles that lock a field also create those records
 *   and must state it then (an SDR converts a lead into a deal, whose amount is required,
 *   but may not change that amount afterwards).
 * Only RESTRICTABLE_FIELDS count: those are nullable in every response schema, so null is a
 * valid answer wherever they appear. A rule naming any other field is ignored here (the
 * role settings refuse it).
 */

/**
 * What a request body does with the record's fields: creates a record, changes one, or
 * searches by them (a duplicate check). A search by a hidden field is refused like a write:
 * its answer would say whether a lead with that phone exists.
 */
export type BodyUse = 'create' | 'update' | 'search'

export const isRestrictable = (object: string): object is RestrictableObject =>
  Object.hasOwn(RESTRICTABLE_FIELDS, object)

const isRestrictableField = (object: RestrictableObject, field: string) =>
  (RESTRICTABLE_FIELDS[object] as readonly string[]).includes(field)

/**
 * Fields that repeat part of a restrictable field and go with it: a lead's email domain is
 * the second half of its email.
 */
export const DERIVED_FIELDS: Partial<
  Record<RestrictableObject, Readonly<Record<string, readonly string[]>>>
> = {
  lead: { email: ['emailDomain'] },
}

/** The fields of `object` a role with `rules` reads as null, derived ones included. */
export function hiddenFields(rules: FieldRules, object: RestrictableObject): string[] {
  const hidden: string[] = []
  for (const [field, access] of Object.entries(rules[object] ?? {})) {
    if (access !== 'hidden' || !isRestrictableField(object, field)) continue
    hidden.push(field, ...(DERIVED_FIELDS[object]?.[field] ?? []))
  }
  return hidden
}

/** The fields of `object` a role with `rules` may not send in a body used so, with the rule that says so. */
export function unwritableFields(
  rules: FieldRules,
  object: RestrictableObject,
  use: BodyUse,
): Map<string, FieldAccess> {
  const refused = new Map<string, FieldAccess>()
  for (const [field, access] of Object.entries(rules[object] ?? {})) {
    if (!isRestrictableField(object, field)) continue
    if (access === 'hidden' || (access === 'read_only' && use === 'update')) refused.set(field, access)
  }
  return refused
}

/** Why a field may not be written, as a person reads it. */
export function refusalMessage(access: FieldAccess, role: string): string {
  return access === 'hidden'
    ? `is hidden from your role (${role}), so it cannot be set or searched by`
    : `is read-only for your role (${role}): it can be set when the record is created, not changed`
}
