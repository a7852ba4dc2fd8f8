import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { DraftLead, ValidationIssue } from './draft-lead.js'
import type { LeadCapture, LeadChannel } from './lead-capture.js'
import { cleanText, isDisposableEmailDomain } from './normalise.rules.js'

export interface ValidationPolicy {
  /** Refuse a lead that has neither an email nor a phone: nobody could follow it up. */
  requireContactPoint: boolean
  /** ISO 3166-1 alpha-2 codes where a lead is refused unless the capture carries granted consent. */
  requireConsentCountries: string[]
  /** Channels whose captures are refused unless they carry granted consent. */
  requireConsentChannels: LeadChannel[]
}

/**
 * Marketing to people in the EU/EEA needs a lawful basis, and for marketing that is consent
 * the controller can demonstrate (GDPR Art. 6(1)(a) and Art. 7(1),
 * https://eur-lex.europa.eu/eli/reg/2016/679/oj). The EEA Agreement extends the GDPR to
 * Iceland, Liechtenstein and Norway (https://www.efta.int/eea-lex/32016R0679), and the UK
 * kept it as the UK GDPR (https://www.legislation.gov.uk/eur/2016/679/contents).
 */
export const DEFAULT_VALIDATION_POLICY: ValidationPolicy = {
  requireContactPoint: true,
  requireConsentCountries: [
    // EU 27
    'AT',
    'BE',
    'BG',
    'HR',
    'CY',
    'CZ',
    'DK',
    'EE',
    'FI',
    'FR',
    'DE',
    'GR',
    'HU',
    'IE',
    'IT',
    'LV',
    'LT',
    'LU',
    'MT',
    'NL',
    'PL',
    'PT',
    'RO',
    'SK',
    'SI',
    'ES',
    'SE',
    // EEA
    'IS',
    'LI',
    'NO',
    // UK GDPR
    'GB',
  ],
  requireConsentChannels: [],
}

const NAME_MAX = 100

/**
 * Checks a normalised lead against the capture it came from. Errors mean the capture is refused;
 * warnings are kept on the lead for a human to look at. Issues come in a fixed order (errors,
 * then warnings), so the same input always yields the same list.
 *
 * @param draft the capture after normaliseCapture()
 * @param capture the capture as received, to tell "absent" from "present but unusable"
 * @param policy which checks are errors for this workspace
 */
export function validateLead(
  draft: DraftLead,
  capture: LeadCapture,
  policy: ValidationPolicy,
): ValidationIssue[] {
  const errors: ValidationIssue[] = []
  const warnings: ValidationIssue[] = []
  const error = (field: string, code: string, message: string) =>
    errors.push({ field, code, message, severity: 'error' })
  const warn = (field: string, code: string, message: string) =>
    warnings.push({ field, code, message, severity: 'warning' })

  if (policy.requireContactPoint && draft.email === null && draft.phone === null) {
    error(
      'email',
      'contact_required',
      'An email address or a phone number is required to follow up on this lead.',
    )
  }

  if (draft.email !== null && !isPlausibleEmail(draft.email)) {
    // The address itself stays out of the message: messages travel into logs and problem details.
    error(
      'email',
      'email_invalid',
      'The email address is not valid: check for typos such as a missing "@" or domain.',
    )
  }

  if (draft.phone !== null) {
    const problem = phoneProblem(draft.phone, draft.phoneCountry ?? draft.country)
    if (problem !== null) error('phone', 'phone_invalid', problem)
  }

  const consent = consentProblem(draft, capture, policy)
  if (consent !== null) error('consent', 'consent_required', consent)

  const host = emailHost(draft.email)
  if (host !== null && isDisposableEmailDomain(host)) {
    warn(
      'email',
      'email_disposable',
      `The email address uses ${host}, a throwaway mailbox service; the person may never read what we send.`,
    )
  }

  const rawCountry = cleanText(capture.country)
  if (rawCountry !== null && draft.country === null) {
    warn(
      'country',
      'country_unknown',
      `The country "${rawCountry}" was not recognised, so the lead has no country. Use an ISO code such as IN or an English name such as India.`,
    )
  }

  const rawWebsite = cleanText(capture.website)
  if (rawWebsite !== null && draft.website === null) {
    warn(
      'website',
      'website_invalid',
      `The website "${rawWebsite}" is not a web address we can read, so it was not used to identify the company.`,
    )
  }

  for (const [field, label, value] of [
    ['firstName', 'first name', draft.firstName],
    ['lastName', 'last name', draft.lastName],
  ] as const) {
    if (value !== null && [...value].length > NAME_MAX) {
      warn(
        field,
        'name_long',
        `The ${label} is longer than ${NAME_MAX} characters; check that it was entered in the right field.`,
      )
    }
  }

  if (
    capture.companySize !== undefined &&
    cleanText(capture.companySize) !== null &&
    draft.companySize === null
  ) {
    warn(
      'companySize',
      'company_size_unknown',
      `The company size "${cleanText(capture.companySize)}" could not be read as a number of employees, so it was left empty.`,
    )
  }

  if (capture.annualRevenue !== undefined && draft.annualRevenue === null) {
    warn(
      'annualRevenue',
      'revenue_invalid',
      'The annual revenue is not a positive amount, so it was left empty.',
    )
  }

  const rawCurrency = cleanText(capture.currency)
  if (rawCurrency !== null && draft.currency === null) {
    warn(
      'currency',
      'currency_unknown',
      `The currency "${rawCurrency}" is not a three-letter ISO 4217 code such as INR or USD, so it was left empty.`,
    )
  }

  return [...errors, ...warnings]
}

// atext from RFC 5322 section 3.2.3; the local part is a dot-string (RFC 5321 section 4.1.2).
// Quoted local parts and internationalised addresses (RFC 6531) are valid but so rare in
// lead forms that accepting them would mostly let typos through.
const ATEXT = "[a-z0-9!#$%&'*+/=?^_`{|}~-]"
const LOCAL_PART = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`, 'i')
// RFC 1035 section 2.3.1 labels (letters, digits, inner hyphens; RFC 1123 allows a leading digit).
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/**
 * A pragmatic RFC 5321 address check: the limits are the RFC's (local part 64 octets,
 * section 4.5.3.1.1; whole path 256 octets less the angle brackets, RFC 3696 errata 1690,
 * https://www.rfc-editor.org/errata/eid1690), and the domain must be a dotted host name with
 * an alphabetic top-level label.
 */
export function isPlausibleEmail(email: string): boolean {
  if (email.length > 254) return false
  const at = email.indexOf('@')
  if (at <= 0 || at !== email.lastIndexOf('@')) return false
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  if (local.length > 64 || !LOCAL_PART.test(local)) return false
  if (domain.length > 253) return false
  const labels = domain.split('.')
  const tld = labels[labels.length - 1]
  return (
    labels.length >= 2 &&
    labels.every((l) => DOMAIN_LABEL.test(l)) &&
    tld !== undefined &&
    /^[a-z]{2,}$/i.test(tld)
  )
}

function emailHost(email: string | null): string | null {
  const at = email?.lastIndexOf('@') ?? -1
  const host = at < 0 ? '' : (email?.slice(at + 1) ?? '')
  return host === '' ? null : host
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' })

function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code
  } catch {
    return code
  }
}

/** Null when `phone` is a valid number; otherwise the sentence that explains it. */
function phoneProblem(phone: string, region: string | null): string | null {
  const fallback = region !== null && isSupportedCountry(region) ? region : undefined
  const parsed = parsePhoneNumberFromString(phone, fallback)
  if (parsed?.isValid() === true) return null
  // An invalid number has no country of its own; its calling code still names the main
  // country (+44 -> GB, +1 -> US), and a national number was read in the lead's country.
  const country =
    parsed?.country ??
    parsed?.getPossibleCountries()[0] ??
    (phone.trim().startsWith('+') ? undefined : (fallback ?? undefined))
  return country === undefined
    ? 'The phone number is not valid: check the digits and include the country code (for example +91).'
    : `The phone number is not a valid number for its country (${countryName(country)}): check the digits and the country code.`
}

/**
 * Where a rule requires it, a capture must say what the person answered about consent.
 * An explicit "no" is an answer: the lead is kept with consent denied and no marketing
 * reaches them (someone asking for a quote may decline newsletters; GDPR Art. 6(1)(b)
 * still lets us answer them). Only a capture with no consent evidence at all is refused.
 */
function consentProblem(draft: DraftLead, capture: LeadCapture, policy: ValidationPolicy): string | null {
  if (capture.consent !== undefined) return null
  // A lead without a country but with, say, a +49 number is as likely to be in the EU as
  // one that typed "Germany"; erring towards asking for consent is the safe side of GDPR.
  const country = draft.country ?? draft.phoneCountry
  const reason =
    country !== null && policy.requireConsentCountries.includes(country)
      ? `for leads in ${countryName(country)}`
      : policy.requireConsentChannels.includes(capture.channel)
        ? `for leads from the ${capture.channel.replace(/_/g, ' ')} channel`
        : null
  if (reason === null) return null
  return `Marketing consent is required ${reason}, and none was recorded with this lead.`
}
