import type { FormCaptureField, WebForm } from './channel.types'

type AskedField = Exclude<FormCaptureField, 'consent'>

/** The label each field gets in the snippet (connectors/web-form/embed.ts), in snippet order. */
export const ASKABLE_FIELDS: readonly { field: AskedField; label: string; name: string }[] = [
  { field: 'fullName', label: 'Name', name: 'name' },
  { field: 'firstName', label: 'First name', name: 'first_name' },
  { field: 'lastName', label: 'Last name', name: 'last_name' },
  { field: 'email', label: 'Email', name: 'email' },
  { field: 'phone', label: 'Phone', name: 'phone' },
  { field: 'company', label: 'Company', name: 'company' },
  { field: 'title', label: 'Job title', name: 'job_title' },
  { field: 'website', label: 'Website', name: 'website' },
  { field: 'industry', label: 'Industry', name: 'industry' },
  { field: 'companySize', label: 'Company size', name: 'company_size' },
  { field: 'country', label: 'Country', name: 'country' },
  { field: 'state', label: 'State / region', name: 'state' },
  { field: 'city', label: 'City', name: 'city' },
  { field: 'budget', label: 'Budget', name: 'budget' },
  { field: 'authority', label: 'Role in the decision', name: 'authority' },
  { field: 'need', label: 'What they need', name: 'need' },
  { field: 'timeline', label: 'Timeline', name: 'timeline' },
]

export const DEFAULT_FIELDS: readonly AskedField[] = ['fullName', 'email', 'company']

export function labelOf(field: FormCaptureField): string {
  return field === 'consent' ? 'Consent' : (ASKABLE_FIELDS.find((f) => f.field === field)?.label ?? field)
}

/** The capture fields a stored form asks for (its consent checkbox aside), in snippet order. */
export function askedFields(form: WebForm): AskedField[] {
  const asked = new Set(Object.values(form.fieldMapping))
  return ASKABLE_FIELDS.map((f) => f.field).filter((f) => asked.has(f))
}

/** A consent channel as people write it. */
export function channelLabel(channel: string): string {
  return channel === 'sms'
    ? 'SMS'
    : channel === 'whatsapp'
      ? 'WhatsApp'
      : channel === 'email'
        ? 'Email'
        : 'Phone'
}

/**
 * The field mapping to save: the HTML names a form already uses are kept (a pasted snippet
 * goes on posting them), new fields get a plain name. A mapped consent box stays as it is.
 */
export function mappingFor(
  asked: ReadonlySet<AskedField>,
  current: WebForm['fieldMapping'] = {},
): Record<string, FormCaptureField> {
  const mapping: Record<string, FormCaptureField> = {}
  for (const [name, field] of Object.entries(current)) {
    if (field === 'consent' || asked.has(field)) mapping[name] = field
  }
  const mapped = new Set(Object.values(mapping))
  const taken = new Set(Object.keys(mapping))
  for (const { field, name } of ASKABLE_FIELDS) {
    if (!asked.has(field) || mapped.has(field)) continue
    let unique = name
    for (let n = 2; taken.has(unique); n++) unique = `${name}_${n}`
    mapping[unique] = field
    taken.add(unique)
  }
  return mapping
}
