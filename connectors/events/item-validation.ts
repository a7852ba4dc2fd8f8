import { Ajv, type ErrorObject } from 'ajv'
import addFormats from 'ajv-formats'
import type { TSchema } from 'typebox'
import type { FieldError } from '../../platform/errors.js'

/*
 * Batch items are checked one by one (a bad item must not refuse its neighbours), with the
 * same Ajv settings the app uses for bodies (api/validation.ts): no coercion, no stripping,
 * every error reported, formats on.
 */
const ajv = new Ajv({
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  strict: false,
  coerceTypes: false,
})
addFormats.default(ajv)

export type ItemCheck<T> = { ok: true; item: T } | { ok: false; errors: FieldError[] }

/** A checker for one item schema; its errors point into the request (`/body/items/3/registrant/email`). */
export function itemValidator<T>(schema: TSchema): (value: unknown, pointer: string) => ItemCheck<T> {
  const validate = ajv.compile(schema)
  return (value, pointer) =>
    validate(value)
      ? { ok: true, item: value as T }
      : { ok: false, errors: (validate.errors ?? []).map((e) => toFieldError(e, pointer)) }
}

function toFieldError(issue: ErrorObject, base: string): FieldError {
  let pointer = `${base}${issue.instancePath}`
  if (issue.keyword === 'required') pointer += `/${String(issue.params['missingProperty'])}`
  if (issue.keyword === 'additionalProperties') {
    return {
      pointer: `${pointer}/${String(issue.params['additionalProperty'])}`,
      message: 'is not a known field',
    }
  }
  return { pointer, message: issue.message ?? 'is invalid' }
}
