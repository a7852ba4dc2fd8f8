import closeWithGrace from 'close-with-grace'
import { loadConfig, type Config } from '../config.js'
import { createLogger, type Logger } from '../logger.js'

/**
 * Runs a process entry: config (a bad value stops start-up with a readable message),
 * logger, and a graceful stop on SIGINT/SIGTERM that waits up to SHUTDOWN_GRACE_MS.
 */
export async function runMain(
  name: string,
  start: (config: Config, log: Logger) => Promise<{ stop(): Promise<void> }>,
): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    console.error(`[leadwire ${name}] ${(err as Error).message}`)
    process.exit(78) // EX_CONFIG
  }
  const log = createLogger(config, { name })
  let running: { stop(): Promise<void> } | undefined
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS + 5000 }, async ({ err, signal }) => {
    if (err) log.error({ err }, 'stopping after an unexpected error')
    else log.info({ signal }, 'stopping')
    await running?.stop()
  })
  try {
    running = await start(config, log)
  } catch (err) {
    log.fatal({ err }, `${name} failed to start`)
    process.exit(1)
  }
}
