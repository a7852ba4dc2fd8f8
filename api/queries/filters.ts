/** A case-insensitive "contains" over several text columns, or no condition when `q` is absent. */
export function textContains(q: string | undefined, fields: readonly string[]): Record<string, unknown> {
  if (!q) return {}
  return { OR: fields.map((f) => ({ [f]: { contains: q, mode: 'insensitive' } })) }
}
