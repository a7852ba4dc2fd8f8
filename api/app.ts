import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from '../platform/logger.js'
import openapi from './plugins/openapi.plugin.js'
import problemDetails, { frameworkErrorReply } from './plugins/problem-details.plugin.js'
import rejectNul from './plugins/reject-nul.plugin.js'
import services, { type ApiServices } from './plugins/services.plugin.js'
import health from './routes/health/index.js'
import leads from './routes/leads/index.js'
import leadJourney from './routes/leads/journey.js'
import tasks from './routes/tasks/index.js'
import accounts from './routes/accounts/index.js'
import contacts from './routes/contacts/index.js'
import opportunities from './routes/opportunities/index.js'
import activities from './routes/activities/index.js'
import timeline from './routes/timeline/index.js'
import orders from './routes/orders/index.js'
import invoices from './routes/invoices/index.js'
import tickets from './routes/tickets/index.js'
import contracts from './routes/contracts/index.js'
import reports from './routes/reports/index.js'
import cookie from '@fastify/cookie'
import auth from './plugins/auth.plugin.js'
import fieldAccess from './plugins/field-access.plugin.js'
import hardening from './plugins/hardening.plugin.js'
import webConsole from './plugins/console.plugin.js'
import authRoutes from './routes/auth/index.js'
import users from './routes/users/index.js'
import apiKeys from './routes/api-keys/index.js'
import roles from './routes/roles/index.js'
import shares from './routes/shares/index.js'
import privacy from './routes/privacy/index.js'
import audit from './routes/audit/index.js'
import exportsRoutes from './routes/exports/index.js'
import ruleSets from './routes/rule-sets/index.js'
import journeys from './routes/journeys/index.js'
import temporalCodec from './routes/temporal-codec/index.js'
import connectors, { connectorRoutes } from './routes/connectors/index.js'
import { validatorCompiler } from './validation.js'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export interface BuildAppOptions {
  services: ApiServices
  logger: Logger
}

/**
 * The API as a Fastify instance, not yet listening. Plugins load in a fixed order:
 * cross-cutting ones (errors, services, OpenAPI) first, then the route scopes.
 */
export async function buildApp({ services: deps, logger }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Per-IP limits (public forms) must see the visitor, not the load balancer.
    trustProxy: deps.config.TRUST_PROXY,
    // Keep a caller's request id when it is sane, so one id follows a lead from the
    // form post to its journey (it is stored on the outbox row and the workflow memo).
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    frameworkErrors: frameworkErrorReply,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  // JSON only (connectors that take forms or XML register their own parsers in their scope);
  // anything else is a 415, not a string body that fails validation later.
  app.removeContentTypeParser('text/plain')
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  // A request still running when shutdown starts keeps its keep-alive connection open
  // after its response, and close() would wait for the client's idle timeout. Tell the
  // client to hang up instead, so a stopping replica drains in the time its requests take.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })

  await app.register(problemDetails)
  await app.register(rejectNul)
  await app.register(services, deps)
  await app.register(cookie)
  await app.register(auth)
  await app.register(hardening)
  await app.register(fieldAccess)
  await app.register(openapi)
  await app.register(webConsole)
  await app.register(health)
  await app.register(leads, { prefix: '/v1/leads' })
  await app.register(leadJourney, { prefix: '/v1/leads' })
  await app.register(tasks, { prefix: '/v1/tasks' })
  await app.register(accounts, { prefix: '/v1/accounts' })
  await app.register(contacts, { prefix: '/v1/contacts' })
  await app.register(opportunities, { prefix: '/v1/opportunities' })
  await app.register(activities, { prefix: '/v1/activities' })
  await app.register(timeline, { prefix: '/v1' })
  await app.register(orders, { prefix: '/v1/orders' })
  await app.register(invoices, { prefix: '/v1/invoices' })
  await app.register(tickets, { prefix: '/v1/tickets' })
  await app.register(contracts, { prefix: '/v1/contracts' })
  await app.register(reports, { prefix: '/v1/reports' })
  await app.register(ruleSets, { prefix: '/v1/rule-sets' })
  await app.register(journeys, { prefix: '/v1/journeys' })
  await app.register(temporalCodec, { prefix: '/codec' })
  await app.register(connectors, { prefix: '/v1/connectors' })
  await app.register(connectorRoutes)
  await app.register(authRoutes, { prefix: '/v1/auth' })
  await app.register(users, { prefix: '/v1/users' })
  await app.register(apiKeys, { prefix: '/v1/api-keys' })
  await app.register(roles, { prefix: '/v1/roles' })
  await app.register(shares, { prefix: '/v1/shares' })
  await app.register(privacy, { prefix: '/v1/privacy' })
  await app.register(audit, { prefix: '/v1/audit' })
  await app.register(exportsRoutes, { prefix: '/v1/exports' })
  return app
}
