import type { Connection } from '@temporalio/client'
import type { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common'
import { temporal } from '@temporalio/proto'

type Key = ReturnType<typeof defineSearchAttributeKey<SearchAttributeType>>
const Indexed = temporal.api.enums.v1.IndexedValueType

const INDEXED: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: Indexed.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: Indexed.INDEXED_VALUE_TYPE_KEYWORD,
  INT: Indexed.INDEXED_VALUE_TYPE_INT,
  DOUBLE: Indexed.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: Indexed.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: Indexed.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: Indexed.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}

/**
 * Registers search attributes on a namespace through the operator service (what the dev
 * server's --search-attribute flag does at start). Attributes that exist are left alone.
 */
export async function registerSearchAttributes(
  connection: Connection,
  namespace: string,
  keys: readonly Key[],
): Promise<void> {
  // The time-skipping test server implements add but not list: then add them all.
  const known = await connection.operatorService.listSearchAttributes({ namespace }).then(
    (existing) => new Set(Object.keys({ ...existing.customAttributes, ...existing.systemAttributes })),
    () => new Set<string>(),
  )
  const missing = keys.filter((k) => !known.has(k.name))
  if (missing.length === 0) return
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED[k.type]])),
  })
}
