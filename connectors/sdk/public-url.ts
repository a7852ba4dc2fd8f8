import type { Config } from '../../platform/config.js'

/**
 * Where callers reach this API (form pages, unsubscribe links, Twilio's signed callbacks):
 * PUBLIC_BASE_URL, else the address it listens on. No trailing slash.
 */
export function publicBaseUrl(config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL.replace(/\/+$/, '')
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST
  return `http://${host}:${config.PORT}`
}
