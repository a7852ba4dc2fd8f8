import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

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
