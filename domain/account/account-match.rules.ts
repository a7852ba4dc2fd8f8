/*
 * Account-first conversion: a converted lead joins the account its company already has
 * rather than starting a duplicate. These rules say which keys identify that company and
 * which found account to use; the look-ups themselves happen outside domain/.
 */
import { parse as parseHost } from 'tldts'
import { isFreeEmailDomain } from '../lead/normalise.rules.js'
import { parseGstin } from './gstin.rules.js'

/** What the matching rules need to know about an existing account. */
export interface AccountRef {
  id: string
  domain: string | null
  gstin: string | null
  isActive: boolean
}

export interface AccountMatchKeys {
  /** Registrable company domain, lower case (acme.co.in), or null when there is none to trust. */
  domain: string | null
  /** Canonical GSTIN (validated, upper case), or null. */
  gstin: string | null
}

/**
 * The keys a lead's account is looked up by.
 *
 * domain, the first usable of:
 * 1. `companyDomain` (normalisation's pick: the website's domain, else a company email's);
 * 2. the registrable domain of `website`, for leads stored before companyDomain was filled;
 * 3. `emailDomain`.
 * Each is reduced to its registrable domain (www.acme.co.in → acme.co.in) and lower-cased,
 * so every spelling of a company lands on one key. A free-mail domain (gmail.com,
 * rediffmail.com...) is never a key, whichever field it came from: it would join every
 * lead who uses that provider into one account. Hosts without a registrable domain under
 * a real public suffix (localhost, IP addresses, "acme.c0m") are skipped too.
 *
 * gstin: the lead's GSTIN when it passes parseGstin (format, state code, check character),
 * else null. A mistyped GSTIN must not match, or attach the lead to, someone else's account.
 */
export function accountMatchKeys(lead: {
  companyDomain?: string | null
  emailDomain?: string | null
  website?: string | null
  gstin?: string | null
}): AccountMatchKeys {
  const domain =
    [lead.companyDomain, lead.website, lead.emailDomain]
      .map(registrableDomain)
      .find((d): d is string => d !== null && !isFreeEmailDomain(d)) ?? null
  const parsed = typeof lead.gstin === 'string' ? parseGstin(lead.gstin) : null
  return { domain, gstin: parsed?.ok === true ? parsed.gstin : null }
}

/**
 * Picks the account a lead converts into from what the two look-ups found.
 *
 * - The domain match wins, also when the GSTIN found a different account: one company
 *   has one GSTIN per state it is registered in, so several GSTINs rightly lead to one
 *   domain, while a domain is the company itself.
 * - Otherwise the GSTIN match.
 * - Neither: null, and the caller creates an account.
 *
 * An inactive account is matched like an active one. Accounts are never deleted, only
 * deactivated, so an inactive account still is that company, with its history; creating a
 * second one would split the history and break the unique domain and GSTIN. The
 * conversion reactivates the matched account instead.
 */
export function chooseAccountMatch<A extends AccountRef>(candidates: {
  byDomain: A | null
  byGstin: A | null
}): { account: A; matchedBy: 'domain' | 'gstin' } | null {
  if (candidates.byDomain !== null) return { account: candidates.byDomain, matchedBy: 'domain' }
  if (candidates.byGstin !== null) return { account: candidates.byGstin, matchedBy: 'gstin' }
  return null
}

/**
 * The name a new account gets from the lead that creates it: the company name, else its
 * domain, else the person ("Asha Rao (individual)"), since a sole buyer is still an
 * account and the name must say it is a person rather than a company. With no name at
 * all it is "Unnamed (individual)": the account needs a non-empty name, and people rename it.
 */
export function accountNameFor(lead: {
  company?: string | null
  companyDomain?: string | null
  firstName?: string | null
  lastName?: string | null
}): string {
  const company = clean(lead.company)
  if (company !== null) return company
  const domain = clean(lead.companyDomain)
  if (domain !== null) return domain.toLowerCase()
  const person = [clean(lead.firstName), clean(lead.lastName)].filter((p) => p !== null).join(' ')
  return `${person === '' ? 'Unnamed' : person} (individual)`
}

function clean(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null
  const s = value.replace(/\s+/g, ' ').trim()
  return s === '' ? null : s
}

/*
 * tldts reads both bare hosts and URLs (scheme, port, path and user info are dropped).
 * Only ICANN suffixes count, so a typo such as "acme.c0m" does not become a key.
 */
function registrableDomain(value: string | null | undefined): string | null {
  const s = clean(value)
  if (s === null || s.includes(' ')) return null
  const info = parseHost(s.toLowerCase())
  return info.domain !== null && info.isIcann === true ? info.domain : null
}
