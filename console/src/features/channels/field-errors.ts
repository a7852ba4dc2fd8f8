import { ApiError } from '../../api/client'

/*
 * Field errors under one part of a body: `/body/allowedOrigins/2` belongs to the origins
 * box, `/body/fieldMapping/work_email` to the fields. ApiError.fieldMessage matches one
 * field by its last segment; these forms also need everything below a field.
 */
export function errorsUnder(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined
  const messages = error.fieldErrors.filter((e) => isUnder(e.pointer, field)).map((e) => e.message)
  return messages.length > 0 ? [...new Set(messages)].join(' ') : undefined
}

/** True when a JSON pointer is the body field or inside it. */
export function isUnder(pointer: string, field: string): boolean {
  const at = `/body/${field}`
  return pointer === at || pointer.startsWith(`${at}/`)
}

/** The index in `/body/<field>/<i>` of each error, for a list typed one item a line. */
export function lineErrors(error: unknown, field: string): Map<number, string> {
  const lines = new Map<number, string>()
  if (!(error instanceof ApiError)) return lines
  for (const e of error.fieldErrors) {
    const match = new RegExp(`^/body/${field}/(\\d+)$`).exec(e.pointer)
    if (match) lines.set(Number(match[1]), e.message)
  }
  return lines
}

/** A slug as form and partner ids take it: lower-case letters, digits and dashes. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
}

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}$'
