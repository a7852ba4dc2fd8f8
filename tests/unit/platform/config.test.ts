import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../platform/config.js'

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not throw`)
}

describe('loadConfig', () => {
  it('refuses a seller GSTIN whose check character is wrong, and keeps a valid one', () => {
    expect(configError({ SELLER_GSTIN: '27AAPFU0939F1ZW' }).message).toContain(
      'SELLER_GSTIN is not a valid GSTIN (checksum)',
    )
    expect(loadConfig({ SELLER_GSTIN: '27AAPFU0939F1ZV' }).SELLER_GSTIN).toBe('27AAPFU0939F1ZV')
    expect(configError({ SELLER_STATE_CODE: '50' }).message).toContain(
      'SELLER_STATE_CODE 50 is not a GST state code',
    )
  })

  describe('defaults', () => {
    it('runs with an empty environment and fills every default', () => {
      const config = loadConfig({})
      expect(config).toMatchObject({
        DATABASE_POOL_MAX: 10,
        EMBEDDED_PG_PORT: 54329,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: 'leadwire-journeys',
        TEMPORAL_TLS: false,
        TEMPORAL_DEV_PORT: 7233,
        TEMPORAL_UI_PORT: 8233,
        HOST: '127.0.0.1',
        PORT: 3000,
        BODY_LIMIT_BYTES: 1_048_576,
        SHUTDOWN_GRACE_MS: 10_000,
        LOG_LEVEL: 'info',
        OUTBOX_RELAY_ENABLED: true,
        OUTBOX_POLL_INTERVAL_MS: 1000,
        OUTBOX_BATCH_SIZE: 100,
        OUTBOX_LEASE_MS: 30_000,
        OUTBOX_DISPATCH_TIMEOUT_MS: 5000,
        OUTBOX_MAX_BACKOFF_MS: 60_000,
        WORKER_MAX_CACHED_WORKFLOWS: 250,
        JOURNEY_DEFAULT_TIME_ZONE: 'Asia/Kolkata',
        SENDGRID_API_URL: 'https://api.sendgrid.com',
        EMAIL_FROM_ADDRESS: 'hello@leadwire.invalid',
        EMAIL_FROM_NAME: 'Leadwire',
      })
    })

    it('leaves the optional settings unset', () => {
      const config = loadConfig({})
      for (const key of [
        'DATABASE_URL',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_API_KEY',
        'TEMPORAL_CLI_PATH',
        'TEMPORAL_UI_URL',
        'LOG_PRETTY',
        'WORKFLOW_BUNDLE_PATH',
        'SENDGRID_API_KEY',
      ] as const) {
        expect(config[key], key).toBeUndefined()
      }
    })

    it('resolves DATA_DIR to an absolute path', () => {
      const config = loadConfig({})
      expect(path.isAbsolute(config.DATA_DIR)).toBe(true)
      expect(config.DATA_DIR).toBe(path.resolve('.data'))
      expect(loadConfig({ DATA_DIR: 'some/where' }).DATA_DIR).toBe(path.resolve('some/where'))
      expect(loadConfig({ DATA_DIR: '/srv/leadwire' }).DATA_DIR).toBe(path.resolve('/srv/leadwire'))
    })

    it('does not let one call leak into the next (the schema is not mutated)', () => {
      loadConfig({ PORT: '8080', LOG_LEVEL: 'debug' })
      const again = loadConfig({})
      expect(again.PORT).toBe(3000)
      expect(again.LOG_LEVEL).toBe('info')
    })
  })

  describe('coercion', () => {
    it('turns numeric strings into integers', () => {
      const config = loadConfig({ PORT: '8080', DATABASE_POOL_MAX: '25', OUTBOX_BATCH_SIZE: '7' })
      expect(config.PORT).toBe(8080)
      expect(config.DATABASE_POOL_MAX).toBe(25)
      expect(config.OUTBOX_BATCH_SIZE).toBe(7)
    })

    it('turns "true"/"false" into booleans', () => {
      const config = loadConfig({ TEMPORAL_TLS: 'true', OUTBOX_RELAY_ENABLED: 'false', LOG_PRETTY: 'false' })
      expect(config.TEMPORAL_TLS).toBe(true)
      expect(config.OUTBOX_RELAY_ENABLED).toBe(false)
      expect(config.LOG_PRETTY).toBe(false)
    })

    it('keeps strings as given', () => {
      const config = loadConfig({
        DATABASE_URL: 'postgresql://u:p@db:5432/leadwire',
        TEMPORAL_ADDRESS: 'temporal:7233',
        LOG_LEVEL: 'debug',
      })
      expect(config.DATABASE_URL).toBe('postgresql://u:p@db:5432/leadwire')
      expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233')
      expect(config.LOG_LEVEL).toBe('debug')
    })
  })

  describe('empty strings mean unset', () => {
    it('uses the default for a required key given as ""', () => {
      const config = loadConfig({ PORT: '', LOG_LEVEL: '', TEMPORAL_TLS: '', DATA_DIR: '' })
      expect(config.PORT).toBe(3000)
      expect(config.LOG_LEVEL).toBe('info')
      expect(config.TEMPORAL_TLS).toBe(false)
      expect(config.DATA_DIR).toBe(path.resolve('.data'))
    })

    it('leaves an optional key given as "" unset instead of failing its pattern', () => {
      const config = loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '', TEMPORAL_API_KEY: '' })
      expect(config.DATABASE_URL).toBeUndefined()
      expect(config.TEMPORAL_ADDRESS).toBeUndefined()
      expect(config.TEMPORAL_API_KEY).toBeUndefined()
    })

    it('treats undefined values as unset', () => {
      expect(loadConfig({ PORT: undefined }).PORT).toBe(3000)
    })
  })

  describe('bad values', () => {
    it('names PORT and says it must be an integer', () => {
      const err = configError({ PORT: 'abc' })
      expect(err.name).toBe('ConfigError')
      expect(err.message).toContain('PORT')
      expect(err.message).toMatch(/PORT must be integer/)
      expect(err.message).toContain('"abc"')
    })

    it('rejects a fractional or out-of-range port', () => {
      expect(configError({ PORT: '8080.5' }).message).toMatch(/PORT must be integer/)
      expect(configError({ PORT: '99999' }).message).toMatch(/PORT must be <= 65535/)
      expect(configError({ PORT: '-1' }).message).toMatch(/PORT must be >= 0/)
    })

    it('names LOG_LEVEL and lists every allowed value', () => {
      const err = configError({ LOG_LEVEL: 'loud' })
      expect(err.message).toContain('LOG_LEVEL')
      expect(err.message).toContain('"loud"')
      expect(err.message).toContain('fatal, error, warn, info, debug, trace, silent')
    })

    it('names DATABASE_URL and the postgres:// pattern it expects', () => {
      const err = configError({ DATABASE_URL: 'mysql://x' })
      expect(err.message).toContain('DATABASE_URL')
      expect(err.message).toContain('^postgres(ql)?://')
      expect(err.message).toContain('"mysql://x"')
    })

    it('rejects a boolean that is not "true" or "false"', () => {
      const err = configError({ TEMPORAL_TLS: 'maybe' })
      expect(err.message).toMatch(/TEMPORAL_TLS must be boolean/)
    })

    it('rejects values below a minimum', () => {
      expect(configError({ BODY_LIMIT_BYTES: '10' }).message).toMatch(/BODY_LIMIT_BYTES must be >= 1024/)
      expect(configError({ DATABASE_POOL_MAX: '0' }).message).toMatch(/DATABASE_POOL_MAX must be >= 1/)
    })

    it('rejects a TEMPORAL_ADDRESS without a port', () => {
      expect(configError({ TEMPORAL_ADDRESS: 'temporal' }).message).toContain('TEMPORAL_ADDRESS')
    })

    it('reports every bad value in one message', () => {
      const err = configError({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' })
      expect(err.message).toMatch(/^Invalid configuration: /)
      expect(err.message).toContain('PORT')
      expect(err.message).toContain('LOG_LEVEL')
      expect(err.message).toContain('DATABASE_URL')
      // One clause per variable, separated by "; ".
      expect(err.message.replace(/^Invalid configuration: /, '').split('; ')).toHaveLength(3)
    })
  })

  it('ignores variables it does not know', () => {
    const config = loadConfig({
      FOO: 'bar',
      PATH: '/usr/bin',
      port: 'not-the-same-key',
      DATABSE_URL: 'mysql://typo',
    })
    expect(config).not.toHaveProperty('FOO')
    expect(config).not.toHaveProperty('PATH')
    expect(config).not.toHaveProperty('port')
    expect(config).not.toHaveProperty('DATABSE_URL')
    expect(config.PORT).toBe(3000)
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('returns a frozen object', () => {
    const config = loadConfig({ PORT: '8080' })
    expect(Object.isFrozen(config)).toBe(true)
    expect(() => {
      ;(config as { PORT: number }).PORT = 1
    }).toThrow(TypeError)
    expect(config.PORT).toBe(8080)
  })
})
