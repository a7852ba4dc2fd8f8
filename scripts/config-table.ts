// Prints the README's configuration table from platform/config.ts, the one place settings
// are defined: `npx tsx scripts/config-table.ts`. Paste the output between the
// config-table markers in README.md; tests/unit/platform/readme-config.test.ts fails when
// the two differ.
import { pathToFileURL } from 'node:url'
import { ConfigSchema } from '../platform/config.js'
import { cell, markdownTable } from './markdown-table.js'

interface PropertySchema {
  default?: unknown
  description?: string
}

function defaultOf(name: string, schema: PropertySchema, required: ReadonlySet<string>): string {
  if (schema.default !== undefined) return `\`${String(schema.default)}\``
  return required.has(name) ? 'required' : 'unset'
}

/**
 * The table of every variable ConfigSchema reads: name, default, description. Columns are
 * padded the way Prettier pads Markdown tables, so pasted output passes `npm run lint`.
 */
export function renderConfigTable(): string {
  const required = new Set<string>(ConfigSchema.required ?? [])
  const properties = ConfigSchema.properties as Record<string, PropertySchema>
  const rows = [
    ['Variable', 'Default', 'Description'],
    ...Object.entries(properties).map(([name, schema]) => [
      `\`${name}\``,
      cell(defaultOf(name, schema, required)),
      cell(schema.description ?? ''),
    ]),
  ]
  return markdownTable(rows)
}

const entry = process.argv[1]
if (entry && import.meta.url === pathToFileURL(entry).href) {
  process.stdout.write(`${renderConfigTable()}\n`)
}
