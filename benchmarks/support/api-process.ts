import { fileURLToPath } from 'node:url'
import { freePort, spawnServer, stopChild, waitFor } from '../../platform/process/child-process.js'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface ApiProcess {
  url: string
  pid: number | undefined
  /** The last lines the API wrote (errors it logged while under load). */
  output(): string
  stop(): Promise<void>
}

/**
 * The API exactly as production runs it (`node --import tsx api/server.ts`, its own process),
 * on a free loopback port. TEMPORAL_ADDRESS points at a port nobody listens on: capturing a lead
 * only writes its outbox event, and the client connects lazily.
 */
export async function startApiProcess(options: {
  databaseUrl: string
  poolMax: number
  /** A running Temporal to use (reads that ask a journey's state need one); default: none. */
  temporalAddress?: string
}): Promise<ApiProcess> {
  const [port, temporalPort] = await Promise.all([freePort(), freePort()])
  const child = spawnServer(
    process.execPath,
    [...(process.env['API_NODE_ARGS']?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'api/server.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        DATABASE_POOL_MAX: String(options.poolMax),
        TEMPORAL_ADDRESS: options.temporalAddress ?? `127.0.0.1:${temporalPort}`,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        LOG_PRETTY: 'false',
        // The load comes from one key on one address: measure ingestion, not the limiter's 429s.
        RATE_LIMIT_PER_MINUTE: '100000000',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
      },
    },
  )
  let tail = ''
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const url = `http://127.0.0.1:${port}`
  const stop = () => stopChild(child, 'SIGTERM', 15_000)
  try {
    // waitFor treats a failing probe as "not yet": watch for an early exit alongside it.
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`the API exited during start-up (${code ?? signal}): see its output below`)),
      ),
    )
    exitedEarly.catch(() => undefined)
    await Promise.race([
      waitFor(
        async () => (await fetch(`${url}/health`)).status === 200,
        90_000,
        'the API to answer GET /health',
      ),
      exitedEarly,
    ])
  } catch (err) {
    await stop()
    throw new Error(`${(err as Error).message}\n--- API output ---\n${tail.trim()}`, { cause: err })
  }
  return { url, pid: child.pid, output: () => tail, stop }
}
