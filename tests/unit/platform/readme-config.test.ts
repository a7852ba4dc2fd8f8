import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONFIG_KEYS } from '../../../platform/config.js'
import { renderConfigTable } from '../../../scripts/config-table.js'

// The README's configuration table is generated from platform/config.ts: a variable added,
// renamed or given a new default there must show up in the docs, or this fails.

const START = '<!-- config-table:start -->'
const END = '<!-- config-table:end -->'

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')

function readmeTable(): string {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`)
  return readme.slice(start + START.length, end)
}

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
