import type { FastifyInstance } from 'fastify'
import type { ConnectorContext } from '../sdk/connector.js'
import { eventWebhookRoutes } from './events.routes.js'
import { unsubscribeRoutes } from './unsubscribe.routes.js'

/**
 * Two scopes with their own body parsers: the Event Webhook reads raw bytes (for its
 * signature), the unsubscribe pages read the forms a browser or a mail client posts.
 */
export async function sendgridRoutes(app: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  await app.register(async (scope) => eventWebhookRoutes(scope, ctx))
  await app.register(async (scope) => unsubscribeRoutes(scope, ctx))
}
