import {
  CAPTURE_BANT_FIELDS,
  CAPTURE_CONTACT_FIELDS,
  CAPTURE_PLACE_FIELDS,
  type ConsentEvidence,
  type ContactChannel,
  type LeadCapture,
} from '../../domain/lead/lead-capture.js'

/*
 * Column mapping: which column of the file feeds which capture field, and what the whole file
 * carries (its source, campaign and the consent the people in it gave). Pure.
 */

/** Capture fields a column can feed. `fullName` is split into first and last name. */
export const IMPORT_FIELDS = [
  'fullName',
  ...CAPTURE_CONTACT_FIELDS,
  'annualRevenue',
  'currency',
  ...CAPTURE_PLACE_FIELDS,
  ...CAPTURE_BANT_FIELDS,
  'externalId',
  'receivedAt',
  'source',
  'medium',
  'campaign',
  'consent',
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

/** Column name → field; `null` (or absent) leaves the column out of the lead (it stays in the raw capture). */
export type ColumnMapping = Record<string, ImportField | null>

/** What holds for every row of the file. */
export interface ImportDefaults {
  source?: string | undefined
  medium?: string | undefined
  campaign?: string | undefined
  /** ISO2 or English name, for rows without a country (it also reads national phone numbers). */
  country?: string | undefined
  /** The consent the file's people gave (an expo's badge-scan form, a webinar's registration). */
  consent?:
    | {
        granted: boolean
        text?: string | undefined
        textVersion?: string | undefined
        /** When it was given (ISO 8601); else the row's date, else the import's time. */
        at?: string | undefined
        channels?: ContactChannel[] | undefined
      }
    | undefined
}

// Header spellings seen in Indian and international lead sheets (CRM exports, expo badge
// scans, IndiaMART/JustDial downloads, hand-made sheets), compared without case, spaces or
// punctuation. `null`: a known column that has no lead field yet (GSTIN, pincode, address).
const SYNONYMS: Record<string, ImportField | null> = {}
const synonyms = (field: ImportField | null, names: string) => {
  for (const name of names.split('|')) SYNONYMS[fold(name)] = field
}
synonyms('email', 'email|e-mail|email id|email address|mail|mail id|work email|official email|business email')
synonyms(
  'phone',
  'phone|phone no|phone number|mobile|mobile no|mobile number|mob|mob no|contact|contact no|contact number|' +
    'cell|cell phone|telephone|tel|whatsapp|whatsapp no|whatsapp number|primary phone|mobile phone',
)
synonyms('firstName', 'first name|firstname|fname|given name|first')
synonyms('lastName', 'last name|lastname|lname|surname|family name|last')
synonyms(
  'fullName',
  'name|full name|contact name|contact person|customer name|lead name|person name|client name',
)
synonyms(
  'company',
  'company|company name|organisation|organization|org|organisation name|organization name|firm|firm name|' +
    'business|business name|account|account name|employer',
)
synonyms('title', 'title|job title|designation|position|role')
synonyms('website', 'website|web site|url|site|website url|company website|web')
synonyms('industry', 'industry|sector|vertical|business type')
synonyms(
  'companySize',
  'company size|employees|no of employees|number of employees|employee count|headcount|size',
)
synonyms('annualRevenue', 'revenue|annual revenue|turnover|annual turnover')
synonyms('currency', 'currency')
synonyms('country', 'country|country name|nation')
synonyms('state', 'state|province|region|state name')
synonyms('city', 'city|town|city name|location')
synonyms('budget', 'budget')
synonyms('authority', 'authority|decision maker')
synonyms('need', 'need|requirement|requirements|interest|product interest|enquiry|inquiry')
synonyms('timeline', 'timeline|timeframe|time frame|purchase timeline')
synonyms('externalId', 'id|lead id|record id|external id|ref|ref no|reference|reference no')
synonyms(
  'receivedAt',
  'date|created|created at|created on|lead date|enquiry date|inquiry date|received at|timestamp',
)
synonyms('source', 'source|lead source|utm source')
synonyms('medium', 'medium|utm medium')
synonyms('campaign', 'campaign|campaign name|utm campaign|event|event name')
synonyms('consent', 'consent|opt in|optin|opted in|marketing consent|subscribed|agreed')
synonyms(
  null,
  'gstin|gst|gst no|gst number|gstin no|pan|pincode|pin code|pin|zip|zip code|postal code|address|remarks|notes|comments|s no|sr no|serial no',
)

function fold(header: string): string {
  return header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
}

/**
 * A mapping suggested from the column names: each known spelling maps to its field, the
 * first column wins when two spell the same field, unknown columns stay unmapped (null).
 */
export function suggestMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {}
  const taken = new Set<ImportField>()
  for (const header of headers) {
    const field = SYNONYMS[fold(header)] ?? null
    if (field !== null && !taken.has(field)) {
      mapping[header] = field
      taken.add(field)
    } else {
      mapping[header] = null
    }
  }
  return mapping
}

/** A problem with a mapping itself (not with a row): the import cannot start. */
export interface MappingProblem {
  column: string | null
  message: string
}

/** Checks a mapping against the file's columns; an empty list means it can be used. */
export function checkMapping(mapping: ColumnMapping, headers: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = []
  const fields = new Map<ImportField, string>()
  for (const [column, field] of Object.entries(mapping)) {
    if (!headers.includes(column)) {
      problems.push({ column, message: `The file has no column "${column}".` })
      continue
    }
    if (field === null) continue
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) {
      problems.push({ column, message: `"${String(field)}" is not a lead field.` })
      continue
    }
    const earlier = fields.get(field)
    if (earlier !== undefined) {
      problems.push({ column, message: `Both "${earlier}" and "${column}" are mapped to ${field}.` })
    }
    fields.set(field, column)
  }
  if (!fields.has('email') && !fields.has('phone')) {
    problems.push({
      column: null,
      message: 'Map a column to email or phone: a lead needs a way to reach the person.',
    })
  }
  return problems
}

/** A row value that cannot be used, pointing at its column. */
export interface RowFieldError {
  field: string
  column: string
  message: string
}

const YES = new Set([
  'yes',
  'y',
  'true',
  '1',
  'agreed',
  'agree',
  'opted in',
  'optin',
  'opt in',
  'granted',
  'subscribed',
  'haan',
  'ha',
])
const NO = new Set([
  'no',
  'n',
  'false',
  '0',
  'declined',
  'opted out',
  'optout',
  'opt out',
  'denied',
  'unsubscribed',
  'nahi',
])

// dd/mm/yyyy (or dd-mm-yyyy, dd.mm.yyyy) with an optional hh:mm[:ss]: how Indian and
// European sheets write dates. Read as the day first; ISO dates pass through untouched.
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

function readDate(value: string): string {
  const m = DAY_FIRST.exec(value)
  if (!m) return value
  const [, d, mo, y, h, mi, s] = m
  const two = (v: string | undefined) => (v ?? '0').padStart(2, '0')
  return `${y}-${two(mo)}-${two(d)}${h !== undefined ? `T${two(h)}:${two(mi)}:${two(s)}` : ''}`
}

/** Revenue as people type it: "₹ 12,50,000", "1.5e6", "12 lakh" is not understood (left for the warning). */
function readAmount(value: string): number {
  const cleaned = value.replace(/[₹$€£,\s]|rs\.?|inr/gi, '')
  return cleaned === '' ? Number.NaN : Number(cleaned)
}

function splitName(full: string): { firstName: string; lastName?: string } {
  const parts = full.trim().split(/\s+/)
  const [first = '', ...rest] = parts
  return rest.length > 0 ? { firstName: first, lastName: rest.join(' ') } : { firstName: first }
}

/**
 * Turns one row into the capture the pipeline takes: mapped columns to fields, the file's
 * defaults for what the row does not say, channel `import`. Values are passed on as written
 * (normalisation and validation are the pipeline's); only what a sheet writes differently
 * from an API caller is read here: day-first dates, yes/no consent, amounts with separators,
 * a full name column.
 */
export function rowToCapture(
  record: Readonly<Record<string, string>>,
  mapping: ColumnMapping,
  defaults: ImportDefaults,
  file: { name: string },
): { capture: LeadCapture; errors: RowFieldError[] } {
  const errors: RowFieldError[] = []
  const values: Partial<Record<ImportField, { value: string; column: string }>> = {}
  for (const [column, field] of Object.entries(mapping)) {
    if (field === null) continue
    const value = (record[column] ?? '').trim()
    if (value !== '') values[field] = { value, column }
  }
  const text = (field: ImportField) => values[field]?.value

  const capture: LeadCapture = { channel: 'import' }
  // Copied as written; the fields read below need parsing or combine with the defaults.
  for (const field of [
    ...CAPTURE_CONTACT_FIELDS,
    'currency',
    ...CAPTURE_PLACE_FIELDS,
    ...CAPTURE_BANT_FIELDS,
    'externalId',
  ] as const) {
    const v = text(field)
    if (v !== undefined) capture[field] = v
  }
  const fullName = text('fullName')
  if (fullName !== undefined && capture.firstName === undefined && capture.lastName === undefined) {
    Object.assign(capture, splitName(fullName))
  }
  if (capture.country === undefined && defaults.country) capture.country = defaults.country
  const revenue = text('annualRevenue')
  if (revenue !== undefined) capture.annualRevenue = readAmount(revenue)
  const receivedAt = text('receivedAt')
  if (receivedAt !== undefined) capture.receivedAt = readDate(receivedAt)

  const source = text('source') ?? defaults.source
  const medium = text('medium') ?? defaults.medium
  const campaign = text('campaign') ?? defaults.campaign
  if (source !== undefined || medium !== undefined || campaign !== undefined) {
    capture.attribution = {
      ...(source !== undefined ? { source } : {}),
      ...(medium !== undefined ? { medium } : {}),
      ...(campaign !== undefined ? { campaign } : {}),
    }
  }

  let granted = defaults.consent?.granted
  const said = values.consent
  if (said) {
    const answer = said.value.toLowerCase()
    if (YES.has(answer)) granted = true
    else if (NO.has(answer)) granted = false
    else
      errors.push({
        field: 'consent',
        column: said.column,
        message: `"${said.value}" is not a yes/no answer.`,
      })
  }
  if (granted !== undefined) {
    const d = defaults.consent
    const evidence: ConsentEvidence = { granted, source: `import:${file.name}` }
    if (d?.text !== undefined) evidence.text = d.text
    if (d?.textVersion !== undefined) evidence.textVersion = d.textVersion
    // Consent is as old as the row's own date when the file does not say when it was given.
    const at = Date.parse(d?.at ?? capture.receivedAt ?? '')
    if (!Number.isNaN(at)) evidence.at = new Date(at).toISOString()
    if (d?.channels !== undefined) evidence.channels = d.channels
    capture.consent = evidence
  }
  return { capture, errors }
}

/** The column a capture field came from, to point a pipeline error at the file's own column. */
export function columnOf(mapping: ColumnMapping, field: string): string | null {
  const wanted = field === 'firstName' || field === 'lastName' ? [field, 'fullName'] : [field]
  for (const [column, f] of Object.entries(mapping)) if (f !== null && wanted.includes(f)) return column
  return null
}
