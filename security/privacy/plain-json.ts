/**
 * A database row as plain JSON: bigints and decimals as strings (JSON numbers would lose
 * digits), dates as ISO 8601. The export hands the person their data in a form any tool
 * reads, and the serializer never meets a type it cannot write.
 */
export function plainJson(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(plainJson)
  if (typeof value === 'object') {
    // Prisma.Decimal, without importing the generated client into a pure helper.
    if ('toFixed' in value && 'isZero' in value) return String(value)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]))
  }
  return value
}

/** Rows as plain JSON objects. */
export const plainRows = (rows: readonly object[]): Record<string, unknown>[] =>
  rows.map((r) => plainJson(r) as Record<string, unknown>)
