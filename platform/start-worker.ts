import { createPrisma } from './database/prisma.js'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import { connectWorker, createTemporalClient } from './temporal/connection.js'
import { createPayloadCodec } from './temporal/payload-codec.js'
import { installTemporalRuntime } from './temporal/runtime.js'
import { createWorkerRuntime, type WorkerRuntime } from './worker-runtime.js'

export interface RunningWorker {
  runtime: WorkerRuntime
  /** Settles when the worker stops (rejects if it crashed). */
  done: Promise<void>
  stop(): Promise<void>
}

/** Connects and runs a journey worker with its outbox relay. Used by `npm run worker` and `npm run dev`. */
export async function startWorker(
  config: Config,
  targets: { databaseUrl: string; temporalAddress: string },
  log: Logger,
): Promise<RunningWorker> {
  installTemporalRuntime(log)
  const db = createPrisma(targets.databaseUrl, config.DATABASE_POOL_MAX)
  const target = { ...config, address: targets.temporalAddress }
  const connection = await connectWorker(target)
  const { codec } = createPayloadCodec(db, config)
  const { client, connection: clientConnection } = createTemporalClient(target, codec)
  const runtime = await createWorkerRuntime({
    payloadCodec: codec,
    config,
    db,
    databaseUrl: targets.databaseUrl,
    connection,
    temporal: client,
    log,
  })
  const done = runtime.run()
  return {
    runtime,
    done,
    async stop() {
      await runtime.shutdown()
      await Promise.allSettled([connection.close(), clientConnection.close(), db.$disconnect()])
    },
  }
}
