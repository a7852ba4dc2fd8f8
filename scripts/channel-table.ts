// Prints the README's table of capture channels from the connectors' manifests:
// `npx tsx scripts/channel-table.ts`. Paste it between the channel-table markers in README.md;
// tests/unit/platform/readme-config.test.ts fails when the two differ.
import { pathToFileURL } from 'node:url'
import { ALL_CONNECTORS } from '../connectors/registry.js'
import { cell, markdownTable } from './markdown-table.js'

export function renderChannelTable(): string {
  const rows = [
    ['Channel', 'Connector', 'Endpoints', 'Settings', 'Delivery key (exactly once)'],
    ...ALL_CONNECTORS.map(({ manifest: m }) => [
      cell(`${m.title} (${m.kind})`),
      `\`${m.id}\``,
      cell(m.endpoints.map((e) => `\`${e.method} ${e.path}\` (${e.auth})`).join('<br>') || 'none'),
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
