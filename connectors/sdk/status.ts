import type { Db } from '../../platform/database/prisma.js'

export type ConnectorHealth =
  | 'idle'
  | 'starting'
  | 'connected'
  | 'pairing'
  | 'reconnecting'
  | 'disconnected'
  | 'standby'
  | 'error'
  | 'disabled'

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
  const upsert = async (set: string, values: unknown[]) => {
    // No read first: several processes report for the same connector. The row is made once;
    // the update then applies whether this call made it or found it.
    await db.$executeRaw`INSERT INTO connector_state (connector_id) VALUES (${connectorId}) ON CONFLICT DO NOTHING`
    await db.$executeRawUnsafe(
      `UPDATE connector_state SET ${set}, updated_at = $2 WHERE connector_id = $1`,
      connectorId,
      clock(),
      ...values,
    )
  }
  return {
    async touched(at = clock()) {
      await upsert('deliveries = connector_state.deliveries + 1, last_activity_at = $3', [at])
    },
    async set(status, state) {
      if (state)
        await upsert('status = $3, state = connector_state.state || $4::jsonb', [
          status,
          JSON.stringify(state),
        ])
      else await upsert('status = $3', [status])
    },
    async mergeState(state) {
      await upsert('state = connector_state.state || $3::jsonb', [JSON.stringify(state)])
    },
    async readState<T extends Record<string, unknown>>() {
      const row = await db.connectorState.findUnique({ where: { connectorId }, select: { state: true } })
      return (row?.state ?? {}) as Partial<T>
    },
    async error(err) {
      const message = err instanceof Error ? err.message : String(err)
      await upsert('status = $3, last_error = $4, last_error_at = $2', ['error', message.slice(0, 500)])
    },
  }
}
