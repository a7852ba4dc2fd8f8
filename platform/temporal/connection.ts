import { Client, Connection } from '@temporalio/client'
import type { PayloadCodec } from '@temporalio/common'
import { NativeConnection } from '@temporalio/worker'
import type { Config } from '../config.js'

export type TemporalTarget = Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS' | 'TEMPORAL_API_KEY'> & {
  address: string
}

function connectionOptions(target: TemporalTarget) {
  return {
    address: target.address,
    tls: target.TEMPORAL_TLS || target.TEMPORAL_API_KEY !== undefined,
    ...(target.TEMPORAL_API_KEY ? { apiKey: target.TEMPORAL_API_KEY } : {}),
  }
}

/**
 * A client that connects on first use: the API and the relay must start, and keep taking
 * leads, while Temporal is unreachable; the outbox holds the work until it is back. Every
 * payload it sends or reads goes through `codec` (payload-codec.ts: per-person encryption).
 */
export function createTemporalClient(
  target: TemporalTarget,
  codec: PayloadCodec,
): { client: Client; connection: Connection } {
  const connection = Connection.lazy(connectionOptions(target))
  const client = new Client({
    connection,
    namespace: target.TEMPORAL_NAMESPACE,
    dataConverter: { payloadCodecs: [codec] },
  })
  return { client, connection }
}

/** The worker's connection (Rust core); rejects when the server cannot be reached. */
export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(target))
}
