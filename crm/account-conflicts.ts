import { Prisma } from '../generated/prisma/client.js'
import type { Db } from '../platform/database/prisma.js'
import { HeldByAnotherError, LeadwireError } from '../platform/errors.js'

/*
 * An account's domain and GSTIN are unique (one company, one account). The unique indexes
 * decide, not a SELECT before the write: two requests creating the same company at once
 * both pass any prior check, and only the index turns the second away.
 */

const UNIQUE_ACCOUNT_KEYS = ['domain', 'gstin'] as const
type UniqueAccountKey = (typeof UNIQUE_ACCOUNT_KEYS)[number]

interface UniqueViolationMeta {
  target?: unknown
  /** Set by driver adapters (adapter-pg): the constraint PostgreSQL named. */
  driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } }
}

/** Which unique account key a failed write collided on, or null for any other error. */
function violatedAccountKey(err: unknown): UniqueAccountKey | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return null
  const meta = (err.meta ?? {}) as UniqueViolationMeta
  const constraint = meta.driverAdapterError?.cause?.constraint
  const names = [
    constraint?.index,
    ...(constraint?.fields ?? []),
    ...(Array.isArray(meta.target) ? meta.target : [meta.target]),
  ].filter((n): n is string => typeof n === 'string')
  // account_domain_key / account_gstin_key, or the bare column names.
  return UNIQUE_ACCOUNT_KEYS.find((key) => names.some((n) => n === key || n === `account_${key}_key`)) ?? null
}

/**
 * Runs an account write; a collision on the domain or GSTIN becomes a 409 naming the account
 * that holds the value (read after the failed transaction has rolled back). `wanted` gives
 * the canonical values the write tried to store.
 */
export async function withUniqueAccountKeys<T>(
  db: Db,
  wanted: () => { domain?: string | null | undefined; gstin?: string | null | undefined },
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write()
  } catch (err) {
    const key = violatedAccountKey(err)
    const value = key ? wanted()[key] : null
    if (!key || !value) throw err
    const holder = await db.account.findUnique({
      where: key === 'gstin' ? { gstin: value } : { domain: value },
      select: { id: true },
    })
    const label = key === 'gstin' ? 'GSTIN' : 'domain'
    const unnamed = {
      message: `Another account already has the ${label} ${value}: one company, one account.`,
      errors: [{ pointer: `/body/${key}`, message: `is the ${label} of another account` }],
    }
    if (!holder)
      throw new LeadwireError('conflict', 409, unnamed.message, { cause: err, errors: unnamed.errors })
    throw new HeldByAnotherError(
      `Account ${holder.id} already has the ${label} ${value}: one company, one account.`,
      { kind: 'account', id: holder.id },
      unnamed,
      {
        cause: err,
        errors: [{ pointer: `/body/${key}`, message: `is the ${label} of account ${holder.id}` }],
      },
    )
  }
}
