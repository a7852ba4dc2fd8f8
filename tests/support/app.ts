import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../api/app.js'
import { createIngestion } from '../../ingestion/pipeline.js'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/database/prisma.js'
import { silentLog, testTemporalClient } from './temporal.js'

/** The real app (every plugin and route), for `inject`. Close it when the test ends. */
export async function buildTestApp(options: {
  config: Config
  db: Db
  temporalAddress?: string
}): Promise<FastifyInstance> {
  const { client, connection } = testTemporalClient(options.config, options.temporalAddress)
  const app = await buildApp({
    services: {
      config: options.config,
      db: options.db,
      temporal: client,
      temporalConnection: connection,
      ingestion: createIngestion({ db: options.db }),
    },
    logger: silentLog,
  })
  app.addHook('onClose', async () => connection.close())
  await app.ready()
  return app
}
