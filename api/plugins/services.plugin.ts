import type { Client, Connection } from '@temporalio/client'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ConnectorRuntime } from '../../connectors/runtime.js'
import type { LeadMaintenance } from '../../ingestion/lead-maintenance.js'
import type { Ingestion } from '../../ingestion/pipeline.js'
import type { RuleCache } from '../../ingestion/rules/active-rules.js'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/database/prisma.js'
import type { PersonKeyPayloadCodec } from '../../platform/temporal/payload-codec.js'
import type { PayloadKeyStore } from '../../platform/temporal/payload-keys.js'
import type { RoleBook } from '../../security/roles.js'

/** What route plugins may use. Built by the process entry and passed in, never created here. */
export interface ApiServices {
  config: Config
  db: Db
  temporal: Client
  /** The client's connection, for health checks. */
  temporalConnection: Connection
  /** The codec the client encrypts payloads with: the codec endpoint decodes for the Temporal UI. */
  payloadCodec: PersonKeyPayloadCodec
  /** Per-person payload keys; erasure destroys them (and forgets them here at once). */
  payloadKeys: PayloadKeyStore
  ingestion: Ingestion
  leads: LeadMaintenance
  /** Active scoring/assignment rules and territories, cached. */
  rules: RuleCache
  /** Connectors: their contexts, which are enabled, and their routes. */
  connectors: ConnectorRuntime
  /** Roles in force (built-in definitions plus an admin's changes), cached. */
  roles: RoleBook
}

declare module 'fastify' {
  interface FastifyInstance {
    services: ApiServices
  }
}

export default fp(
  async function services(app: FastifyInstance, services: ApiServices) {
    app.decorate('services', services)
  },
  { name: 'services' },
)
