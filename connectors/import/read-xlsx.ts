import { createReadStream } from 'node:fs'
import ExcelJS from 'exceljs'
import { ImportFileError, type ReadProgress, type SheetItem } from './sheet-row.js'

const pad = (n: number) => String(n).padStart(2, '0')

/** A cell's value as the text a person sees in it. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return ''
    // Excel stores dates without a zone; exceljs reads them as UTC. A date without a time reads as a date.
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`
    return value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() === 0
      ? date
      : value.toISOString()
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>
    if (Array.isArray(v['richText']))
      return (v['richText'] as { text?: string }[]).map((r) => r.text ?? '').join('')
    if ('result' in v) return cellText(v['result'])
    if ('formula' in v || 'sharedFormula' in v || 'error' in v) return ''
    if (typeof v['text'] === 'string') return v['text']
  }
  return String(value)
}

/**
 * Streams the first worksheet's rows with exceljs's streaming reader (shared strings are
 * cached, styles only so that dates read as dates). `row.values` is 1-based with holes for
 * empty cells; rows that are entirely empty are not emitted by the reader at all.
 */
export async function* readXlsx(path: string, progress?: ReadProgress): AsyncGenerator<SheetItem> {
  const input = createReadStream(path)
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  })
  try {
    let sheets = 0
    for await (const sheet of workbook) {
      sheets++
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (progress) progress.bytesRead = input.bytesRead
        const values = row.values as unknown[]
        const cells: string[] = []
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim())
        yield { rowNumber: row.number, cells }
      }
      break // the first sheet is the import; the others are notes, pivots, lookups
    }
    if (sheets === 0) throw new ImportFileError('The workbook has no worksheet.')
    if (progress) progress.bytesRead = input.bytesRead
  } catch (err) {
    if (err instanceof ImportFileError) throw err
    throw new ImportFileError(`The file is not a readable XLSX workbook (${(err as Error).message}).`)
  } finally {
    input.destroy()
  }
}
