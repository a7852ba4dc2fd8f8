import { readdirSync, readFileSync } from 'node:fs'

/*
 * Where the CPU went during a measured run (Linux /proc; elsewhere nothing is reported): the
 * whole machine's busy share, and the cores used by the API process, the PostgreSQL server
 * (postmaster and its backends) and this benchmark process (the load generator).
 */

const TICKS_PER_SECOND = 100 // USER_HZ: 100 on every mainstream Linux

function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf-8').split('\n')[0] ?? '')
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number)
    const total = fields.reduce((a, b) => a + b, 0)
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0) // idle + iowait
    return { busy: total - idle, total }
  } catch {
    return undefined
  }
}

/** utime + stime of a process, and its parent pid. */
function processTicks(pid: number): { ticks: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf-8')
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { ticks: Number(rest[11]) + Number(rest[12]), ppid: Number(rest[1]) }
  } catch {
    return undefined
  }
}

function childrenOf(ppid: number): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => processTicks(pid)?.ppid === ppid)
  } catch {
    return []
  }
}

export interface CpuSnapshot {
  at: number
  machine: { busy: number; total: number } | undefined
  api: number | undefined
  postgres: number | undefined
  bench: number
}

export interface CpuUsage {
  /** Share of all cores busy (0..1). */
  machineBusy: number | undefined
  /** Cores used on average. */
  api: number | undefined
  postgres: number | undefined
  bench: number
}

export class CpuMeter {
  constructor(
    private readonly apiPid: number | undefined,
    /** The postmaster's pid; its children are the backends, checkpointer, WAL writer... */
    private readonly postmasterPid: number | undefined,
  ) {}

  snapshot(): CpuSnapshot {
    const postgres =
      this.postmasterPid === undefined
        ? undefined
        : [this.postmasterPid, ...childrenOf(this.postmasterPid)].reduce(
            (sum, pid) => sum + (processTicks(pid)?.ticks ?? 0),
            0,
          )
    const usage = process.cpuUsage()
    return {
      at: performance.now(),
      machine: machineTicks(),
      api: this.apiPid === undefined ? undefined : processTicks(this.apiPid)?.ticks,
      postgres,
      bench: (usage.user + usage.system) / 1e6,
    }
  }

  /** Backends that exit during the run take their ticks with them: pooled ones do not exit. */
  since(start: CpuSnapshot): CpuUsage {
    const end = this.snapshot()
    const seconds = (end.at - start.at) / 1000
    const cores = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined ? undefined : (b - a) / TICKS_PER_SECOND / seconds
    return {
      machineBusy:
        start.machine && end.machine
          ? (end.machine.busy - start.machine.busy) / Math.max(1, end.machine.total - start.machine.total)
          : undefined,
      api: cores(start.api, end.api),
      postgres: cores(start.postgres, end.postgres),
      bench: (end.bench - start.bench) / seconds,
    }
  }
}

/** The postmaster of the server a connection talks to, when it runs on this machine. */
export function postmasterOf(backendPid: number): number | undefined {
  const ppid = processTicks(backendPid)?.ppid
  return ppid && ppid > 1 ? ppid : undefined
}
