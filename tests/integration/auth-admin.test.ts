import { describe, expect, it } from 'vitest'
import { builtInRole } from '../../domain/security/roles.rules.js'
import { useTestApp } from '../support/app.js'
import { TEST_ADMIN_ID, userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * Managing people and roles on a real PostgreSQL: users created, listed and edited with
 * role changes and deactivations audited as such, no loops in the reporting line, no
 * lock-out of the admin role or the last admin, role rules that take effect on the next
 * request, and nobody handing out more than they hold. Every write's audit row names the
 * actor and the request and holds each field before and after.
 */

const ctx = useTestApp({ truncateAfterEach: true })

interface UserBody {
  id: string
  name: string
  email: string
  role: string
  managerId: string | null
  isActive: boolean
  hasPassword: boolean
  [field: string]: unknown
}
interface RoleBody {
  name: string
  builtIn: boolean
  customised: boolean
  permissions: Record<string, string[]>
  rowScopes: Record<string, string>
  fieldRules: Record<string, Record<string, string>>
  users: number
}

const send = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, headers = {}) =>
  ctx.app.inject({ method, url, ...(payload ? { payload } : {}), headers })
const get = (url: string, headers = {}) => ctx.app.inject({ method: 'GET', url, headers })

async function createUser(body: object): Promise<UserBody> {
  const res = await send('POST', '/v1/users', body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<UserBody>()
}

const auditOf = (entity: string, entityId: string) =>
  ctx.database.db.auditEvent.findMany({ where: { entity, entityId }, orderBy: { id: 'asc' } })

const rulesOf = (role: string) => {
  const r = builtInRole(role)!
  return { permissions: r.permissions, rowScopes: r.rowScopes, fieldRules: r.fieldRules }
}

describe('users', () => {
  it('creates, lists and reads users, audited without the password', async () => {
    const res = await send('POST', '/v1/users', {
      id: 'priya',
      name: 'Priya Nair',
      email: 'Priya@Example.in',
      role: 'sales_manager',
      password: 'a long enough password',
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['location']).toBe('/v1/users/priya')
    const priya = res.json<UserBody>()
    expect(priya).toMatchObject({
      id: 'priya',
      email: 'priya@example.in',
      role: 'sales_manager',
      hasPassword: true,
    })
    expect(res.body).not.toContain('argon2')
    const rep = await createUser({
      name: 'Arjun Rao',
      email: 'arjun@example.in',
      role: 'sales_rep',
      managerId: 'priya',
    })

    const [audit] = await auditOf('user', 'priya')
    expect(audit).toMatchObject({
      action: 'create',
      actorId: `user:${TEST_ADMIN_ID}`,
      requestId: res.headers['x-request-id'],
    })
    expect(audit!.changes).toEqual({
      name: { from: null, to: 'Priya Nair' },
      email: { from: null, to: 'priya@example.in' },
      role: { from: null, to: 'sales_manager' },
      isActive: { from: null, to: true },
      password: { from: null, to: '(changed)' },
    })

    const reports = await get('/v1/users?managerId=priya')
    expect(reports.json<{ items: UserBody[] }>().items.map((u) => u.id)).toEqual([rep.id])
    const search = await get('/v1/users?q=ARJUN&role=sales_rep')
    expect(search.json<{ items: UserBody[] }>().items.map((u) => u.id)).toEqual([rep.id])
    const page1 = await get('/v1/users?limit=1')
    const first = page1.json<{ items: UserBody[]; nextCursor: string }>()
    const page2 = await get(`/v1/users?limit=1&cursor=${first.nextCursor}`)
    expect(page2.json<{ items: UserBody[] }>().items[0]!.id).not.toBe(first.items[0]!.id)
    expect((await get('/v1/users/priya')).json<UserBody>().name).toBe('Priya Nair')
    expectProblem(await get('/v1/users/nobody'), 404, 'not_found')
  })

  it('refuses an unknown role, a missing manager and a taken email', async () => {
    const role = expectProblem(
      await send('POST', '/v1/users', { name: 'X', email: 'x@example.in', role: 'wizard' }),
      422,
      'rule_violation',
    )
    expect(role.errors?.[0]?.pointer).toBe('/body/role')
    expectProblem(
      await send('POST', '/v1/users', { name: 'X', email: 'x@example.in', role: 'sdr', managerId: 'ghost' }),
      422,
      'rule_violation',
    )
    await createUser({ name: 'X', email: 'x@example.in', role: 'sdr' })
    expectProblem(
      await send('POST', '/v1/users', { name: 'Y', email: 'X@EXAMPLE.IN', role: 'sdr' }),
      409,
      'conflict',
    )
    expectProblem(
      await send('POST', '/v1/users', { name: 'Y', email: 'y@example.in', role: 'sdr', password: 'short' }),
      422,
      'rule_violation',
    )
  })

  it('records a role change as role_change and a deactivation as deactivate, with before and after', async () => {
    const u = await createUser({ name: 'Kavya', email: 'kavya@example.in', role: 'sdr' })
    const res = await send('PATCH', `/v1/users/${u.id}`, { role: 'sales_rep', name: 'Kavya S' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<UserBody>()).toMatchObject({ role: 'sales_rep', name: 'Kavya S' })
    const off = await send('PATCH', `/v1/users/${u.id}`, { isActive: false })
    expect(off.json<UserBody>().isActive).toBe(false)

    const events = await auditOf('user', u.id)
    const byAction = Object.fromEntries(events.map((e) => [e.action, e]))
    expect(byAction['role_change']).toMatchObject({
      actorId: `user:${TEST_ADMIN_ID}`,
      requestId: res.headers['x-request-id'],
      changes: { role: { from: 'sdr', to: 'sales_rep' } },
    })
    expect(byAction['update']).toMatchObject({
      requestId: res.headers['x-request-id'],
      changes: { name: { from: 'Kavya', to: 'Kavya S' } },
    })
    expect(byAction['deactivate']).toMatchObject({
      requestId: off.headers['x-request-id'],
      changes: { isActive: { from: true, to: false } },
    })
  })

  it('refuses a manager who reports to the user (no loops in the reporting line)', async () => {
    const a = await createUser({ id: 'a-head', name: 'A', email: 'a@example.in', role: 'sales_manager' })
    const b = await createUser({
      id: 'b-mid',
      name: 'B',
      email: 'b@example.in',
      role: 'sales_manager',
      managerId: a.id,
    })
    const c = await createUser({
      id: 'c-rep',
      name: 'C',
      email: 'c@example.in',
      role: 'sales_rep',
      managerId: b.id,
    })
    const loop = expectProblem(
      await send('PATCH', `/v1/users/${a.id}`, { managerId: c.id }),
      422,
      'rule_violation',
    )
    expect(loop.errors?.[0]?.pointer).toBe('/body/managerId')
    expectProblem(await send('PATCH', `/v1/users/${a.id}`, { managerId: a.id }), 422, 'rule_violation')
    expect((await get(`/v1/users/${a.id}`)).json<UserBody>().managerId).toBeNull()
    // Moving C under A is fine.
    const moved = await send('PATCH', `/v1/users/${c.id}`, { managerId: a.id })
    expect(moved.statusCode, moved.body).toBe(200)
    const [audit] = (await auditOf('user', c.id)).filter((e) => e.action === 'update')
    expect(audit!.changes).toEqual({ managerId: { from: b.id, to: a.id } })
  })

  it('keeps at least one active admin, and nobody deactivates themselves', async () => {
    expectProblem(
      await send('PATCH', `/v1/users/${TEST_ADMIN_ID}`, { isActive: false }),
      422,
      'rule_violation',
    )
    const last = expectProblem(
      await send('PATCH', `/v1/users/${TEST_ADMIN_ID}`, { role: 'sales_manager' }),
      422,
      'rule_violation',
    )
    expect(last.detail).toMatch(/last active admin/)
    await createUser({ name: 'Second admin', email: 'admin2@example.in', role: 'admin' })
    expect((await send('PATCH', `/v1/users/${TEST_ADMIN_ID}`, { role: 'sales_manager' })).statusCode).toBe(
      200,
    )
  })

  it('an admin sets a password: the person can sign in, their sessions end, the audit holds no hash', async () => {
    const u = await createUser({ name: 'Neha', email: 'neha@example.in', role: 'sdr' })
    const res = await send('POST', `/v1/users/${u.id}/password`, { password: 'first password here' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<UserBody>().hasPassword).toBe(true)
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'neha@example.in', password: 'first password here' },
    })
    expect(login.statusCode).toBe(200)
    const token = login.json<{ token: string }>().token

    const reset = await send('POST', `/v1/users/${u.id}/password`, { password: 'second password here' })
    expect(reset.statusCode).toBe(200)
    expectProblem(await get('/v1/auth/me', { authorization: `Bearer ${token}` }), 401, 'unauthorized')
    const resets = (await auditOf('user', u.id)).filter((e) => e.action === 'password_reset')
    expect(resets.map((e) => e.changes)).toEqual([
      { password: { from: null, to: '(changed)' } },
      { password: { from: '(set)', to: '(changed)' } },
    ])
    expect(resets[1]!.requestId).toBe(reset.headers['x-request-id'])
  })

  it('non-admins may not create users or change roles', async () => {
    const sdr = await userWithRole(ctx.database.db, 'sdr')
    expectProblem(
      await send('POST', '/v1/users', { name: 'X', email: 'x@example.in', role: 'admin' }, sdr.headers),
      403,
      'forbidden',
    )
    expectProblem(
      await send('PATCH', `/v1/users/${sdr.id}`, { role: 'admin' }, sdr.headers),
      403,
      'forbidden',
    )
    expectProblem(await send('PUT', '/v1/roles/sdr', rulesOf('admin'), sdr.headers), 403, 'forbidden')
    expectProblem(await get('/v1/roles', sdr.headers), 403, 'forbidden')
    // Reading the directory is allowed (to assign work).
    expect((await get('/v1/users', sdr.headers)).statusCode).toBe(200)
  })

  it('a user manager cannot hand out, or take over, more than their own rights', async () => {
    await send('PUT', '/v1/roles/people_admin', {
      permissions: { user: ['read', 'create', 'update'], lead: ['read'] },
      rowScopes: { lead: 'all' },
      fieldRules: {},
    })
    const hr = await userWithRole(ctx.database.db, 'people_admin')
    const escalate = expectProblem(
      await send('POST', '/v1/users', { name: 'X', email: 'x@example.in', role: 'admin' }, hr.headers),
      403,
      'forbidden',
    )
    expect(escalate.detail).toMatch(/role admin/)
    expectProblem(
      await send(
        'POST',
        `/v1/users/${TEST_ADMIN_ID}/password`,
        { password: 'taking over admin' },
        hr.headers,
      ),
      403,
      'forbidden',
    )
    expectProblem(await send('PATCH', `/v1/users/${hr.id}`, { role: 'admin' }, hr.headers), 403, 'forbidden')
    const weaker = await send(
      'POST',
      '/v1/users',
      { name: 'Reader', email: 'reader@example.in', role: 'people_admin' },
      hr.headers,
    )
    expect(weaker.statusCode, weaker.body).toBe(201)
  })
})

describe('roles', () => {
  it('lists built-in and custom roles', async () => {
    await userWithRole(ctx.database.db, 'sdr')
    const res = await get('/v1/roles')
    expect(res.statusCode, res.body).toBe(200)
    const roles = res.json<{ items: RoleBody[] }>().items
    const sdr = roles.find((r) => r.name === 'sdr')!
    expect(sdr).toMatchObject({ builtIn: true, customised: false, users: 1 })
    expect(sdr.permissions['lead']).toEqual(['read', 'create', 'update'])
    expect(sdr.fieldRules).toEqual({
      account: { annualRevenue: 'hidden', gstin: 'read_only' },
      opportunity: { amount: 'read_only' },
    })
    expect(roles.map((r) => r.name)).toEqual(
      expect.arrayContaining(['admin', 'sales_manager', 'marketing', 'read_only']),
    )
    expectProblem(await get('/v1/roles/wizard'), 404, 'not_found')
  })

  it('a change takes effect on the next request, is audited before and after, and can be reset', async () => {
    const sdr = await userWithRole(ctx.database.db, 'sdr')
    expect((await get('/v1/leads', sdr.headers)).statusCode).toBe(200)

    const rules = rulesOf('sdr')
    const put = await send('PUT', '/v1/roles/sdr', {
      ...rules,
      permissions: { ...rules.permissions, lead: ['create'] },
    })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json<RoleBody>()).toMatchObject({ customised: true, permissions: { lead: ['create'] } })
    expectProblem(await get('/v1/leads', sdr.headers), 403, 'forbidden')

    const [audit] = await auditOf('role', 'sdr')
    expect(audit).toMatchObject({
      action: 'permission_change',
      actorId: `user:${TEST_ADMIN_ID}`,
      requestId: put.headers['x-request-id'],
    })
    const changes = audit!.changes as Record<
      string,
      { from: Record<string, string[]>; to: Record<string, string[]> }
    >
    expect(Object.keys(changes)).toEqual(['permissions'])
    expect(changes['permissions']!.from['lead']).toEqual(['read', 'create', 'update'])
    expect(changes['permissions']!.to['lead']).toEqual(['create'])

    const reset = await send('DELETE', '/v1/roles/sdr/settings')
    expect(reset.statusCode, reset.body).toBe(200)
    expect(reset.json<RoleBody>()).toMatchObject({
      customised: false,
      permissions: { lead: ['read', 'create', 'update'] },
    })
    expect((await get('/v1/leads', sdr.headers)).statusCode).toBe(200)
    const resetAudit = (await auditOf('role', 'sdr'))[1]!
    expect(resetAudit).toMatchObject({
      action: 'permission_change',
      requestId: reset.headers['x-request-id'],
    })
    expectProblem(await send('DELETE', '/v1/roles/sdr/settings'), 404, 'not_found')
  })

  it('refuses taking away the admin role’s rights to manage roles and users', async () => {
    const rules = rulesOf('admin')
    const res = expectProblem(
      await send('PUT', '/v1/roles/admin', {
        ...rules,
        permissions: { ...rules.permissions, role: ['read'], user: ['read'] },
      }),
      422,
      'rule_violation',
    )
    expect(res.errors?.map((e) => e.pointer)).toEqual(['/body/permissions/role', '/body/permissions/user'])
    expect(await ctx.database.db.roleSetting.count()).toBe(0)
    // Taking away something else is allowed.
    const ok = await send('PUT', '/v1/roles/admin', {
      ...rules,
      permissions: { ...rules.permissions, privacy: ['read'] },
    })
    expect(ok.statusCode, ok.body).toBe(200)
  })

  it('refuses unknown objects, actions, scopes and fields with pointers', async () => {
    const res = expectProblem(
      await send('PUT', '/v1/roles/sdr', {
        permissions: { lead: ['read', 'fly'], spaceship: ['read'] },
        rowScopes: { lead: 'galaxy' },
        fieldRules: { lead: { shoeSize: 'hidden' } },
      }),
      422,
      'validation_failed',
    )
    const pointers = res.errors?.map((e) => e.pointer) ?? []
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/body/permissions/lead/1',
        '/body/permissions/spaceship',
        '/body/rowScopes/lead',
        '/body/fieldRules/lead/shoeSize',
      ]),
    )
  })

  it('custom roles: defined by PUT, given to people, removed once nobody holds them', async () => {
    const put = await send('PUT', '/v1/roles/auditor', {
      permissions: { audit: ['read'], lead: ['read'] },
      rowScopes: { lead: 'all' },
      fieldRules: { lead: { phone: 'hidden' } },
    })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json<RoleBody>()).toMatchObject({ builtIn: false, customised: false })
    const u = await createUser({ name: 'Auditor', email: 'auditor@example.in', role: 'auditor' })
    expectProblem(await send('DELETE', '/v1/roles/auditor/settings'), 409, 'conflict')
    await send('PATCH', `/v1/users/${u.id}`, { role: 'read_only' })
    const removed = await send('DELETE', '/v1/roles/auditor/settings')
    expect(removed.statusCode, removed.body).toBe(204)
    expectProblem(await get('/v1/roles/auditor'), 404, 'not_found')
    expect((await auditOf('role', 'auditor')).map((e) => e.action)).toEqual(['permission_change', 'delete'])
  })
})
