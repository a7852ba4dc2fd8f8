import type { Client, Connection } from '@temporalio/client'
import { createConnectorRuntime } from '../connectors/runtime.js'
import type { Connector } from '../connectors/sdk/connector.js'
import { createLeadServices } from '../ingestion/services.js'
import type { Config } from '../platform/config.js'
import type { Db } from '../platform/database/prisma.js'
import type { Logger } from '../platform/logger.js'
import { RoleBook } from '../security/roles.js'
import type { ApiServices } from './plugins/services.plugin.js'

/** The API's services, wired once: lead services and the connectors built on them. */
export function createApiServices(options: {
  config: Config
  db: Db
  temporal: { client: Client; connection: Connection }
  log: Logger
  clock?: (() => Date) | undefined
  /** Replaces the built-in connectors (a test registers its own). */
  connectors?: readonly Connector[] | undefined
}): ApiServices {
  const { config, db, clock } = options
  const leadServices = createLeadServices(db, config, clock)
  const connectors = createConnectorRuntime({
    config,
    db,
    ...leadServices,
    log: options.log,
    ...(clock ? { clock } : {}),
    ...(options.connectors ? { connectors: options.connectors } : {}),
  })
  return {
    config,
    db,
    temporal: options.temporal.client,
    temporalConnection: options.temporal.connection,
    ...leadServices,
    connectors,
    roles: new RoleBook(db),
  }
}
