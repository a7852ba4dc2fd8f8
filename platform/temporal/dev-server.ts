import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Connection } from '@temporalio/client'
import type { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common'

type SearchAttributeKey<T extends SearchAttributeType> = ReturnType<typeof defineSearchAttributeKey<T>>
import type { Logger } from 'pino'
import { isPortFree, spawnServer, stopChild, waitFor } from '../process/child-process.js'
import { findTemporalCli } from './tools.js'

// The CLI spells search attribute types in PascalCase.
const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
}

export interface DevServerOptions {
  cliPath: string | undefined
  /** SQLite file the dev server persists namespaces, histories and search attributes to; unset: in memory. */
  dbFile?: string
  port: number
  /** Web UI port; unset: no UI (tests). */
  uiPort?: number
  /** The remote codec the UI decodes payloads with (the API's `/codec`). */
  uiCodecEndpoint?: string
  namespace: string
  searchAttributes: readonly SearchAttributeKey<SearchAttributeType>[]
  log: Logger
}

export interface DevServer {
  address: string
  uiUrl: string | undefined
  stop(): Promise<void>
}

/** Resolves once the frontend answers gRPC health checks (the UI comes up later). */
async function waitUntilServing(address: string, timeoutMs: number, failed: () => string | undefined) {
  await waitFor(
    async () => {
      const reason = failed()
      if (reason) throw new Error(reason)
      const connection = await Connection.connect({ address, connectTimeout: 500 })
      try {
        const { status } = await connection.healthService.check({})
        return status === 1 // SERVING
      } finally {
        await connection.close()
      }
    },
    timeoutMs,
    `the Temporal dev server at ${address}`,
  )
}

/**
 * A local Temporal server (the CLI's `server start-dev`), persisting to a file so journeys
 * survive restarts of `npm run dev`. Without a local binary, the SDK downloads one.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const { port, uiPort, namespace, log } = options
  const address = `127.0.0.1:${port}`
  const uiUrl = uiPort ? `http://127.0.0.1:${uiPort}` : undefined
  if (options.dbFile) await mkdir(path.dirname(options.dbFile), { recursive: true })
  for (const p of uiPort ? [port, uiPort] : [port]) {
    if (!(await isPortFree(p))) {
      throw new Error(
        `port ${p} is already in use: stop what runs there (an earlier dev run?) or set TEMPORAL_DEV_PORT / TEMPORAL_UI_PORT`,
      )
    }
  }
  const cli = findTemporalCli(options.cliPath)
  const attributeArgs = options.searchAttributes.flatMap((a) => [
    '--search-attribute',
    `${a.name}=${CLI_TYPE[a.type]}`,
  ])

  if (!cli.path) {
    log.warn(
      'no local `temporal` CLI (TEMPORAL_CLI_PATH, PATH, .tools/venv): letting the Temporal SDK download one',
    )
    const { TestWorkflowEnvironment } = await import('@temporalio/testing')
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port,
        ...(uiPort ? { uiPort } : {}),
        namespace,
        ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
        searchAttributes: [...options.searchAttributes],
        extraArgs: ['--log-level', 'warn'],
      },
    })
    return { address, uiUrl, stop: () => env.teardown() }
  }

  log.debug({ cli: cli.path, source: cli.source }, 'starting the Temporal dev server')
  const child = spawnServer(cli.path, [
    'server',
    'start-dev',
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    ...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']),
    ...(uiPort && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...attributeArgs,
  ])
  let output = ''
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const stop = () => stopChild(child, 'SIGTERM', 10_000)
  try {
    await waitUntilServing(address, 30_000, () =>
      child.exitCode !== null
        ? `the Temporal dev server exited (code ${child.exitCode}):\n${output}`
        : undefined,
    )
  } catch (err) {
    await stop()
    throw err
  }
  return { address, uiUrl, stop }
}
