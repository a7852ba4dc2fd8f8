import { createRequire } from 'node:module'
import type { Client } from '@temporalio/client'
import type { PayloadCodec } from '@temporalio/common'
import { Worker, type NativeConnection } from '@temporalio/worker'
import { createActivities, type ActivityDeps } from '../activities/index.js'
import { outboundSenders } from '../connectors/outbound.js'
import { createUnsubscribeLinks } from '../connectors/sendgrid/unsubscribe-links.js'
import { createRuleCache } from '../ingestion/rules/active-rules.js'
import { OutboxRelay, relaySettings } from '../ingestion/outbox/relay.js'
import type { Config } from './config.js'
import type { Db } from './database/prisma.js'
import type { Logger } from './logger.js'

const require = createRequire(import.meta.url)
/** The bundle entry: every workflow the journey task queue serves. */
export const WORKFLOWS_ENTRY = require.resolve('../workflows/index.ts')

export interface WorkerRuntimeDeps {
  config: Config
  db: Db
  databaseUrl: string
  connection: NativeConnection
  /** Client the relay starts journeys with. */
  temporal: Client
  /** Encrypts the worker's payloads per person (payload-codec.ts); the client must use the same keys. */
  payloadCodec: PayloadCodec
  log: Logger
  taskQueue?: string
  /** A bundle built once and shared (tests start many workers). */
  workflowBundle?: { code: string }
  /** Replaces activity dependencies (tests: a loopback SendGrid, a recording WhatsApp). */
  activityOverrides?: Partial<ActivityDeps>
}

/** The activities' dependencies from configuration: vendors are real when configured. */
export function activityDeps(deps: Pick<WorkerRuntimeDeps, 'config' | 'db' | 'log'>): ActivityDeps {
  const { config } = deps
  const rules = createRuleCache(deps.db)
  // Senders come from the connectors that provide them: SendGrid (or the log transport without
  // a key), WhatsApp's queue to the socket holder, Twilio SMS (when its account is set).
  const senders = outboundSenders(deps)
  return {
    db: deps.db,
    journeyPolicy: async () => (await rules.get()).journey,
    defaultTimeZone: config.JOURNEY_DEFAULT_TIME_ZONE,
    email: senders.email,
    unsubscribe: createUnsubscribeLinks(config),
    emailFrom: { email: config.EMAIL_FROM_ADDRESS, name: config.EMAIL_FROM_NAME },
    whatsapp: senders.whatsapp,
    sms: senders.sms,
  }
}

export interface WorkerRuntime {
  worker: Worker
  relay: OutboxRelay | undefined
  /** Resolves when the worker has stopped (after shutdown() or a fatal error). */
  run(): Promise<void>
  shutdown(): Promise<void>
}

/**
 * A journey worker: workflows from workflows/, activities from activities/, plus the
 * outbox relay (every replica runs one; claims never collide). Holds no state another
 * replica would need.
 */
export async function createWorkerRuntime(deps: WorkerRuntimeDeps): Promise<WorkerRuntime> {
  const { config, log } = deps
  const taskQueue = deps.taskQueue ?? config.TEMPORAL_TASK_QUEUE
  const worker = await Worker.create({
    connection: deps.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    dataConverter: { payloadCodecs: [deps.payloadCodec] },
    activities: createActivities({ ...activityDeps(deps), ...deps.activityOverrides }),
    ...(deps.workflowBundle
      ? { workflowBundle: deps.workflowBundle }
      : config.WORKFLOW_BUNDLE_PATH
        ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
        : { workflowsPath: WORKFLOWS_ENTRY }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
  })
  const relay = config.OUTBOX_RELAY_ENABLED
    ? new OutboxRelay({
        db: deps.db,
        databaseUrl: deps.databaseUrl,
        dispatch: { temporal: deps.temporal, taskQueue },
        log: log.child({ component: 'outbox-relay' }),
        ...relaySettings(config),
      })
    : undefined
  let running: Promise<void> | undefined
  return {
    worker,
    relay,
    run() {
      running ??= (async () => {
        await relay?.start()
        try {
          await worker.run()
        } finally {
          await relay?.stop()
        }
      })()
      return running
    },
    async shutdown() {
      await relay?.stop()
      if (worker.getState() === 'RUNNING') worker.shutdown()
      await running
    },
  }
}
