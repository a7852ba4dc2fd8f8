import { userIdByEmail } from './user-email.js'
import { uuidv7 } from 'uuidv7'
import { builtInRole } from '../domain/security/roles.rules.js'
import { Prisma } from '../generated/prisma/client.js'
import { fieldChanges, recordAudit, type FieldChange } from '../platform/audit.js'
import type { Db, Tx } from '../platform/database/prisma.js'
import { ConflictError, DomainRuleError, ForbiddenError, NotFoundError } from '../platform/errors.js'
import { revokeKeysOf } from './api-keys.js'
import type { Acting } from './acting.js'
import { beyondCaller } from './grants.js'
import { checkNewPassword, passwordAudit } from './password-policy.js'
import { hashPassword } from './passwords.js'
import { revokeSessionsOf } from './sessions.js'

/*
 * People, as an admin manages them. A person is never deleted (their records and audit
 * rows name them): they are deactivated, which ends their sessions and revokes their keys
 * at once. A role change or a deactivation changes what someone may do, so each is audited
 * under its own action (role_change, deactivate) and not buried in a plain update.
 *
 * User writes take one advisory lock: they are rare, and it makes the checks that read
 * other rows (a manager chain without cycles, at least one active admin left) safe against
 * two admins acting at once.
 */

export type UserRow = Awaited<ReturnType<Db['user']['findFirstOrThrow']>>

export interface NewUser {
  id?: string | undefined
  name: string
  email: string
  role: string
  managerId?: string | null | undefined
  teamId?: string | null | undefined
  password?: string | undefined
}

export interface UserPatch {
  name?: string | undefined
  email?: string | undefined
  role?: string | undefined
  managerId?: string | null | undefined
  teamId?: string | null | undefined
  isActive?: boolean | undefined
}

const lockUserAdmin = (tx: Tx) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('leadwire:user-admin'))`

const auditedFields = (
  u: Pick<UserRow, 'name' | 'email' | 'role' | 'managerId' | 'teamId' | 'isActive'>,
) => ({
  name: u.name,
  email: u.email,
  role: u.role,
  managerId: u.managerId,
  teamId: u.teamId,
  isActive: u.isActive,
})

/** A role people may be given: a built-in one, or one an admin defined (it has settings). */
async function assertRoleExists(tx: Tx, role: string): Promise<void> {
  if (builtInRole(role) || (await tx.roleSetting.findUnique({ where: { role }, select: { role: true } })))
    return
  throw new DomainRuleError('The role does not exist.', [
    {
      pointer: '/body/role',
      message: `no role ${JSON.stringify(role)}: use a built-in role or define it first`,
    },
  ])
}

/** Refuses (403) handing out, or taking over, a role with more rights than the caller's. */
async function assertMayManageRole(a: Acting, role: string, what: string): Promise<void> {
  const beyond = beyondCaller(a.caller, await a.roles.get(role))
  if (beyond.length)
    throw new ForbiddenError(
      `You may not ${what} role ${role}: it has rights you do not (${beyond.join(', ')}).`,
    )
}

async function assertExists(tx: Tx, kind: 'manager' | 'team', id: string | null | undefined): Promise<void> {
  if (!id) return
  const found =
    kind === 'manager'
      ? await tx.user.findUnique({ where: { id }, select: { id: true } })
      : await tx.team.findUnique({ where: { id }, select: { id: true } })
  if (!found)
    throw new DomainRuleError(`The ${kind} does not exist.`, [
      { pointer: `/body/${kind}Id`, message: `no ${kind} ${JSON.stringify(id)}` },
    ])
}

async function assertEmailFree(tx: Tx, email: string, except?: string): Promise<void> {
  const holder = await userIdByEmail(tx, email, except)
  if (holder) throw new ConflictError(`User ${holder} already has the email ${email}.`)
}

/** Refuses a manager who reports, directly or not, to the person (a loop in the reporting line). */
async function assertNoCycle(tx: Tx, userId: string, managerId: string): Promise<void> {
  const loop =
    managerId === userId ||
    (
      await tx.$queryRaw<unknown[]>`
        WITH RECURSIVE up AS (
          SELECT id, manager_id FROM app_user WHERE id = ${managerId}
          UNION
          SELECT u.id, u.manager_id FROM app_user u JOIN up ON u.id = up.manager_id)
        SELECT 1 FROM up WHERE id = ${userId} LIMIT 1`
    ).length > 0
  if (loop)
    throw new DomainRuleError('The manager reports to this user: the reporting line would loop.', [
      {
        pointer: '/body/managerId',
        message: `${managerId} reports to ${userId}, directly or through others`,
      },
    ])
}

/** Refuses leaving nobody who can manage people and roles. */
async function assertAnotherAdmin(tx: Tx, userId: string): Promise<void> {
  const others = await tx.user.count({ where: { role: 'admin', isActive: true, id: { not: userId } } })
  if (others === 0)
    throw new DomainRuleError('This is the last active admin: make someone else admin first.', [
      { pointer: '/params/id', message: 'is the last active admin' },
    ])
}

function conflictOnDuplicate(err: unknown): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')
    throw new ConflictError('A user with this id or email exists already.')
  throw err
}

export async function createUser(a: Acting, input: NewUser): Promise<UserRow> {
  const email = input.email.trim().toLowerCase()
  if (input.password !== undefined) checkNewPassword(input.password, email, '/body/password')
  await assertMayManageRole(a, input.role, 'give people')
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password)
  return a.db
    .$transaction(async (tx) => {
      await lockUserAdmin(tx)
      const id = input.id ?? uuidv7()
      if (await tx.user.findUnique({ where: { id }, select: { id: true } }))
        throw new ConflictError(`User ${id} exists already.`)
      await assertEmailFree(tx, email)
      await assertRoleExists(tx, input.role)
      await assertExists(tx, 'manager', input.managerId)
      await assertExists(tx, 'team', input.teamId)
      const row = await tx.user.create({
        data: {
          id,
          name: input.name,
          email,
          role: input.role,
          managerId: input.managerId ?? null,
          teamId: input.teamId ?? null,
          passwordHash,
          passwordChangedAt: passwordHash ? a.now : null,
        },
      })
      await recordAudit(tx, a.ctx, {
        entity: 'user',
        entityId: id,
        action: 'create',
        changes: { ...fieldChanges(null, auditedFields(row)), ...(passwordHash ? passwordAudit(false) : {}) },
      })
      return row
    })
    .catch(conflictOnDuplicate)
}

/** Whether the caller may act on this person at all: not on someone with more rights than theirs. */
async function lockTarget(a: Acting, tx: Tx, id: string, what: string): Promise<UserRow> {
  await lockUserAdmin(tx)
  const user = await tx.user.findUnique({ where: { id } })
  if (!user) throw new NotFoundError('user', id)
  await assertMayManageRole(a, user.role, what)
  return user
}

const pick = (changes: Record<string, FieldChange>, keys: string[]) =>
  Object.fromEntries(Object.entries(changes).filter(([k]) => keys.includes(k)))

export async function updateUser(a: Acting, id: string, patch: UserPatch): Promise<UserRow> {
  const email = patch.email?.trim().toLowerCase()
  return a.db
    .$transaction(async (tx) => {
      const before = await lockTarget(a, tx, id, 'manage people with')
      const changes = fieldChanges(auditedFields(before), { ...patch, email })
      if (Object.keys(changes).length === 0) return before
      if (changes['email'] && email) await assertEmailFree(tx, email, id)
      if (changes['role'] && patch.role) {
        await assertRoleExists(tx, patch.role)
        await assertMayManageRole(a, patch.role, 'give people')
      }
      if (changes['managerId'] && patch.managerId) {
        await assertExists(tx, 'manager', patch.managerId)
        await assertNoCycle(tx, id, patch.managerId)
      }
      if (changes['teamId']) await assertExists(tx, 'team', patch.teamId)
      const deactivating = changes['isActive'] !== undefined && patch.isActive === false
      if (deactivating && id === a.caller.userId)
        throw new DomainRuleError('You cannot deactivate yourself.', [
          { pointer: '/body/isActive', message: 'is your own account' },
        ])
      const leavesAdmin = (changes['role'] !== undefined && patch.role !== 'admin') || deactivating
      if (before.role === 'admin' && before.isActive && leavesAdmin) await assertAnotherAdmin(tx, id)

      const data = Object.fromEntries(
        Object.keys(changes).map((k) => [k, k === 'email' ? email : patch[k as keyof UserPatch]]),
      )
      const row = await tx.user.update({ where: { id }, data })
      const audit = (action: string, c: Record<string, FieldChange>) =>
        Object.keys(c).length
          ? recordAudit(tx, a.ctx, { entity: 'user', entityId: id, action, changes: c })
          : null
      await audit('role_change', pick(changes, ['role']))
      await audit(patch.isActive ? 'reactivate' : 'deactivate', pick(changes, ['isActive']))
      await audit('update', pick(changes, ['name', 'email', 'managerId', 'teamId']))
      if (deactivating) {
        await revokeSessionsOf(tx, id, a.now)
        await revokeKeysOf(tx, a.ctx, id, a.now)
      }
      return row
    })
    .catch(conflictOnDuplicate)
}

/** An admin sets (or resets) someone's password; every session of theirs ends. */
export async function setUserPassword(a: Acting, id: string, password: string): Promise<UserRow> {
  const target = await a.db.user.findUnique({ where: { id }, select: { email: true } })
  if (!target) throw new NotFoundError('user', id)
  checkNewPassword(password, target.email, '/body/password')
  const passwordHash = await hashPassword(password)
  return a.db.$transaction(async (tx) => {
    const before = await lockTarget(a, tx, id, 'set the password of people with')
    const row = await tx.user.update({ where: { id }, data: { passwordHash, passwordChangedAt: a.now } })
    const keep =
      a.caller.userId === id && a.caller.credential.kind === 'session'
        ? a.caller.credential.sessionId
        : undefined
    await revokeSessionsOf(tx, id, a.now, keep)
    await recordAudit(tx, a.ctx, {
      entity: 'user',
      entityId: id,
      action: 'password_reset',
      changes: passwordAudit(before.passwordHash !== null),
    })
    return row
  })
}
