// Process entry: `npm run worker`. A journey worker plus the outbox relay; run as many as you like.
import { requireExternalServices } from './process/external-services.js'
import { runMain } from './process/main.js'
import { startWorker } from './start-worker.js'

await runMain('worker', async (config, log) => {
  const worker = await startWorker(config, requireExternalServices(config, 'worker'), log)
  worker.done.catch((err: unknown) => {
    log.fatal({ err }, 'worker stopped unexpectedly')
    process.exit(1)
  })
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running')
  return worker
})
