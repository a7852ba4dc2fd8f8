import { createBatchCapture } from '../../ingestion/batch/capture-batch.js'
import { createRuleCache } from '../../ingestion/rules/active-rules.js'
import { ingestionPolicy } from '../../ingestion/services.js'
import type { Actor } from '../../domain/lead/lead-capture.js'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/database/prisma.js'
import type { Logger } from '../../platform/logger.js'
import { createImportJobs, type ImportJobs } from './import-job.js'
import { importManifest } from './manifest.js'

/**
 * Import jobs wired to the batch path. The rule cache is the import's own: rules changed
 * through the API reach it within the cache's few seconds, as they reach other replicas.
 */
export function createImportService(deps: {
  db: Db
  config: Config
  log: Logger
  clock?: () => Date
  batchSize?: number
  /** Who acts when no caller is named (jobs.as names one per request); the connector by default. */
  actor?: Actor
}): ImportJobs {
  const clock = deps.clock ?? (() => new Date())
  return createImportJobs({
    db: deps.db,
    config: deps.config,
    log: deps.log,
    clock,
    actor: deps.actor ?? { id: `connector:${importManifest.id}` },
    connectorId: importManifest.id,
    batch: createBatchCapture({
      db: deps.db,
      rules: createRuleCache(deps.db),
      policy: ingestionPolicy(deps.config),
      clock,
    }),
    ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
  })
}
