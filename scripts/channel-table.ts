// Prints the README's table of capture channels from the connectors' manifests:
// `npx tsx scripts/channel-table.ts`. Paste it between the channel-table markers in README.md;
// tests/unit/platform/readme-config.test.ts fails when the two differ.
import { pathToFileURL } from 'node:url'
import { ALL_CONNECTORS } from '../connectors/registry.js'
import type { ConnectorManifest } from '../connectors/sdk/connector.js'
import { cell, markdownTable } from './markdown-table.js'

/** Inbound endpoints in full; the admin API (under /v1/) by its root only, where it is set up. */
function endpointsCell(m: ConnectorManifest): string {
  const inbound = m.endpoints.filter((e) => !e.path.startsWith('/v1/'))
  // Where a person goes to set the channel up: the shortest GET (a collection such as
  // `/v1/forms`, or WhatsApp's pairing page), not an action such as logout.
  const admin = m.endpoints.filter((e) => e.path.startsWith('/v1/') && e.method === 'GET').map((e) => e.path)
  const lines = inbound.map((e) => `\`${e.method} ${e.path}\` (${e.auth})`)
  if (admin.length) lines.push(`set up at \`${admin.reduce((a, b) => (b.length < a.length ? b : a))}\``)
  return lines.join('<br>') || 'none'
}

export function renderChannelTable(): string {
  const rows = [
    ['Channel', 'Connector', 'Endpoints', 'Settings', 'Delivery key (exactly once)'],
    ...ALL_CONNECTORS.map(({ manifest: m }) => [
      cell(`${m.title} (${m.kind})`),
      `\`${m.id}\``,
      cell(endpointsCell(m)),
      cell(
        m.settings
          .map((s) => `\`${s.key}\`${s.required ? ' (required)' : ''}${s.secret ? ' (secret)' : ''}`)
          .join('<br>') || 'none',
      ),
      cell(m.deliveryKey),
    ]),
  ]
  return markdownTable(rows)
}

const entry = process.argv[1]
if (entry && import.meta.url === pathToFileURL(entry).href) {
  process.stdout.write(`${renderChannelTable()}\n`)
}
