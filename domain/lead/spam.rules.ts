import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { DraftLead, SpamAssessment } from './draft-lead.js'
import type { LeadCapture } from './lead-capture.js'
import { isDisposableEmailDomain, isLatinText } from './normalise.rules.js'

/**
 * At 50 a lead is held for review: one strong signal (a link in a name field) or a couple of
 * weaker ones (a throwaway mailbox plus a test-looking address). Real people do trip single
 * signals (a disposable address out of privacy, a name typed in capitals), so below this the
 * lead flows on and the signals are only recorded.
 */
export const SPAM_QUARANTINE_THRESHOLD = 50

/**
 * From 80 a lead is almost certainly a bot: no single heuristic reaches it except the
 * honeypot (100), which people cannot see. It is still stored (quarantined like any lead
 * from 50), never dropped; the band only tells reviewers which ones to clear in bulk.
 */
export const SPAM_REJECT_THRESHOLD = 80

type Signal = SpamAssessment['signals'][number]

/**
 * Scores how likely a capture is to be spam or a bot submission, from explainable,
 * weighted signals. Each signal counts once however many fields trip it; the score is the
 * sum of the weights, clamped to 0..100. Names in non-Latin scripts (Devanagari, Tamil,
 * CJK, Arabic...) are never judged by the Latin-alphabet heuristics.
 *
 * @param draft the capture after normaliseCapture()
 * @param capture the capture as received: casing and injection checks need the raw text
 */
export function assessSpam(draft: DraftLead, capture: LeadCapture): SpamAssessment {
  const signals: Signal[] = []
  const add = (code: string, weight: number, detail: string) => signals.push({ code, weight, detail })
  const names = [
    ['first name', draft.firstName],
    ['last name', draft.lastName],
  ] as const
  const fieldsWhere = (
    test: (value: string) => boolean,
    fields: readonly (readonly [string, string | null])[],
  ) => fields.filter(([, v]) => v !== null && test(v)).map(([label]) => label)

  if (draft.honeypot !== null) {
    add('honeypot', 100, 'The hidden form field that people cannot see was filled in.')
  }

  const host = emailHost(draft.email)
  if (host !== null && isDisposableEmailDomain(host)) {
    add('disposable_email', 40, `The email address uses a throwaway mailbox service (${host}).`)
  }

  const linked = fieldsWhere(hasLinkOrEmail, names)
  if (linked.length > 0) {
    add('link_in_name', 50, `A web link or email address was typed into ${the(linked).toLowerCase()}.`)
  }

  const gibberish = fieldsWhere(isGibberishName, names)
  if (gibberish.length > 0) {
    add(
      'gibberish_name',
      30,
      `${the(gibberish)} ${verb(gibberish, 'looks', 'look')} like random letters or a keyboard mash.`,
    )
  }

  const local =
    draft.email === null || host === null ? null : draft.email.slice(0, draft.email.lastIndexOf('@'))
  const repeated = fieldsWhere(
    (v) => /(\S)\1{4,}/u.test(v),
    [...names, ['company', draft.company], ['job title', draft.title], ['email address', local]],
  )
  if (repeated.length > 0) {
    add(
      'repeated_characters',
      20,
      `${the(repeated)} ${verb(repeated, 'repeats', 'repeat')} one character five or more times.`,
    )
  }

  if (
    draft.firstName !== null &&
    draft.lastName !== null &&
    draft.company !== null &&
    same(draft.firstName, draft.lastName) &&
    same(draft.lastName, draft.company)
  ) {
    add('identical_fields', 15, 'The first name, last name and company are all the same text.')
  }

  if (local !== null && host !== null && isTestAddress(local, host)) {
    add('test_email', 25, 'The email address looks like a test or placeholder address.')
  }

  const injected = injectionFields(capture)
  if (injected.length > 0) {
    add(
      'injection',
      35,
      `${the(injected)} ${verb(injected, 'contains', 'contain')} code (SQL, script or template syntax) rather than plain text.`,
    )
  }

  const shouting = fieldsWhere(isAllCapsLatin, [
    ['first name', capture.firstName ?? null],
    ['last name', capture.lastName ?? null],
  ])
  if (shouting.length > 0) {
    add('all_caps_name', 5, `${the(shouting)} ${verb(shouting, 'was', 'were')} typed in capitals.`)
  }

  if (draft.phone !== null && isFakePhone(draft.phone)) {
    add('fake_phone', 30, 'The phone number is one digit repeated or a run such as 1234567890.')
  }

  const total = signals.reduce((sum, s) => sum + s.weight, 0)
  return { score: Math.max(0, Math.min(100, total)), signals }
}

function emailHost(email: string | null): string | null {
  const at = email?.lastIndexOf('@') ?? -1
  const host = at < 0 ? '' : (email?.slice(at + 1) ?? '')
  return host === '' ? null : host
}

/** "The first name", "The first name and last name", "The company, job title and need". */
function the(labels: readonly string[]): string {
  const last = labels[labels.length - 1] ?? ''
  return `The ${labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${last}` : last}`
}

const verb = (labels: readonly string[], one: string, many: string) => (labels.length > 1 ? many : one)

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

// TLDs that link spam in names uses. A generic "word.tld" test would catch initials before
// short surnames that are also country TLDs ("S.Li", "H.Ng", "J.Lu").
const LINK =
  /\bhttps?:\/\/|\bwww\.|[\p{L}\p{N}-]{2,}\.(?:com|net|org|info|biz|io|co|ru|cn|xyz|top|online|site|club|shop|store|live|click|link|ly|app|win|bid|loan|tk)\b/iu
const EMAIL_IN_TEXT = /[^\s@]+@[^\s@]+\.[^\s@]+/

function hasLinkOrEmail(value: string): boolean {
  return LINK.test(value) || EMAIL_IN_TEXT.test(value)
}

// Runs along a QWERTY (and QWERTZ) row that no name contains.
const KEYBOARD_RUNS = [
  'qwert',
  'asdf',
  'sdfg',
  'dfgh',
  'fghj',
  'ghjk',
  'hjkl',
  'zxcv',
  'xcvb',
  'yxcv',
  'qazwsx',
  'wsxedc',
]

function isGibberishName(value: string): boolean {
  // Vowel and keyboard-row tests only mean something in the Latin alphabet. Devanagari and
  // Tamil write most vowels as marks, Arabic often omits them and CJK has none: such names
  // must never look like gibberish.
  if (!isLatinText(value)) return false
  const words = value
    // "https" and "www" have no vowels; links are judged by link_in_name, not here.
    .replace(/\b(?:https?|www)\b/gi, ' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^\p{L}]+/u)
    .filter((w) => w !== '')
  return words.some((word) => {
    const lower = word.toLowerCase()
    if (KEYBOARD_RUNS.some((run) => lower.includes(run))) return true
    // Judged per word so initials ("J. R. R.") are fine; "y" counts as a vowel (Glynn, Llwyd).
    if (word.length >= 5 && !/[aeiouy]/.test(lower)) return true
    // Random strings from bots flip case mid-word ("kJhGfDsA"); real names flip at most
    // twice ("McDonald", "DeLaCruz").
    return (word.match(/\p{Ll}\p{Lu}/gu) ?? []).length >= 3
  })
}

function isAllCapsLatin(value: string): boolean {
  if (!isLatinText(value)) return false
  const letters = value.match(/\p{L}/gu) ?? []
  // Initials ("J. R. R.") are capitals by nature: it takes a word of two or more letters.
  const hasWord = value.split(/[^\p{L}]+/u).some((word) => word.length >= 2)
  return hasWord && letters.every((ch) => ch !== ch.toLowerCase() && ch === ch.toUpperCase())
}

const PLACEHOLDER_LOCAL_PARTS = new Set([
  'test',
  'testing',
  'tester',
  'asdf',
  'asdfgh',
  'qwerty',
  'noreply',
  'no-reply',
  'no_reply',
  'donotreply',
  'do-not-reply',
  'example',
  'sample',
  'fake',
  'dummy',
  'null',
  'foo',
  'foobar',
])

// example.com/.net/.org and the .test, .example, .invalid and .localhost TLDs are reserved
// for documentation and testing (RFC 2606, https://www.rfc-editor.org/rfc/rfc2606); test.com
// is the address people make up when they mean the same.
const PLACEHOLDER_DOMAINS = new Set(['example.com', 'example.net', 'example.org', 'test.com'])
const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'localhost'])

function isTestAddress(local: string, host: string): boolean {
  // "+tag" sub-addresses reach the same mailbox, so "test+1@" is still "test@".
  const base = local.split('+')[0] ?? local
  const tld = host.slice(host.lastIndexOf('.') + 1)
  return (
    PLACEHOLDER_LOCAL_PARTS.has(base) ||
    /^test\d+$/.test(base) ||
    PLACEHOLDER_DOMAINS.has(host) ||
    [...PLACEHOLDER_DOMAINS].some((d) => host.endsWith(`.${d}`)) ||
    RESERVED_TLDS.has(tld)
  )
}

// Payload shapes from the OWASP references: SQL injection
// (https://owasp.org/www-community/attacks/SQL_Injection), cross-site scripting
// (https://owasp.org/www-community/attacks/xss/) and server-side template injection
// (https://portswigger.net/web-security/server-side-template-injection). Each needs the
// syntax around a keyword, so "O'Brien" or a title with "Select Accounts" stays clean.
const INJECTION = [
  /['"`]\s*;\s*(?:drop|delete|insert|update|select|alter|truncate|exec|shutdown)\b/i,
  /['"`]\s*(?:or|and)\s+['"]?\w+['"]?\s*=\s*['"]?\w+/i,
  /['"`]\s*--/,
  /\bunion\s+(?:all\s+)?select\b/i,
  /\b(?:drop|truncate)\s+table\b/i,
  /<\s*\/?\s*script\b/i,
  /<\s*(?:iframe|svg|img|object|embed)\b/i,
  /\bjavascript\s*:/i,
  /\bon(?:error|load|click|mouseover|focus)\s*=/i,
  /\{\{/,
  /\$\{/,
]

// Attribution is left out on purpose: ad platforms leave unresolved macros such as
// "{{campaign.name}}" in UTM values, which is a tracking set-up problem, not an attack.
const TEXT_FIELDS = [
  ['firstName', 'first name'],
  ['lastName', 'last name'],
  ['email', 'email address'],
  ['phone', 'phone number'],
  ['company', 'company'],
  ['title', 'job title'],
  ['website', 'website'],
  ['industry', 'industry'],
  ['country', 'country'],
  ['state', 'state'],
  ['city', 'city'],
  ['budget', 'budget'],
  ['authority', 'authority'],
  ['need', 'need'],
  ['timeline', 'timeline'],
] as const satisfies readonly (readonly [keyof LeadCapture, string])[]

function injectionFields(capture: LeadCapture): string[] {
  return TEXT_FIELDS.filter(([key]) => {
    const value = capture[key]
    return typeof value === 'string' && INJECTION.some((re) => re.test(value))
  }).map(([, label]) => label)
}

// Ascending runs, wrapping from 9 to 0 ("4567890123"). Descending runs are not counted:
// 98765 43210 is a valid-format Indian mobile number, and we have no data yet on how often
// it is a real one rather than a placeholder.
const ASCENDING = '01234567890123456789'

function isFakePhone(phone: string): boolean {
  const parsed = parsePhoneNumberFromString(phone)
  const digits = parsed?.nationalNumber ?? phone.replace(/\D/g, '')
  if (digits.length >= 6 && /^(\d)\1+$/.test(digits)) return true
  return digits.length >= 7 && ASCENDING.includes(digits)
}
