import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { FieldError } from '../platform/errors.js'

/*
 * Two validators, because the request parts want opposite things. Query strings, params
 * and headers arrive as text and must be coerced ("10" -> 10). A JSON body must not be:
 * `{"score": "10"}` is a client bug that deserves a 422, not a silent fix. Neither strips
 * unknown properties: an unknown field is rejected, never dropped without a word.
 */
function build(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  })
  addFormats.default(ajv)
  return ajv
}

const bodyAjv = build({ coerceTypes: false })
const textAjv = build({ coerceTypes: 'array' })

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema)

/** A body schema's validator, for checks made inside a handler (one item of a batch at a time). */
export function compileBodyValidator(schema: object): ValidateFunction {
  return bodyAjv.compile(schema)
}

/** Ajv's issues as problem+json field errors, each pointing below `base` (`/body`, `/body/items/3`). */
export function fieldErrors(
  issues: readonly Pick<ErrorObject, 'instancePath' | 'message' | 'keyword' | 'params'>[],
  base: string,
): FieldError[] {
  return issues.map((issue) => {
    const params = issue.params as Record<string, unknown>
    let pointer = `${base}${issue.instancePath}`
    if (issue.keyword === 'required') pointer += `/${String(params['missingProperty'])}`
    if (issue.keyword === 'additionalProperties') {
      pointer += `/${String(params['additionalProperty'])}`
      return { pointer, message: 'is not a known field' }
    }
    const allowed = params['allowedValues']
    const suffix = Array.isArray(allowed) ? `: ${allowed.join(', ')}` : ''
    return { pointer, message: `${issue.message ?? 'is invalid'}${suffix}` }
  })
}
