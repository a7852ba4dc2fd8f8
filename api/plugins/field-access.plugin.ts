import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** TODO(security issue). */
export default fp(async function fieldAccess(_app: FastifyInstance) {}, {
  name: 'field-access',
  dependencies: ['auth'],
})
