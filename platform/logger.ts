import { pino, type Logger, type LoggerOptions } from 'pino'
import type { Config } from './config.js'

/*
 * One logger setup for every process (API, worker, relay, connector host). We log ids
 * (leadId, channel, requestId), never personal data: the redact list is a safety net for
 * the cases where a whole object slips into a log line.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.email',
  '*.phone',
  '*.firstName',
  '*.lastName',
  '*.name',
  '*.body',
  '*.text',
]

export function loggerOptions(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>,
  bindings: Record<string, unknown> = {},
): LoggerOptions {
  const pretty = config.LOG_PRETTY ?? process.stdout.isTTY === true
  return {
    level: config.LOG_LEVEL,
    base: { ...bindings },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
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

export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>,
  bindings: Record<string, unknown> = {},
): Logger {
  return pino(loggerOptions(config, bindings))
}

export type { Logger }
