import { createHash } from 'node:crypto'
import type { Prisma } from '../generated/prisma/client.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { DomainRuleError } from '../platform/errors.js'

/** Canonical JSON (sorted keys) so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export interface IdempotencyClaim<T> {
  /** The answer stored for an earlier request with this key, or undefined when this request runs. */
  earlier: T | undefined
  /** Stores this request's answer for later retries (same transaction). */
  remember(response: T): Promise<void>
}

const hashOf = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex')

/**
 * Answers a retry of a request that has completed, without a transaction: one statement
 * counts the replay and returns the stored answer. Undefined when the key is new, still in
 * flight, or reused with another body: the caller then claims it in its transaction
 * (claimIdempotencyKey), which waits for the first request or refuses the other body.
 */
export async function replayIdempotencyKey<T>(
  db: Db,
  scope: string,
  key: string,
  body: unknown,
  at: Date,
): Promise<T | undefined> {
  const [earlier] = await db.$queryRaw<{ response: T }[]>`
    UPDATE idempotency_key SET replays = replays + 1, last_replay_at = ${at}
     WHERE scope = ${scope} AND key = ${key} AND status_code <> 0 AND request_hash = ${hashOf(body)}
    RETURNING response`
  return earlier?.response
}

/**
 * Claims an Idempotency-Key as the first write of the caller's transaction. A concurrent
 * retry with the same key waits on the claim for that transaction, then reads its stored
 * answer instead of doing the work twice, and is counted in `replays` by the same
 * statement (so a retry is never answered without being counted, nor counted twice); the
 * same key with another body is refused, and the rollback of that refusal uncounts it.
 */
export async function claimIdempotencyKey<T>(
  tx: Tx,
  scope: string,
  key: string,
  body: unknown,
  at: Date,
): Promise<IdempotencyClaim<T>> {
  const hash = hashOf(body)
  const claimed = await tx.$queryRaw<{ key: string }[]>`
    INSERT INTO idempotency_key (scope, key, request_hash, status_code, response)
    VALUES (${scope}, ${key}, ${hash}, 0, '{}'::jsonb)
    ON CONFLICT (scope, key) DO NOTHING RETURNING key`
  const remember = async (response: T) => {
    await tx.idempotencyKey.update({
      where: { scope_key: { scope, key } },
      data: { statusCode: 202, response: response as unknown as Prisma.InputJsonValue },
    })
  }
  if (claimed.length > 0) return { earlier: undefined, remember }
  const [earlier] = await tx.$queryRaw<{ request_hash: string; response: T }[]>`
    UPDATE idempotency_key SET replays = replays + 1, last_replay_at = ${at}
     WHERE scope = ${scope} AND key = ${key}
    RETURNING request_hash, response`
  if (!earlier) throw new Error(`idempotency key ${scope}/${key} vanished`)
  if (earlier.request_hash !== hash) {
    throw new DomainRuleError('This Idempotency-Key was already used with a different request body.', [
      { pointer: '/headers/idempotency-key', message: 'was already used with a different request body' },
    ])
  }
  return { earlier: earlier.response, remember }
}
