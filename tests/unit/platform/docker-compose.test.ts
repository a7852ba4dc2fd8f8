import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../../platform/config.js'

// The reference production deployment must only hand the app variables that
// platform/config.ts reads: a misspelt key (DATABSE_URL) would be silently ignored at run
// time and the process would fall back to an embedded PostgreSQL inside its container.

interface ComposeService {
  environment?: Record<string, unknown> | string[]
  deploy?: { replicas?: unknown }
}

interface ComposeFile {
  services: Record<string, ComposeService>
}

const composeText = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8')
// merge: true resolves the `<<: *leadwire-env` merge keys.
const compose = parse(composeText, { merge: true }) as ComposeFile

const APP_SERVICES = ['api', 'worker', 'migrate'] as const

/** A service's environment as a map; compose also allows the `- KEY=value` list form. */
function environmentOf(name: string): Record<string, string> {
  const service = compose.services[name]
  if (!service) throw new Error(`docker-compose.yml has no service "${name}"`)
  const env = service.environment ?? {}
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=')
        return eq === -1 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)]
      }),
    )
  }
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]),
  )
}

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g

/**
 * What compose would pass with the variables set: `${VAR:-default}` becomes its default,
 * `${VAR:?message}` and `${VAR}` a sample value (URL-safe, like the documented passwords).
 */
function interpolate(value: string): string {
  return value
    .replace(
      INTERPOLATION,
      (_match, _name: string, operator: string | undefined, operand: string | undefined) =>
        operator?.endsWith('-') ? (operand ?? '') : 'sample0secret0long0enough0for0signing0keys',
    )
    .replace(/\$\$/g, '$')
}

/** True when the whole value is a single `${VAR}` / `${VAR:?message}` reference (no default). */
function isRequiredInterpolation(value: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*)?\}$/.test(value)
}

describe('docker-compose.yml', () => {
  it('defines the app services', () => {
    for (const name of APP_SERVICES) expect(compose.services, name).toHaveProperty(name)
  })

  it.each(APP_SERVICES)('%s only sets variables that platform/config.ts reads', (name) => {
    const unknown = Object.keys(environmentOf(name)).filter((key) => !CONFIG_KEYS.includes(key))
    expect(unknown, `not in CONFIG_KEYS: ${unknown.join(', ')}`).toEqual([])
  })

  it.each(['api', 'worker'])('%s points at external PostgreSQL and Temporal, not embedded ones', (name) => {
    const env = environmentOf(name)
    expect(env['DATABASE_URL'], 'DATABASE_URL').toBeTruthy()
    expect(env['TEMPORAL_ADDRESS'], 'TEMPORAL_ADDRESS').toBeTruthy()
  })

  it.each(APP_SERVICES)('%s has an environment that passes loadConfig()', (name) => {
    const env = Object.fromEntries(
      Object.entries(environmentOf(name)).map(([key, value]) => [key, interpolate(value)]),
    )
    let config
    try {
      config = loadConfig(env)
    } catch (err) {
      // Surface the ConfigError message (it names the variable) as the failure.
      if (err instanceof ConfigError) expect.fail(`${name}: ${err.message}`)
      throw err
    }
    if (env['DATABASE_URL']) expect(config.DATABASE_URL).toBe(env['DATABASE_URL'])
    if (env['TEMPORAL_ADDRESS']) expect(config.TEMPORAL_ADDRESS).toBe(env['TEMPORAL_ADDRESS'])
  })

  it('the api listens on all interfaces of its container', () => {
    expect(environmentOf('api')['HOST']).toBe('0.0.0.0')
  })

  it('no service hard-codes a password', () => {
    const offenders: string[] = []
    for (const name of Object.keys(compose.services)) {
      for (const [key, value] of Object.entries(environmentOf(name))) {
        // ${VAR:-default} would be a hard-coded password in disguise: only required references pass.
        if (/PASSWORD|PWD/i.test(key) && !isRequiredInterpolation(value)) offenders.push(`${name}.${key}`)
        // Credentials inside connection URLs: scheme://user:password@host
        for (const [, password] of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]*)@/gi)) {
          if (!isRequiredInterpolation(password ?? '')) offenders.push(`${name}.${key} (password in URL)`)
        }
      }
    }
    expect(offenders).toEqual([])
  })

  it('runs more than one worker replica', () => {
    expect(Number(compose.services['worker']?.deploy?.replicas)).toBeGreaterThan(1)
  })
})
