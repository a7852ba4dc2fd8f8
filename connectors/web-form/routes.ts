import type { FastifyInstance } from 'fastify'
import type { ConnectorContext } from '../sdk/connector.js'
import { formAdminRoutes } from './admin.routes.js'
import { formPublicRoutes } from './public.routes.js'

/**
 * Two scopes: the public form endpoints read urlencoded bodies (browsers post the plain
 * form), the admin API keeps the app's JSON-only parsing.
 */
export async function webFormRoutes(app: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  await app.register(async (scope) => formPublicRoutes(scope, ctx))
  await app.register(async (scope) => formAdminRoutes(scope, ctx))
}
