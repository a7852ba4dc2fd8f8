/*
 * The person's identifiers as text to look for: the values an erasure must not leave behind
 * in free text and JSON (a note that quotes their email, a decision's inputs, a task title
 * naming them). Matching is deliberately loose about formatting (case, phone separators)
 * and strict about word edges for names, so "Rao" is found in "call Mr Rao" but not in
 * "Raosaheb Industries" and a short name does not wipe unrelated words.
 */

/** What replaces an erased value in free text and JSON. */
export const ERASED = '[erased]'
/** What an erased person's name becomes: readable in lists, and obviously not a person. */
export const ERASED_NAME = 'Erased'

export interface Identity {
  /** Lower-case addresses, including Gmail's mailbox keys (asharao@gmail.com). */
  emails: string[]
  /** Phone numbers as stored (E.164, or as typed when they could not be read). */
  phones: string[]
  /** First and last names as stored. */
  names: string[]
}

export interface Needles {
  /** True when the text holds one of the person's identifiers. */
  matches(text: string): boolean
  /** The same without names: for attribution dimensions, where a name-like word is a campaign. */
  matchesContactPoint(text: string): boolean
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * A phone's digits allowing the separators people type ("+91 98765-43210", "(98765) 43210").
 * Only the last ten digits are required, so the national form (with its trunk 0) and the
 * E.164 one (with its country code) both match.
 */
function phonePattern(phone: string): RegExp | null {
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return null
  const tail = digits.slice(-Math.min(10, digits.length))
  return new RegExp(`${tail.split('').join('[\\s().-]*')}(?!\\d)`)
}

function namePattern(name: string): RegExp | null {
  const n = name.normalize('NFC').trim()
  if (n.length < 2 || n.toLowerCase() === ERASED_NAME.toLowerCase()) return null
  const words = n.split(/\s+/).map(escapeRegExp).join('\\s+')
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'iu')
}

export function needlesFor(identity: Identity): Needles {
  const emails = [...new Set(identity.emails.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 2))]
  const phones = identity.phones.map(phonePattern).filter((p): p is RegExp => p !== null)
  const names = [...new Set(identity.names)].map(namePattern).filter((p): p is RegExp => p !== null)
  const contactPoint = (text: string) => {
    const lower = text.toLowerCase()
    return emails.some((e) => lower.includes(e)) || phones.some((p) => p.test(text))
  }
  return {
    matchesContactPoint: contactPoint,
    matches: (text) => contactPoint(text) || names.some((p) => p.test(text.normalize('NFC'))),
  }
}

/** The text, or ERASED when it holds one of the identifiers. */
export function scrubText<T extends string | null>(text: T, needles: Needles): T | typeof ERASED {
  return text !== null && needles.matches(text) ? ERASED : text
}

/**
 * A JSON value with every string that holds an identifier replaced by ERASED, every key that
 * holds one dropped, and the keys named in `drop` removed (free-text fields such as a note).
 */
export function scrubJson(value: unknown, needles: Needles, drop: ReadonlySet<string> = new Set()): unknown {
  if (typeof value === 'string') return needles.matches(value) ? ERASED : value
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, needles, drop))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !drop.has(k) && !needles.matches(k))
        .map(([k, v]) => [k, scrubJson(v, needles, drop)]),
    )
  return value
}

/**
 * Keeps the keys in `keep` (ids, statuses, enums the system wrote) and any number or boolean;
 * drops every other string, object and array, whoever wrote it. What is kept still passes
 * the needles.
 */
export function keepOnly(
  value: Record<string, unknown>,
  keep: ReadonlySet<string>,
  needles: Needles,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (needles.matches(k)) continue
    if (typeof v === 'boolean' || v === null) out[k] = v
    else if (typeof v === 'number') {
      if (!needles.matches(String(v))) out[k] = v
    } else if (keep.has(k) && typeof v === 'string') out[k] = needles.matches(v) ? ERASED : v
  }
  return out
}
