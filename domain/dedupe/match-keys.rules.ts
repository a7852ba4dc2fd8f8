import type { DraftLead } from '../lead/draft-lead.js'

/** How similar two fuzzy keys must be (pg_trgm similarity, 0..1) to count as the same person. */
export interface DedupeThresholds {
  fuzzy: number
}

// pg_trgm's own default threshold is 0.3, tuned for search; merging two people's records is
// costlier than a missed match, so the bar is higher.
export const DEFAULT_DEDUPE_THRESHOLDS: Readonly<DedupeThresholds> = Object.freeze({ fuzzy: 0.6 })

/** Why a capture was matched to an existing lead: an exact key, or a fuzzy key and its similarity. */
export type MatchReason =
  { kind: 'email' | 'phone'; key: string } | { kind: 'fuzzy'; similarity: number; key: string }

// Google's consumer mail ignores dots in the user name and delivers user+tag to user
// (https://support.google.com/mail/answer/7436150, https://support.google.com/a/users/answer/9308648);
// googlemail.com is the same service under another name. Other providers are left alone:
// the local part is theirs to interpret (RFC 5321 §2.4), their sub-address separator varies
// (RFC 5233), and two "dotted" addresses elsewhere can be two different people.
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com'])

/**
 * The exact dedupe keys of a lead, as stored in lead_match_key: `email:<address>` and
 * `phone:<E.164>`, only for the values present. Gmail addresses are reduced to the mailbox
 * that receives them (dots and `+tag` dropped, googlemail.com read as gmail.com), so
 * `Asha.Rao+expo@gmail.com` and `asharao@gmail.com` are one person.
 *
 * @param draft - A normalised lead (email lower-cased, phone E.164).
 */
export function matchKeys(draft: Pick<DraftLead, 'email' | 'phone'>): string[] {
  const keys: string[] = []
  const email = mailboxKey(draft.email)
  if (email) keys.push(`email:${email}`)
  // E.164 already; separators are dropped in case a caller passes a display form.
  const phone = draft.phone?.replace(/[\s().-]/g, '')
  if (phone) keys.push(`phone:${phone}`)
  return keys
}

function mailboxKey(email: string | null): string | null {
  const address = email?.trim().toLowerCase()
  if (!address) return null
  const at = address.lastIndexOf('@')
  if (at <= 0) return address
  const domain = address.slice(at + 1)
  if (!GMAIL_DOMAINS.has(domain)) return address
  const user = address.slice(0, at).split('+')[0]?.replaceAll('.', '') ?? ''
  // "+tag@gmail.com" cannot be a Gmail mailbox; keep it as written rather than key it to "".
  return user === '' ? address : `${user}@gmail.com`
}

// Legal-form words say nothing about who the company is: "Acme Pvt. Ltd." and "ACME" are one
// company. Removed only at the end of the name, longest first, repeatedly ("Co., Ltd.").
const LEGAL_SUFFIXES = [
  'private limited',
  'pvt ltd',
  'limited',
  'ltd',
  'llp',
  'incorporated',
  'inc',
  'llc',
  'gmbh',
  'corporation',
  'corp',
  'company',
  'co',
].map((s) => s.split(' '))

/**
 * The fuzzy dedupe key stored in lead.fuzzy_key and compared with pg_trgm: `"first last|company"`,
 * lower-cased, with accents and punctuation removed and the company's legal form dropped
 * (pvt ltd, private limited, ltd, llp, inc, llc, gmbh, corp, co...). `null` without a name:
 * a company alone says nothing about which person it is.
 *
 * @param draft - The lead's name and company.
 */
export function fuzzyKey(draft: Pick<DraftLead, 'firstName' | 'lastName' | 'company'>): string | null {
  const name = [fold(draft.firstName), fold(draft.lastName)].filter((part) => part !== '').join(' ')
  if (name === '') return null
  return `${name}|${stripLegalSuffixes(fold(draft.company))}`
}

/**
 * The blocking key for fuzzy matching: the company name folded and stripped of legal
 * suffixes ("Infosys Limited" and "infosys ltd." both give "infosys"). Capture-time fuzzy
 * matching compares names only among leads of the same company, the standard blocking step
 * of record linkage: without it every capture is compared against the whole table, and
 * its cost grows with every lead stored. Null when there is no company.
 */
export function companyBlockKey(draft: Pick<DraftLead, 'company'>): string | null {
  const key = stripLegalSuffixes(fold(draft.company))
  return key === '' ? null : key
}

/**
 * Lower-case, accent-free, punctuation-free, single-spaced. Only the combining diacritical
 * marks block (U+0300–U+036F: the accents of Latin, Greek and Cyrillic letters) is removed:
 * stripping every mark would also delete Devanagari vowel signs and make Indian names collide.
 */
function fold(value: string | null): string {
  if (!value) return ''
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
}

function stripLegalSuffixes(company: string): string {
  let words = company === '' ? [] : company.split(' ')
  for (let changed = true; changed;) {
    changed = false
    for (const suffix of LEGAL_SUFFIXES) {
      // Never strip the whole name: a company called "Co" stays "co".
      if (
        words.length > suffix.length &&
        suffix.every((w, i) => words[words.length - suffix.length + i] === w)
      ) {
        words = words.slice(0, words.length - suffix.length)
        changed = true
        break
      }
    }
  }
  return words.join(' ')
}

/**
 * Trigram similarity exactly as PostgreSQL's pg_trgm `similarity()` computes it
 * (https://www.postgresql.org/docs/current/pgtrgm.html), so a match explanation shows the
 * number the database used: the text is lower-cased and split into words at every
 * non-alphanumeric character; each word is padded with two spaces before and one after; the
 * result is |A ∩ B| / |A ∪ B| over the two sets of trigrams, 0 when either set is empty, and
 * is rounded to `real` (float4) as pg_trgm returns it.
 *
 * Which characters are alphanumeric is the database's LC_CTYPE decision. Here it is a
 * Unicode letter (including combining vowel signs) or decimal digit, as under a UTF-8 locale
 * (the postgres:18 image's en_US.utf8). Under the C locale, which the embedded dev/test
 * server is initialised with, every non-ASCII character separates words instead, so only
 * ASCII text scores identically everywhere; fuzzyKey() folds Latin accents to keep most keys
 * ASCII.
 *
 * @param a - First text, e.g. a fuzzy key.
 * @param b - Second text.
 * @returns A value from 0 (no trigram in common) to 1 (same trigrams).
 */
export function trigramSimilarity(a: string, b: string): number {
  const left = trigrams(a)
  const right = trigrams(b)
  if (left.size === 0 || right.size === 0) return 0
  let common = 0
  for (const t of left) if (right.has(t)) common++
  return Math.fround(common / (left.size + right.size - common))
}

function trigrams(text: string): Set<string> {
  const set = new Set<string>()
  for (const word of text.toLowerCase().split(/[^\p{Alphabetic}\p{Nd}]+/u)) {
    if (word === '') continue
    const chars = Array.from(`  ${word} `)
    for (let i = 0; i + 3 <= chars.length; i++) set.add(chars.slice(i, i + 3).join(''))
  }
  return set
}
