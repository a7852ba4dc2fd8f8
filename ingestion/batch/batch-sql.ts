import type { ColumnRow, SqlType } from '../persist.js'

/*
 * Multi-row writes for the batch path: a thousand rows cost one statement, with one parameter
 * per column (text arrays unnested and cast back) or one JSON document for JSON-heavy rows.
 * Column lists come from the code; no value is ever interpolated into SQL.
 */

/**
 * A PostgreSQL array literal of text elements (`{"a","b",NULL}`), each quoted and escaped, to
 * send a whole array as ONE text parameter cast with `::text[]`. The server parses it exactly
 * as it parses the array a driver would send; the client skips the per-element parameter
 * handling, which for a batch's tens of thousands of values costs more than the query.
 */
export function textArray(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`
}

/** One column's value as the text PostgreSQL casts back to the column's type. */
function asText(value: unknown, type: SqlType): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (type === 'jsonb') return typeof value === 'string' ? value : JSON.stringify(value)
  if (type === 'text[]') return textArray(value as unknown[])
  return String(value)
}

/**
 * An INSERT of many rows as one text array per column, cast back in SQL:
 * `INSERT INTO t (a, b) SELECT c0::uuid, c1::int FROM unnest($1::text[], $2::text[]) AS u(c0, c1)`.
 * For rows of mostly short text (a lead) this is PostgreSQL's cheapest way in short of COPY:
 * it parses one flat array per column instead of a JSON document per row. `firstParam`
 * numbers the parameters when the INSERT is one part of a larger statement.
 */
export function unnestInsert(
  table: string,
  rows: readonly ColumnRow[],
  firstParam = 1,
): { sql: string; params: string[] } {
  const first = rows[0]
  if (!first) throw new Error('unnestInsert needs at least one row')
  const params = first.map((_, c) => textArray(rows.map((row) => asText(row[c]![1], row[c]![2]))))
  const names = first.map(([name]) => `"${name}"`).join(', ')
  const casts = first.map(([, , type], c) => `c${c}::${type}`).join(', ')
  const args = first.map((_, c) => `$${firstParam + c}::text[]`).join(', ')
  const aliases = first.map((_, c) => `c${c}`).join(', ')
  return {
    sql: `INSERT INTO ${table} (${names}) SELECT ${casts} FROM unnest(${args}) AS u(${aliases})`,
    params,
  }
}
