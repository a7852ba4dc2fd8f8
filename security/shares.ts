import { uuidv7 } from 'uuidv7'
import { recordAudit } from '../platform/audit.js'
import type { Db } from '../platform/database/prisma.js'
import { DomainRuleError, ForbiddenError, NotFoundError } from '../platform/errors.js'
import type { Principal } from './principal.js'
import type { Acting } from './acting.js'
import { assertVisible, type Access } from './visibility.js'

/*
 * Explicit sharing: opening one lead, account or deal to a person beyond what their role
 * and reporting line show them, to read or to edit. Whoever may edit a record may share it
 * (and withdraw a share); a share opens the record only, never what the person's role may
 * do with it. Shares are recorded in the record's own history, as 'share' and 'unshare'.
 */

export const SHAREABLE = ['lead', 'account', 'opportunity'] as const
export type ShareableType = (typeof SHAREABLE)[number]

export type ShareRow = Awaited<ReturnType<Db['recordShare']['findFirstOrThrow']>>

function assertMay(p: Principal, type: ShareableType, action: 'read' | 'update'): void {
  if (!p.can(type, action)) throw new ForbiddenError(`Your role (${p.role.name}) may not ${action} ${type}.`)
}

export async function shareRecord(
  a: Acting,
  input: { recordType: ShareableType; recordId: string; userId: string; access: Access },
): Promise<{ share: ShareRow; created: boolean }> {
  const { recordType, recordId, userId, access } = input
  assertMay(a.caller, recordType, 'update')
  await assertVisible(a.db, a.caller, recordType, recordId, 'edit')
  const user = await a.db.user.findUnique({ where: { id: userId }, select: { isActive: true } })
  if (!user?.isActive)
    throw new DomainRuleError('Records are shared with active users only.', [
      { pointer: '/body/userId', message: `no active user ${JSON.stringify(userId)}` },
    ])
  return a.db.$transaction(async (tx) => {
    const key = { recordType_recordId_userId: { recordType, recordId, userId } }
    const before = await tx.recordShare.findUnique({ where: key })
    const share = await tx.recordShare.upsert({
      where: key,
      create: {
        id: uuidv7(),
        recordType,
        recordId,
        userId,
        access,
        grantedBy: a.ctx.actor.id,
        grantedAt: a.now,
      },
      update: { access, grantedBy: a.ctx.actor.id, grantedAt: a.now },
    })
    if (before?.access !== access)
      await recordAudit(tx, a.ctx, {
        entity: recordType,
        entityId: recordId,
        action: 'share',
        changes: {
          userId: { from: before ? userId : null, to: userId },
          access: { from: before?.access ?? null, to: access },
        },
      })
    return { share, created: !before }
  })
}

/** The shares of a record the caller can see. */
export async function listShares(db: Db, p: Principal, recordType: ShareableType, recordId: string) {
  assertMay(p, recordType, 'read')
  await assertVisible(db, p, recordType, recordId, 'read')
  return db.recordShare.findMany({
    where: { recordType, recordId },
    orderBy: [{ grantedAt: 'asc' }, { id: 'asc' }],
  })
}

export async function unshare(a: Acting, id: string): Promise<void> {
  const share = await a.db.recordShare.findUnique({ where: { id } })
  if (!share) throw new NotFoundError('share', id)
  const recordType = share.recordType as ShareableType
  await assertVisible(a.db, a.caller, recordType, share.recordId, 'edit').catch((err: unknown) => {
    throw err instanceof NotFoundError ? new NotFoundError('share', id) : err
  })
  assertMay(a.caller, recordType, 'update')
  await a.db.$transaction(async (tx) => {
    const { count } = await tx.recordShare.deleteMany({ where: { id } })
    if (!count) throw new NotFoundError('share', id)
    await recordAudit(tx, a.ctx, {
      entity: recordType,
      entityId: share.recordId,
      action: 'unshare',
      changes: { userId: { from: share.userId, to: null }, access: { from: share.access, to: null } },
    })
  })
}

export function toShare(s: ShareRow) {
  return {
    id: s.id,
    recordType: s.recordType,
    recordId: s.recordId,
    userId: s.userId,
    access: s.access,
    grantedBy: s.grantedBy,
    grantedAt: s.grantedAt.toISOString(),
  }
}
