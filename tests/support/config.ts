import { loadConfig, type Config } from '../../platform/config.js'

/** The real config loader, fed test values (no process.env). */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', OUTBOX_POLL_INTERVAL_MS: '50', ...overrides })
}
