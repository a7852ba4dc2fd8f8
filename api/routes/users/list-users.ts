import type { Prisma } from '../../../generated/prisma/client.js'
import type { Db } from '../../../platform/database/prisma.js'
import { NotFoundError } from '../../../platform/errors.js'
import type { UserRow } from '../../../security/users.js'
import { textContains } from '../../queries/filters.js'
import { afterCursor, toPage } from '../../queries/keyset.js'
import type { ListUsersQuery } from '../../schemas/user.schema.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** A person as the API shows them: never their password hash, only whether they have one. */
export function toUser(u: UserRow) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    managerId: u.managerId,
    teamId: u.teamId,
    isActive: u.isActive,
    hasPassword: u.passwordHash !== null,
    passwordChangedAt: iso(u.passwordChangedAt),
    lastLoginAt: iso(u.lastLoginAt),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  }
}

/** People by name (then id), keyset-paginated. */
export async function listUsers(db: Db, q: ListUsersQuery) {
  const where: Prisma.UserWhereInput = {
    AND: [
      {
        ...(q.role ? { role: q.role } : {}),
        ...(q.managerId ? { managerId: q.managerId } : {}),
        ...(q.isActive !== undefined ? { isActive: q.isActive } : {}),
      },
      textContains(q.q, ['name', 'email']),
      afterCursor(q.cursor, 'name', 'asc') ?? {},
    ],
  }
  const rows = await db.user.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: q.limit + 1 })
  return toPage(rows, q.limit, (u) => u.name, toUser)
}

export async function getUser(db: Db, id: string) {
  const user = await db.user.findUnique({ where: { id } })
  if (!user) throw new NotFoundError('user', id)
  return toUser(user)
}
