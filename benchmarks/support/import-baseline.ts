import pg from 'pg'
import { readCsv } from '../../connectors/import/read-csv.js'
import { isRowError } from '../../connectors/import/sheet-row.js'

export interface ImportBaseline {
  rows: number
  seconds: number
  perSecond: number
}

/**
 * The bare ceiling for loading this file: the same CSV read by the same streaming reader,
 * its rows written as they are with plain multi-row INSERTs (`batch` rows per statement,
 * each statement its own transaction) into a scratch table with one text column per file
 * column. No checks, no dedupe, no lead, no index. The table is dropped afterwards.
 */
export async function runImportBaseline(options: {
  url: string
  file: string
  columns: number
  batch: number
}): Promise<ImportBaseline> {
  const client = new pg.Client({ connectionString: options.url })
  await client.connect()
  const cols = Array.from({ length: options.columns }, (_, i) => `c${i + 1}`)
  try {
    await client.query('DROP TABLE IF EXISTS import_baseline')
    await client.query(
      `CREATE TABLE import_baseline (row_number int NOT NULL, ${cols.map((c) => `${c} text`).join(', ')})`,
    )
    const width = options.columns + 1
    let pending: unknown[] = []
    let count = 0
    let rows = 0
    const flush = async () => {
      if (count === 0) return
      const tuples = Array.from(
        { length: count },
        (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(',')})`,
      )
      await client.query(`INSERT INTO import_baseline VALUES ${tuples.join(',')}`, pending)
      rows += count
      pending = []
      count = 0
    }
    const started = performance.now()
    let header = true
    for await (const item of readCsv(options.file)) {
      if (isRowError(item)) continue
      if (header) {
        header = false
        continue
      }
      pending.push(item.rowNumber)
      for (let c = 0; c < options.columns; c++) pending.push(item.cells[c] ?? null)
      if (++count >= options.batch) await flush()
    }
    await flush()
    const seconds = (performance.now() - started) / 1000
    return { rows, seconds, perSecond: rows / seconds }
  } finally {
    await client.query('DROP TABLE IF EXISTS import_baseline').catch(() => undefined)
    await client.end()
  }
}
