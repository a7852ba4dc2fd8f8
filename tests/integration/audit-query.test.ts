import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * GET /v1/audit: the trail by record, actor, action, request and time, newest first with a
 * cursor; and nobody, not even the app's own database connection, can change or remove it.
 */
const ctx = useTestApp({ truncateAfterEach: true })

interface Entry {
  id: string
  entity: string
  entityId: string
  action: string
  actorId: string
  requestId: string | null
  changes: Record<string, { from: unknown; to: unknown }>
  at: string
}
interface Page {
  items: Entry[]
  nextCursor: string | null
}

const audit = async (query: string, headers: Record<string, string> = {}) => {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/audit${query}`, headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Page>()
}

async function createAccount(name: string, requestId: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { name },
    headers: { 'x-request-id': requestId },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

describe('GET /v1/audit', () => {
  it("filters by record, actor, action and request, and shows each field's before and after", async () => {
    const acme = await createAccount('Acme Industries', 'req-acme-create')
    const globex = await createAccount('Globex', 'req-globex-create')
    const edit = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/accounts/${acme}`,
      payload: { industry: 'Manufacturing' },
      headers: { 'x-request-id': 'req-acme-edit' },
    })
    expect(edit.statusCode, edit.body).toBe(200)

    const history = await audit(`?entity=account&entityId=${acme}`)
    expect(history.items.map((e) => e.action)).toEqual(['update', 'create'])
    expect(history.items[0]).toEqual({
      id: expect.any(String),
      entity: 'account',
      entityId: acme,
      action: 'update',
      actorId: 'user:test-admin',
      requestId: 'req-acme-edit',
      changes: { industry: { from: null, to: 'Manufacturing' } },
      at: expect.any(String),
    })
    expect(history.items[1]?.changes).toMatchObject({ name: { from: null, to: 'Acme Industries' } })

    const byActor = await audit('?actorId=user:test-admin&entity=account')
    expect(byActor.items).toHaveLength(3)
    expect((await audit('?action=create&entity=account')).items.map((e) => e.entityId)).toEqual([
      globex,
      acme,
    ])
    expect((await audit('?requestId=req-globex-create')).items.map((e) => e.entityId)).toEqual([globex])
    expect((await audit('?actorId=user:nobody')).items).toEqual([])
  })

  it('pages newest first with a cursor and bounds a time range', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(await createAccount(`Account ${i}`, `req-${i}`))
    const first = await audit('?entity=account&limit=2')
    expect(first.items.map((e) => e.entityId)).toEqual([ids[4], ids[3]])
    const second = await audit(`?entity=account&limit=2&cursor=${first.nextCursor}`)
    expect(second.items.map((e) => e.entityId)).toEqual([ids[2], ids[1]])
    const third = await audit(`?entity=account&limit=2&cursor=${second.nextCursor}`)
    expect(third.items.map((e) => e.entityId)).toEqual([ids[0]])
    expect(third.nextCursor).toBeNull()

    const all = (await audit('?entity=account')).items
    const middle = all[2]!.at
    const since = await audit(`?entity=account&from=${encodeURIComponent(middle)}`)
    expect(since.items.every((e) => e.at >= middle)).toBe(true)
    const before = await audit(`?entity=account&to=${encodeURIComponent(middle)}`)
    expect(before.items.every((e) => e.at < middle)).toBe(true)
    expect(since.items.length + before.items.length).toBe(5)
    expect((await audit('?from=2999-01-01T00:00:00Z')).items).toEqual([])
  })

  it('refuses a cursor it did not hand out, an unknown filter and an unstorable time', async () => {
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/audit?cursor=bogus' }),
      400,
      'malformed_request',
    )
    const forged = Buffer.from(
      JSON.stringify({ v: '2026-01-01T00:00:00Z', id: '99999999999999999999' }),
    ).toString('base64url')
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/v1/audit?cursor=${forged}` }),
      400,
      'malformed_request',
    )
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/v1/audit?who=me' }), 400, 'malformed_request')
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/audit?from=0000-01-01T00:00:00Z' }),
      400,
      'malformed_request',
    )
  })

  it('is for roles that may read the audit trail only', async () => {
    await createAccount('Acme Industries', 'req-1')
    for (const role of ['sales_manager', 'sdr', 'read_only']) {
      const user = await userWithRole(ctx.database.db, role)
      const res = await ctx.app.inject({ method: 'GET', url: '/v1/audit', headers: user.headers })
      expectProblem(res, 403, 'forbidden')
    }
  })
})

describe('the audit trail is append-only', () => {
  it('has no route that changes or removes an entry', async () => {
    await createAccount('Acme Industries', 'req-1')
    const [entry] = (await audit('')).items
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const res = await ctx.app.inject({ method, url: `/v1/audit/${entry!.id}`, payload: {} })
      expect([404, 405]).toContain(res.statusCode)
    }
  })

  it("refuses UPDATE and DELETE through the app's own database connection", async () => {
    await createAccount('Acme Industries', 'req-1')
    const db = ctx.app.services.db
    const row = await db.auditEvent.findFirstOrThrow()
    await expect(
      db.auditEvent.update({ where: { id: row.id }, data: { actorId: 'user:someone-else' } }),
    ).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.update({ where: { id: row.id }, data: { changes: {} } })).rejects.toThrow(
      /append-only/,
    )
    await expect(db.auditEvent.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/)
    await expect(db.$executeRaw`DELETE FROM audit_event`).rejects.toThrow(/append-only/)
    await expect(db.$executeRaw`UPDATE audit_event SET at = now() - interval '1 year'`).rejects.toThrow(
      /append-only/,
    )
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row)
  })
})
