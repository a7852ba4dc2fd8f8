/*
 * Structural checks shared by the rule-set parsers (scoring, assignment). A parser walks
 * stored or submitted JSON, pushes one "path message" entry per problem onto `issues` and
 * carries on with a placeholder, so a single error lists every problem at once. Paths look
 * like `rules[1].when.countries`; the top level is the empty path.
 */

/** A JSON object as it arrives, before any of its values are checked. */
export type Json = Record<string, unknown>

/** A plain object: not null and not an array. */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The path of `key` inside the object at `path` ("" for the top level). */
export const at = (path: string, key: string) => (path === '' ? key : `${path}.${key}`)

/** The end of a "path must be one of a, b, c" message. */
export const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`

/**
 * Records every key of `obj` that is not in `allowed`. Unknown keys are refused rather than
 * ignored: a misspelt key in a saved rule set ("matchesany", "country") would otherwise change
 * decisions silently, scoring every lead differently or widening a rule to every lead.
 */
export function checkKeys(obj: Json, allowed: readonly string[], path: string, issues: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) issues.push(`${at(path, key)} is not allowed`)
  }
}

/** The string, or '' after recording an issue when it is not a string or is blank. */
export function readString(v: unknown, path: string, issues: string[]): string {
  if (typeof v !== 'string' || v.trim() === '') {
    issues.push(`${path} must be a non-empty string`)
    return ''
  }
  return v
}

/**
 * The list, each item checked by {@link readString}; [] after recording an issue when it is
 * not an array. An empty list is recorded too, because a rule with one would never match.
 *
 * @param emptyHint - Added in parentheses to the "must not be empty" message, to say what to
 *   do instead.
 */
export function readStringList(v: unknown, path: string, issues: string[], emptyHint?: string): string[] {
  if (!Array.isArray(v)) {
    issues.push(`${path} must be an array of strings`)
    return []
  }
  if (v.length === 0) {
    issues.push(
      emptyHint === undefined ? `${path} must not be empty` : `${path} must not be empty (${emptyHint})`,
    )
  }
  return v.map((item, i) => readString(item, `${path}[${i}]`, issues))
}
