import type { WriteContext } from '../platform/audit.js'
import type { Db } from '../platform/database/prisma.js'
import type { Principal } from './principal.js'
import type { RoleBook } from './roles.js'

/** What a write to people, keys, roles or shares needs: who acts, in which request, and when. */
export interface Acting {
  db: Db
  /** Roles in force: to judge what a role grants, and to drop the cache after a change. */
  roles: RoleBook
  ctx: WriteContext
  caller: Principal
  now: Date
}
