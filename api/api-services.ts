import type { Client, Connection } from '@temporalio/client'
import type { PersonKeyPayloadCodec } from '../platform/temporal/payload-codec.js'
import type { PayloadKeyStore } from '../platform/temporal/payload-keys.js'
import { createConnectorRuntime } from '../connectors/runtime.js'
import type { Connector } from '../connectors/sdk/connector.js'
import { createLeadServices } from '../ingestion/services.js'
import type { Config } from '../platform/config.js'
import type { Db } from '../platform/database/prisma.js'
import type { Logger } from '../platform/logger.js'
import { RoleBook } from '../security/roles.js'
import type { ApiServices } from './plugins/services.plugin.js'

export interface TemporalWithCodec {
  client: Client
  connection: Connection
  codec: PersonKeyPayloadCodec
  keys: PayloadKeyStore
}

/** The API's services, wired once: lead services and the connectors built on them. */
export function createApiServices(options: {
  config: Config
  db: Db
  /** The Temporal client and the payload codec (and its keys) it encrypts with. */
  temporal: TemporalWithCodec
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
    payloadCodec: options.temporal.codec,
    payloadKeys: options.temporal.keys,
    ...leadServices,
    connectors,
    roles: new RoleBook(db),
  }
}
