import { createHash } from 'node:crypto'
import type { FieldError } from '../../platform/errors.js'
import { RESERVED_FIELDS, type FormCaptureField } from './form-fields.js'

/** An HTML field name we can put in a snippet and read back from a urlencoded body as is. */
export const FIELD_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{0,63}$'
const FIELD_NAME = new RegExp(FIELD_NAME_PATTERN)

/** The parts of a form the checks below look at (after a PATCH is applied). */
export interface FormShape {
  fieldMapping: Record<string, FormCaptureField>
  allowedOrigins: string[]
  honeypotField: string
  consentText: string | null
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** True when `origin` is an exact web origin as browsers send it: scheme, host, port; no path. */
export function isExactOrigin(origin: string): boolean {
  try {
    const url = new URL(origin)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin
  } catch {
    return false
  }
}

/**
 * What is wrong with a form's definition, as field errors (422). Checked on create and on
 * every edit, over the form as it would be stored: a form that cannot capture a reachable
 * person, or whose snippet would send two fields under one name, is refused up front.
 */
export function formDefinitionProblems(form: FormShape): FieldError[] {
  const problems: FieldError[] = []
  const seen = new Map<FormCaptureField, string>()
  for (const [name, to] of Object.entries(form.fieldMapping)) {
    const pointer = `/body/fieldMapping/${escapePointer(name)}`
    if (!FIELD_NAME.test(name)) {
      problems.push({
        pointer,
        message: 'A form field name starts with a letter and has up to 64 letters, digits, _, . or -.',
      })
    } else if (RESERVED_FIELDS.includes(name)) {
      problems.push({
        pointer,
        message: `"${name}" is a hidden field every form carries; choose another name.`,
      })
    } else if (name === form.honeypotField) {
      problems.push({ pointer, message: `"${name}" is the form's honeypot field; choose another name.` })
    }
    const earlier = seen.get(to)
    if (earlier !== undefined) {
      problems.push({ pointer, message: `Both "${earlier}" and "${name}" fill ${to}; map one field to it.` })
    }
    seen.set(to, name)
  }
  if (!seen.has('email') && !seen.has('phone')) {
    problems.push({
      pointer: '/body/fieldMapping',
      message: 'Map a field to email or phone: a lead needs a way to be reached.',
    })
  }
  // Without a mapped checkbox, the snippet renders one named "consent" for the wording.
  if (form.consentText && !seen.has('consent') && 'consent' in form.fieldMapping) {
    problems.push({
      pointer: '/body/fieldMapping/consent',
      message: 'The consent checkbox is named "consent": map it to consent or rename this field.',
    })
  }
  if (!FIELD_NAME.test(form.honeypotField) || RESERVED_FIELDS.includes(form.honeypotField)) {
    problems.push({
      pointer: '/body/honeypotField',
      message:
        'The honeypot is a field name (a letter, then letters, digits, _, . or -) that no other field uses.',
    })
  }
  form.allowedOrigins.forEach((origin, i) => {
    if (!isExactOrigin(origin)) {
      problems.push({
        pointer: `/body/allowedOrigins/${i}`,
        message:
          'An origin is a scheme, host and optional port, such as https://example.com (no path, no slash).',
      })
    }
  })
  return problems
}

/**
 * A version id for wording stored without one, derived from the wording itself: a changed
 * wording never goes on under the old version (consent evidence must name what was shown).
 */
export function wordingVersion(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`
}
