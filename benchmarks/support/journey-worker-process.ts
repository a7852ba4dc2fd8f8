import { readdirSync, readFileSync } from 'node:fs'
import { spawnServer, stopChild } from '../../platform/process/child-process.js'
import { REPO_ROOT } from './api-process.js'

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`

export interface WorkerProcess {
  pid: number
  /** The last lines the worker wrote (it runs at LOG_LEVEL=warn: warnings and errors only). */
  output(): string
  /** Set once the process has exited: how. */
  exit(): string | undefined
  stop(): Promise<void>
}

/**
 * The journey worker exactly as docker-compose runs it (`node --import tsx platform/worker.ts`,
 * its own process, its own outbox relay), against the benchmark's PostgreSQL and Temporal.
 * Emails go through the log transport (no SENDGRID_API_KEY): recorded as `simulated`.
 */
export function startWorkerProcess(options: {
  databaseUrl: string
  temporalAddress: string
  namespace: string
  taskQueue: string
  batchSize: number
  maxCachedWorkflows: number
  /** A pre-built bundle (npm run build); unset: the worker bundles at start-up. */
  bundlePath: string | undefined
}): WorkerProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    TEMPORAL_TLS: 'false',
    OUTBOX_RELAY_ENABLED: 'true',
    OUTBOX_BATCH_SIZE: String(options.batchSize),
    WORKER_MAX_CACHED_WORKFLOWS: String(options.maxCachedWorkflows),
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
  }
  for (const key of ['SENDGRID_API_KEY', 'TEMPORAL_API_KEY', 'WORKFLOW_BUNDLE_PATH']) delete env[key]
  if (options.bundlePath) env['WORKFLOW_BUNDLE_PATH'] = options.bundlePath
  const child = spawnServer(
    process.execPath,
    [
      ...(process.env['WORKER_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'platform/worker.ts',
    ],
    { cwd: REPO_ROOT, env },
  )
  if (child.pid === undefined) throw new Error('the worker process could not be spawned')
  let tail = ''
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  let exit: string | undefined
  child.once('exit', (code, signal) => {
    exit = signal ? `killed by ${signal}` : `exit code ${code}`
  })
  return {
    pid: child.pid,
    output: () => tail,
    exit: () => exit,
    // The worker drains (SHUTDOWN_GRACE_MS, 10 s by default) before it exits.
    stop: () => stopChild(child, 'SIGTERM', 30_000),
  }
}

/** Kilobyte fields of /proc/<pid>/status, in bytes. */
function statusBytes(pid: number, fields: string[]): Record<string, number> | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf-8')
    const out: Record<string, number> = {}
    for (const field of fields) {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
      out[field] = m ? Number(m[1]) * 1024 : 0
    }
    return out
  } catch {
    return undefined
  }
}

/** pid and every process below it (a worker run through a wrapper still counts all of it). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>()
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf-8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        const list = parents.get(ppid) ?? []
        list.push(Number(entry))
        parents.set(ppid, list)
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return [root]
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i] as number) ?? []))
  return tree
}

export interface RssSample {
  /** ms since the sampler started */
  at: number
  /** VmRSS summed over the worker's process tree */
  rss: number
  /** VmRSS of the worker process itself */
  main: number
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf-8').trim()
  } catch {
    return '?'
  }
}

/**
 * Samples the worker's resident memory (VmRSS of it and its descendants) every `everyMs`;
 * the kernel's own high-water mark (VmHWM) catches peaks between two samples.
 */
export class RssSampler {
  readonly samples: RssSample[] = []
  private readonly timer: NodeJS.Timeout
  private readonly started = performance.now()
  private hwm = 0
  processes = 1
  /** The processes of the tree at the highest sample: "node 812 MiB + esbuild 14 MiB". */
  peakBreakdown = ''

  constructor(
    private readonly pid: number,
    everyMs = 500,
  ) {
    this.sample()
    this.timer = setInterval(() => this.sample(), everyMs)
  }

  sample(): RssSample | undefined {
    const tree = processTree(this.pid)
    let rss = 0
    let main = 0
    const parts: string[] = []
    for (const pid of tree) {
      const s = statusBytes(pid, ['VmRSS', 'VmHWM'])
      if (!s) continue
      const vm = s['VmRSS'] ?? 0
      rss += vm
      parts.push(`${commandName(pid)} ${mib(vm)}`)
      if (pid === this.pid) {
        main = vm
        this.hwm = Math.max(this.hwm, s['VmHWM'] ?? 0)
      }
    }
    if (parts.length === 0) return undefined
    this.processes = Math.max(this.processes, parts.length)
    if (rss > this.peak()) this.peakBreakdown = parts.join(' + ')
    const sample = { at: performance.now() - this.started, rss, main }
    this.samples.push(sample)
    return sample
  }

  /** The latest sample. */
  get current(): number {
    return this.samples.at(-1)?.rss ?? 0
  }

  /** Highest sampled RSS from `sinceMs` on. */
  peak(sinceMs = 0): number {
    return this.samples.filter((s) => s.at >= sinceMs).reduce((m, s) => Math.max(m, s.rss), 0)
  }

  /** The worker process's own VmHWM (peak RSS the kernel recorded). */
  get highWaterMark(): number {
    return this.hwm
  }

  get elapsedMs(): number {
    return performance.now() - this.started
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
