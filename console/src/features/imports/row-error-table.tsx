import type { RowError } from './import.types'

/** Row errors, one line per problem: the file's row number, its column, the lead field, the message. */
export function RowErrorTable({
  rows,
  columns,
}: {
  rows: readonly RowError[]
  /** The file's columns in their order, when known (a stored row keeps no order). */
  columns?: readonly string[] | undefined
}) {
  // Each value with its column: "Email: not-an-email", in the file's order when known.
  const asRead = (raw: Record<string, string>) => {
    const order = columns ?? Object.keys(raw)
    return order
      .filter((c) => (raw[c] ?? '') !== '')
      .map((c) => `${c}: ${raw[c]}`)
      .join(' · ')
  }
  return (
    <div className="im-table-scroll">
      <table className="table im-row-errors">
        <thead>
          <tr>
            <th scope="col" className="num">
              Row
            </th>
            <th scope="col">Column</th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
            <th scope="col">Row as read</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((row) =>
            row.errors.map((e, i) => (
              <tr key={`${row.rowNumber}-${i}`} data-row={row.rowNumber}>
                <td className="num">{row.rowNumber}</td>
                <td>{e.column ?? <span className="muted">—</span>}</td>
                <td>{e.field ?? <span className="muted">—</span>}</td>
                <td>{e.message}</td>
                <td className="small muted im-raw-row">
                  {row.raw ? asRead(row.raw) : 'The line could not be read.'}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  )
}
