import type { Db, Tx } from '../platform/database/prisma.js'
import type { Principal } from './principal.js'

/*
 * Row-level security enforced by PostgreSQL as well, behind the filters in visibility.ts:
 * a query run through withRowSecurity sees only the rows its principal may see, even one
 * that forgot its filter. The policies are in
 * prisma/migrations/20261124190000_row_security; they bind only leadwire_reader, so the
 * app's own connection (the tables' owner) still reads and writes everything it needs to:
 * ingestion, workers, writes.
 */

/** The role a secured read runs as: SELECT only, and only what the policies let through. */
export const READER_ROLE = 'leadwire_reader'

/**
 * Tables with a policy, each following its own object's row scope, because a role may see
 * all accounts but only its own deals. The setting names are the policies' contract.
 */
const SECURED = ['lead', 'account', 'contact', 'opportunity', 'task'] as const

/** '*' for every row; otherwise PostgreSQL formats the owners as an array literal. */
const ALL_OWNERS = '*'

/**
 * Runs `fn` in a read-only transaction as leadwire_reader, with the principal's visibility
 * in transaction-local settings (gone at commit, so a pooled connection keeps nothing).
 */
export async function withRowSecurity<T>(
  db: Db,
  principal: Principal,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const [lead, account, contact, opportunity, task] = await Promise.all(
    SECURED.map((object) => principal.owners(object)),
  )
  return db.$transaction(async (tx) => {
    // One round trip: read-only mode, who is asking, whose rows they see, and the role.
    await tx.$executeRaw`SELECT
      set_config('transaction_read_only', 'on', true),
      set_config('leadwire.user_id', ${principal.userId}, true),
      set_config('leadwire.owners_lead', coalesce(${lead}::text[]::text, ${ALL_OWNERS}), true),
      set_config('leadwire.owners_account', coalesce(${account}::text[]::text, ${ALL_OWNERS}), true),
      set_config('leadwire.owners_contact', coalesce(${contact}::text[]::text, ${ALL_OWNERS}), true),
      set_config('leadwire.owners_opportunity', coalesce(${opportunity}::text[]::text, ${ALL_OWNERS}), true),
      set_config('leadwire.owners_task', coalesce(${task}::text[]::text, ${ALL_OWNERS}), true),
      set_config('role', ${READER_ROLE}, true)`
    return fn(tx)
  })
}
