import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { TEST_ADMIN_ID, userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * Explicit sharing on a real PostgreSQL: only someone who may edit a record shares it,
 * a record one cannot see is not found, a read share lets its holder see the record's
 * shares but not share it on, and each share and unshare lands in the record's history.
 */

const ctx = useTestApp({ truncateAfterEach: true })

interface ShareBody {
  id: string
  recordType: string
  recordId: string
  userId: string
  access: string
  grantedBy: string
}

const share = (body: object, headers: Record<string, string>) =>
  ctx.app.inject({ method: 'POST', url: '/v1/shares', payload: body, headers })
const sharesOf = (type: string, id: string, headers: Record<string, string>) =>
  ctx.app.inject({ method: 'GET', url: `/v1/shares?recordType=${type}&recordId=${id}`, headers })

async function accountOwnedBy(ownerId: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { name: `Acme ${ownerId}`, ownerId },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

const historyOf = (entity: string, entityId: string, action: string) =>
  ctx.database.db.auditEvent.findMany({ where: { entity, entityId, action }, orderBy: { id: 'asc' } })

describe('shares', () => {
  it('the owner shares an account; the share and its change are in the account’s history', async () => {
    const db = ctx.database.db
    const owner = await userWithRole(db, 'sdr')
    const colleague = await userWithRole(db, 'sdr')
    const outsider = await userWithRole(db, 'sdr')
    const marketer = await userWithRole(db, 'marketing')
    const account = await accountOwnedBy(owner.id)
    const body = (userId: string, access: string) => ({
      recordType: 'account',
      recordId: account,
      userId,
      access,
    })

    // Not seen: not found. Seen but not editable by role: forbidden.
    expectProblem(await share(body(outsider.id, 'read'), colleague.headers), 404, 'not_found')
    expectProblem(await share(body(colleague.id, 'read'), marketer.headers), 403, 'forbidden')

    const created = await share(body(colleague.id, 'read'), owner.headers)
    expect(created.statusCode, created.body).toBe(201)
    const s = created.json<ShareBody>()
    expect(s).toMatchObject({
      recordType: 'account',
      recordId: account,
      userId: colleague.id,
      access: 'read',
    })
    expect(s.grantedBy).toBe(`user:${owner.id}`)

    const [audit] = await historyOf('account', account, 'share')
    expect(audit).toMatchObject({ actorId: `user:${owner.id}`, requestId: created.headers['x-request-id'] })
    expect(audit!.changes).toEqual({
      userId: { from: null, to: colleague.id },
      access: { from: null, to: 'read' },
    })

    // The colleague now sees the record's shares, but cannot share it on with read access.
    const listed = await sharesOf('account', account, colleague.headers)
    expect(listed.statusCode, listed.body).toBe(200)
    expect(listed.json<{ items: ShareBody[] }>().items.map((x) => x.id)).toEqual([s.id])
    expectProblem(await sharesOf('account', account, outsider.headers), 404, 'not_found')
    expectProblem(await share(body(outsider.id, 'read'), colleague.headers), 403, 'forbidden')

    // Sharing again changes the access.
    const upgraded = await share(body(colleague.id, 'edit'), owner.headers)
    expect(upgraded.statusCode).toBe(200)
    expect(upgraded.json<ShareBody>()).toMatchObject({ id: s.id, access: 'edit' })
    const changes = (await historyOf('account', account, 'share')).map((e) => e.changes)
    expect(changes[1]).toEqual({
      userId: { from: colleague.id, to: colleague.id },
      access: { from: 'read', to: 'edit' },
    })
    expect((await share(body(outsider.id, 'read'), colleague.headers)).statusCode).toBe(201)

    expectProblem(await share(body('nobody', 'read'), owner.headers), 422, 'rule_violation')

    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/v1/shares/${s.id}`,
      headers: owner.headers,
    })
    expect(removed.statusCode, removed.body).toBe(204)
    const [unshare] = await historyOf('account', account, 'unshare')
    expect(unshare).toMatchObject({ actorId: `user:${owner.id}`, requestId: removed.headers['x-request-id'] })
    expect(unshare!.changes).toEqual({
      userId: { from: colleague.id, to: null },
      access: { from: 'edit', to: null },
    })
    expectProblem(await sharesOf('account', account, colleague.headers), 404, 'not_found')
    expectProblem(
      await ctx.app.inject({ method: 'DELETE', url: `/v1/shares/${s.id}`, headers: owner.headers }),
      404,
      'not_found',
    )
  })

  it('an admin shares a lead; someone who cannot see it cannot withdraw the share', async () => {
    const db = ctx.database.db
    const lead = await ctx.app.inject({
      method: 'POST',
      url: '/v1/leads',
      payload: { firstName: 'Asha', email: 'asha@example.in' },
    })
    expect(lead.statusCode, lead.body).toBe(202)
    const leadId = lead.json<{ id: string }>().id
    const sdr = await userWithRole(db, 'sdr')
    const other = await userWithRole(db, 'sdr')
    const res = await share({ recordType: 'lead', recordId: leadId, userId: sdr.id, access: 'read' }, {})
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json<ShareBody>().grantedBy).toBe(`user:${TEST_ADMIN_ID}`)
    expect((await sharesOf('lead', leadId, sdr.headers)).statusCode).toBe(200)

    const id = res.json<ShareBody>().id
    expectProblem(
      await ctx.app.inject({ method: 'DELETE', url: `/v1/shares/${id}`, headers: other.headers }),
      404,
      'not_found',
    )
    expect(await db.recordShare.count()).toBe(1)
  })
})
