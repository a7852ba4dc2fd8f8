import { randomBytes } from 'node:crypto'
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker'
import { inject } from 'vitest'
import type { ActivityDeps } from '../../activities/index.js'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/database/prisma.js'
import { createLogger } from '../../platform/logger.js'
import { connectWorker, createTemporalClient } from '../../platform/temporal/connection.js'
import { createPayloadCodec } from '../../platform/temporal/payload-codec.js'
import { installTemporalRuntime } from '../../platform/temporal/runtime.js'
import { createWorkerRuntime, WORKFLOWS_ENTRY, type WorkerRuntime } from '../../platform/worker-runtime.js'

export const silentLog = createLogger({
  LOG_LEVEL: (process.env['TEST_LOG_LEVEL'] ?? 'silent') as 'silent',
  LOG_PRETTY: false,
})

let bundle: Promise<{ code: string }> | undefined

/** The workflow bundle, built once per test file (webpack takes about a second). */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_ENTRY, logger: new DefaultLogger('WARN') })
  return bundle
}

/** A task queue no other test file polls. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

/** A client as the API builds it: its payloads encrypted with the keys in `db`. */
export function testTemporalClient(config: Config, db: Db, address = inject('temporalAddress')) {
  const payload = createPayloadCodec(db, config)
  return { ...createTemporalClient({ ...config, address }, payload.codec), ...payload }
}

export interface TestWorker {
  runtime: WorkerRuntime
  stop(): Promise<void>
}

/** A real worker (and relay) on the shared dev server, as `npm run worker` builds it. */
export async function startTestWorker(options: {
  config: Config
  db: Db
  databaseUrl: string
  taskQueue: string
  address?: string
  activityOverrides?: Partial<ActivityDeps>
  /** Another build of the workflows (a frozen earlier version, to deploy a new one mid-flight). */
  workflowBundle?: { code: string }
}): Promise<TestWorker> {
  installTemporalRuntime(silentLog)
  const address = options.address ?? inject('temporalAddress')
  const connection = await connectWorker({ ...options.config, address })
  const { codec } = createPayloadCodec(options.db, options.config)
  const { client, connection: clientConnection } = createTemporalClient({ ...options.config, address }, codec)
  const runtime = await createWorkerRuntime({
    payloadCodec: codec,
    config: options.config,
    db: options.db,
    databaseUrl: options.databaseUrl,
    connection,
    temporal: client,
    log: silentLog,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await workflowBundle()),
    ...(options.activityOverrides ? { activityOverrides: options.activityOverrides } : {}),
  })
  const running = runtime.run()
  return {
    runtime,
    async stop() {
      await runtime.shutdown()
      await running
      await Promise.all([connection.close(), clientConnection.close()])
    },
  }
}
