import type { FastifyInstance } from 'fastify'
import type { ConnectorContext } from '../sdk/connector.js'
import { partnerAdminRoutes } from './admin.routes.js'
import { partnerLeadRoutes } from './lead.routes.js'

/**
 * Two scopes: the partner-facing route reads raw bytes (its own JSON parser, for the
 * signature), the admin API keeps the app's ordinary JSON parsing.
 */
export async function partnerApiRoutes(app: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  await app.register(async (scope) => partnerLeadRoutes(scope, ctx))
  await app.register(async (scope) => partnerAdminRoutes(scope, ctx))
}
