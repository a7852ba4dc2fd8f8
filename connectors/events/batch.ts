import type { ConnectorContext } from '../sdk/connector.js'
import { refusal } from './handle.js'
import type { ItemCheck } from './item-validation.js'
import type { BatchOutcome, ItemOutcome } from './schemas.js'

export type Handle<T> = (
  ctx: ConnectorContext,
  item: T,
  base: string,
  requestId: string,
) => Promise<ItemOutcome>
export type ItemChecker<T> = (value: unknown, pointer: string) => ItemCheck<T>

/**
 * A batch, item by item: each one is checked and captured on its own, as its own delivery
 * (its own transaction), so one bad item is reported and the others are still captured.
 * In order, one at a time: a batch must not take every database connection. An unexpected
 * failure (a 5xx) stops the batch and fails the request; the sender's retry then replays
 * the items already done (their delivery keys answer with the first result).
 */
export async function runBatch<T>(
  ctx: ConnectorContext,
  items: readonly unknown[],
  check: ItemChecker<T>,
  handle: Handle<T>,
  requestId: string,
): Promise<BatchOutcome> {
  const results: ItemOutcome[] = []
  for (const [index, value] of items.entries()) {
    const base = `/body/items/${index}`
    const checked = check(value, base)
    if (!checked.ok) {
      results.push({
        index,
        ok: false,
        status: 422,
        code: 'validation_failed',
        detail: 'The item does not match the schema.',
        errors: checked.errors,
      })
      continue
    }
    try {
      results.push({ index, ...(await handle(ctx, checked.item, base, requestId)) })
    } catch (err) {
      results.push({ index, ...refusal(err) })
    }
  }
  const accepted = results.filter((r) => r.ok).length
  return { accepted, refused: results.length - accepted, results }
}
