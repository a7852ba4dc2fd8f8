import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Client } from '@temporalio/client'
import type { Config } from '../../platform/config.js'
import type { Logger } from '../../platform/logger.js'
import { freePort } from '../../platform/process/child-process.js'
import { startTemporalDevServer } from '../../platform/temporal/dev-server.js'
import { findTemporalCli } from '../../platform/temporal/tools.js'
import { JOURNEY_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js'
import type { Cleanup } from './cleanup.js'
import { Samples, summarise, type Latency } from './stats.js'

export interface BenchTemporal {
  address: string
  /** The dev server process (for CPU figures), when it could be found in /proc. */
  pid: number | undefined
  /** "temporal version 1.9.1 (Server 1.32.0, ...)" or where the binary came from. */
  version: string
  dbFile: string
}

/** The first process whose command line contains `needle` (Linux /proc). */
export function findProcess(needle: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf-8').replaceAll('\0', ' ')
        if (cmdline.includes(needle)) return Number(entry)
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined
}

/**
 * A Temporal dev server on a free port, persisting to a SQLite file in `dir` (a
 * `leadwire-bench-*` temp folder, so CI's leftover check knows its process), with the
 * journey search attributes registered as `npm run dev` registers them. Stopped by `cleanup`.
 */
export async function startBenchTemporal(
  cleanup: Cleanup,
  config: Config,
  dir: string,
  log: Logger,
): Promise<BenchTemporal> {
  const dbFile = path.join(dir, 'temporal.db')
  const server = await startTemporalDevServer({
    cliPath: config.TEMPORAL_CLI_PATH,
    dbFile,
    port: await freePort(),
    namespace: config.TEMPORAL_NAMESPACE,
    searchAttributes: JOURNEY_SEARCH_ATTRIBUTES,
    log,
  })
  cleanup.add('stop the Temporal dev server', () => server.stop())
  const cli = findTemporalCli(config.TEMPORAL_CLI_PATH)
  const version = cli.path
    ? spawnSync(cli.path, ['--version'], { encoding: 'utf-8' }).stdout?.trim() || cli.path
    : 'downloaded by the Temporal SDK'
  return { address: server.address, pid: findProcess(dbFile), version, dbFile }
}

export interface StartsResult {
  count: number
  seconds: number
  perSecond: number
  latency: Latency
  failures: number
  firstError: string | undefined
}

/**
 * Starts `count` workflows of a type nobody serves, on a task queue no worker polls, with
 * `concurrency` starts in flight (a promise pool): what the server itself can take, the
 * limit the relay is compared with. The options are the relay's (dispatch.ts): id conflict
 * policy USE_EXISTING, reuse policy REJECT_DUPLICATE, a { leadId } argument, an empty memo.
 * The workflows stay open (and idle) until the dev server is removed.
 */
export async function startEmptyWorkflows(
  client: Client,
  options: { count: number; concurrency: number; runId: string; taskQueue: string; prefix: string },
): Promise<StartsResult> {
  const latencies = new Samples()
  let next = 0
  let failures = 0
  let firstError: string | undefined
  const loop = async () => {
    while (next < options.count) {
      const i = next++
      const t = performance.now()
      try {
        await client.workflow.start('benchEmptyWorkflow', {
          workflowId: `${options.prefix}/${options.runId}/${i}`,
          taskQueue: options.taskQueue,
          args: [{ leadId: `${options.runId}-${i}` }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: {},
        })
        latencies.push(performance.now() - t)
      } catch (err) {
        failures++
        firstError ??= (err as Error).message
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, loop))
  const seconds = (performance.now() - started) / 1000
  const ok = options.count - failures
  return {
    count: ok,
    seconds,
    perSecond: ok / seconds,
    latency: summarise(latencies.values()),
    failures,
    firstError,
  }
}
