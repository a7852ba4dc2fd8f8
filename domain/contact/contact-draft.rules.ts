/*
 * What a contact may hold when people create or edit one (conversion copies the lead, which
 * ingestion normalised already). The person's fields go through the lead normalisation, so a
 * contact typed by hand and one converted from a lead store names, emails and phones alike.
 * Pure: the default phone country comes in as an argument.
 */
import { isValidPhoneNumber } from 'libphonenumber-js/max'
import { normaliseCapture } from '../lead/normalise.rules.js'
import { isPlausibleEmail } from '../lead/validate.rules.js'

/** What a contact does in the buying decision (and who receives invoices: billing). */
export const CONTACT_ROLES = ['decision_maker', 'champion', 'influencer', 'billing', 'user'] as const
export type ContactRole = (typeof CONTACT_ROLES)[number]

/**
 * The contact fields people edit. Consent comes from the lead and is read-only here. A type
 * rather than an interface so it passes as a plain record (platform/audit.ts fieldChanges).
 */
export type ContactFields = {
  firstName: string | null
  lastName: string | null
  email: string | null
  phone: string | null
  title: string | null
  roles: ContactRole[]
}

/** A create or an edit: absent is unchanged, null is cleared. */
export type ContactDraft = { [K in keyof ContactFields]?: ContactFields[K] | null | undefined }

export interface ContactFieldError {
  pointer: string
  message: string
}

export type ContactDraftResult =
  { ok: true; values: Partial<ContactFields> } | { ok: false; errors: ContactFieldError[] }

// The receivedAt normaliseCapture wants for a lead; a contact keeps no capture time.
const NO_CAPTURE_TIME = '1970-01-01T00:00:00.000Z'

/**
 * Checks a contact draft and returns the values to store, in canonical form.
 *
 * - names: cleaned, and re-cased only when typed in one case ("ASHA RAO" is "Asha Rao").
 * - email: trimmed, lower case, and a plausible address (isPlausibleEmail).
 * - phone: E.164. A number without a country prefix is read in `defaultCountry` (the
 *   account's country, else India), so "098765 43210" and "+91 98765-43210" are both
 *   +919876543210; a number that libphonenumber does not find valid is refused.
 * - roles: unique values of CONTACT_ROLES (the request schema enforces both), kept in the
 *   order CONTACT_ROLES lists them, so the same set is always stored the same way.
 * - the contact must keep a name: first or last, after the edit (`current` for an edit).
 */
export function checkContactDraft(
  draft: ContactDraft,
  current: ContactFields | null,
  defaultCountry: string,
): ContactDraftResult {
  const errors: ContactFieldError[] = []
  const values: Partial<ContactFields> = {}
  const has = (k: keyof ContactFields) => draft[k] !== undefined

  const person = normaliseCapture(
    {
      channel: 'api',
      firstName: draft.firstName ?? undefined,
      lastName: draft.lastName ?? undefined,
      email: draft.email ?? undefined,
      phone: draft.phone ?? undefined,
      title: draft.title ?? undefined,
    },
    { receivedAt: NO_CAPTURE_TIME, defaultCountry },
  )

  if (has('firstName')) values.firstName = person.firstName
  if (has('lastName')) values.lastName = person.lastName
  if (has('title')) values.title = person.title
  const firstName = has('firstName') ? person.firstName : (current?.firstName ?? null)
  const lastName = has('lastName') ? person.lastName : (current?.lastName ?? null)
  if (firstName === null && lastName === null)
    errors.push({ pointer: '/lastName', message: 'a contact needs a first or a last name' })

  if (has('email')) {
    if (person.email !== null && !isPlausibleEmail(person.email))
      errors.push({ pointer: '/email', message: 'is not a valid email address' })
    else values.email = person.email
  }

  if (has('phone')) {
    if (person.phone !== null && !isValidPhoneNumber(person.phone))
      errors.push({
        pointer: '/phone',
        message: `is not a valid phone number (numbers without +country code are read as ${defaultCountry})`,
      })
    else values.phone = person.phone
  }

  if (has('roles')) {
    const given = new Set(draft.roles ?? [])
    values.roles = CONTACT_ROLES.filter((r) => given.has(r))
  }

  return errors.length ? { ok: false, errors } : { ok: true, values }
}
