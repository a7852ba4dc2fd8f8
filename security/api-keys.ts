import { uuidv7 } from 'uuidv7'
import {
  isValidScope,
  scopeAllows,
  type Action,
  type RoleDefinition,
  type SecuredObject,
} from '../domain/security/roles.rules.js'
import { fieldChanges, recordAudit, type WriteContext } from '../platform/audit.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError, ForbiddenError, NotFoundError } from '../platform/errors.js'
import { beyondCaller } from './grants.js'
import type { Principal } from './principal.js'
import { newApiKey } from './secret-tokens.js'
import type { Acting } from './acting.js'

/*
 * API keys for integrations. A key acts as its user, narrowed to its scopes; its secret is
 * shown once, when it is made, and only its hash is kept. A key is revoked (never deleted:
 * the audit trail names it) or rotated: the new key has the old one's name, user and
 * scopes, and the old one keeps working for a grace period so an integration can switch
 * over without downtime. Nothing about a key's secret reaches the audit trail.
 */

export type ApiKeyRow = Awaited<ReturnType<Db['apiKey']['findFirstOrThrow']>>

export const MAX_GRACE_HOURS = 720

/**
 * Whether the caller manages everyone's keys for `action`, or only their own: the api_key
 * permission, with a row scope of all (the default for a role that holds the permission).
 */
export function managesAllKeys(caller: Principal, action: Action): boolean {
  return caller.can('api_key', action) && (caller.role.rowScopes.api_key ?? 'all') === 'all'
}

/** Whether a scope asks only for what the role may do ("lead:*": some lead action; "*": anything). */
function withinRole(scope: string, role: RoleDefinition): boolean {
  if (scope === '*') return true
  const [object, action] = scope.split(':') as [SecuredObject, string]
  const held = role.permissions[object] ?? []
  return action === '*' ? held.length > 0 : (held as string[]).includes(action)
}

function checkScopes(scopes: string[], role: RoleDefinition): string[] {
  const invalid = scopes.flatMap((s, i) =>
    isValidScope(s)
      ? []
      : [{ pointer: `/body/scopes/${i}`, message: `${JSON.stringify(s)} is not object:action` }],
  )
  if (invalid.length) throw new DomainRuleError('Some scopes are not valid.', invalid)
  const beyond = scopes.flatMap((s, i) =>
    withinRole(s, role) ? [] : [{ pointer: `/body/scopes/${i}`, message: `role ${role.name} may not ${s}` }],
  )
  if (beyond.length)
    throw new DomainRuleError(
      `A key cannot grant what its user's role (${role.name}) may not do: ${scopes.filter((s) => !withinRole(s, role)).join(', ')}.`,
      beyond,
    )
  return [...new Set(scopes)]
}

/** Refuses (403) a key that could do what the caller cannot: a key never widens its maker. */
function assertWithinCaller(caller: Principal, role: RoleDefinition, scopes: string[]): void {
  const beyond = beyondCaller(caller, role, scopes)
  if (beyond.length)
    throw new ForbiddenError(`The key would allow what you may not: ${beyond.join(', ')}. Narrow its scopes.`)
}

const keyFields = (k: ApiKeyRow) => ({
  prefix: k.prefix,
  name: k.name,
  userId: k.userId,
  scopes: k.scopes,
  expiresAt: k.expiresAt,
  replacesId: k.replacesId,
})

async function insertKey(
  tx: Tx,
  a: Acting,
  fields: {
    name: string
    userId: string
    scopes: string[]
    expiresAt: Date | null
    replacesId: string | null
  },
  action: 'create' | 'rotate',
): Promise<{ key: string; row: ApiKeyRow }> {
  const secret = newApiKey()
  const row = await tx.apiKey.create({
    data: {
      id: uuidv7(),
      prefix: secret.prefix,
      keyHash: secret.hash,
      ...fields,
      createdAt: a.now,
      createdBy: a.ctx.actor.id,
    },
  })
  await recordAudit(tx, a.ctx, {
    entity: 'api_key',
    entityId: row.id,
    action,
    changes: fieldChanges(null, keyFields(row)),
  })
  return { key: secret.key, row }
}

async function activeUser(db: Pick<Db, 'user'>, userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, role: true, isActive: true },
  })
  return user?.isActive ? user : null
}

export async function createKey(
  a: Acting,
  input: { name: string; userId?: string | undefined; scopes: string[]; expiresAt?: string | undefined },
): Promise<{ key: string; row: ApiKeyRow }> {
  const userId = input.userId ?? a.caller.userId
  if (userId !== a.caller.userId && !a.caller.can('api_key', 'create'))
    throw new ForbiddenError('Creating a key for someone else needs the api_key create permission.')
  const user = await activeUser(a.db, userId)
  if (!user)
    throw new DomainRuleError('The key’s user does not exist or is deactivated.', [
      { pointer: '/body/userId', message: `no active user ${JSON.stringify(userId)}` },
    ])
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt)
  if (expiresAt && expiresAt <= a.now)
    throw new DomainRuleError('The key would be expired already.', [
      { pointer: '/body/expiresAt', message: 'must be in the future' },
    ])
  const role = await a.roles.get(user.role)
  const scopes = checkScopes(input.scopes, role)
  assertWithinCaller(a.caller, role, scopes)
  return a.db.$transaction((tx) =>
    insertKey(tx, a, { name: input.name, userId, scopes, expiresAt, replacesId: null }, 'create'),
  )
}

/** A key the caller may act on; anyone else's is not found (its existence is not theirs to know). */
async function reachableKey(a: Acting, tx: Tx, id: string): Promise<ApiKeyRow> {
  // A key that calls here must be scoped for it: a lead:read key may not revoke or
  // rotate its user's other keys.
  if (a.caller.credential.kind === 'api_key' && !scopeAllows(a.caller.scopes, 'api_key', 'update'))
    throw new ForbiddenError('This API key is not scoped to manage keys (api_key:update).')
  await tx.$queryRaw`SELECT id FROM api_key WHERE id = ${id}::uuid FOR UPDATE`
  const key = await tx.apiKey.findUnique({ where: { id } })
  if (!key || (key.userId !== a.caller.userId && !managesAllKeys(a.caller, 'update')))
    throw new NotFoundError('API key', id)
  return key
}

export async function revokeKey(a: Acting, id: string): Promise<ApiKeyRow> {
  return a.db.$transaction(async (tx) => {
    const key = await reachableKey(a, tx, id)
    if (key.revokedAt) throw new ConflictError(`API key ${id} was revoked already.`)
    const row = await tx.apiKey.update({
      where: { id },
      data: { revokedAt: a.now, revokedBy: a.ctx.actor.id },
    })
    await recordAudit(tx, a.ctx, {
      entity: 'api_key',
      entityId: id,
      action: 'revoke',
      changes: fieldChanges({ revokedAt: null }, { revokedAt: a.now }),
    })
    return row
  })
}

/**
 * A new key in place of an old one: same name, user and scopes. The old key keeps working
 * for `graceHours` (never longer than it would have anyway), then stops.
 */
export async function rotateKey(
  a: Acting,
  id: string,
  input: { graceHours: number; expiresAt?: string | undefined },
): Promise<{ key: string; row: ApiKeyRow; old: ApiKeyRow }> {
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt)
  if (expiresAt && expiresAt <= a.now)
    throw new DomainRuleError('The new key would be expired already.', [
      { pointer: '/body/expiresAt', message: 'must be in the future' },
    ])
  return a.db.$transaction(async (tx) => {
    const old = await reachableKey(a, tx, id)
    if (old.revokedAt) throw new ConflictError(`API key ${id} is revoked: create a new key instead.`)
    if (old.expiresAt && old.expiresAt <= a.now)
      throw new ConflictError(`API key ${id} has expired: create a new key instead.`)
    const user = await activeUser(tx, old.userId)
    if (!user) throw new ConflictError(`The user of API key ${id} is deactivated.`)
    assertWithinCaller(a.caller, await a.roles.get(user.role), old.scopes)
    const graceEnds = new Date(a.now.getTime() + input.graceHours * 3_600_000)
    const oldEnds = old.expiresAt && old.expiresAt < graceEnds ? old.expiresAt : graceEnds
    const made = await insertKey(
      tx,
      a,
      { name: old.name, userId: old.userId, scopes: old.scopes, expiresAt, replacesId: old.id },
      'rotate',
    )
    const updated = await tx.apiKey.update({ where: { id }, data: { expiresAt: oldEnds } })
    await recordAudit(tx, a.ctx, {
      entity: 'api_key',
      entityId: id,
      action: 'rotate',
      changes: {
        ...fieldChanges({ expiresAt: old.expiresAt }, { expiresAt: oldEnds }),
        replacedBy: { from: null, to: made.row.id },
      },
    })
    return { ...made, old: updated }
  })
}

/** Revokes every live key of a person (on deactivation), each audited. */
export async function revokeKeysOf(tx: Tx, ctx: WriteContext, userId: string, now: Date): Promise<number> {
  const live = await tx.apiKey.findMany({ where: { userId, revokedAt: null }, select: { id: true } })
  if (!live.length) return 0
  await tx.apiKey.updateMany({
    where: { id: { in: live.map((k) => k.id) } },
    data: { revokedAt: now, revokedBy: ctx.actor.id },
  })
  for (const { id } of live)
    await recordAudit(tx, ctx, {
      entity: 'api_key',
      entityId: id,
      action: 'revoke',
      changes: {
        ...fieldChanges({ revokedAt: null }, { revokedAt: now }),
        reason: { from: null, to: 'user deactivated' },
      },
    })
  return live.length
}

export type KeyStatus = 'active' | 'expired' | 'revoked'

/** A key as the API shows it: never its secret or hash. */
export function toApiKey(k: ApiKeyRow, now: Date) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null)
  const status: KeyStatus = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active'
  return {
    id: k.id,
    prefix: k.prefix,
    name: k.name,
    userId: k.userId,
    scopes: k.scopes,
    status,
    createdAt: k.createdAt.toISOString(),
    createdBy: k.createdBy,
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    revokedBy: k.revokedBy,
    replacesId: k.replacesId,
  }
}
