import type { Connection } from '@temporalio/client'
import type { Db } from './database/prisma.js'

export interface CheckResult {
  status: 'up' | 'down'
  detail?: string
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export async function checkPostgres(db: Db, timeoutMs = 2000): Promise<CheckResult> {
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, timeoutMs, 'PostgreSQL')
    return { status: 'up' }
  } catch (err) {
    return { status: 'down', detail: (err as Error).message.split('\n')[0] ?? 'unreachable' }
  }
}

/** Asks the frontend's gRPC health service; the lazy client connects (or reconnects) here. */
export async function checkTemporal(connection: Connection, timeoutMs = 2000): Promise<CheckResult> {
  try {
    const res = await withTimeout(
      connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({})),
      timeoutMs + 100,
      'Temporal',
    )
    return res.status === 1
      ? { status: 'up' }
      : { status: 'down', detail: `health status ${String(res.status)}` }
  } catch (err) {
    return { status: 'down', detail: (err as Error).message.split('\n')[0] ?? 'unreachable' }
  }
}
