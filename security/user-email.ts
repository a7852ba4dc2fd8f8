import type { Db, Tx } from '../platform/database/prisma.js'

/**
 * The user holding an email, in any case. Compared with lower() = lower(), not Prisma's
 * case-insensitive `equals`: that becomes ILIKE, where `_` and `%` in what a person types
 * are wildcards (`r_vi@…` would sign in as ravi@…).
 */
export async function userIdByEmail(db: Db | Tx, email: string, exceptId?: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM app_user
     WHERE lower(email) = lower(${email.trim()}) AND (${exceptId ?? null}::text IS NULL OR id <> ${exceptId ?? null})
     ORDER BY id LIMIT 1`
  return rows[0]?.id ?? null
}
