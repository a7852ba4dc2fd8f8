import { uuidv7 } from 'uuidv7'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * Row-level access to accounts, contacts and deals, per role, on a real PostgreSQL. The
 * org: an admin; a sales manager M with a rep R1 and an SDR S1 reporting to M; a rep R2
 * under nobody; a read-only user. R1 and R2 each own an account with a contact and a deal;
 * S1 owns a deal on R2's account (a deal is seen by its owner's line as well as with its
 * account). The world is built once; tests that change it put it back.
 */

const ctx = useTestApp()

type Headers = Record<string, string>
interface World {
  admin: Headers
  m: { id: string; headers: Headers }
  r1: { id: string; headers: Headers }
  s1: { id: string; headers: Headers }
  r2: { id: string; headers: Headers }
  ro: { id: string; headers: Headers }
  a1: string
  a2: string
  a0: string
  c1: string
  c2: string
  d1: string
  d2: string
  d3: string
}
const w = {} as World

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers = {}, payload?: object) =>
  ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

async function created(method: 'POST', url: string, payload: object, headers: Headers = {}): Promise<string> {
  const res = await call(method, url, headers, payload)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

const ids = async (url: string, headers: Headers) => {
  const res = await call('GET', url, headers)
  expect(res.statusCode, res.body).toBe(200)
  return res
    .json<{ items: { id: string }[] }>()
    .items.map((i) => i.id)
    .sort()
}
const sorted = (...xs: string[]) => [...xs].sort()
const closeDate = () => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)

const deal = (accountId: string, name: string, ownerId?: string) => ({
  accountId,
  name,
  amount: 100_000,
  closeDate: closeDate(),
  ...(ownerId ? { ownerId } : {}),
})

async function share(recordType: string, recordId: string, userId: string, access: 'read' | 'edit') {
  await ctx.database.db.recordShare.deleteMany({ where: { recordType, recordId, userId } })
  await ctx.database.db.recordShare.create({
    data: { id: uuidv7(), recordType, recordId, userId, access, grantedBy: 'test-admin' },
  })
}
const unshareAll = () => ctx.database.db.recordShare.deleteMany({})

beforeAll(async () => {
  const db = ctx.database.db
  w.admin = {}
  w.m = await userWithRole(db, 'sales_manager', { id: 'mgr-m' })
  w.r1 = await userWithRole(db, 'sales_rep', { id: 'rep-r1', managerId: w.m.id })
  w.s1 = await userWithRole(db, 'sdr', { id: 'sdr-s1', managerId: w.m.id })
  w.r2 = await userWithRole(db, 'sales_rep', { id: 'rep-r2' })
  w.ro = await userWithRole(db, 'read_only', { id: 'viewer' })

  w.a1 = await created('POST', '/v1/accounts', {
    name: 'Zenith Steel',
    ownerId: w.r1.id,
    domain: 'zenith.in',
  })
  w.a2 = await created('POST', '/v1/accounts', {
    name: 'Zenith Foods',
    ownerId: w.r2.id,
    domain: 'zfoods.in',
  })
  w.a0 = await created('POST', '/v1/accounts', { name: 'Zenith Unowned' })
  w.c1 = await created('POST', '/v1/contacts', {
    accountId: w.a1,
    firstName: 'Meera',
    email: 'meera@zenith.in',
  })
  w.c2 = await created('POST', '/v1/contacts', {
    accountId: w.a2,
    firstName: 'Meena',
    email: 'meena@zfoods.in',
  })
  w.d1 = await created('POST', '/v1/opportunities', deal(w.a1, 'Steel plan', w.r1.id))
  w.d2 = await created('POST', '/v1/opportunities', deal(w.a2, 'Foods plan', w.r2.id))
  w.d3 = await created('POST', '/v1/opportunities', deal(w.a2, 'Foods upsell by SDR', w.s1.id))
})

describe('lists and search', () => {
  it('show each role exactly the accounts, contacts and deals its scope and line allow', async () => {
    const expected: [Headers, string[], string[], string[]][] = [
      [w.admin, [w.a0, w.a1, w.a2], [w.c1, w.c2], [w.d1, w.d2, w.d3]],
      [w.ro.headers, [w.a0, w.a1, w.a2], [w.c1, w.c2], [w.d1, w.d2, w.d3]],
      [w.m.headers, [w.a1], [w.c1], [w.d1, w.d3]],
      [w.r1.headers, [w.a1], [w.c1], [w.d1]],
      [w.s1.headers, [], [], [w.d3]],
      [w.r2.headers, [w.a2], [w.c2], [w.d2, w.d3]],
    ]
    for (const [headers, accounts, contacts, deals] of expected) {
      expect(await ids('/v1/accounts', headers)).toEqual(sorted(...accounts))
      expect(await ids('/v1/contacts', headers)).toEqual(sorted(...contacts))
      expect(await ids('/v1/opportunities', headers)).toEqual(sorted(...deals))
    }
  })

  it('keep text search and filters inside the visible rows', async () => {
    expect(await ids('/v1/accounts?q=zenith', w.r1.headers)).toEqual([w.a1])
    expect(await ids('/v1/accounts?q=foods', w.r1.headers)).toEqual([])
    expect(await ids(`/v1/accounts?ownerId=${w.r2.id}`, w.m.headers)).toEqual([])
    expect(await ids(`/v1/accounts?ownerId=${w.r1.id}`, w.m.headers)).toEqual([w.a1])
    expect(await ids('/v1/contacts?q=mee', w.r2.headers)).toEqual([w.c2])
    expect(await ids(`/v1/contacts?accountId=${w.a1}`, w.r2.headers)).toEqual([])
    expect(await ids(`/v1/opportunities?accountId=${w.a2}`, w.r1.headers)).toEqual([])
    expect(await ids(`/v1/opportunities?accountId=${w.a2}`, w.m.headers)).toEqual([w.d3])
    expect(await ids(`/v1/opportunities?ownerId=${w.r2.id}`, w.m.headers)).toEqual([])
  })
})

describe('reads by id', () => {
  it("answer 404 for another's record, as for one that does not exist", async () => {
    const missing = uuidv7()
    const accounts: [string, string][] = [
      [`/v1/accounts/${w.a2}`, w.a2],
      [`/v1/accounts/${w.a2}/history`, w.a2],
      [`/v1/accounts/${w.a0}`, w.a0],
    ]
    for (const [url, id] of accounts) {
      const problem = expectProblem(await call('GET', url, w.r1.headers), 404, 'not_found')
      expect(problem.detail).toBe(`account ${id} does not exist`)
    }
    expectProblem(await call('GET', `/v1/accounts/${missing}`, w.r1.headers), 404, 'not_found')
    expectProblem(await call('GET', `/v1/contacts/${w.c2}`, w.r1.headers), 404, 'not_found')
    expectProblem(await call('GET', `/v1/opportunities/${w.d2}`, w.r1.headers), 404, 'not_found')
    expectProblem(await call('GET', `/v1/opportunities/${w.d3}`, w.r1.headers), 404, 'not_found')
    expectProblem(await call('GET', `/v1/accounts/${w.a1}`, w.r2.headers), 404, 'not_found')
    expectProblem(await call('GET', `/v1/accounts/${w.a2}`, w.s1.headers), 404, 'not_found')
  })

  it('let the manager read the team, the owner his own, and the deal owner a deal on an account he cannot see', async () => {
    for (const url of [`/v1/accounts/${w.a1}`, `/v1/accounts/${w.a1}/history`, `/v1/contacts/${w.c1}`]) {
      expect((await call('GET', url, w.m.headers)).statusCode).toBe(200)
      expect((await call('GET', url, w.r1.headers)).statusCode).toBe(200)
      expect((await call('GET', url, w.ro.headers)).statusCode).toBe(200)
    }
    expect((await call('GET', `/v1/opportunities/${w.d3}`, w.m.headers)).statusCode).toBe(200)
    expect((await call('GET', `/v1/opportunities/${w.d3}`, w.s1.headers)).statusCode).toBe(200)
    expect((await call('GET', `/v1/opportunities/${w.d3}`, w.r2.headers)).statusCode).toBe(200)
    const account = await call('GET', `/v1/accounts/${w.a2}`, w.r2.headers)
    expect(account.json()).toMatchObject({ id: w.a2, counts: { contacts: 1, openOpportunities: 2 } })
  })
})

describe('changes', () => {
  it("answer 404 to every command on another's record and change nothing", async () => {
    const before = await ctx.database.db.auditEvent.count()
    const attempts: [string, string, object?][] = [
      ['PATCH', `/v1/accounts/${w.a2}`, { industry: 'Food' }],
      ['POST', `/v1/accounts/${w.a2}/deactivate`, { reason: 'gone' }],
      ['POST', `/v1/accounts/${w.a0}/deactivate`, { reason: 'gone' }],
      ['PATCH', `/v1/contacts/${w.c2}`, { title: 'CFO' }],
      ['POST', `/v1/contacts/${w.c2}/make-primary`],
      ['POST', `/v1/contacts/${w.c2}/deactivate`],
      ['PATCH', `/v1/opportunities/${w.d2}`, { name: 'Mine now' }],
      ['POST', `/v1/opportunities/${w.d2}/stage`, { stage: 'proposal' }],
      ['POST', `/v1/opportunities/${w.d2}/win`, { reason: 'price' }],
      ['POST', `/v1/opportunities/${w.d2}/lose`, { reason: 'price' }],
    ]
    for (const [method, url, body] of attempts) {
      const res = await call(method as 'POST', url, w.r1.headers, body ?? {})
      expectProblem(res, 404, 'not_found')
    }
    const reactivate = await call('POST', `/v1/accounts/${w.a2}/reactivate`, w.r1.headers)
    expectProblem(reactivate, 404, 'not_found')
    expect(await ctx.database.db.auditEvent.count()).toBe(before)
  })

  it("let the manager change his rep's account, contact and deal", async () => {
    const patched = await call('PATCH', `/v1/accounts/${w.a1}`, w.m.headers, { industry: 'Steel' })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json()).toMatchObject({ industry: 'Steel', ownerId: w.r1.id })
    const contact = await call('PATCH', `/v1/contacts/${w.c1}`, w.m.headers, { title: 'Head of Purchase' })
    expect(contact.statusCode, contact.body).toBe(200)
    const stage = await call('POST', `/v1/opportunities/${w.d1}/stage`, w.m.headers, { stage: 'proposal' })
    expect(stage.statusCode, stage.body).toBe(200)
    const own = await call('PATCH', `/v1/opportunities/${w.d1}`, w.r1.headers, { name: 'Steel plan 2' })
    expect(own.statusCode, own.body).toBe(200)
  })

  it('refuse every write to the read-only role (403) while it reads everything', async () => {
    const attempts: [string, string, object][] = [
      ['POST', '/v1/accounts', { name: 'Nope' }],
      ['PATCH', `/v1/accounts/${w.a1}`, { industry: 'x' }],
      ['POST', `/v1/accounts/${w.a1}/deactivate`, { reason: 'x' }],
      ['POST', '/v1/contacts', { accountId: w.a1, firstName: 'X' }],
      ['PATCH', `/v1/contacts/${w.c1}`, { title: 'x' }],
      ['POST', '/v1/opportunities', deal(w.a1, 'Nope')],
      ['POST', `/v1/opportunities/${w.d1}/stage`, { stage: 'negotiation' }],
    ]
    for (const [method, url, body] of attempts)
      expectProblem(await call(method as 'POST', url, w.ro.headers, body), 403, 'forbidden')
  })
})

describe('creating', () => {
  it("makes the caller the owner of a new account, and refuses an owner outside the caller's line", async () => {
    const own = await call('POST', '/v1/accounts', w.r1.headers, { name: 'Rep account' })
    expect(own.statusCode, own.body).toBe(201)
    expect(own.json()).toMatchObject({ ownerId: w.r1.id })
    expect(
      (await call('GET', `/v1/accounts/${own.json<{ id: string }>().id}`, w.r1.headers)).statusCode,
    ).toBe(200)

    const forRep = await call('POST', '/v1/accounts', w.m.headers, { name: 'For R1', ownerId: w.r1.id })
    expect(forRep.statusCode, forRep.body).toBe(201)
    expectProblem(
      await call('POST', '/v1/accounts', w.m.headers, { name: 'For R2', ownerId: w.r2.id }),
      403,
      'forbidden',
    )
    expectProblem(
      await call('POST', '/v1/accounts', w.r1.headers, { name: 'For M', ownerId: w.m.id }),
      403,
      'forbidden',
    )
    const byAdmin = await call('POST', '/v1/accounts', w.admin, { name: 'Admin, no owner' })
    expect(byAdmin.json()).toMatchObject({ ownerId: null })
  })

  it('refuses to hand an existing account or deal to someone outside the line (403)', async () => {
    expectProblem(
      await call('PATCH', `/v1/accounts/${w.a1}`, w.m.headers, { ownerId: w.r2.id }),
      403,
      'forbidden',
    )
    expectProblem(
      await call('PATCH', `/v1/opportunities/${w.d1}`, w.r1.headers, { ownerId: w.r2.id }),
      403,
      'forbidden',
    )
    const same = await call('PATCH', `/v1/accounts/${w.a1}`, w.r1.headers, { ownerId: w.r1.id })
    expect(same.statusCode, same.body).toBe(200)
  })

  it('answers a contact or deal on an account the caller cannot see as on a missing account (422)', async () => {
    const missing = uuidv7()
    const contactOn = async (accountId: string) =>
      expectProblem(
        await call('POST', '/v1/contacts', w.r1.headers, { accountId, firstName: 'Ravi' }),
        422,
        'rule_violation',
      ).errors
    expect(await contactOn(w.a2)).toEqual([
      { pointer: '/body/accountId', message: `no account ${w.a2} exists` },
    ])
    expect(await contactOn(missing)).toEqual([
      { pointer: '/body/accountId', message: `no account ${missing} exists` },
    ])
    const dealOn = async (accountId: string) =>
      expectProblem(
        await call('POST', '/v1/opportunities', w.r1.headers, deal(accountId, 'X')),
        422,
        'rule_violation',
      ).errors
    expect(await dealOn(w.a2)).toEqual([{ pointer: '/body/accountId', message: 'does not exist' }])
    expect(await dealOn(missing)).toEqual([{ pointer: '/body/accountId', message: 'does not exist' }])
  })

  it("refuses a deal owned by someone outside the team (403) and defaults a new deal's owner to the account's", async () => {
    expectProblem(
      await call('POST', '/v1/opportunities', w.m.headers, deal(w.a1, 'For R2', w.r2.id)),
      403,
      'forbidden',
    )
    expectProblem(
      await call('POST', '/v1/opportunities', w.s1.headers, deal(w.a1, 'For R1', w.r1.id)),
      403,
      'forbidden',
    )
    const forTeam = await call('POST', '/v1/opportunities', w.m.headers, deal(w.a1, 'Team deal', w.s1.id))
    expect(forTeam.statusCode, forTeam.body).toBe(201)
    const byDefault = await call('POST', '/v1/opportunities', w.m.headers, deal(w.a1, 'Default owner'))
    expect(byDefault.statusCode, byDefault.body).toBe(201)
    expect(byDefault.json()).toMatchObject({ ownerId: w.r1.id })
  })
})

describe('shares', () => {
  it("a read share opens R1's account, its contacts and deals to R2, without letting him change them", async () => {
    await share('account', w.a1, w.r2.id, 'read')
    try {
      expect((await call('GET', `/v1/accounts/${w.a1}`, w.r2.headers)).statusCode).toBe(200)
      expect(await ids('/v1/accounts', w.r2.headers)).toEqual(sorted(w.a1, w.a2))
      expect(await ids(`/v1/contacts?accountId=${w.a1}`, w.r2.headers)).toEqual([w.c1])
      expect((await call('GET', `/v1/contacts/${w.c1}`, w.r2.headers)).statusCode).toBe(200)
      expect((await call('GET', `/v1/opportunities/${w.d1}`, w.r2.headers)).statusCode).toBe(200)
      expect(await ids(`/v1/opportunities?accountId=${w.a1}`, w.r2.headers)).toContain(w.d1)

      const writes: [string, string, object][] = [
        ['PATCH', `/v1/accounts/${w.a1}`, { industry: 'Shared' }],
        ['POST', `/v1/accounts/${w.a1}/deactivate`, { reason: 'x' }],
        ['PATCH', `/v1/contacts/${w.c1}`, { title: 'x' }],
        ['POST', `/v1/contacts/${w.c1}/make-primary`, {}],
        ['POST', `/v1/opportunities/${w.d1}/stage`, { stage: 'negotiation' }],
        ['POST', '/v1/contacts', { accountId: w.a1, firstName: 'Added' }],
        ['POST', '/v1/opportunities', deal(w.a1, 'Added')],
      ]
      for (const [method, url, body] of writes)
        expectProblem(await call(method as 'POST', url, w.r2.headers, body), 403, 'forbidden')
    } finally {
      await unshareAll()
    }
    expectProblem(await call('GET', `/v1/accounts/${w.a1}`, w.r2.headers), 404, 'not_found')
  })

  it('an edit share lets him change them', async () => {
    await share('account', w.a1, w.r2.id, 'edit')
    try {
      const account = await call('PATCH', `/v1/accounts/${w.a1}`, w.r2.headers, {
        industry: 'Steel & Alloys',
        ownerId: w.r1.id,
      })
      expect(account.statusCode, account.body).toBe(200)
      const contact = await call('PATCH', `/v1/contacts/${w.c1}`, w.r2.headers, { title: 'Director' })
      expect(contact.statusCode, contact.body).toBe(200)
      const stage = await call('POST', `/v1/opportunities/${w.d1}/stage`, w.r2.headers, {
        stage: 'negotiation',
      })
      expect(stage.statusCode, stage.body).toBe(200)
      const added = await call('POST', '/v1/contacts', w.r2.headers, { accountId: w.a1, firstName: 'Added' })
      expect(added.statusCode, added.body).toBe(201)
      expectProblem(
        await call('PATCH', `/v1/accounts/${w.a1}`, w.r2.headers, { ownerId: w.r2.id }),
        403,
        'forbidden',
      )
    } finally {
      await unshareAll()
    }
  })

  it('a share of a deal opens that deal only, not its account', async () => {
    await share('opportunity', w.d1, w.r2.id, 'read')
    try {
      expect((await call('GET', `/v1/opportunities/${w.d1}`, w.r2.headers)).statusCode).toBe(200)
      expectProblem(await call('GET', `/v1/accounts/${w.a1}`, w.r2.headers), 404, 'not_found')
      expectProblem(
        await call('POST', `/v1/opportunities/${w.d1}/stage`, w.r2.headers, { stage: 'proposal' }),
        403,
        'forbidden',
      )
    } finally {
      await unshareAll()
    }
  })
})
