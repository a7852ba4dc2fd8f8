import type { Action, SecuredObject } from '../../domain/security/roles.rules.js'
import type { FastifyInstance } from 'fastify'
import type { WhatsAppSender } from '../../activities/whatsapp-sender.js'
import type { LeadChannel } from '../../domain/lead/lead-capture.js'
import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/database/prisma.js'
import type { Logger } from '../../platform/logger.js'
import type { EmailTransport } from '../sendgrid/transport.js'
import type { SmsSender } from '../twilio/sms-sender.js'
import type { Intake } from './intake.js'
import type { ConnectorStatus } from './status.js'

/*
 * The connector SDK. A connector is one small module that declares what it is and what it
 * needs (its manifest), and turns a channel's payloads into the governed pipeline's input
 * through `ctx.intake`. It never writes leads itself. See docs/connector-sdk.md.
 */

/** An environment variable a connector reads; the README's channel table is built from these. */
export interface ConnectorSetting {
  key: keyof Config & string
  /** A credential: never logged, never returned by the API. */
  secret?: boolean
  /** The connector stays off until this is set. */
  required?: boolean
}

/** A URL the connector serves, for the channel table and GET /v1/connectors. */
export interface ConnectorEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
  path: string
  /** How a caller is authenticated: "X-Twilio-Signature", "partner API key + HMAC", "public"... */
  auth: string
  /**
   * What the API's authentication asks of the caller: 'public' when the connector checks the
   * caller itself (a vendor signature, a form's origins, a signed link), or the permission a
   * user's session or API key needs.
   */
  access: EndpointAccess
}

export type EndpointAccess = 'public' | { object: SecuredObject; action: Action }

export interface ConnectorManifest {
  /** Stable id: the actor (`connector:<id>`), the delivery ledger's scope, the URL segment. */
  id: string
  title: string
  /** The lead channel its captures carry; `null` for connectors that only report events. */
  channel: LeadChannel | null
  /** webhook: the channel calls us; listener: we hold a connection; file: uploads; outbound: we send. */
  kind: 'webhook' | 'listener' | 'file' | 'outbound'
  summary: string
  settings: readonly ConnectorSetting[]
  endpoints: readonly ConnectorEndpoint[]
  /** Its natural delivery key, stated for the docs (exactly-once intake). */
  deliveryKey: string
}

/** What a connector's code may use. Built once per process by the registry. */
export interface ConnectorContext {
  config: Config
  db: Db
  log: Logger
  /** The governed way in: captures, interactions, consent changes, each exactly once per delivery. */
  intake: Intake
  /** Health and last activity, shared through PostgreSQL (GET /v1/connectors). */
  status: ConnectorStatus
  /** `connector:<id>`: every write the connector causes is attributed to it. */
  actor: { id: string }
  clock: () => Date
}

/** A long-lived connection (an IMAP IDLE watch, a WhatsApp socket), run by connectors/host.ts. */
export interface ConnectorListener {
  start(): Promise<void>
  /** Closes the connection; called on shutdown and when leadership is lost. */
  stop(): Promise<void>
}

/** The senders journeys use (activities/nurture.activities.ts), one per contact channel. */
export interface OutboundSenders {
  email: EmailTransport
  whatsapp: WhatsAppSender
  sms: SmsSender
}

/** What an outbound action is built from, in a worker process. */
export interface OutboundDeps {
  config: Config
  db: Db
  log: Logger
}

export interface Connector {
  manifest: ConnectorManifest
  /** True when its required settings are present (a connector without credentials stays off). */
  isConfigured(config: Config): boolean
  /** Inbound webhooks: a Fastify plugin registered in its own scope (its own body parsers). */
  routes?: (app: FastifyInstance, ctx: ConnectorContext) => Promise<void>
  /** A listener the connector host keeps running on one replica at a time. */
  listener?: (ctx: ConnectorContext) => ConnectorListener
  /** Outbound actions journeys use: the channel's sender, built in each worker process. */
  outbound?: (deps: OutboundDeps) => Partial<OutboundSenders>
}

/** Declares a connector; an identity function that checks the shape and keeps the literal types. */
export function defineConnector(connector: Connector): Connector {
  return connector
}

/** True when the setting has a value (an empty variable counts as unset). */
export function isSettingSet(config: Config, key: keyof Config): boolean {
  return config[key] !== undefined && config[key] !== ''
}

/** True when every required setting of the manifest has a value. */
export function hasRequiredSettings(manifest: ConnectorManifest, config: Config): boolean {
  return manifest.settings.every((s) => !s.required || isSettingSet(config, s.key))
}

/** The connectors CONNECTORS_DISABLED turns off (a comma-separated list of ids). */
export function disabledConnectorIds(config: Config): Set<string> {
  return new Set(
    config.CONNECTORS_DISABLED.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
}
