import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { exited, spawnServer } from '../../../platform/process/child-process.js'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const ENTRY = 'tests/guarantees/support/assignment-worker.ts'

export type Ack = 'created' | 'replayed' | string

/** One run of assignment-worker.ts: what it has in flight, and how to kill it. */
export interface ShardWorker {
  index: number
  /** 0 for the first start, +1 per restart. */
  generation: number
  /** Its connections' application_name, to find its transactions in pg_stat_activity. */
  applicationName: string
  /** Leads it has begun to send and not yet seen committed. */
  inFlight: Set<number>
  /** Leads it has seen committed or replayed since it started. */
  acked: number
  done: boolean
  /** Resolves when the process is gone; rejects if it failed on its own (not killed). */
  ended: Promise<void>
  kill(): Promise<void>
}

export function startShardWorker(options: {
  databaseUrl: string
  index: number
  generation: number
  workers: number
  leads: number
  onAck(lead: number, outcome: Ack): void
}): ShardWorker {
  const applicationName = `fair-assignment-w${options.index}-g${options.generation}`
  const url = new URL(options.databaseUrl)
  url.searchParams.set('application_name', applicationName)
  const child = spawnServer(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      WORKER_INDEX: String(options.index),
      WORKERS: String(options.workers),
      LEADS: String(options.leads),
    },
  })
  let killed = false
  let stderr = ''
  const lines = createInterface({ input: child.stdout! })
  // Its last lines may still be in the pipe when it exits: read them all before judging it.
  const drained = new Promise<void>((resolve) => lines.once('close', resolve))
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const worker: ShardWorker = {
    index: options.index,
    generation: options.generation,
    applicationName,
    inFlight: new Set(),
    acked: 0,
    done: false,
    ended: Promise.all([exited(child), drained]).then(() => {
      if (!killed && (child.exitCode !== 0 || !worker.done)) {
        throw new Error(
          `${applicationName} exited with ${child.exitCode ?? child.signalCode} before its shard was in: ${stderr}`,
        )
      }
    }),
    async kill() {
      killed = true
      child.kill('SIGKILL')
      await exited(child)
    },
  }
  // Noted at once so an unhandled failure cannot slip past; the test awaits `ended`.
  worker.ended.catch(() => undefined)
  lines.on('line', (line) => {
    const [word, list = ''] = line.split(' ')
    if (word === 'done') worker.done = true
    else if (word === 'begin') for (const i of list.split(',')) worker.inFlight.add(Number(i))
    else if (word === 'ok') {
      for (const item of list.split(',')) {
        const [i, outcome = ''] = item.split(':')
        worker.inFlight.delete(Number(i))
        worker.acked++
        options.onAck(Number(i), outcome)
      }
    }
  })
  return worker
}
