import type { AttributionInput, ConsentEvidence, LeadCapture } from '../../domain/lead/lead-capture.js'
import {
  CONSENT_VERSION_FIELD,
  consentFieldName,
  LANDING_PAGE_FIELD,
  REFERRER_FIELD,
  UTM_FIELDS,
  type WebFormDefinition,
} from './form-fields.js'

/** A submitted value: text from a browser form, or what a JSON caller sends. */
export type FieldValue = string | number | boolean | string[]
export type SubmittedFields = Record<string, FieldValue>

export interface MappedSubmission {
  capture: LeadCapture
  /** The hidden field people never see was filled in: a bot. */
  honeypotFilled: boolean
}

/** The value submitted under `name`: own fields only (a field named "constructor" is not Object's). */
export function submitted(fields: SubmittedFields, name: string): FieldValue | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined
}

/** A submitted value as trimmed text; empty means absent. A multi-select's values are joined. */
export function fieldText(value: FieldValue | undefined): string | undefined {
  if (value === undefined) return undefined
  const text = Array.isArray(value)
    ? value
        .map((v) => v.trim())
        .filter(Boolean)
        .join(', ')
    : String(value).trim()
  return text === '' ? undefined : text
}

// What browsers send for a checked box ("on" unless the box has a value) and what JSON
// callers and custom forms commonly use. An unchecked box is not sent at all.
const CHECKED = new Set(['on', 'yes', 'true', '1', 'checked', 'y'])

export function isChecked(value: FieldValue | undefined): boolean {
  if (value === undefined) return false
  if (typeof value === 'boolean') return value
  if (Array.isArray(value)) return value.some((v) => CHECKED.has(v.trim().toLowerCase()))
  return CHECKED.has(String(value).trim().toLowerCase())
}

/** The utm_* parameters of a landing page URL (none when it is not a URL). */
function tagsFromUrl(url: string | undefined): Partial<Record<string, string>> {
  if (!url) return {}
  let params: URLSearchParams
  try {
    params = new URL(url).searchParams
  } catch {
    return {}
  }
  const tags: Partial<Record<string, string>> = {}
  for (const [field, key] of Object.entries(UTM_FIELDS)) {
    const value = params.get(field)?.trim()
    if (value) tags[key] = value
  }
  return tags
}

/**
 * The submission's campaign: the utm_* fields the embed script filled in (or, without them,
 * the landing page's own utm_* parameters), the referrer and the landing page, over the
 * form's default attribution. A submission that names its own source keeps its tags as a
 * set: the form's default medium or campaign is not mixed into another source's tags.
 */
function attributionOf(form: WebFormDefinition, fields: SubmittedFields): AttributionInput {
  const landingPage = fieldText(submitted(fields, LANDING_PAGE_FIELD))
  const referrer = fieldText(submitted(fields, REFERRER_FIELD))
  const tags: Partial<Record<string, string>> = { ...tagsFromUrl(landingPage) }
  for (const [field, key] of Object.entries(UTM_FIELDS)) {
    const value = fieldText(submitted(fields, field))
    if (value) tags[key] = value
  }
  const defaults = tags['source'] ? {} : form.attribution
  const attribution: AttributionInput = { ...defaults, ...tags }
  if (referrer) attribution.referrer = referrer
  if (landingPage) attribution.landingPage = landingPage
  return attribution
}

/**
 * What the person agreed to: the checkbox, the wording the form shows and its version.
 * A pasted snippet can be older than the form's current wording; its hidden version field
 * says which wording the person saw, and the stored text is only claimed when it is that one.
 */
function consentOf(
  form: WebFormDefinition,
  fields: SubmittedFields,
  receivedAt: string,
): ConsentEvidence | undefined {
  const field = consentFieldName(form)
  if (field === null) return undefined
  const shownVersion =
    fieldText(submitted(fields, CONSENT_VERSION_FIELD)) ?? form.consentTextVersion ?? undefined
  const sameWording = shownVersion === (form.consentTextVersion ?? undefined)
  return {
    granted: isChecked(submitted(fields, field)),
    at: receivedAt,
    source: `web_form:${form.id}`,
    textVersion: shownVersion,
    text: sameWording ? (form.consentText ?? undefined) : undefined,
    channels: form.consentChannels.length > 0 ? [...form.consentChannels] : undefined,
  }
}

/**
 * Turns a form submission into the pipeline's capture input. Pure: no I/O and no clock
 * (the receive time is passed in). Values are passed on as typed; normalising phones,
 * emails and countries is the pipeline's job. Fields the form does not map stay in the
 * raw capture only.
 */
export function mapSubmission(
  form: WebFormDefinition,
  fields: SubmittedFields,
  receivedAt: string,
  externalId?: string,
): MappedSubmission {
  const capture: LeadCapture = { channel: 'web_form', receivedAt }
  if (externalId) capture.externalId = externalId
  const person = capture as unknown as Record<string, string | undefined>
  for (const [name, to] of Object.entries(form.fieldMapping)) {
    if (to === 'consent') continue
    const value = fieldText(submitted(fields, name))
    if (value === undefined) continue
    if (to === 'fullName') {
      const [first, ...rest] = value.split(/\s+/)
      person['firstName'] ??= first
      if (rest.length) person['lastName'] ??= rest.join(' ')
    } else {
      person[to] = value
    }
  }
  const consent = consentOf(form, fields, receivedAt)
  if (consent) capture.consent = consent
  capture.attribution = attributionOf(form, fields)
  const honeypot = fieldText(submitted(fields, form.honeypotField))
  if (honeypot !== undefined) capture.honeypot = honeypot
  return { capture, honeypotFilled: honeypot !== undefined }
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Points a pipeline error (`/body/email`) at the form field the person typed into
 * (`/body/work_email`), so a page can show it next to the right box. Pointers that name no
 * mapped field are left as they are.
 */
export function formFieldPointer(form: WebFormDefinition, pointer: string): string {
  const match = /^\/body\/([A-Za-z]+)$/.exec(pointer)
  if (!match) return pointer
  const captureField = match[1]!
  const byField = Object.entries(form.fieldMapping)
  let name: string | null | undefined =
    captureField === 'consent' ? consentFieldName(form) : byField.find(([, to]) => to === captureField)?.[0]
  if (!name && (captureField === 'firstName' || captureField === 'lastName')) {
    name = byField.find(([, to]) => to === 'fullName')?.[0]
  }
  return name ? `/body/${escapePointer(name)}` : pointer
}
