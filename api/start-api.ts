import type { FastifyInstance } from 'fastify'
import { startConnectorHost, type ConnectorHost } from '../connectors/host.js'
import type { Config } from '../platform/config.js'
import { createPrisma } from '../platform/database/prisma.js'
import type { Logger } from '../platform/logger.js'
import { createTemporalClient } from '../platform/temporal/connection.js'
import { createPayloadCodec } from '../platform/temporal/payload-codec.js'
import { createApiServices } from './api-services.js'
import { buildApp } from './app.js'

export interface RunningApi {
  app: FastifyInstance
  url: string
  /** Stops accepting connections, finishes in-flight requests, then closes pools. */
  close(): Promise<void>
}

/** Wires the API's services and listens. Used by `npm run api` and `npm run dev`. */
export async function startApi(
  config: Config,
  targets: { databaseUrl: string; temporalAddress: string },
  log: Logger,
): Promise<RunningApi> {
  const db = createPrisma(targets.databaseUrl, config.DATABASE_POOL_MAX)
  const payload = createPayloadCodec(db, config)
  const temporal = {
    ...createTemporalClient({ ...config, address: targets.temporalAddress }, payload.codec),
    ...payload,
  }
  const services = createApiServices({ config, db, temporal, log: log.child({ process: 'connectors' }) })
  const { connectors } = services
  const app = await buildApp({ services, logger: log })
  const address = await app.listen({ host: config.HOST, port: config.PORT })
  // Listeners (IMAP watch, WhatsApp socket) run on one replica at a time; see connectors/host.ts.
  const host: ConnectorHost | undefined = config.CONNECTOR_HOST_ENABLED
    ? startConnectorHost(connectors, targets.databaseUrl, log.child({ process: 'connector-host' }))
    : undefined
  return {
    app,
    url: address,
    async close() {
      await host?.stop()
      await app.close()
      await Promise.allSettled([db.$disconnect(), temporal.connection.close()])
    },
  }
}
