/** Markdown table cells may not contain a raw pipe or a line break. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}

/** A table padded the way Prettier pads Markdown tables, so pasted output passes `npm run lint`. */
export function markdownTable(rows: string[][]): string {
  const columns = rows[0]?.length ?? 0
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(3, ...rows.map((row) => row[i]?.length ?? 0)),
  )
  const line = (row: string[]) => `| ${row.map((text, i) => text.padEnd(widths[i] ?? 0)).join(' | ')} |`
  const [header = [], ...body] = rows
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}
