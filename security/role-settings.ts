import {
  ACTIONS,
  builtInRole,
  BUILT_IN_ROLES,
  OBJECTS,
  RESTRICTABLE_FIELDS,
  type FieldRules,
  type Permissions,
  type RestrictableObject,
  type RoleDefinition,
  type RowScopes,
} from '../domain/security/roles.rules.js'
import { asJson, type Db, type Tx } from '../platform/database/prisma.js'
import { fieldChanges, recordAudit } from '../platform/audit.js'
import { ConflictError, DomainRuleError, ForbiddenError, NotFoundError } from '../platform/errors.js'
import { beyondCaller } from './grants.js'
import type { Acting } from './acting.js'

/*
 * Roles as an admin tunes them: a built-in role's permissions, row scopes and field rules
 * can be changed (and reset to the definition), and new roles defined by name. Each change
 * is a permission change in the audit trail, with the rules before and after, and takes
 * effect on the next request (the role cache is dropped). Two guards: the admin role always
 * keeps the rights to manage people and roles (no lock-out), and nobody grants a role more
 * than they hold themselves.
 */

export interface RoleRules {
  permissions: Permissions
  rowScopes: RowScopes
  fieldRules: FieldRules
}

export interface RoleView extends RoleRules {
  name: string
  title: string
  builtIn: boolean
  customised: boolean
  updatedAt: string | null
  updatedBy: string | null
  users: number
}

type SettingRow = Awaited<ReturnType<Db['roleSetting']['findFirstOrThrow']>>

/** Rules in one order (objects, actions and fields as defined), so before and after compare as equal. */
export function canonicalRules(r: RoleRules): RoleRules {
  const permissions: Permissions = {}
  for (const o of OBJECTS) {
    const actions = ACTIONS.filter((a) => r.permissions[o]?.includes(a))
    if (actions.length) permissions[o] = actions
  }
  const rowScopes: RowScopes = {}
  for (const o of OBJECTS) if (r.rowScopes[o]) rowScopes[o] = r.rowScopes[o]
  const fieldRules: FieldRules = {}
  for (const o of Object.keys(RESTRICTABLE_FIELDS) as RestrictableObject[]) {
    const rules = Object.fromEntries(
      RESTRICTABLE_FIELDS[o].flatMap((f) => (r.fieldRules[o]?.[f] ? [[f, r.fieldRules[o][f]]] : [])),
    )
    if (Object.keys(rules).length) fieldRules[o] = rules
  }
  return { permissions, rowScopes, fieldRules }
}

function view(name: string, setting: SettingRow | null, users: number): RoleView | null {
  const base = builtInRole(name)
  if (!base && !setting) return null
  const rules = setting
    ? {
        permissions: setting.permissions as Permissions,
        rowScopes: setting.rowScopes as RowScopes,
        fieldRules: setting.fieldRules as FieldRules,
      }
    : base!
  return {
    name,
    title: base?.title ?? 'Custom role',
    builtIn: Boolean(base),
    customised: Boolean(base && setting),
    ...canonicalRules(rules),
    updatedAt: setting ? setting.updatedAt.toISOString() : null,
    updatedBy: setting?.updatedBy ?? null,
    users,
  }
}

async function usersByRole(db: Db | Tx): Promise<Map<string, number>> {
  const counts = await db.user.groupBy({ by: ['role'], where: { isActive: true }, _count: { _all: true } })
  return new Map(counts.map((c) => [c.role, c._count._all]))
}

/** Every built-in role, then the custom ones by name. */
export async function listRoles(db: Db): Promise<RoleView[]> {
  const [settings, users] = await Promise.all([
    db.roleSetting.findMany({ orderBy: { role: 'asc' } }),
    usersByRole(db),
  ])
  const byName = new Map(settings.map((s) => [s.role, s]))
  const names = [
    ...BUILT_IN_ROLES.map((r) => r.name),
    ...settings.map((s) => s.role).filter((n) => !builtInRole(n)),
  ]
  return names.map((n) => view(n, byName.get(n) ?? null, users.get(n) ?? 0)!)
}

export async function getRole(db: Db | Tx, name: string): Promise<RoleView> {
  const [setting, users] = await Promise.all([
    db.roleSetting.findUnique({ where: { role: name } }),
    usersByRole(db),
  ])
  const role = view(name, setting, users.get(name) ?? 0)
  if (!role) throw new NotFoundError('role', name)
  return role
}

const asDefinition = (name: string, rules: RoleRules): RoleDefinition => ({ name, title: name, ...rules })

function assertMayGrant(a: Acting, name: string, rules: RoleRules, what: string): void {
  const beyond = beyondCaller(a.caller, asDefinition(name, rules))
  if (beyond.length)
    throw new ForbiddenError(
      `You may not ${what} role ${name}: it has rights you do not (${beyond.join(', ')}).`,
    )
}

/** The admin role keeps what it takes to undo any mistake: managing roles and people. */
function assertNoLockOut(name: string, rules: RoleRules): void {
  if (name !== 'admin') return
  const missing = (['role', 'user'] as const).filter((o) => !rules.permissions[o]?.includes('update'))
  if (missing.length)
    throw new DomainRuleError('The admin role must keep the right to update roles and users.', [
      ...missing.map((o) => ({
        pointer: `/body/permissions/${o}`,
        message: 'must include update for the admin role',
      })),
    ])
}

const rulesOf = (r: RoleView): RoleRules => ({
  permissions: r.permissions,
  rowScopes: r.rowScopes,
  fieldRules: r.fieldRules,
})

async function audit(
  tx: Tx,
  a: Acting,
  name: string,
  action: string,
  before: RoleRules | null,
  after: RoleRules | null,
) {
  const none = { permissions: null, rowScopes: null, fieldRules: null }
  await recordAudit(tx, a.ctx, {
    entity: 'role',
    entityId: name,
    action,
    changes: fieldChanges({ ...(before ?? none) }, { ...(after ?? none) }),
  })
}

/** Sets a role's rules (creating the role when it is new). */
export async function putRole(a: Acting, name: string, input: RoleRules): Promise<RoleView> {
  const rules = canonicalRules(input)
  assertNoLockOut(name, rules)
  assertMayGrant(a, name, rules, 'grant')
  const result = await a.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('leadwire:role-setting'))`
    const before = await getRole(tx, name).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null
      throw err
    })
    if (before) assertMayGrant(a, name, rulesOf(before), 'change')
    const data = {
      permissions: asJson(rules.permissions),
      rowScopes: asJson(rules.rowScopes),
      fieldRules: asJson(rules.fieldRules),
      updatedBy: a.ctx.actor.id,
    }
    await tx.roleSetting.upsert({ where: { role: name }, create: { role: name, ...data }, update: data })
    await audit(tx, a, name, 'permission_change', before ? rulesOf(before) : null, rules)
    return getRole(tx, name)
  })
  a.roles.invalidate()
  return result
}

/**
 * Drops an admin's changes: a built-in role goes back to its definition; a custom role is
 * removed, once nobody holds it.
 */
export async function resetRole(a: Acting, name: string): Promise<RoleView | null> {
  const result = await a.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('leadwire:role-setting'))`
    const setting = await tx.roleSetting.findUnique({ where: { role: name } })
    if (!setting) throw new NotFoundError('role settings for', name)
    const before = await getRole(tx, name)
    assertMayGrant(a, name, rulesOf(before), 'change')
    const base = builtInRole(name)
    if (base) assertMayGrant(a, name, base, 'reset')
    if (!base) {
      const holders = await tx.user.count({ where: { role: name } })
      if (holders)
        throw new ConflictError(
          `${holders} user(s) have role ${name}: give them another role before removing it.`,
        )
    }
    await tx.roleSetting.delete({ where: { role: name } })
    await audit(
      tx,
      a,
      name,
      base ? 'permission_change' : 'delete',
      rulesOf(before),
      base ? canonicalRules(base) : null,
    )
    return base ? getRole(tx, name) : null
  })
  a.roles.invalidate()
  return result
}
