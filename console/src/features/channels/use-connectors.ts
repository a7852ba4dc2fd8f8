import { useQuery } from '@tanstack/react-query'
import { api } from '../../api/client'
import type { Connector, ConnectorList } from './channel.types'

export const CONNECTORS_KEY = ['connectors'] as const

/** Every connector's health; refreshed every 30 s while the page is open (last mail, last call). */
export function useConnectors() {
  return useQuery({
    queryKey: CONNECTORS_KEY,
    queryFn: ({ signal }) => api<ConnectorList>('/v1/connectors', { signal }),
    refetchInterval: 30_000,
  })
}

export function connectorById(list: ConnectorList | undefined, id: string): Connector | undefined {
  return list?.items.find((c) => c.id === id)
}

/** The required settings a connector still lacks. */
export function missingSettings(connector: Connector): string[] {
  return connector.settings.filter((s) => s.required && !s.set).map((s) => s.key)
}

/**
 * Why a connector is on or off, in words: "Off: set IMAP_HOST and IMAP_USER." A
 * configured connector that is off was listed in CONNECTORS_DISABLED.
 */
export function whyOff(connector: Connector): string | null {
  if (connector.enabled) return null
  const missing = missingSettings(connector)
  if (!connector.configured && missing.length > 0)
    return `Off until ${listOf(missing)} ${missing.length === 1 ? 'is' : 'are'} set in the API's environment.`
  return "Off: turned off by CONNECTORS_DISABLED in the API's environment."
}

export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info'

/** A connector's health as a badge: words a marketer reads, a tone that is not the only signal. */
export function statusBadge(connector: Connector): { tone: Tone; text: string } {
  if (!connector.enabled) return { tone: 'neutral', text: 'Off' }
  switch (connector.status) {
    case 'connected':
      return { tone: 'good', text: 'Connected' }
    case 'pairing':
      return { tone: 'warn', text: 'Waiting for pairing' }
    case 'starting':
      return { tone: 'info', text: 'Starting' }
    case 'reconnecting':
      return { tone: 'warn', text: 'Reconnecting' }
    case 'disconnected':
      return { tone: 'bad', text: 'Disconnected' }
    case 'error':
      return { tone: 'bad', text: 'Error' }
    default:
      // idle: a webhook or file connector that is on and waits for its callers.
      return { tone: 'good', text: 'On' }
  }
}
