import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import net from 'node:net'

/** Resolves when the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * Sends `signal`, waits up to `graceMs` for the exit, then SIGKILLs. Long-lived servers we
 * start (PostgreSQL, Temporal) must never outlive us: tests and CI check no port is left.
 */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals,
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited(child)
  clearTimeout(timer)
}

const servers = new Set<ChildProcess>()
let exitGuardInstalled = false

/** Last resort when we exit without stopping a server (a crash, process.exit): kill it. */
function installExitGuard() {
  if (exitGuardInstalled) return
  exitGuardInstalled = true
  process.on('exit', () => {
    for (const child of servers)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
}

export function spawnServer(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  installExitGuard()
  // Own process group: a Ctrl-C in the terminal reaches only us, and we stop children
  // in order (API and worker first, then Temporal, then PostgreSQL).
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options })
  servers.add(child)
  child.once('exit', () => servers.delete(child))
  return child
}

/** True when nothing accepts connections on host:port. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** A port the OS says is free right now (for tests and side-by-side runs). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen({ port: 0, host }, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Polls `probe` until it returns true or `timeoutMs` passes. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await probe().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
