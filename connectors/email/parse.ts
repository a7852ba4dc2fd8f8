import { findPhoneNumbersInText, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max'
import type { AttributionInput, ConsentEvidence, LeadCapture } from '../../domain/lead/lead-capture.js'
import { normaliseCountry } from '../../domain/lead/normalise.rules.js'
import { automatedKind, isSystemAddress, type AutomatedKind } from './automated.js'
import { htmlToFormText, readFormFields, type FormFields } from './form-fields.js'
import type { InboundEmail, Mailbox } from './inbound-email.js'

/*
 * Turns one received mail into the pipeline's capture input, or says why it is not a lead.
 * Two kinds of mail reach a lead inbox: a person writing to us (the sender is the lead),
 * and a web form's or lead marketplace's notification (the sender is a robot; the person
 * is in the labelled fields or the Reply-To). Pure: no I/O, no clock, no normalising
 * (the pipeline normalises phones, emails and countries the same way for every channel).
 */

export interface ParseOptions {
  /** ISO 3166-1 alpha-2, for phone numbers written without a country code (INGEST_DEFAULT_COUNTRY). */
  defaultCountry: string
  /** When the mail arrived (ISO 8601): the server's INTERNALDATE, not the sender's Date header. */
  receivedAt: string
}

export type SkipReason = AutomatedKind | 'no_contact'

export type ParsedInbound =
  | {
      kind: 'lead'
      /** A form notification: the lead is in its fields, and a new submission is a capture, never a reply. */
      form: boolean
      capture: LeadCapture
    }
  | { kind: 'skip'; reason: SkipReason }

/** Text beyond this is not read for fields or phone numbers (quoted threads, legal footers). */
const MAX_SCAN = 20_000
const MAX_NEED = 2_000
const NAME_MAX = 100
const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/

export function parseInboundEmail(mail: InboundEmail, options: ParseOptions): ParsedInbound {
  const automated = automatedKind(mail)
  if (automated === 'bounce' || automated === 'auto_reply') return { kind: 'skip', reason: automated }

  const text = stripQuoted((mail.text ?? '').slice(0, MAX_SCAN))
  const htmlText = mail.html ? stripQuoted(htmlToFormText(mail.html.slice(0, MAX_SCAN * 5))) : ''
  const fromText = readFormFields(text)
  const fromHtml = htmlText ? readFormFields(htmlText) : {}
  const useHtml = Object.keys(fromHtml).length > Object.keys(fromText).length
  const fields = useHtml ? fromHtml : fromText
  const body = useHtml || !text.trim() ? htmlText : text

  const sender = mail.from?.address ? mail.from : undefined
  const systemSender = isSystemAddress(sender?.address)
  const fieldFrom = parseMailbox(fields.from)
  const fieldEmail = firstEmail(fields.email) ?? fieldFrom?.address
  const form =
    (fieldEmail !== undefined || fields.phone !== undefined) &&
    (systemSender ||
      automated === 'automated' ||
      fields.name !== undefined ||
      fields.firstName !== undefined ||
      fieldFrom?.name !== undefined ||
      fields.message !== undefined)
  if (!form && automated === 'automated') return { kind: 'skip', reason: 'automated' }

  const replyTo = mail.replyTo?.address && !isSystemAddress(mail.replyTo.address) ? mail.replyTo : undefined
  // A person's own mail: they are the sender. A robot's mail without form fields can still
  // name the person in Reply-To (a plugin whose template we cannot read).
  const person: Mailbox | undefined = form
    ? fieldEmail
      ? { address: fieldEmail, name: fieldFrom?.name }
      : replyTo
    : systemSender
      ? replyTo
      : sender
  const email = person?.address?.trim() || undefined
  // National numbers are read in the form's country when it names one, as the pipeline does.
  const region = normaliseCountry(fields.country) ?? options.defaultCountry
  const phone =
    phoneOf(fields.phone, region, email !== undefined) ??
    (form || !email ? undefined : firstPhone(body, region))
  if (!email && !phone) return { kind: 'skip', reason: 'no_contact' }

  const names = namesOf(fields, person?.name)
  const capture: LeadCapture = {
    channel: 'email',
    receivedAt: options.receivedAt,
    externalId: mail.messageId,
    ...names,
    email,
    phone,
    company: fields.company,
    title: fields.title,
    website: fields.website,
    city: fields.city,
    state: fields.state,
    country: fields.country,
    budget: fields.budget,
    need: form && fields.message ? fields.message.slice(0, MAX_NEED) : undefined,
    timeline: fields.timeline,
    consent: consentOf(fields.consent, options.receivedAt),
    attribution: attributionOf(fields, body),
  }
  return { kind: 'lead', form, capture: withoutUndefined(capture) }
}

/**
 * The mail's own text, without the thread it quotes: a reply to our nurture mail quotes
 * our links (with our utm tags) and our signature (with our phone number), neither of
 * which says anything about the person.
 */
export function stripQuoted(text: string): string {
  const lines = text.split(/\r?\n/)
  const kept: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const next = lines[i + 1] ?? ''
    if (/^\s*>/.test(line)) continue
    // Gmail/Apple Mail "On <date>, <name> wrote:" (sometimes wrapped onto two lines).
    if (/^\s*On\s.+/.test(line) && (/wrote:\s*$/.test(line) || /wrote:\s*$/.test(next))) break
    if (/^\s*-{2,}\s*(Original|Forwarded) Message\s*-{2,}/i.test(line)) break
    // Outlook's quoted header block: "From: ..." then "Sent: ..." / "Date: ...".
    if (/^\s*\*?From:\*?\s/.test(line) && /^\s*\*?(Sent|Date):\*?\s/.test(next)) break
    kept.push(line)
  }
  return kept.join('\n')
}

/** `Meera Iyer <meera@x.in>`, `<meera@x.in>` or `meera@x.in`. */
export function parseMailbox(value: string | undefined): Mailbox | undefined {
  if (!value) return undefined
  const angled = /^\s*"?([^"<]*?)"?\s*<([^>]+)>/.exec(value)
  if (angled) {
    const address = firstEmail(angled[2])
    if (!address) return undefined
    const name = angled[1]?.trim()
    return { address, name: name || undefined }
  }
  const address = firstEmail(value)
  return address ? { address } : undefined
}

function firstEmail(value: string | undefined): string | undefined {
  return value ? EMAIL.exec(value)?.[0] : undefined
}

function country(code: string): CountryCode | undefined {
  return isSupportedCountry(code) ? code : undefined
}

function firstPhone(text: string, defaultCountry: string): string | undefined {
  return findPhoneNumbersInText(text, { defaultCountry: country(defaultCountry) })[0]?.number.number
}

/**
 * A form's phone answer as E.164 when a number can be read in it ("+91 98765 01234
 * (WhatsApp)" included). An unreadable answer is dropped when the lead has an email (it
 * would refuse the whole lead as phone_invalid), and passed on when it is all there is,
 * for the pipeline to judge.
 */
function phoneOf(value: string | undefined, defaultCountry: string, hasEmail: boolean): string | undefined {
  if (!value) return undefined
  return firstPhone(value, defaultCountry) ?? (hasEmail ? undefined : value)
}

function namesOf(
  fields: FormFields,
  displayName: string | undefined,
): { firstName?: string | undefined; lastName?: string | undefined } {
  if (fields.firstName || fields.lastName) {
    return { firstName: cap(fields.firstName), lastName: cap(fields.lastName) }
  }
  return splitName(fields.name ?? displayName)
}

/** "Meera Iyer" → Meera / Iyer; "Iyer, Meera" → Meera / Iyer; an address is no name. */
export function splitName(raw: string | undefined): { firstName?: string; lastName?: string } {
  const name = raw
    ?.replace(/^["']|["']$/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  if (!name || name.includes('@') || name.length > NAME_MAX) return {}
  const comma = /^([^,]+),\s*([^,]+)$/.exec(name)
  if (comma) return { firstName: comma[2], lastName: comma[1] }
  const [first, ...rest] = name.split(' ')
  return rest.length ? { firstName: first, lastName: rest.join(' ') } : { firstName: first }
}

function cap(value: string | undefined): string | undefined {
  return value && value.length <= NAME_MAX ? value : undefined
}

/**
 * A consent checkbox answer. Contact Form 7's acceptance field mails its own wording
 * when ticked, other plugins "Yes"/"1"/"on"; an explicit no is recorded as declined.
 */
function consentOf(value: string | undefined, at: string): ConsentEvidence | undefined {
  const answer = value?.trim().toLowerCase()
  if (!answer) return undefined
  const source = 'email:form-notification'
  if (/^(no|n|0|false|off|unchecked|declined?|not accepted)$/.test(answer))
    return { granted: false, at, source }
  if (/^(yes|y|1|true|on|checked|ticked|x|✓|✔)$/.test(answer) || /\b(agree|accept|consent)/.test(answer))
    return { granted: true, at, source, text: value?.trim().slice(0, 1000) }
  return undefined
}

function asUrl(value: string | undefined): string | undefined {
  const match = value ? /https?:\/\/[^\s<>"']+/i.exec(value) : null
  return match?.[0]
}

const hasUtm = (url: string | undefined) => url !== undefined && /[?&]utm_[a-z]+=/i.test(url)

/**
 * Where the lead came from. A form's page URL (or any link in the mail) with utm_* tags is
 * the landing page the pipeline reads the campaign from; explicit "Source"/"UTM ..." answers
 * win over it. A mail with no campaign data counts as inbound email.
 */
function attributionOf(fields: FormFields, body: string): AttributionInput {
  const page = asUrl(fields.pageUrl) ?? asUrl(fields.source)
  const tagged = [...body.matchAll(/https?:\/\/[^\s<>"'\])]+/gi)].map((m) => m[0]).find((u) => hasUtm(u))
  const landingPage = hasUtm(page) ? page : (tagged ?? page)
  const source = fields.source && !asUrl(fields.source) ? fields.source : undefined
  const tagsFound = source !== undefined || fields.medium !== undefined || hasUtm(landingPage)
  return withoutUndefined({
    source: tagsFound ? source : 'email',
    medium: tagsFound ? fields.medium : 'inbound-email',
    campaign: fields.campaign,
    term: fields.term,
    content: fields.content,
    referrer: asUrl(fields.referrer),
    landingPage,
  })
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
