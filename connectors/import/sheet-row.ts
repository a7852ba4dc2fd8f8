/** One row of a spreadsheet as read: its row number in the file and its cells as text. */
export interface SheetRow {
  /** 1-based, as a spreadsheet program shows it (the header is usually row 1). */
  rowNumber: number
  cells: string[]
}

/** A row the reader could not read (a broken quote in a CSV line): reported, not fatal. */
export interface SheetRowError {
  rowNumber: number
  error: string
}

export type SheetItem = SheetRow | SheetRowError

export const isRowError = <T extends object>(item: T | SheetRowError): item is SheetRowError =>
  'error' in item

/** Bytes of the file consumed so far: progress for files whose row count is not known yet. */
export interface ReadProgress {
  bytesRead: number
}

/** The file cannot be read as the format it claims (binary garbage, a broken zip...). */
export class ImportFileError extends Error {
  override name = 'ImportFileError'
}
