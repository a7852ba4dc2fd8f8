import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { parse, type CsvError, type Options } from 'csv-parse'
import { ImportFileError, type ReadProgress, type SheetItem } from './sheet-row.js'

const SNIFF_BYTES = 64 * 1024
const DELIMITERS = [',', ';', '\t', '|'] as const

/**
 * The delimiter of the first line: Excel in most of Europe (and some Indian locales) saves
 * "CSV" with semicolons, and exports from other tools use tabs or pipes. Counted outside
 * quotes; a comma wins ties.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]))
  let quoted = false
  for (const ch of text.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if ([...counts.values()].some((n) => n > 0)) break
    } else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1)
  }
  let best: string = ','
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d
  return best
}

/** The start of the file, to sniff it and to refuse binary content before parsing. */
export async function readHead(path: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const file = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await file.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await file.close()
  }
}

/** A NUL byte never occurs in UTF-8 text: the file is a binary (a zip, an image, an old .xls). */
export function looksBinary(head: Buffer): boolean {
  return head.includes(0)
}

/**
 * Streams a CSV file's rows (csv-parse; memory stays flat whatever the file's size). A
 * UTF-8 byte-order mark is dropped, the delimiter is sniffed, rows may have fewer or more
 * cells than the header, a stray quote inside a cell is kept as text (hand-edited sheets
 * have `5" screen`), empty lines are skipped. A record that still cannot be parsed (a quote
 * never closed) is yielded as a row error and reading goes on.
 *
 * Row numbers are what a spreadsheet program shows for the file: records and empty lines
 * each count one row, a cell spanning lines does not add rows. (csv-parse's own line counter
 * counts CR and LF apart inside quoted cells of CRLF files, so it cannot be used.)
 */
export async function* readCsv(path: string, progress?: ReadProgress): AsyncGenerator<SheetItem> {
  const head = await readHead(path)
  if (looksBinary(head)) throw new ImportFileError('The file is not a text CSV file (it holds binary data).')
  const pending: SheetItem[] = []
  let skipped = 0
  const input = createReadStream(path)
  // Typed with the row shape on_record returns; csv-parse's overloads only accept a record
  // transform that keeps string[] unless `columns` is set, hence the widening below.
  const options: Options<{ rowNumber: number; cells: string[] }, string[]> = {
    bom: true,
    delimiter: sniffDelimiter(head.toString('utf8')),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: { records: number; empty_lines: number }) => ({
      rowNumber: context.records + context.empty_lines + skipped,
      cells: record,
    }),
    on_skip: (err: CsvError | undefined) => {
      const at = err as unknown as { records?: number; empty_lines?: number } | undefined
      skipped++
      pending.push({
        rowNumber: (at?.records ?? 0) + (at?.empty_lines ?? 0) + skipped,
        error: err?.message ?? 'The line could not be read.',
      })
      return undefined
    },
  }
  const parser = parse(options as unknown as Options)
  try {
    // The parser meets an error before the rows after it are read from it: keep file order.
    for await (const row of input.pipe(parser) as AsyncIterable<{ rowNumber: number; cells: string[] }>) {
      if (progress) progress.bytesRead = input.bytesRead
      while (pending.length > 0 && pending[0]!.rowNumber < row.rowNumber) yield pending.shift()!
      yield row
    }
    while (pending.length > 0) yield pending.shift()!
    if (progress) progress.bytesRead = input.bytesRead
  } finally {
    input.destroy()
  }
}
