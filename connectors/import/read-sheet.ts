import { detectHeaderRow, HEADER_SEARCH_ROWS, headerNames, toRecord } from './header.js'
import { readCsv } from './read-csv.js'
import { readXlsx } from './read-xlsx.js'
import {
  isRowError,
  type ReadProgress,
  type SheetItem,
  type SheetRow,
  type SheetRowError,
} from './sheet-row.js'

export const IMPORT_FORMATS = ['csv', 'xlsx'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/** A data row: its row number in the file and its cells by column name. */
export interface ImportRecord {
  rowNumber: number
  record: Record<string, string>
}

export interface OpenSheet {
  /** Column names from the detected header row ([] for a file without any content). */
  headers: string[]
  headerRow: number | null
  /** The data rows after the header, in file order; unreadable rows come as row errors. */
  rows: AsyncGenerator<ImportRecord | SheetRowError>
  progress: ReadProgress
  /** Stops reading (closes the file) when the caller is done before the end. */
  close(): Promise<void>
}

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '')

/**
 * Opens an uploaded file, finds its header row among the first rows and hands back a
 * stream of records. Only those first rows are ever held in memory.
 */
export async function openSheet(path: string, format: ImportFormat): Promise<OpenSheet> {
  const progress: ReadProgress = { bytesRead: 0 }
  const items = format === 'csv' ? readCsv(path, progress) : readXlsx(path, progress)
  const buffered: SheetItem[] = []
  let rowsSeen = 0
  while (rowsSeen < HEADER_SEARCH_ROWS) {
    const next = await items.next()
    if (next.done) break
    buffered.push(next.value)
    if (!isRowError(next.value)) rowsSeen++
  }
  const candidates = buffered.filter((i): i is SheetRow => !isRowError(i))
  const headerIndex = detectHeaderRow(candidates.map((r) => r.cells))
  const headerRow = headerIndex >= 0 ? candidates[headerIndex]! : null
  const cells = headerRow ? [...headerRow.cells] : []
  while (cells.length > 0 && cells[cells.length - 1]!.trim() === '') cells.pop()
  const headers = headerNames(cells)

  async function* rows(): AsyncGenerator<ImportRecord | SheetRowError> {
    const emit = (item: SheetItem): ImportRecord | SheetRowError | null => {
      if (isRowError(item)) return item
      if (!headerRow || item.rowNumber <= headerRow.rowNumber || isBlank(item.cells)) return null
      return { rowNumber: item.rowNumber, record: toRecord(headers, item.cells) }
    }
    for (const item of buffered) {
      const out = emit(item)
      if (out) yield out
    }
    for await (const item of items) {
      const out = emit(item)
      if (out) yield out
    }
  }

  return {
    headers,
    headerRow: headerRow?.rowNumber ?? null,
    rows: rows(),
    progress,
    close: async () => {
      await items.return(undefined)
    },
  }
}
