import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { BodyUse } from '../../domain/security/field-access.rules.js'
import type { Action } from '../../domain/security/roles.rules.js'
import { LeadwireError } from '../../platform/errors.js'
import { forbiddenWrites, readRedactor } from '../../security/field-access.js'

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/** What a route's body does, by its access action (a POST that reads is a search). */
const BODY_USE: Partial<Record<Action, BodyUse>> = { create: 'create', update: 'update', read: 'search' }

/** The principal and route object this request's field rules depend on, if any. */
function subject(request: FastifyRequest) {
  const access = request.routeOptions.config.access
  if (!request.principal || typeof access !== 'object') return null
  return { principal: request.principal, access }
}

/**
 * Field-level permissions for every route, in one place: the route's object
 * (config.access.object) says which records its body and its answer hold, and the caller's
 * role says which of their fields are hidden or read-only (domain/security/field-access.rules.ts).
 *
 * - Writes: a body that sets a field the role may not set is refused before the handler
 *   runs. 403 (a permission, not a flaw in the data the client could fix by rewording it),
 *   with errors[] naming each field, like a 422's, so a form can mark them. A POST that
 *   reads (the duplicate check) may not search by a hidden field either.
 * - Reads: hidden fields are null in the answer, whether it is one record, a page or a
 *   record nested in another. Routes whose role has no rule for their records are not walked.
 *
 * Public routes (forms, webhooks) have no principal and are not concerned. Exports stream
 * their rows and redact them themselves with the same redactor (api/routes/exports).
 */
export default fp(
  async function fieldAccess(app: FastifyInstance) {
    app.addHook('preHandler', async (request) => {
      const s = subject(request)
      if (!s || !WITH_BODY.has(request.method)) return
      const { action, object } = s.access
      const use = BODY_USE[action]
      if (!use) return
      const errors = forbiddenWrites(s.principal.role, object, use, request.body)
      if (errors.length === 0) return
      const fields = errors.map((e) => e.pointer.replace(/^\/body\//, '')).join(', ')
      throw new LeadwireError(
        'forbidden',
        403,
        `Your role (${s.principal.role.name}) may not ${use === 'search' ? 'search by' : 'set'} ${fields} on this ${object}.`,
        { errors },
      )
    })

    app.addHook('preSerialization', async (request, reply, payload: unknown) => {
      const s = subject(request)
      if (!s || reply.statusCode >= 400) return payload
      const redact = readRedactor(s.principal.role, s.access.object)
      return redact ? redact(payload) : payload
    })
  },
  { name: 'field-access', dependencies: ['auth'] },
)
