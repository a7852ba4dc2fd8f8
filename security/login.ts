import { recordAudit, type WriteContext } from '../platform/audit.js'
import { userIdByEmail } from './user-email.js'
import type { Db } from '../platform/database/prisma.js'
import { UnauthorizedError } from '../platform/errors.js'
import { beginLoginAttempt, loginSucceeded } from './login-throttle.js'
import { decoyHash, verifyPassword } from './passwords.js'
import { subjectHash } from './secret-tokens.js'
import { createSession, type NewSession } from './sessions.js'

/*
 * Signing in with email and password. Every refusal reads the same (unknown email, wrong
 * password, deactivated person, nobody with a password) and takes as long, so the answer
 * does not tell a guesser which emails have accounts.
 */

export const BAD_CREDENTIALS = 'The email or password is not correct.'

export interface LoginPolicy {
  maxFailures: number
  ttlHours: number
}

export interface LoginResult extends NewSession {
  user: { id: string; name: string; email: string; role: string }
}

/** Finds a person by email in any case (addresses are stored as given), exactly otherwise. */
export async function userByEmail(db: Db, email: string) {
  const id = await userIdByEmail(db, email)
  return id ? db.user.findUnique({ where: { id } }) : null
}

export async function login(
  db: Db,
  ctx: Pick<WriteContext, 'requestId'>,
  policy: LoginPolicy,
  input: { email: string; password: string; ip: string },
  now: Date,
): Promise<LoginResult> {
  const attempt = await beginLoginAttempt(
    db,
    { subjectHash: subjectHash(input.email), ip: input.ip },
    policy.maxFailures,
    now,
  )
  const user = await userByEmail(db, input.email)
  const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash()), input.password)
  if (!user?.passwordHash || !user.isActive || !matches) throw new UnauthorizedError(BAD_CREDENTIALS)
  return db.$transaction(async (tx) => {
    await loginSucceeded(tx, attempt)
    const session = await createSession(tx, user.id, policy.ttlHours, now)
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } })
    await recordAudit(
      tx,
      { actor: { id: `user:${user.id}` }, requestId: ctx.requestId },
      { entity: 'user', entityId: user.id, action: 'login', changes: {} },
    )
    return { ...session, user: { id: user.id, name: user.name, email: user.email, role: user.role } }
  })
}
