import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { LeadwireError } from '../../platform/errors.js'

/**
 * PostgreSQL text cannot hold U+0000: a NUL that reached a query would fail there, as a 500.
 * Refuse it up front, as the bad input it is, wherever a route's values come from: the
 * path, the query string and a parsed JSON or form body (file uploads are streams, not read).
 */
function findNul(value: unknown, pointer: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer : null
  if (depth > 32 || value === null || typeof value !== 'object') return null
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return null
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
      const found =
        findNul(request.params, '/params') ??
        findNul(request.query, '/querystring') ??
        findNul(request.body, '/body')
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
