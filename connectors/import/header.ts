/*
 * Finding the header row of a spreadsheet people made by hand: exports often start with a
 * title ("Expo leads, Nov 2026"), a blank line or a note before the real column names.
 * Pure; the readers feed it the first rows of the file.
 */

/** How many leading rows are searched for the header. */
export const HEADER_SEARCH_ROWS = 20

const filled = (cells: readonly string[]) => cells.filter((c) => c.trim() !== '').length

// A cell that is data, not a label: an email address, a phone-like or numeric value, a date.
const DATA_CELL = /@|^[+\d][\d\s().-]{5,}$|^\d+([.,]\d+)?$|^\d{1,4}[/-]\d{1,2}[/-]\d{1,4}/

/**
 * Index of the header row among `rows` (the file's first rows, as read), or -1 when they are
 * all empty. The header is the first row that fills most of the widest row's columns (at
 * least 60%, and two cells when the file has more than one column) and holds no cell that
 * looks like data (an email, a phone number, a number, a date). A file whose rows all look
 * like data falls back to its first non-empty row, so that the mapping step can show it.
 */
export function detectHeaderRow(rows: readonly (readonly string[])[]): number {
  const scanned = rows.slice(0, HEADER_SEARCH_ROWS)
  const widest = Math.max(0, ...scanned.map(filled))
  if (widest === 0) return -1
  const needed = widest === 1 ? 1 : Math.max(2, Math.ceil(widest * 0.6))
  const found = scanned.findIndex(
    (cells) => filled(cells) >= needed && cells.every((c) => c.trim() === '' || !DATA_CELL.test(c.trim())),
  )
  return found >= 0 ? found : scanned.findIndex((cells) => filled(cells) > 0)
}

/**
 * Column names from the header row: trimmed, blanks named "Column <n>" (1-based), repeats
 * numbered ("Phone", "Phone (2)") so every column has its own key in a record.
 */
export function headerNames(cells: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return cells.map((cell, i) => {
    const base = cell.replace(/\s+/g, ' ').trim() || `Column ${i + 1}`
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1
    seen.set(base.toLowerCase(), n)
    return n === 1 ? base : `${base} (${n})`
  })
}

/** A data row as header → value; cells beyond the header are ignored, missing ones are ''. */
export function toRecord(headers: readonly string[], cells: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {}
  headers.forEach((h, i) => {
    record[h] = cells[i] ?? ''
  })
  return record
}
