import { randomBytes } from 'node:crypto'
import type { InjectOptions } from 'fastify'
import { uuidv7 } from 'uuidv7'
import type { Db } from '../../platform/database/prisma.js'
import { hashToken, newApiKey } from '../../security/secret-tokens.js'

/*
 * Credentials for tests. Every test database holds an admin with a fixed API key (seeded in
 * the template and again after each truncate), and the test app sends it by default, so a
 * test exercises the real authentication path without repeating it. A test that wants
 * another caller passes its own `authorization`, names a user with `x-leadwire-user` (a key
 * is minted for that user, so their role and visibility apply), or sends ANONYMOUS.
 */

export const TEST_ADMIN_ID = 'test-admin'
export const TEST_ADMIN_KEY = 'lwk_testadmn_' + 'A'.repeat(43)
const TEST_ADMIN_KEY_ID = '00000000-0000-7000-8000-00000000ad31'

/** Headers for a request with no credential at all. */
export const ANONYMOUS = { 'x-test-anonymous': '1' } as const
const NAMED_USER = 'x-leadwire-user'

export async function seedTestAdmin(db: Db): Promise<void> {
  await db.$executeRaw`
    INSERT INTO app_user (id, name, email, role, updated_at)
    VALUES (${TEST_ADMIN_ID}, 'Test Admin', 'test-admin@leadwire.test', 'admin', now())
    ON CONFLICT (id) DO NOTHING`
  await db.$executeRaw`
    INSERT INTO api_key (id, prefix, key_hash, name, user_id, scopes, created_by)
    VALUES (${TEST_ADMIN_KEY_ID}::uuid, 'lwk_testadmn', ${hashToken(TEST_ADMIN_KEY)}, 'tests', ${TEST_ADMIN_ID},
            '{}', 'test')
    ON CONFLICT (id) DO NOTHING`
}

/** A fresh API key for an existing user (their role applies), returned as request headers. */
export async function keyFor(
  db: Db,
  userId: string,
  scopes: string[] = [],
): Promise<{ authorization: string }> {
  const key = newApiKey()
  await db.apiKey.create({
    data: {
      id: uuidv7(),
      prefix: key.prefix,
      keyHash: key.hash,
      name: 'test',
      userId,
      scopes,
      createdBy: 'test',
    },
  })
  return { authorization: `Bearer ${key.key}` }
}

/** A user with a role and, optionally, a manager; returns the headers to call as them. */
export async function userWithRole(
  db: Db,
  role: string,
  options: { id?: string; managerId?: string | null; name?: string } = {},
): Promise<{ id: string; headers: { authorization: string } }> {
  const id = options.id ?? `${role}-${randomBytes(4).toString('hex')}`
  await db.user.create({
    data: {
      id,
      name: options.name ?? `${role} ${id.slice(-4)}`,
      email: `${id}@leadwire.test`,
      role,
      managerId: options.managerId ?? null,
    },
  })
  return { id, headers: await keyFor(db, id) }
}

/**
 * The request as the test app sends it: the test admin's key unless the test chose a
 * caller. Used by buildTestApp's inject.
 */
export async function withTestCredential(
  db: Db,
  opts: InjectOptions | string,
): Promise<InjectOptions | string> {
  const options: InjectOptions = typeof opts === 'string' ? { url: opts } : { ...opts }
  const headers = { ...(options.headers ?? {}) } as Record<string, string | string[] | undefined>
  if (headers['x-test-anonymous']) {
    delete headers['x-test-anonymous']
  } else if (typeof headers[NAMED_USER] === 'string') {
    const userId = headers[NAMED_USER]
    delete headers[NAMED_USER]
    const user = await db.user.findUnique({ where: { id: userId }, select: { id: true } })
    // An unknown user gets a credential that authenticates nobody: a 401, as before.
    headers['authorization'] = user
      ? (await keyFor(db, user.id)).authorization
      : `Bearer lwk_unknown_${userId.length}`
  } else if (!headers['authorization'] && !headers['cookie']) {
    headers['authorization'] = `Bearer ${TEST_ADMIN_KEY}`
  }
  return { ...options, headers }
}
