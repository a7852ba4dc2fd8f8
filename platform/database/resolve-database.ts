import path from 'node:path'
import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import { startEmbeddedPostgres } from './embedded-postgres.js'

export interface ResolvedDatabase {
  url: string
  embedded: boolean
  stop(): Promise<void>
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR/pg. */
export async function resolveDatabase(config: Config, log: Logger): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => undefined }
  const server = await startEmbeddedPostgres({
    dir: path.join(config.DATA_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    database: 'leadwire',
    log,
  })
  return { url: server.url, embedded: true, stop: server.stop }
}
