import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { UnauthorizedError } from '../../platform/errors.js'
import { ANONYMOUS_API, type RequestActor } from '../actor.js'

declare module 'fastify' {
  interface FastifyRequest {
    actor: RequestActor
  }
}

/** The header naming the calling user until sessions and API keys replace it. */
export const USER_HEADER = 'x-leadwire-user'

/**
 * Resolves who is calling. Interim, until the security issue's sessions and API keys: a
 * caller names its user in `X-Leadwire-User` (it must exist, or the request is a 401), and
 * a caller that names none writes as `api:anonymous`. The rest of the API only reads
 * `request.actor`, so replacing this resolution is the whole change authentication needs.
 */
export default fp(
  async function actor(app: FastifyInstance) {
    app.decorateRequest('actor', null as unknown as RequestActor)
    app.addHook('onRequest', async (request) => {
      const given = request.headers[USER_HEADER]
      if (typeof given !== 'string' || given === '') {
        request.actor = { ...ANONYMOUS_API, userId: null }
        return
      }
      const user =
        given.length <= 200
          ? await app.services.db.user.findUnique({ where: { id: given }, select: { id: true } })
          : null
      if (!user) throw new UnauthorizedError(`No user ${JSON.stringify(given.slice(0, 200))} exists.`)
      request.actor = { id: `user:${user.id}`, userId: user.id }
    })
  },
  { name: 'actor', dependencies: ['services'] },
)
