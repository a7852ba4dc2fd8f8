import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** TODO(security issue). */
export default fp(async function hardening(_app: FastifyInstance) {}, {
  name: 'hardening',
  dependencies: ['auth'],
})
