import { recordAudit, type WriteContext } from '../platform/audit.js'
import type { Db } from '../platform/database/prisma.js'
import { DomainRuleError, ForbiddenError, UnauthorizedError } from '../platform/errors.js'
import { beginLoginAttempt, loginSucceeded } from './login-throttle.js'
import { checkNewPassword, passwordAudit } from './password-policy.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { Principal } from './principal.js'
import { subjectHash } from './secret-tokens.js'
import { revokeSessionsOf } from './sessions.js'

/*
 * A person changing their own password, from a console session (an integration's key does
 * not know one). The current password is checked under the same throttle as sign-in, so a
 * stolen session cannot be used to guess it; the person's other sessions end, since the
 * change is often made because one of them is not theirs.
 */
export async function changeOwnPassword(
  db: Db,
  ctx: WriteContext,
  principal: Principal,
  input: { currentPassword: string; newPassword: string; ip: string; maxFailures: number },
  now: Date,
): Promise<void> {
  const { credential } = principal
  if (credential.kind !== 'session')
    throw new ForbiddenError('A password is changed from a console session, not with an API key.')
  const user = await db.user.findUnique({ where: { id: principal.userId } })
  if (!user) throw new UnauthorizedError()
  checkNewPassword(input.newPassword, user.email, '/body/newPassword')
  const attempt = await beginLoginAttempt(
    db,
    { subjectHash: subjectHash(user.email), ip: input.ip },
    input.maxFailures,
    now,
  )
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw new DomainRuleError('The current password is not correct.', [
      { pointer: '/body/currentPassword', message: 'is not your current password' },
    ])
  const passwordHash = await hashPassword(input.newPassword)
  await db.$transaction(async (tx) => {
    await loginSucceeded(tx, attempt)
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: now } })
    await revokeSessionsOf(tx, user.id, now, credential.sessionId)
    await recordAudit(tx, ctx, {
      entity: 'user',
      entityId: user.id,
      action: 'password_change',
      changes: passwordAudit(true),
    })
  })
}
