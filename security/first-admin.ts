import { userIdByEmail } from './user-email.js'
import { randomInt } from 'node:crypto'
import { uuidv7 } from 'uuidv7'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Db } from '../platform/database/prisma.js'
import { checkNewPassword, passwordAudit } from './password-policy.js'
import { hashPassword } from './passwords.js'
import { revokeSessionsOf } from './sessions.js'

/*
 * The first admin, made outside the API (which needs an admin to make anyone): by
 * `npm run admin:create`, or by `npm run dev` on a database with no active admin. Also how
 * an operator who lost every admin password gets back in.
 */

/** Letters and digits without look-alikes (0/O, 1/l/I): read off a terminal without mistakes. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

/** A random password (about 117 bits at 20 characters). */
export function randomPassword(length = 20): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
}

export interface AdminInput {
  email: string
  name: string
  /** The user id when creating; an existing person is found by email first, then by id. */
  id?: string | undefined
  password: string
}

/**
 * Makes the person an active admin with this password, creating them if needed; an existing
 * person's sessions end (the password was reset). Audited as `actor`.
 */
export async function upsertAdmin(
  db: Db,
  actor: string,
  input: AdminInput,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const email = input.email.trim().toLowerCase()
  checkNewPassword(input.password, email, 'password')
  const passwordHash = await hashPassword(input.password)
  const ctx: WriteContext = { actor: { id: actor }, requestId: null }
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('leadwire:user-admin'))`
    const byEmail = await userIdByEmail(tx, email)
    const existing =
      (byEmail ? await tx.user.findUnique({ where: { id: byEmail } }) : null) ??
      (input.id ? await tx.user.findUnique({ where: { id: input.id } }) : null)
    if (!existing) {
      const id = input.id ?? uuidv7()
      await tx.user.create({
        data: { id, name: input.name, email, role: 'admin', passwordHash, passwordChangedAt: now },
      })
      await recordAudit(tx, ctx, {
        entity: 'user',
        entityId: id,
        action: 'create',
        changes: {
          ...fieldChanges(null, { name: input.name, email, role: 'admin' }),
          ...passwordAudit(false),
        },
      })
      return { id, created: true }
    }
    const { id } = existing
    await tx.user.update({
      where: { id },
      data: { role: 'admin', isActive: true, passwordHash, passwordChangedAt: now },
    })
    await revokeSessionsOf(tx, id, now)
    const audit = (action: string, changes: ReturnType<typeof fieldChanges>) =>
      Object.keys(changes).length
        ? recordAudit(tx, ctx, { entity: 'user', entityId: id, action, changes })
        : null
    await audit('role_change', fieldChanges({ role: existing.role }, { role: 'admin' }))
    await audit('reactivate', fieldChanges({ isActive: existing.isActive }, { isActive: true }))
    await audit('password_reset', passwordAudit(existing.passwordHash !== null))
    return { id, created: false }
  })
}

export const DEV_ADMIN_EMAIL = 'admin@leadwire.local'

/**
 * For `npm run dev`: when nobody can administer the hub, an admin with a random password,
 * returned to be shown once. Null when an active admin exists.
 */
export async function ensureFirstAdmin(
  db: Db,
  now: Date,
): Promise<{ email: string; password: string } | null> {
  if (await db.user.findFirst({ where: { role: 'admin', isActive: true }, select: { id: true } })) return null
  const password = randomPassword()
  await upsertAdmin(db, 'system:dev', { email: DEV_ADMIN_EMAIL, name: 'Admin', id: 'admin', password }, now)
  return { email: DEV_ADMIN_EMAIL, password }
}
