import type { FastifyInstance } from 'fastify'
import { createLeadServices } from '../ingestion/services.js'
import type { Config } from '../platform/config.js'
import { createPrisma } from '../platform/database/prisma.js'
import type { Logger } from '../platform/logger.js'
import { createTemporalClient } from '../platform/temporal/connection.js'
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
  const { client, connection } = createTemporalClient({ ...config, address: targets.temporalAddress })
  const app = await buildApp({
    services: {
      config,
      db,
      temporal: client,
      temporalConnection: connection,
      ...createLeadServices(db, config),
    },
    logger: log,
  })
  const address = await app.listen({ host: config.HOST, port: config.PORT })
  return {
    app,
    url: address,
    async close() {
      await app.close()
      await Promise.allSettled([db.$disconnect(), connection.close()])
    },
  }
}
