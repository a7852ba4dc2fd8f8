import { disposableEmailBlocklistSet } from 'disposable-email-domains-js'
import { alpha3ToAlpha2, getAlpha2Code, getAlpha2Codes, registerLocale } from 'i18n-iso-countries/index.js'
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' }
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { getDomain, parse as parseHost } from 'tldts'
import { COMPANY_SIZES, type CompanySize, type DraftLead } from './draft-lead.js'
import type { LeadCapture } from './lead-capture.js'

// The package's main entry registers ~80 locales through a dynamic require; English names
// are all we match on, and the plain index keeps that table out of bundles.
registerLocale(en)

/**
 * Mailbox providers anyone can sign up to: an address there says nothing about the
 * person's employer, so it must not become the company domain or match leads to an account.
 * Compared against the registrable domain (tldts), so regional hosts need their own entry.
 */
export const FREE_EMAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.in',
  'yahoo.co.uk',
  'ymail.com',
  'rocketmail.com',
  'outlook.com',
  'outlook.in',
  'hotmail.com',
  'hotmail.co.uk',
  'live.com',
  'live.in',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'pm.me',
  'protonmail.com',
  'rediffmail.com',
  // zoho.com addresses are Zoho's free personal mailboxes; Zoho's business mail runs on the customer's domain.
  'zoho.com',
  'zohomail.com',
  'zohomail.in',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'tutanota.com',
  'qq.com',
  '163.com',
  '126.com',
] as const

const FREE_EMAIL_SET: ReadonlySet<string> = new Set(FREE_EMAIL_DOMAINS)

/** True for mailbox providers anyone can sign up to: their domain says nothing about the company. */
export function isFreeEmailDomain(domain: string | null): boolean {
  return domain !== null && FREE_EMAIL_SET.has(domain)
}

// Built on first use: the package's own isDisposableEmailDomain() rebuilds a Set of ~9,000
// domains on every call.
let disposableDomains: ReadonlySet<string> | undefined

/**
 * True when the mail host, or its registrable domain, is on the community blocklist of
 * throwaway mailbox providers (https://github.com/disposable-email-domains/disposable-email-domains).
 */
export function isDisposableEmailDomain(host: string): boolean {
  disposableDomains ??= disposableEmailBlocklistSet()
  const h = host.replace(/\.$/, '').toLowerCase()
  const reg = getDomain(h)
  return disposableDomains.has(h) || (reg !== null && disposableDomains.has(reg))
}

/**
 * Turns a channel's capture into canonical fields: trimmed NFC text, lower-case email and its
 * registrable domain, E.164 phone, ISO 3166-1 alpha-2 country, a company-size bucket.
 * Values that cannot be made canonical become null (or, for a phone, stay as cleaned text)
 * and validation reports them from the original capture. Pure: the clock comes in `ctx`.
 *
 * @param capture what the channel delivered
 * @param ctx `receivedAt`: ingestion's clock (ISO 8601), used when the capture has no usable
 *   timestamp; `defaultCountry`: ISO2 used to read national phone numbers when the capture's
 *   country is absent or unknown
 */
export function normaliseCapture(
  capture: LeadCapture,
  ctx: { receivedAt: string; defaultCountry: string },
): DraftLead {
  const country = normaliseCountry(capture.country)
  const email = normaliseEmail(capture.email)
  const at = email === null ? -1 : email.lastIndexOf('@')
  const emailDomain = email === null || at < 0 ? null : getDomain(email.slice(at + 1))
  const freeEmail = isFreeEmailDomain(emailDomain)
  const site = normaliseWebsite(capture.website)

  return {
    channel: capture.channel,
    receivedAt: normaliseTimestamp(capture.receivedAt) ?? ctx.receivedAt,
    externalId: cleanText(capture.externalId),

    firstName: normaliseName(capture.firstName, 'first'),
    lastName: normaliseName(capture.lastName, 'last'),
    email,
    emailDomain,
    freeEmail,
    ...normalisePhone(capture.phone, country ?? ctx.defaultCountry),
    company: cleanText(capture.company),
    title: cleanText(capture.title),
    website: site?.url ?? null,
    companyDomain: site?.domain ?? (freeEmail ? null : emailDomain),
    industry: cleanText(capture.industry),
    companySize: normaliseCompanySize(capture.companySize),
    annualRevenue: normaliseRevenue(capture.annualRevenue),
    currency: normaliseCurrency(capture.currency),
    country,
    state: cleanText(capture.state),
    city: cleanText(capture.city),

    budget: cleanText(capture.budget),
    authority: cleanText(capture.authority),
    need: cleanText(capture.need),
    timeline: cleanText(capture.timeline),

    honeypot: cleanText(capture.honeypot),
  }
}

// C0/C1 control characters other than whitespace (which collapses to a space). PostgreSQL
// text columns reject U+0000 outright, and the others are never meaningful in a lead.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g

/** NFC, control characters dropped, whitespace runs collapsed to one space, trimmed; empty -> null. */
export function cleanText(raw: unknown): string | null {
  // Connectors that read CSV or JSON sometimes hand over a number (a phone, a zip code).
  const s = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw
  if (typeof s !== 'string') return null
  const out = s
    .normalize('NFC')
    .replace(CONTROL, '')
    .replace(/[\s\u0085]+/g, ' ')
    .trim()
  return out === '' ? null : out
}

/** True when every letter in `s` is Latin script (and there is at least one letter). */
export function isLatinText(s: string): boolean {
  const letters = s.match(/\p{L}/gu)
  return letters !== null && letters.every((ch) => /\p{Script=Latin}/u.test(ch))
}

const isUpper = (ch: string) => ch !== ch.toLowerCase() && ch === ch.toUpperCase()
const isLower = (ch: string) => ch !== ch.toUpperCase() && ch === ch.toLowerCase()

// Surname particles stay lower-case inside a surname ("van der Berg", "de la Cruz", "bin Ismail");
// only applied when re-casing a name the person typed in one case, never to mixed case.
const SURNAME_PARTICLES = new Set([
  'da',
  'das',
  'de',
  'del',
  'della',
  'der',
  'des',
  'di',
  'do',
  'dos',
  'du',
  'la',
  'le',
  'van',
  'von',
  'den',
  'ter',
  'ten',
  'bin',
  'binti',
  'bint',
])

function normaliseName(raw: string | undefined, part: 'first' | 'last'): string | null {
  const s = cleanText(raw)
  if (s === null || !isLatinText(s)) return s
  const letters = s.match(/\p{L}/gu) ?? []
  // Mixed case is how the person writes their name (McDonald, de la Cruz, DeShawn): keep it.
  // Only a name typed entirely in one case carries no casing information to lose.
  if (!letters.every(isUpper) && !letters.every(isLower)) return s
  const words = s.toLowerCase().split(' ')
  return words
    .map((word, i) =>
      part === 'last' && i < words.length - 1 && SURNAME_PARTICLES.has(word) ? word : capitaliseWord(word),
    )
    .join(' ')
}

function capitaliseWord(word: string): string {
  // Each part after a hyphen or apostrophe is a name of its own: Mary-Jane, O'Brien, D'Souza.
  const cased = word.replace(/(^|[-'’.])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
  // "Mc" is always followed by a capital (McDonald); "Mac" is not (Mack, Macy, Machado).
  return cased.replace(/^Mc(\p{Ll})/u, (_m, ch: string) => `Mc${ch.toUpperCase()}`)
}

function normaliseEmail(raw: string | undefined): string | null {
  let s = cleanText(raw)
  if (s === null) return null
  // Copy-paste artefacts from mail clients: "mailto:" links and "Name <address>".
  s = s.replace(/^mailto:/i, '')
  const bracketed = /<([^<>\s]+@[^<>\s]+)>$/.exec(s)
  if (bracketed?.[1] !== undefined) s = bracketed[1]
  // RFC 5321 lets the local part be case-sensitive, but no mailbox provider we route to
  // treats it so, and dedupe needs one spelling per address.
  s = s.toLowerCase()
  // A trailing dot is the DNS root ("example.com."): same domain, different string.
  return s.replace(/\.+$/, '')
}

function normalisePhone(
  raw: string | undefined,
  defaultCountry: string,
): Pick<DraftLead, 'phone' | 'phoneCountry' | 'phoneType'> {
  const cleaned = cleanText(raw)
  if (cleaned === null) return { phone: null, phoneCountry: null, phoneType: null }
  const region = defaultCountry.toUpperCase()
  // The max metadata is needed for getType(): the min set cannot tell mobile from fixed line.
  // https://gitlab.com/catamphetamine/libphonenumber-js#min-vs-max-vs-mobile-vs-core
  const parsed = parsePhoneNumberFromString(cleaned, isSupportedCountry(region) ? region : undefined)
  if (parsed === undefined || !parsed.isValid()) {
    // Kept as typed so validation can report it and a human can still read it.
    return { phone: cleaned, phoneCountry: null, phoneType: null }
  }
  return {
    phone: parsed.number,
    phoneCountry: parsed.country ?? null,
    phoneType: parsed.getType()?.toLowerCase() ?? null,
  }
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

function normaliseWebsite(raw: string | undefined): { url: string; domain: string } | null {
  const s = cleanText(raw)
  if (s === null || s.includes(' ')) return null
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s.replace(/^\/\//, '')}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  // WHATWG URL already lower-cases the host; the trailing root dot would split dedupe keys.
  const host = url.hostname.replace(/\.$/, '')
  const labels = host.split('.')
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l))) return null
  // A company site needs a registrable domain under a real public suffix: this turns away
  // "localhost", IP addresses and typos such as "example.c0m".
  const info = parseHost(host)
  if (info.domain === null || info.isIcann !== true) return null
  return { url: `${url.protocol}//${host}${url.port === '' ? '' : `:${url.port}`}`, domain: info.domain }
}

const ISO_ALPHA2: Readonly<Record<string, string>> = getAlpha2Codes()

// Names people type that are not in the ISO English short names.
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  india: 'IN',
  bharat: 'IN',
  hindustan: 'IN',
  usa: 'US',
  us: 'US',
  america: 'US',
  uk: 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  uae: 'AE',
  emirates: 'AE',
  holland: 'NL',
}

// ISO 3166-1 alpha-2 for a code (alpha-2 or alpha-3) or an English country name; null when unknown.
export function normaliseCountry(raw: string | undefined): string | null {
  const s = cleanText(raw)
  if (s === null) return null
  const upper = s.toUpperCase()
  if (/^[A-Z]{2}$/.test(upper) && ISO_ALPHA2[upper] !== undefined) return upper
  if (/^[A-Z]{3}$/.test(upper)) {
    const fromAlpha3 = alpha3ToAlpha2(upper)
    if (fromAlpha3 !== undefined) return fromAlpha3
  }
  const alias = COUNTRY_ALIASES[s.toLowerCase().replace(/\./g, '').trim()]
  if (alias !== undefined) return alias
  return getAlpha2Code(s, 'en') ?? null
}

// Lower bound of each bucket ("51-200" -> 51, "5001+" -> 5001), read from the shared list so
// a change to the buckets cannot leave this table behind.
const SIZE_FLOORS = COMPANY_SIZES.map((bucket) => ({ bucket, floor: Number.parseInt(bucket, 10) }))

function bucketFor(employees: number): CompanySize | null {
  if (!Number.isFinite(employees) || employees < 1) return null
  let found: CompanySize | null = null
  for (const { bucket, floor } of SIZE_FLOORS) if (Math.floor(employees) >= floor) found = bucket
  return found
}

const SIZE_NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?)\s*(k)?`
const SIZE_TEXT = new RegExp(
  String.raw`^${SIZE_NUMBER}\s*(?:(?:-|–|—|to)\s*\d[\d,]*(?:\.\d+)?\s*k?|\+)?\s*(?:employees?|people|staff)?$`,
  'i',
)

function normaliseCompanySize(raw: string | number | undefined): CompanySize | null {
  if (typeof raw === 'number') return bucketFor(raw)
  const s = cleanText(raw)
  if (s === null) return null
  const m = SIZE_TEXT.exec(s)
  if (m?.[1] === undefined) return null
  // A range is filed under the bucket holding its lower bound: "1000-5000" claims at least
  // 1000 people, which is all we know for certain.
  const n = Number(m[1].replace(/,/g, '')) * (m[2] === undefined ? 1 : 1000)
  return bucketFor(n)
}

function normaliseRevenue(raw: number | undefined): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : null
}

// Symbols Indian and European forms commonly send instead of the ISO 4217 code.
// "$" is left out on purpose: USD, SGD, AUD, CAD... all use it.
const CURRENCY_ALIASES: Readonly<Record<string, string>> = {
  '₹': 'INR',
  RS: 'INR',
  'RS.': 'INR',
  '€': 'EUR',
  '£': 'GBP',
}

function normaliseCurrency(raw: string | undefined): string | null {
  const s = cleanText(raw)?.toUpperCase()
  if (s === undefined) return null
  const code = CURRENCY_ALIASES[s] ?? s
  // ISO 4217 alphabetic codes are three Latin letters: https://www.iso.org/iso-4217-currency-codes.html
  return /^[A-Z]{3}$/.test(code) ? code : null
}

// RFC 3339 profile of ISO 8601 (https://www.rfc-editor.org/rfc/rfc3339#section-5.6). A time
// must carry its offset: JavaScript reads an offset-less time in the host's zone, which would
// make the result depend on the machine.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2}))?$/

function normaliseTimestamp(raw: string | undefined): string | null {
  const s = cleanText(raw)
  if (s === null) return null
  const m = TIMESTAMP.exec(s)
  if (m === null) return null
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v)))
  if (y === undefined || mo === undefined || d === undefined) return null
  // Date rolls 2026-02-30 over to March 2nd instead of failing; check the calendar ourselves.
  const day = new Date(Date.UTC(y, mo - 1, d))
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null
  if ((h ?? 0) > 23 || (mi ?? 0) > 59 || (sec ?? 0) > 59) return null
  const at = new Date(s.replace(' ', 'T'))
  return Number.isNaN(at.getTime()) ? null : at.toISOString()
}
