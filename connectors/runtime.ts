import type { LeadMaintenance } from '../ingestion/lead-maintenance.js'
import type { Ingestion } from '../ingestion/pipeline.js'
import type { Config } from '../platform/config.js'
import type { Db } from '../platform/database/prisma.js'
import type { Logger } from '../platform/logger.js'
import { ALL_CONNECTORS } from './registry.js'
import { disabledConnectorIds, type Connector, type ConnectorContext } from './sdk/connector.js'
import { createIntake } from './sdk/intake.js'
import { connectorStatus } from './sdk/status.js'

export interface ConnectorRuntime {
  /** Every known connector, configured or not (GET /v1/connectors lists them all). */
  all: readonly Connector[]
  isEnabled(id: string): boolean
  enabled(): Connector[]
  /** The context a connector's code runs with. */
  context(id: string): ConnectorContext
}

export interface ConnectorRuntimeDeps {
  config: Config
  db: Db
  ingestion: Ingestion
  leads: LeadMaintenance
  log: Logger
  clock?: () => Date
  /** Replaces the built-in list (tests register an extra connector). */
  connectors?: readonly Connector[]
}

/** Builds each connector's context once per process: its intake, status and attributed actor. */
export function createConnectorRuntime(deps: ConnectorRuntimeDeps): ConnectorRuntime {
  const clock = deps.clock ?? (() => new Date())
  const all = deps.connectors ?? ALL_CONNECTORS
  const disabled = disabledConnectorIds(deps.config)
  const contexts = new Map<string, ConnectorContext>()
  const isEnabled = (id: string) => {
    const c = all.find((x) => x.manifest.id === id)
    return c !== undefined && !disabled.has(id) && c.isConfigured(deps.config)
  }
  return {
    all,
    isEnabled,
    enabled: () => all.filter((c) => isEnabled(c.manifest.id)),
    context(id) {
      let ctx = contexts.get(id)
      if (!ctx) {
        const actor = { id: `connector:${id}` }
        ctx = {
          config: deps.config,
          db: deps.db,
          log: deps.log.child({ connector: id }),
          actor,
          clock,
          status: connectorStatus(deps.db, id, clock),
          intake: createIntake({
            connectorId: id,
            actor,
            db: deps.db,
            ingestion: deps.ingestion,
            leads: deps.leads,
            defaultCountry: deps.config.INGEST_DEFAULT_COUNTRY,
            clock,
          }),
        }
        contexts.set(id, ctx)
      }
      return ctx
    },
  }
}
