import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import { isSettingSet, type Connector } from '../../../connectors/sdk/connector.js'
import { publicBaseUrl } from '../../../connectors/sdk/public-url.js'
import { NotFoundError } from '../../../platform/errors.js'
import { ConnectorList, ConnectorParams, ConnectorSummary } from '../../schemas/connector.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

/** Health and last activity of every connector, read from connector_state and the delivery ledger. */
const connectors: FastifyPluginAsyncTypebox = async (app) => {
  const summarise = async (list: readonly Connector[]): Promise<Static<typeof ConnectorSummary>[]> => {
    const { db, config, connectors: runtime } = app.services
    const ids = list.map((c) => c.manifest.id)
    const [states, duplicates] = await Promise.all([
      db.connectorState.findMany({ where: { connectorId: { in: ids } } }),
      db.inboundDelivery.groupBy({
        by: ['connectorId'],
        where: { connectorId: { in: ids } },
        _sum: { duplicates: true },
      }),
    ])
    return list.map((c) => {
      const id = c.manifest.id
      const state = states.find((s) => s.connectorId === id)
      const enabled = runtime.isEnabled(id)
      return {
        id,
        title: c.manifest.title,
        channel: c.manifest.channel,
        kind: c.manifest.kind,
        summary: c.manifest.summary,
        configured: c.isConfigured(config),
        enabled,
        status: enabled ? (state?.status ?? 'idle') : 'disabled',
        lastActivityAt: state?.lastActivityAt?.toISOString() ?? null,
        deliveries: state?.deliveries ?? 0,
        duplicateDeliveries: duplicates.find((d) => d.connectorId === id)?._sum.duplicates ?? 0,
        lastError: state?.lastError ?? null,
        lastErrorAt: state?.lastErrorAt?.toISOString() ?? null,
        deliveryKey: c.manifest.deliveryKey,
        settings: c.manifest.settings.map((s) => ({
          key: s.key,
          secret: s.secret === true,
          required: s.required === true,
          set: isSettingSet(config, s.key),
        })),
        endpoints: c.manifest.endpoints.map((e) => ({ ...e })),
      }
    })
  }

  app.get(
    '',
    {
      config: { access: { object: 'channel', action: 'read' } },
      schema: {
        tags: ['connectors'],
        summary: 'Connectors with their health and last activity',
        response: { 200: ConnectorList, ...problemResponses },
      },
    },
    // The base URL lets a console show the webhook URLs to paste (Twilio's, for one) as the
    // connectors build and sign them, which the browser's own origin may not be.
    async () => ({
      items: await summarise(app.services.connectors.all),
      publicBaseUrl: publicBaseUrl(app.services.config),
    }),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'channel', action: 'read' } },
      schema: {
        tags: ['connectors'],
        summary: 'One connector: settings (whether set, never their values), endpoints, health',
        params: ConnectorParams,
        response: { 200: ConnectorSummary, ...problemResponses },
      },
    },
    async (request) => {
      const connector = app.services.connectors.all.find((c) => c.manifest.id === request.params.id)
      if (!connector) throw new NotFoundError('connector', request.params.id)
      return (await summarise([connector]))[0]!
    },
  )
}

export default connectors

/** Registers each enabled connector's own routes, each in its own scope (its own body parsers). */
export const connectorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const runtime = app.services.connectors
  for (const connector of runtime.enabled()) {
    if (!connector.routes) continue
    const routes = connector.routes
    const endpoints = connector.manifest.endpoints
    await app.register(async (scope) => {
      // A connector's manifest says how each of its endpoints is reached; a route it does not
      // list stops start-up rather than going live without an access rule.
      scope.addHook('onRoute', (route) => {
        const methods = [route.method].flat()
        // Fastify's HEAD twin of a GET answers what the GET would (its status and length):
        // it takes the GET's access.
        const declared = endpoints.find(
          (e) =>
            e.path === route.url &&
            (methods.includes(e.method) || (methods.includes('HEAD') && e.method === 'GET')),
        )
        if (!declared)
          throw new Error(
            `${connector.manifest.id}: ${methods.join(',')} ${route.url} is not in its manifest`,
          )
        route.config = { ...route.config, access: declared.access }
      })
      await routes(scope, runtime.context(connector.manifest.id))
    })
  }
}
