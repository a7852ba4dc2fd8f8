import {
  builtInRole,
  noRole,
  type FieldRules,
  type Permissions,
  type RoleDefinition,
  type RowScopes,
} from '../domain/security/roles.rules.js'
import type { Db } from '../platform/database/prisma.js'

/*
 * A role as it is in force: the admin's settings when there are any, the built-in
 * definition otherwise. Read on every authenticated request, so it is cached per process
 * for a few seconds; a change made through this process is seen at once, one made through
 * another replica within ROLE_CACHE_MS.
 */
const ROLE_CACHE_MS = 5_000

export class RoleBook {
  private readonly cache = new Map<string, { role: RoleDefinition; until: number }>()

  constructor(private readonly db: Db) {}

  async get(name: string, now = Date.now()): Promise<RoleDefinition> {
    const hit = this.cache.get(name)
    if (hit && hit.until > now) return hit.role
    const role = await this.load(name)
    this.cache.set(name, { role, until: now + ROLE_CACHE_MS })
    return role
  }

  /** Forgets cached roles after a change (this process sees it at once). */
  invalidate(): void {
    this.cache.clear()
  }

  private async load(name: string): Promise<RoleDefinition> {
    const base = builtInRole(name) ?? noRole(name)
    const setting = await this.db.roleSetting.findUnique({ where: { role: name } })
    if (!setting) return base
    return {
      ...base,
      permissions: setting.permissions as Permissions,
      rowScopes: setting.rowScopes as RowScopes,
      fieldRules: setting.fieldRules as FieldRules,
    }
  }
}
