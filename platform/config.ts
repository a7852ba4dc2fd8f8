import path from 'node:path'
import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'
import { GST_STATE_CODES, parseGstin } from '../domain/account/gstin.rules.js'

/**
 * Every setting Leadwire reads, as one schema. Each is an environment variable with an
 * embedded default, so `npm run dev` needs none of them; production sets the ones that
 * point at real infrastructure (DATABASE_URL, TEMPORAL_ADDRESS, ...).
 *
 * This is the only place the application reads its settings: process entries call
 * `loadConfig()` once and pass the frozen result into factories. (Install and test tooling
 * reads a few variables of its own, listed in the README.)
 */
export const ConfigSchema = Type.Object({
  DATA_DIR: Type.String({
    default: '.data',
    minLength: 1,
    description: 'Folder for embedded PostgreSQL data and the local Temporal database (git-ignored).',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description: 'External PostgreSQL. Unset: an embedded PostgreSQL is started under DATA_DIR.',
    }),
  ),
  DATABASE_POOL_MAX: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 200,
    description: 'Connections per process.',
  }),
  EMBEDDED_PG_PORT: Type.Integer({
    default: 54329,
    minimum: 1,
    maximum: 65535,
    description: 'Port of the embedded PostgreSQL.',
  }),

  TEMPORAL_ADDRESS: Type.Optional(
    Type.String({
      pattern: '^[^\\s:]+:[0-9]{1,5}$',
      description: 'host:port of a Temporal frontend. Unset: a local Temporal dev server is started.',
    }),
  ),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default', minLength: 1, description: 'Temporal namespace.' }),
  TEMPORAL_TASK_QUEUE: Type.String({
    default: 'leadwire-journeys',
    minLength: 1,
    description: 'Task queue of the journey workers.',
  }),
  TEMPORAL_TLS: Type.Boolean({
    default: false,
    description: 'Use TLS to reach TEMPORAL_ADDRESS (Temporal Cloud, a TLS cluster).',
  }),
  TEMPORAL_API_KEY: Type.Optional(
    Type.String({ minLength: 1, description: 'API key for Temporal Cloud (implies TLS).' }),
  ),
  TEMPORAL_CLI_PATH: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Explicit path of the `temporal` CLI used for the local dev server.',
    }),
  ),
  TEMPORAL_DEV_PORT: Type.Integer({
    default: 7233,
    minimum: 1,
    maximum: 65535,
    description: 'gRPC port of the local dev server.',
  }),
  TEMPORAL_UI_PORT: Type.Integer({
    default: 8233,
    minimum: 1,
    maximum: 65535,
    description: 'Web UI port of the local dev server.',
  }),
  TEMPORAL_UI_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'Where operators open the Temporal UI (printed by npm run dev).',
    }),
  ),
  PAYLOAD_MASTER_KEY: Type.Optional(
    Type.String({
      minLength: 32,
      description:
        "Secret (32+ chars) that wraps the per-person keys encrypting Temporal payloads (payload_key); every API and worker process needs the same one. Unset: a random one kept in DATA_DIR. Losing it makes every journey's history unreadable.",
    }),
  ),
  PAYLOAD_KEY_CACHE_SECONDS: Type.Integer({
    default: 30,
    minimum: 0,
    maximum: 3600,
    description:
      'How long a process keeps a payload key in memory. An erasure reaches other processes within this time (the erasing one at once).',
  }),
  TEMPORAL_CODEC_ORIGINS: Type.String({
    default: '',
    description:
      'Comma-separated origins (e.g. `https://temporal.example.com`) of Temporal UIs allowed to call the codec endpoint `/codec/decode` from the browser. `npm run dev` adds its own UI.',
  }),

  HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Interface the API listens on.' }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535, description: 'API port.' }),
  TRUST_PROXY: Type.Boolean({
    default: false,
    description:
      'Behind a load balancer or reverse proxy: take the client address from X-Forwarded-For (per-IP rate limits on public forms need it).',
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    default: 1_048_576,
    minimum: 1024,
    description: 'Largest accepted request body.',
  }),
  SESSION_TTL_HOURS: Type.Integer({
    default: 12,
    minimum: 1,
    maximum: 720,
    description: 'A console session ends this many hours after login, however active.',
  }),
  SESSION_IDLE_MINUTES: Type.Integer({
    default: 120,
    minimum: 5,
    description: 'A console session unused for this long ends.',
  }),
  SESSION_COOKIE_SECURE: Type.Boolean({
    default: true,
    description:
      'Mark the session cookie Secure (sent over HTTPS only). Set false only for a console on plain http://localhost.',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    default: 6000,
    minimum: 1,
    description: 'Requests per minute per API key or console user, per API replica (429 beyond).',
  }),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: Type.Integer({
    default: 300,
    minimum: 1,
    description:
      'Requests per minute per client address for callers without a credential (logins, webhooks, failed auth), per replica.',
  }),
  LOGIN_MAX_FAILURES: Type.Integer({
    default: 5,
    minimum: 1,
    description:
      'Failed logins for one email within 15 minutes before further attempts are refused (429) until the window passes; 20x this per address.',
  }),
  SHUTDOWN_GRACE_MS: Type.Integer({
    default: 10_000,
    minimum: 0,
    description: 'How long a stopping process waits for in-flight requests and activities.',
  }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
    description: 'pino log level.',
  }),
  LOG_PRETTY: Type.Optional(
    Type.Boolean({ description: 'Human-readable logs. Default: only when stdout is a terminal.' }),
  ),

  OUTBOX_RELAY_ENABLED: Type.Boolean({
    default: true,
    description:
      'Run the outbox relay inside the worker process (safe on every replica: claims use SKIP LOCKED).',
  }),
  OUTBOX_POLL_INTERVAL_MS: Type.Integer({
    default: 1000,
    minimum: 10,
    description: 'Fallback poll interval; new events also wake the relay at once through LISTEN/NOTIFY.',
  }),
  OUTBOX_BATCH_SIZE: Type.Integer({
    default: 100,
    minimum: 1,
    maximum: 1000,
    description: 'Events claimed per relay round.',
  }),
  OUTBOX_LEASE_MS: Type.Integer({
    default: 30_000,
    minimum: 1000,
    description: 'How long a claimed event stays invisible to other relays before it is retried.',
  }),
  OUTBOX_DISPATCH_TIMEOUT_MS: Type.Integer({
    default: 5000,
    minimum: 100,
    description: 'Deadline for one hand-over to Temporal; past it the event is retried later.',
  }),
  OUTBOX_MAX_BACKOFF_MS: Type.Integer({
    default: 60_000,
    minimum: 100,
    description: 'Upper bound of the retry delay after a failed dispatch (e.g. Temporal down).',
  }),

  INGEST_DEFAULT_COUNTRY: Type.String({
    default: 'IN',
    pattern: '^[A-Z]{2}$',
    description: 'Country (ISO 3166-1 alpha-2) assumed for phone numbers written without a country code.',
  }),
  DEDUPE_FUZZY_SUGGEST_THRESHOLD: Type.Number({
    default: 0.6,
    minimum: 0.1,
    maximum: 1,
    description: 'Name + company trigram similarity from which a lead is listed as a possible duplicate.',
  }),
  DEDUPE_FUZZY_LINK_THRESHOLD: Type.Number({
    default: 0.9,
    minimum: 0.1,
    maximum: 1,
    description: 'Similarity from which a lead with no exact match is linked to its master automatically.',
  }),

  JOURNEY_DEFAULT_TIME_ZONE: Type.String({
    default: 'Asia/Kolkata',
    minLength: 1,
    description: 'IANA zone for quiet hours when neither the lead nor its country tells the zone.',
  }),
  SENDGRID_API_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'SendGrid API key (secret). Unset: nurture emails are logged and recorded as `simulated`, never sent.',
    }),
  ),
  SENDGRID_API_URL: Type.String({
    default: 'https://api.sendgrid.com',
    pattern: '^https?://\\S+$',
    description: 'SendGrid API base URL (tests point it at a loopback stand-in).',
  }),
  EMAIL_FROM_ADDRESS: Type.String({
    default: 'hello@leadwire.invalid',
    pattern: '^\\S+@\\S+$',
    description: 'From address of journey emails (a sender verified in SendGrid).',
  }),
  EMAIL_FROM_NAME: Type.String({
    default: 'Leadwire',
    minLength: 1,
    description: 'From name of journey emails when the lead has no owner to sign them.',
  }),

  SELLER_NAME: Type.String({
    default: 'Leadwire Demo Seller',
    minLength: 1,
    maxLength: 200,
    description: 'Legal name of the seller, printed on every invoice.',
  }),
  SELLER_GSTIN: Type.Optional(
    Type.String({
      pattern: '^[0-9]{2}[A-Z0-9]{13}$',
      description:
        "The seller's GSTIN (format, state code and check character are verified at start-up). Unset: the seller is not registered for GST and its invoices carry no GST (a bill of supply).",
    }),
  ),
  SELLER_STATE_CODE: Type.String({
    default: '27',
    pattern: '^[0-9]{2}$',
    description:
      "GST state code of the seller ('27' Maharashtra): decides CGST+SGST or IGST. A set SELLER_GSTIN's own state code wins.",
  }),
  SELLER_ADDRESS: Type.String({
    default: 'Mumbai, Maharashtra, India',
    minLength: 1,
    maxLength: 500,
    description: 'Address of the seller as printed on invoices (one line; commas separate the parts).',
  }),
  INVOICE_SERIES: Type.String({
    default: 'INV',
    pattern: '^[A-Z0-9]{1,4}$',
    description:
      'Prefix of invoice numbers (INV/26-27/000001): 1-4 letters or digits, so a number stays within the 16 characters GST allows.',
  }),
  INVOICE_PAYMENT_TERMS_DAYS: Type.Integer({
    default: 30,
    minimum: 0,
    maximum: 365,
    description: "Days from an invoice's issue date to its due date when the request names none.",
  }),

  PUBLIC_BASE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/]+(/\\S*)?$',
      description:
        'Public URL of the API as callers see it (form embeds, unsubscribe links, and the URL Twilio signs). Unset: http://HOST:PORT.',
    }),
  ),
  LINK_SIGNING_SECRET: Type.Optional(
    Type.String({
      minLength: 32,
      description:
        'Secret (32+ chars) that signs unsubscribe links; every API and worker process needs the same one. Unset: a random one kept in DATA_DIR.',
    }),
  ),
  CONNECTORS_DISABLED: Type.String({
    default: '',
    description: 'Comma-separated connector ids to keep off even when configured (e.g. `whatsapp,email`).',
  }),
  CONNECTOR_HOST_ENABLED: Type.Boolean({
    default: true,
    description:
      'Run long-lived listeners (IMAP watch, WhatsApp socket) in this API process. One replica holds each listener at a time (PostgreSQL advisory lock).',
  }),
  IMPORT_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Where uploaded import files are kept. Unset: DATA_DIR/imports.',
    }),
  ),
  IMAP_HOST: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'IMAP server of the lead inbox. Set with IMAP_USER and IMAP_PASSWORD to enable email capture.',
    }),
  ),
  IMAP_PORT: Type.Integer({ default: 993, minimum: 1, maximum: 65535, description: 'IMAP port.' }),
  IMAP_SECURE: Type.Boolean({ default: true, description: 'IMAP over TLS (false only for a local server).' }),
  IMAP_USER: Type.Optional(Type.String({ minLength: 1, description: 'IMAP login.' })),
  IMAP_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: 'IMAP password (secret).' })),
  IMAP_MAILBOX: Type.String({
    default: 'INBOX',
    minLength: 1,
    description: 'Mailbox watched for inquiry mails.',
  }),
  IMAP_POLL_INTERVAL_MS: Type.Integer({
    default: 60_000,
    minimum: 100,
    description:
      'Polling interval when the server has no IDLE, and the safety re-check interval when it has.',
  }),
  WHATSAPP_ENABLED: Type.Boolean({
    default: false,
    description:
      'Run the WhatsApp (Baileys) connector: pair it by QR from the terminal or GET /v1/connectors/whatsapp/pairing.',
  }),
  WHATSAPP_SESSION_ID: Type.String({
    default: 'default',
    minLength: 1,
    description: 'Name of the WhatsApp session whose auth state is kept in PostgreSQL.',
  }),
  TWILIO_AUTH_TOKEN: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Twilio auth token (secret): verifies X-Twilio-Signature on voice webhooks.',
    }),
  ),
  TWILIO_FALLBACK_NUMBER: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Number calls are routed to when the lead has no owner with a phone.',
    }),
  ),
  TWILIO_ACCOUNT_SID: Type.Optional(
    Type.String({
      pattern: '^AC[0-9a-fA-F]{32}$',
      description:
        'Twilio Account SID (AC…). With TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM, journeys send SMS steps through Twilio; unset, SMS steps are skipped as `channel_not_configured`.',
    }),
  ),
  TWILIO_SMS_FROM: Type.Optional(
    Type.String({
      pattern: '^(\\+[1-9][0-9]{6,14}|MG[0-9a-fA-F]{32})$',
      description:
        'Sender of journey SMS: an E.164 number or a Messaging Service SID (MG…); in India a DLT-registered sender.',
    }),
  ),
  SENDGRID_WEBHOOK_PUBLIC_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'SendGrid Event Webhook verification key (base64 ECDSA public key).',
    }),
  ),
  GOOGLE_ADS_WEBHOOK_KEY: Type.Optional(
    Type.String({
      minLength: 8,
      description:
        "The key set in a Google Ads lead form's webhook (secret): enables the Google Ads lead form connector.",
    }),
  ),
  EVENTS_WEBHOOK_SECRET: Type.Optional(
    Type.String({
      minLength: 16,
      description: 'Shared secret (secret) that signs webinar/event platform webhooks (HMAC-SHA256).',
    }),
  ),

  WORKFLOW_BUNDLE_PATH: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Pre-built workflow bundle (npm run build); unset: bundle at start-up.',
    }),
  ),
  WORKER_MAX_CACHED_WORKFLOWS: Type.Integer({
    default: 250,
    minimum: 0,
    description:
      'Sticky workflow cache size: bounds worker memory however many journeys wait (about 0.45 MiB per cached journey; journeys wake days apart, so a small cache costs little replay).',
  }),
})

export type Config = Readonly<Static<typeof ConfigSchema>>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

interface AjvError {
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

function describe(errors: AjvError[], input: Record<string, string | undefined>): string {
  return errors
    .map((e) => {
      const key = e.instancePath.replace(/^\//, '') || String(e.params['missingProperty'] ?? '')
      const got = key in input ? ` (got ${JSON.stringify(input[key])})` : ''
      const allowed = Array.isArray(e.params['allowedValues'])
        ? `: ${e.params['allowedValues'].join(', ')}`
        : ''
      return `${key} ${e.message ?? 'is invalid'}${allowed}${got}`
    })
    .join('; ')
}

/**
 * Validates the environment against {@link ConfigSchema}. A bad value stops start-up
 * with a message naming the variable and what it expects.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(ConfigSchema.properties)
  // Empty strings mean "unset": compose files and shells often export KEY= for optional keys.
  const input = Object.fromEntries(
    known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]),
  )
  try {
    const parsed = envSchema<Static<typeof ConfigSchema>>({
      schema: structuredClone(ConfigSchema) as object,
      data: input,
      env: false,
      dotenv: false,
    })
    const gstin = parsed.SELLER_GSTIN === undefined ? null : parseGstin(parsed.SELLER_GSTIN)
    // Invoices print it: a mistyped GSTIN must stop start-up, not surface on a customer's invoice.
    if (gstin && !gstin.ok)
      throw new ConfigError(`Invalid configuration: SELLER_GSTIN is not a valid GSTIN (${gstin.reason}).`)
    if (!(parsed.SELLER_STATE_CODE in GST_STATE_CODES))
      throw new ConfigError(
        `Invalid configuration: SELLER_STATE_CODE ${parsed.SELLER_STATE_CODE} is not a GST state code.`,
      )
    return Object.freeze({ ...parsed, DATA_DIR: path.resolve(parsed.DATA_DIR) })
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors
    if (errors) throw new ConfigError(`Invalid configuration: ${describe(errors, input)}`)
    throw err
  }
}

/** Names of every variable the config module reads (docker-compose and docs are checked against it). */
export const CONFIG_KEYS: readonly string[] = Object.keys(ConfigSchema.properties)
