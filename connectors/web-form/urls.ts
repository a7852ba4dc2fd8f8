import type { Config } from '../../platform/config.js'

/** Where callers reach this API: PUBLIC_BASE_URL, else the address it listens on. No trailing slash. */
export function publicBaseUrl(config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL.replace(/\/+$/, '')
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST
  return `http://${host}:${config.PORT}`
}

export interface FormUrls {
  /** Where the form posts (and the hosted page, on GET). */
  action: string
  scriptUrl: string
  hostedUrl: string
}

export function formUrls(baseUrl: string, formId: string): FormUrls {
  const action = `${baseUrl}/f/${encodeURIComponent(formId)}`
  return { action, scriptUrl: `${action}/embed.js`, hostedUrl: action }
}
