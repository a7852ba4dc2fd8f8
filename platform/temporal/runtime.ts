import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker'
import type { Logger } from '../logger.js'

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
}

let installed = false

/**
 * Sends the Temporal SDK's own logs (worker lifecycle, bundler, workflow `log` calls)
 * through our pino logger instead of console. Once per process, before the first worker.
 */
export function installTemporalRuntime(log: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return
  installed = true
  const sdkLog = log.child({ component: 'temporal-sdk' })
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const { message, meta } = entry
      sdkLog[PINO_LEVEL[entry.level]]({ ...meta }, message)
    }),
  })
}
