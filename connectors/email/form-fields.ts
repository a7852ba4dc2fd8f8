/*
 * Reads the "Label: value" answers of web-form notification mails. Form plugins and lead
 * marketplaces all mail the submission as labelled lines or as an HTML table of label and
 * value cells: WordPress Contact Form 7 ("From: Name <email>", "Message Body:"), Elementor,
 * Wix, Google Forms and Typeform (the label on its own line, the answer below it),
 * IndiaMART and JustDial lead alerts ("Buyer Name", "Mobile", "Requirement"). The labels
 * differ, the shape does not, so one reader with a table of labels covers them. Pure.
 */

/** What a labelled answer fills. `from` is CF7's "Name <email>" line. */
export type FormField =
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'from'
  | 'email'
  | 'phone'
  | 'company'
  | 'title'
  | 'website'
  | 'city'
  | 'state'
  | 'country'
  | 'message'
  | 'budget'
  | 'timeline'
  | 'consent'
  | 'source'
  | 'medium'
  | 'campaign'
  | 'term'
  | 'content'
  | 'pageUrl'
  | 'referrer'

export type FormFields = Partial<Record<FormField, string>>

/** Labels as people write them, normalised (lower case, words only), per field. */
const LABELS: Record<FormField, readonly string[]> = {
  name: [
    'name',
    'full name',
    'your name',
    'fullname',
    'buyer name',
    'buyer',
    'customer name',
    'client name',
    'contact name',
    'contact person',
    'sender name',
    'lead name',
    'names',
  ],
  firstName: ['first name', 'firstname', 'given name', 'fname', 'your first name'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'lname', 'your last name'],
  from: ['from', 'sender'],
  email: [
    'email',
    'e mail',
    'email address',
    'e mail address',
    'email id',
    'mail id',
    'your email',
    'your e mail',
    'your email address',
    'buyer email',
    'buyer email id',
    'customer email',
    'work email',
    'business email',
  ],
  phone: [
    'phone',
    'phone number',
    'phone no',
    'your phone',
    'your phone number',
    'mobile',
    'mobile number',
    'mobile no',
    'mob',
    'mob no',
    'your mobile',
    'your mobile number',
    'buyer mobile',
    'buyer mobile number',
    'buyer phone',
    'contact number',
    'contact no',
    'contact phone',
    'telephone',
    'tel',
    'cell',
    'cell phone',
    'whatsapp',
    'whatsapp number',
    'whatsapp no',
  ],
  company: [
    'company',
    'company name',
    'your company',
    'organisation',
    'organization',
    'organisation name',
    'organization name',
    'business name',
    'firm',
    'firm name',
    'buyer company',
    'buyer company name',
  ],
  title: ['job title', 'designation', 'your designation', 'role', 'position'],
  website: ['website', 'web site', 'company website', 'your website'],
  city: ['city', 'town', 'buyer city', 'your city'],
  state: ['state', 'region', 'province', 'buyer state'],
  country: ['country', 'buyer country', 'your country'],
  message: [
    'message',
    'message body',
    'your message',
    'comments',
    'comment',
    'requirement',
    'requirements',
    'buyer requirement',
    'requirement details',
    'enquiry',
    'inquiry',
    'enquiry details',
    'inquiry details',
    'query',
    'your query',
    'description',
    'how can we help',
    'how can we help you',
    'details',
    'product',
    'product name',
  ],
  budget: ['budget', 'your budget', 'approx budget', 'approximate budget'],
  timeline: ['timeline', 'timeframe', 'time frame', 'when do you need it', 'purchase timeline'],
  consent: [
    'consent',
    'gdpr',
    'gdpr consent',
    'acceptance',
    'privacy policy',
    'i agree',
    'marketing consent',
    'opt in',
  ],
  source: ['source', 'utm source', 'lead source'],
  medium: ['utm medium', 'medium'],
  campaign: ['utm campaign', 'campaign'],
  term: ['utm term'],
  content: ['utm content'],
  pageUrl: [
    'page url',
    'page',
    'form url',
    'source url',
    'landing page',
    'landing page url',
    'submitted from',
    'sent from',
    'url',
  ],
  referrer: ['referrer', 'referer', 'referring url', 'referrer url'],
}

const FIELD_OF = new Map<string, FormField>(
  (Object.entries(LABELS) as [FormField, readonly string[]][]).flatMap(([field, labels]) =>
    labels.map((label) => [label, field] as const),
  ),
)

function normaliseLabel(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The field a label names, or undefined for labels we do not know (custom questions). */
export function fieldOfLabel(label: string): FormField | undefined {
  return FIELD_OF.get(normaliseLabel(label))
}

// "Name: value", "**Email**: value", "Phone - value" is too loose (dates, ranges): only
// colons (ASCII and full-width) and tab-separated cells (HTML tables) separate a label.
const LABELLED = /^[\s*_>#-]*([^:：\t]{1,40}?)[\s*_]*[:：\t]\s*(.*)$/
const SIGNATURE = /^--\s*$/

interface Pending {
  field: FormField
  lines: string[]
  /** The label stood on its own line: its answer is the next non-empty line. */
  bare: boolean
}

/**
 * The answers a notification mail carries, by field. The first answer for a field wins
 * (a later "Email" in the message text does not replace the form's own). The message
 * field keeps its following lines until the next known label or a signature.
 */
export function readFormFields(text: string): FormFields {
  const fields: FormFields = {}
  let pending: Pending | undefined
  const settle = () => {
    if (!pending) return
    const value = pending.lines.join('\n').trim()
    if (value && fields[pending.field] === undefined) fields[pending.field] = value
    pending = undefined
  }

  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\t+$/, '').trimEnd()
    if (SIGNATURE.test(line)) {
      settle()
      break
    }
    const labelled = LABELLED.exec(line)
    const labelField = labelled ? fieldOfLabel(labelled[1] ?? '') : undefined
    const bareField = labelled ? undefined : line.length <= 40 ? fieldOfLabel(line) : undefined

    if (labelled && labelField) {
      settle()
      const value = (labelled[2] ?? '').replace(/\t+/g, ' ').trim()
      pending = { field: labelField, lines: value ? [value] : [], bare: false }
      if (value && labelField !== 'message') settle()
      continue
    }
    if (bareField && !(pending?.field === 'message' && pending.lines.length > 0)) {
      settle()
      pending = { field: bareField, lines: [], bare: true }
      continue
    }
    if (!pending) continue
    if (pending.field === 'message') {
      pending.lines.push(line.trim())
      continue
    }
    // A label whose answer is on the next line (Typeform, Google Forms, "Email:\nvalue").
    if (line.trim()) {
      pending.lines.push(line.trim())
      settle()
    } else if (!pending.bare && pending.lines.length > 0) {
      settle()
    }
  }
  settle()
  return fields
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1))
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

/**
 * The text of an HTML notification, one table row per line with its cells separated by
 * tabs, so "<tr><td>Name</td><td>Meera</td></tr>" reads as a labelled line. mailparser's
 * own text rendering runs cells together ("NameMeera"), which no reader can split.
 */
export function htmlToFormText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<\/(td|th)\s*>/gi, '\t')
      .replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6]|table|ul|ol|dt|dd|blockquote)\s*>/gi, '\n')
      .replace(
        /<a\b[^>]*\bhref\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a\s*>/gi,
        (_m, href: string, label) =>
          /^https?:/i.test(href) && !String(label).includes(href) ? `${label} ${href}` : String(label),
      )
      .replace(/<[^>]*>/g, ''),
  )
    .split('\n')
    .map((l) => l.replace(/[ \u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
}
