import {
  builtInRole,
  scopeAllows,
  type Action,
  type FieldAccess,
  type RestrictableObject,
  type RoleDefinition,
  type RowScope,
  type SecuredObject,
} from '../domain/security/roles.rules.js'
import type { Db } from '../platform/database/prisma.js'

/*
 * Who is calling, as every check sees them: a person (through a console session) or an
 * integration (through an API key acting as its user), with the role in force. Which
 * people's records they may see is read once per request, and only when a query asks.
 */

export type Credential =
  | { kind: 'session'; sessionId: string }
  | { kind: 'api_key'; keyId: string }
  | { kind: 'system'; purpose: string }

export class Principal {
  private team: Promise<string[]> | undefined
  private readonly shared = new Map<string, Promise<{ read: string[]; edit: string[] }>>()

  constructor(
    private readonly db: Db,
    readonly userId: string,
    readonly role: RoleDefinition,
    readonly credential: Credential,
    /** An API key's scopes (empty: all of its user's permissions). */
    readonly scopes: readonly string[] = [],
  ) {}

  /**
   * Who writes, for audit rows and createdBy: always the person (an integration's key acts
   * as the integration's own user), so every write is attributed to someone an admin manages.
   */
  get actorId(): string {
    return `user:${this.userId}`
  }

  can(object: SecuredObject, action: Action): boolean {
    return (this.role.permissions[object] ?? []).includes(action) && scopeAllows(this.scopes, object, action)
  }

  /** Whose records of `object` this principal sees; 'own' unless the role says otherwise. */
  rowScope(object: SecuredObject): RowScope {
    return this.role.rowScopes[object] ?? 'own'
  }

  fieldAccess(object: RestrictableObject, field: string): FieldAccess | undefined {
    return this.role.fieldRules[object]?.[field]
  }

  /**
   * The owners whose records this principal sees of `object`, or null for all. 'team' is
   * the person and everyone below them in the reporting line (manager_id), at any depth.
   */
  async owners(object: SecuredObject): Promise<string[] | null> {
    const scope = this.rowScope(object)
    if (scope === 'all') return null
    if (scope === 'own') return [this.userId]
    this.team ??= this.db.$queryRaw<{ id: string }[]>`
        WITH RECURSIVE team AS (
          SELECT id FROM app_user WHERE id = ${this.userId}
          UNION
          SELECT u.id FROM app_user u JOIN team t ON u.manager_id = t.id)
        SELECT id FROM team`.then((rows) => rows.map((r) => r.id))
    return this.team
  }

  /** Ids of `recordType` records shared with this principal, by access. */
  sharedIds(recordType: 'lead' | 'account' | 'opportunity'): Promise<{ read: string[]; edit: string[] }> {
    let ids = this.shared.get(recordType)
    if (!ids) {
      ids = this.db.recordShare
        .findMany({ where: { userId: this.userId, recordType }, select: { recordId: true, access: true } })
        .then((rows) => ({
          read: rows.map((r) => r.recordId),
          edit: rows.filter((r) => r.access === 'edit').map((r) => r.recordId),
        }))
      this.shared.set(recordType, ids)
    }
    return ids
  }
}

/**
 * A principal for work no person asked for (a benchmark, a maintenance script): the
 * built-in admin role, so it sees every record. Never built from a request.
 */
export function systemPrincipal(db: Db, purpose: string): Principal {
  return new Principal(db, 'system', builtInRole('admin')!, { kind: 'system', purpose })
}
