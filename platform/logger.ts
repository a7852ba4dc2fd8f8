import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import type { Config } from './config.js'

/*
 * One logger setup for every process (API, worker, relay, connector host). We log ids
 * (leadId, channel, requestId), never personal data or secrets: requests are logged by
 * route pattern (a URL's path and query carry unsubscribe tokens and ?email= filters), and
 * the redact list is a safety net for the cases where a whole object slips into a log line.
 */

/** Credentials in request and response headers, wherever a headers object is logged. */
const SECRET_HEADERS = [
  'authorization',
  'cookie',
  '["set-cookie"]',
  '["x-api-key"]',
  '["x-twilio-signature"]',
  '["x-twilio-email-event-webhook-signature"]',
  '["x-leadwire-signature"]',
]

/** Keys that hold a secret or a person's details, redacted at any of the first three levels. */
const SECRET_OR_PERSONAL_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'apiKey',
  'key_hash',
  'keyHash',
  'tokenHash',
  'secret',
  'google_key',
  'email',
  'phone',
  'firstName',
  'lastName',
  'fullName',
]

/** Keys too generic to redact at the top level (a logger's own `name`) but personal inside a record. */
const NESTED_PERSONAL_KEYS = ['name', 'body', 'text', 'payload', 'fields', 'rawPayload']

export const REDACT_PATHS = [
  ...['req.headers', 'res.headers', 'headers', 'request.headers'].flatMap((at) =>
    SECRET_HEADERS.map((h) => (h.startsWith('[') ? `${at}${h}` : `${at}.${h}`)),
  ),
  ...SECRET_OR_PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ...NESTED_PERSONAL_KEYS.flatMap((k) => [`*.${k}`, `*.*.${k}`]),
]

interface LoggedRequest {
  id?: unknown
  method?: unknown
  routeOptions?: { url?: string | undefined }
}

/**
 * A request as the log shows it: its method and the route it matched ('/u/:token', not
 * the token; '/v1/leads', not '?email=...'). Unmatched paths are left out altogether.
 */
function requestSerializer(req: LoggedRequest) {
  return { id: req.id, method: req.method, route: req.routeOptions?.url ?? null }
}

export function loggerOptions(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>,
  bindings: Record<string, unknown> = {},
): LoggerOptions {
  const pretty = config.LOG_PRETTY ?? process.stdout.isTTY === true
  return {
    level: config.LOG_LEVEL,
    base: { ...bindings },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Fastify adds these to its defaults and lets ours win (lib/logger-factory.js).
    serializers: { req: requestSerializer },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  }
}

/** The process's logger; `destination` replaces stdout (tests read what was logged). */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>,
  bindings: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options = loggerOptions(config, bindings)
  if (!destination) return pino(options)
  const { transport: _pretty, ...plain } = options
  return pino(plain, destination)
}

export type { Logger }
