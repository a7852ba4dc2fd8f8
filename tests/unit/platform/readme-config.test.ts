import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONFIG_KEYS } from '../../../platform/config.js'
import { ALL_CONNECTORS } from '../../../connectors/registry.js'
import { renderChannelTable } from '../../../scripts/channel-table.js'
import { renderConfigTable } from '../../../scripts/config-table.js'

// The README's configuration table is generated from platform/config.ts: a variable added,
// renamed or given a new default there must show up in the docs, or this fails.

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')

/** The text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
function readmeBlock(name: string): string {
  const [startMark, endMark] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`]
  const start = readme.indexOf(startMark)
  const end = readme.indexOf(endMark)
  if (start === -1 || end === -1 || end < start)
    throw new Error(`README.md has no ${startMark} ... ${endMark} block`)
  return readme.slice(start + startMark.length, end)
}
const readmeTable = () => readmeBlock('config-table')

/**
 * A table as rows of trimmed cells. Prettier may pad cells to align the columns (or not,
 * when the table is wide); the content is what must match.
 */
function cells(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^:?-{3,}:?$/, '---')),
    )
}

describe('README.md configuration table', () => {
  it('equals what `npx tsx scripts/config-table.ts` generates from ConfigSchema', () => {
    expect(cells(readmeTable()), 'run `npx tsx scripts/config-table.ts` and paste the output').toEqual(
      cells(renderConfigTable()),
    )
  })

  it('lists every variable platform/config.ts reads', () => {
    const listed = cells(readmeTable())
      .slice(2)
      .map((row) => row[0]?.replace(/`/g, ''))
    expect(listed).toEqual([...CONFIG_KEYS])
  })
})

describe('README.md channel table', () => {
  it("equals what `npx tsx scripts/channel-table.ts` generates from the connectors' manifests", () => {
    expect(
      cells(readmeBlock('channel-table')),
      'run `npx tsx scripts/channel-table.ts` and paste the output',
    ).toEqual(cells(renderChannelTable()))
  })

  it('names every connector, and each connector names its delivery key', () => {
    const ids = cells(readmeBlock('channel-table'))
      .slice(2)
      .map((row) => row[1]?.replace(/`/g, ''))
    expect(ids).toEqual(ALL_CONNECTORS.map((c) => c.manifest.id))
    for (const c of ALL_CONNECTORS) expect(c.manifest.deliveryKey, c.manifest.id).not.toBe('')
  })
})
