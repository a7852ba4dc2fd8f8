import type { Db } from '../../platform/database/prisma.js'

export type ConnectorHealth =
  'idle' | 'starting' | 'connected' | 'pairing' | 'reconnecting' | 'disconnected' | 'error' | 'disabled'

/** Health reporting for one connector; rows live in connector_state so any replica can read them. */
export interface ConnectorStatus {
  /** A delivery arrived and was handled (counts it, stamps last activity). */
  touched(at?: Date): Promise<void>
  set(status: ConnectorHealth, state?: Record<string, unknown>): Promise<void>
  /** Merges keys into the connector's small state (a cursor, a QR code). */
  mergeState(state: Record<string, unknown>): Promise<void>
  readState<T extends Record<string, unknown>>(): Promise<Partial<T>>
  error(err: unknown): Promise<void>
}

export function connectorStatus(
  db: Db,
  connectorId: string,
  clock: () => Date = () => new Date(),
): ConnectorStatus {
  /**
   * One statement per report: several processes report for the same connector, and the row
   * may not exist yet. Counters add up and state merges on conflict; other columns are set.
   */
  const upsert = async (columns: Record<string, unknown>) => {
    const names = Object.keys(columns)
    const merge = (name: string) =>
      name === 'deliveries'
        ? 'deliveries = connector_state.deliveries + EXCLUDED.deliveries'
        : name === 'state'
          ? 'state = connector_state.state || EXCLUDED.state'
          : `${name} = EXCLUDED.${name}`
    await db.$executeRawUnsafe(
      `INSERT INTO connector_state (connector_id, updated_at, ${names.join(', ')})
       VALUES ($1, $2, ${names.map((n, k) => (n === 'state' ? `$${k + 3}::jsonb` : `$${k + 3}`)).join(', ')})
       ON CONFLICT (connector_id) DO UPDATE SET updated_at = EXCLUDED.updated_at, ${names.map(merge).join(', ')}`,
      connectorId,
      clock(),
      ...Object.values(columns),
    )
  }
  return {
    async touched(at = clock()) {
      await upsert({ deliveries: 1, last_activity_at: at })
    },
    async set(status, state) {
      await upsert(state ? { status, state: JSON.stringify(state) } : { status })
    },
    async mergeState(state) {
      await upsert({ state: JSON.stringify(state) })
    },
    async readState<T extends Record<string, unknown>>() {
      const row = await db.connectorState.findUnique({ where: { connectorId }, select: { state: true } })
      return (row?.state ?? {}) as Partial<T>
    },
    async error(err) {
      const message = err instanceof Error ? err.message : String(err)
      await upsert({ status: 'error', last_error: message.slice(0, 500), last_error_at: clock() })
    },
  }
}
