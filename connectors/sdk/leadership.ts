import { createHash } from 'node:crypto'
import pg from 'pg'

/**
 * One holder per listener across every replica: a session-level PostgreSQL advisory lock on
 * a dedicated connection. Whoever holds it runs the listener; the others stand by and try
 * again. If the holder dies, its connection closes and the lock is free for the next try.
 */
export interface Leadership {
  /** Tries once; true when this process now holds (or already held) the lock. */
  tryAcquire(): Promise<boolean>
  /** False once the lock's connection is gone (the lock went with it). */
  isHeld(): boolean
  release(): Promise<void>
}

function lockId(name: string): bigint {
  return createHash('sha256').update(`leadwire:${name}`).digest().readBigInt64BE(0)
}

export function advisoryLeadership(databaseUrl: string, name: string): Leadership {
  let client: pg.Client | undefined
  let held = false
  return {
    async tryAcquire() {
      if (held) return true
      if (!client) {
        const fresh = new pg.Client({ connectionString: databaseUrl })
        const lost = () => {
          // The connection dropped: the lock went with it.
          held = false
          if (client === fresh) client = undefined
        }
        fresh.on('error', lost)
        fresh.on('end', lost)
        await fresh.connect()
        client = fresh
      }
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        lockId(name).toString(),
      ])
      held = rows[0]?.ok === true
      return held
    },
    isHeld: () => held,
    async release() {
      const c = client
      client = undefined
      held = false
      await c?.end().catch(() => undefined)
    },
  }
}
