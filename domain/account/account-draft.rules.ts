/*
 * What an account may hold: the checks and canonical forms for an account created or edited
 * by hand (the API), beyond what the request schema already enforces (types, lengths,
 * enums). Pure: the current values come in as an argument, the answer depends on them alone.
 * Whether the owner exists and whether the domain or GSTIN is taken are look-ups, made by the
 * caller (crm/accounts.ts).
 */
import { cleanText, normaliseCountry } from '../lead/normalise.rules.js'
import { accountMatchKeys } from './account-match.rules.js'
import { GST_STATE_CODES, parseGstin } from './gstin.rules.js'

export const ACCOUNT_TYPES = ['prospect', 'customer', 'partner', 'vendor', 'other'] as const
export type AccountType = (typeof ACCOUNT_TYPES)[number]

/*
 * Amounts arrive as JSON numbers (doubles) and are stored as DECIMAL(18,2): beyond 2^53
 * paise a double no longer holds every paisa, so "at most two decimals" could not be checked.
 */
export const MAX_ANNUAL_REVENUE = Number.MAX_SAFE_INTEGER / 100

/**
 * The account fields people edit; lifecycle stage and health belong to the lifecycle workflow.
 * A type rather than an interface so it passes as a plain record (platform/audit.ts fieldChanges).
 */
export type AccountFields = {
  name: string
  type: string
  industry: string | null
  companySize: string | null
  annualRevenue: number | null
  currency: string | null
  domain: string | null
  gstin: string | null
  addressLine1: string | null
  addressLine2: string | null
  city: string | null
  state: string | null
  postalCode: string | null
  country: string | null
  stateCode: string | null
  ownerId: string | null
}

/** A create (every field may be given) or an edit (absent: unchanged; null: cleared). */
export type AccountDraft = { [K in keyof AccountFields]?: AccountFields[K] | null | undefined }

/** One refused field; `pointer` is relative to the draft ('/gstin'). */
export interface AccountFieldError {
  pointer: string
  message: string
}

export type AccountDraftResult =
  { ok: true; values: Partial<AccountFields> } | { ok: false; errors: AccountFieldError[] }

const GSTIN_PROBLEMS = {
  format: 'is not a GSTIN: 15 characters, 2-digit state code, PAN, entity number, Z, check character',
  state_code: 'starts with a state code GST does not know',
  checksum: 'fails its check character (a mistyped character?)',
} as const

// India Post PIN codes: six digits, never starting with 0 (https://www.indiapost.gov.in).
const INDIAN_PIN = /^[1-9][0-9]{5}$/

const TEXT_FIELDS = [
  'industry',
  'companySize',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'ownerId',
] as const

/**
 * Checks an account draft and returns the values to store, in canonical form.
 *
 * `current` is the stored account for an edit and null for a create; only the fields in
 * `draft` are returned (plus a derived `stateCode`), so an edit writes what it changed.
 *
 * - name: text, spaces collapsed, not blank.
 * - domain: reduced to the registrable domain, lower case (`https://www.Acme.co.in/` is
 *   `acme.co.in`); a free-mail provider, a host with no public suffix or an IP is refused,
 *   the same rule conversion matches leads to accounts by (account-match.rules.ts).
 * - gstin: upper-cased and checked by parseGstin (format, state code, check character).
 * - stateCode: the GST state code of the billing address. A GSTIN given without one sets it
 *   to the GSTIN's first two digits; given with one (or against a stored GSTIN), the two must
 *   agree, since the place of supply on every invoice comes from it. It cannot be cleared
 *   while the account has a GSTIN.
 * - annualRevenue: at least 0, at most two decimals, with a currency (stored or given).
 * - country: an ISO 3166-1 alpha-2 code in use; postalCode of an Indian address is a PIN.
 * - other text: spaces collapsed, blank is null.
 */
export function checkAccountDraft(draft: AccountDraft, current: AccountFields | null): AccountDraftResult {
  const errors: AccountFieldError[] = []
  const add = (pointer: string, message: string) => errors.push({ pointer, message })
  const values: Partial<AccountFields> = {}
  const has = (k: keyof AccountFields) => draft[k] !== undefined

  if (has('name')) {
    const name = cleanText(draft.name)
    if (name === null) add('/name', 'must not be blank')
    else values.name = name
  }
  if (has('type')) {
    if (draft.type === null) add('/type', `must be one of ${ACCOUNT_TYPES.join(', ')}`)
    else values.type = draft.type
  }
  for (const field of TEXT_FIELDS) if (has(field)) values[field] = cleanText(draft[field])

  if (has('domain')) {
    const raw = cleanText(draft.domain)
    const domain = raw === null ? null : accountMatchKeys({ companyDomain: raw }).domain
    if (raw !== null && domain === null)
      add('/domain', 'must be a company domain such as acme.co.in (not a free-mail provider or an IP)')
    else values.domain = domain
  }

  let gstinState: string | null = current?.gstin ? current.gstin.slice(0, 2) : null
  if (has('gstin')) {
    const raw = cleanText(draft.gstin)
    const parsed = raw === null ? null : parseGstin(raw)
    if (parsed === null) {
      values.gstin = null
      gstinState = null
    } else if (parsed.ok) {
      values.gstin = parsed.gstin
      gstinState = parsed.stateCode
    } else {
      add('/gstin', GSTIN_PROBLEMS[parsed.reason])
      gstinState = null
    }
  }

  if (has('stateCode')) {
    const code = draft.stateCode ?? null
    if (code !== null && !Object.hasOwn(GST_STATE_CODES, code))
      add('/stateCode', 'is not a GST state code (01 to 38, 97 or 99)')
    else if (gstinState !== null && code !== gstinState)
      add(
        '/stateCode',
        `must be ${gstinState} (${GST_STATE_CODES[gstinState]}), the state the GSTIN is registered in`,
      )
    else values.stateCode = code
  } else if (has('gstin') && gstinState !== null) {
    values.stateCode = gstinState
  }

  if (has('annualRevenue') && draft.annualRevenue !== null && draft.annualRevenue !== undefined) {
    const r = draft.annualRevenue
    if (!Number.isFinite(r) || r < 0) add('/annualRevenue', 'must be a number of at least 0')
    else if (r > MAX_ANNUAL_REVENUE) add('/annualRevenue', `must be at most ${MAX_ANNUAL_REVENUE}`)
    else if (Math.round(r * 100) / 100 !== r) add('/annualRevenue', 'must have at most 2 decimals')
  }
  if (has('annualRevenue')) values.annualRevenue = draft.annualRevenue ?? null
  if (has('currency')) values.currency = draft.currency ?? null
  const revenue = has('annualRevenue') ? draft.annualRevenue : current?.annualRevenue
  const currency = has('currency') ? draft.currency : current?.currency
  if (revenue !== null && revenue !== undefined && (currency === null || currency === undefined))
    add('/currency', 'is required with annualRevenue (an ISO 4217 code such as INR)')

  if (has('country')) {
    const country = draft.country ?? null
    if (country !== null && normaliseCountry(country) !== country)
      add('/country', 'must be an ISO 3166-1 alpha-2 code in use, such as IN')
    else values.country = country
  }
  const country = has('country') ? draft.country : current?.country
  const postalCode = has('postalCode') ? values.postalCode : current?.postalCode
  if (
    (has('country') || has('postalCode')) &&
    country === 'IN' &&
    postalCode != null &&
    !INDIAN_PIN.test(postalCode)
  )
    add('/postalCode', 'must be a 6-digit Indian PIN code for an address in India')

  return errors.length ? { ok: false, errors } : { ok: true, values }
}
