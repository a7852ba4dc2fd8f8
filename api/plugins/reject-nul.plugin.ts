import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { LeadwireError } from '../../platform/errors.js'

/**
 * PostgreSQL text cannot hold U+0000: a NUL that reached a query would fail there, as a 500.
 * Refuse it up front in the path and the query string (a 400, like any unreadable URL).
 * Bodies are the schemas' business: a NUL there is a field error (422), see ingestion.
 */
function findNul(value: unknown, pointer: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer : null
  if (depth > 32 || value === null || typeof value !== 'object') return null
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (key.includes('\u0000')) return `${pointer}/${key}`
    const found = findNul(inner, `${pointer}/${key}`, depth + 1)
    if (found) return found
  }
  return null
}

export default fp(
  async function rejectNul(app: FastifyInstance) {
    app.addHook('preValidation', async (request) => {
      const found = findNul(request.params, '/params') ?? findNul(request.query, '/querystring')
      if (found) {
        throw new LeadwireError(
          'malformed_request',
          400,
          'Text may not contain the NUL character (U+0000).',
          {
            errors: [{ pointer: found, message: 'contains U+0000' }],
          },
        )
      }
    })
  },
  { name: 'reject-nul' },
)
