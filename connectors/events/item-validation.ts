import type { TSchema } from 'typebox'
import { compileBodyValidator, fieldErrors } from '../../api/validation.js'
import type { FieldError } from '../../platform/errors.js'

/*
 * Batch items are checked one by one (a bad item must not refuse its neighbours), by the
 * app's own body validator (api/validation.ts): no coercion, no stripping, every error
 * reported, formats on; errors point into the request like any other field error.
 */

export type ItemCheck<T> = { ok: true; item: T } | { ok: false; errors: FieldError[] }

/** A checker for one item schema; its errors point into the request (`/body/items/3/registrant/email`). */
export function itemValidator<T>(schema: TSchema): (value: unknown, pointer: string) => ItemCheck<T> {
  const validate = compileBodyValidator(schema)
  return (value, pointer) =>
    validate(value)
      ? { ok: true, item: value as T }
      : { ok: false, errors: fieldErrors(validate.errors ?? [], pointer) }
}
