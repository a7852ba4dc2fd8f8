import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { checkPostgres, checkTemporal } from '../../../platform/readiness.js'
import { Liveness, Readiness } from '../../schemas/health.schema.js'

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: Liveness } },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: PostgreSQL and Temporal are reachable',
        description: '200 when both answer; 503 otherwise, naming the one that does not.',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const { db, temporalConnection } = app.services
      const [postgres, temporalCheck] = await Promise.all([
        checkPostgres(db),
        checkTemporal(temporalConnection),
      ])
      const ready = postgres.status === 'up' && temporalCheck.status === 'up'
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        checks: { postgres, temporal: temporalCheck },
      })
    },
  )
}

export default health
