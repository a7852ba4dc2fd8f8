import { describe, expect, it } from 'vitest'
import { insertOpportunity } from '../../crm/opportunities.js'
import { gstinCheckCharacter } from '../../domain/account/gstin.rules.js'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'

/*
 * Accounts through the API on a real PostgreSQL: validation, the unique domain and GSTIN,
 * filters and keyset pages, edits audited field by field, deactivation instead of deletion,
 * and the history endpoint.
 */

const ctx = useTestApp({ truncateAfterEach: true })

const MAHARASHTRA_GSTIN = '27AAPFU0939F1ZV'
const withCheck = (first14: string) => `${first14}${gstinCheckCharacter(first14)}`
const KARNATAKA_GSTIN = withCheck('29AABCT1332L1Z')
const DELHI_GSTIN = withCheck('07AAACR5055K1Z')

interface AccountBody {
  id: string
  name: string
  type: string
  domain: string | null
  gstin: string | null
  stateCode: string | null
  isActive: boolean
  deactivatedAt: string | null
  deactivationReason: string | null
  healthScore: number
  createdBy: string
  [field: string]: unknown
}
interface Page<T> {
  items: T[]
  nextCursor: string | null
}
interface HistoryEvent {
  id: string
  action: string
  actorId: string
  requestId: string | null
  changes: Record<string, { from: unknown; to: unknown }>
}

const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}), headers })
const get = (url: string) => ctx.app.inject({ method: 'GET', url })
const patch = (url: string, payload: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'PATCH', url, payload, headers })

async function createAccount(body: object, headers: Record<string, string> = {}): Promise<AccountBody> {
  const res = await post('/v1/accounts', body, headers)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<AccountBody>()
}

const auditOf = (entityId: string) =>
  ctx.database.db.auditEvent.findMany({ where: { entity: 'account', entityId }, orderBy: { id: 'asc' } })

describe('POST /v1/accounts', () => {
  it('creates an account in canonical form, derives the GST state code and audits the creation', async () => {
    const res = await post('/v1/accounts', {
      name: '  Acme   Industries ',
      type: 'customer',
      industry: 'Manufacturing',
      companySize: '51-200',
      annualRevenue: 125_000_000.5,
      currency: 'INR',
      domain: 'https://www.Acme.CO.IN/about',
      gstin: MAHARASHTRA_GSTIN.toLowerCase(),
      addressLine1: 'Plot 12, MIDC',
      city: 'Pune',
      state: 'Maharashtra',
      postalCode: '411019',
      country: 'IN',
    })
    expect(res.statusCode, res.body).toBe(201)
    const account = res.json<AccountBody>()
    expect(res.headers['location']).toBe(`/v1/accounts/${account.id}`)
    expect(account).toMatchObject({
      name: 'Acme Industries',
      type: 'customer',
      annualRevenue: 125_000_000.5,
      domain: 'acme.co.in',
      gstin: MAHARASHTRA_GSTIN,
      stateCode: '27',
      lifecycleStage: 'MQA',
      healthScore: 50,
      isActive: true,
      primaryContactId: null,
      createdBy: 'user:test-admin',
    })
    const stored = await ctx.database.db.account.findUniqueOrThrow({ where: { id: account.id } })
    expect(stored.stateCode).toBe('27')
    const [audit, ...more] = await auditOf(account.id)
    expect(more).toEqual([])
    expect(audit).toMatchObject({ action: 'create', actorId: 'user:test-admin' })
    expect(audit?.requestId).toEqual(expect.any(String))
    expect(audit?.changes).toMatchObject({
      name: { from: null, to: 'Acme Industries' },
      gstin: { from: null, to: MAHARASHTRA_GSTIN },
      stateCode: { from: null, to: '27' },
      annualRevenue: { from: null, to: 125_000_000.5 },
    })
  })

  it('refuses a GSTIN with a bad check character at /body/gstin and writes nothing', async () => {
    const res = await post('/v1/accounts', { name: 'Typo Traders', gstin: '27AAPFU0939F1ZA' })
    const problem = expectProblem(res, 422, 'rule_violation')
    expect(problem.errors).toEqual([
      { pointer: '/body/gstin', message: expect.stringContaining('check character') },
    ])
    expect(await ctx.database.db.account.count()).toBe(0)
    expect(await ctx.database.db.auditEvent.count()).toBe(0)
  })

  it('refuses a state code that disagrees with the GSTIN', async () => {
    const res = await post('/v1/accounts', { name: 'Acme', gstin: MAHARASHTRA_GSTIN, stateCode: '29' })
    const problem = expectProblem(res, 422, 'rule_violation')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/body/stateCode'])
    expect(await ctx.database.db.account.count()).toBe(0)
  })

  it('answers 409 naming the account that has the GSTIN or the domain already', async () => {
    const first = await createAccount({ name: 'Acme', domain: 'acme.co.in', gstin: MAHARASHTRA_GSTIN })

    const sameGstin = await post('/v1/accounts', { name: 'Acme Pune', gstin: MAHARASHTRA_GSTIN })
    const gstinProblem = expectProblem(sameGstin, 409, 'conflict')
    expect(gstinProblem.detail).toContain(first.id)
    expect(gstinProblem.errors).toEqual([
      { pointer: '/body/gstin', message: expect.stringContaining(first.id) },
    ])

    // Another spelling of the same registrable domain is the same company.
    const sameDomain = await post('/v1/accounts', { name: 'Acme Sales', domain: 'SALES.acme.co.in' })
    const domainProblem = expectProblem(sameDomain, 409, 'conflict')
    expect(domainProblem.detail).toContain(first.id)
    expect(domainProblem.errors?.[0]?.pointer).toBe('/body/domain')

    expect(await ctx.database.db.account.count()).toBe(1)
    expect(await ctx.database.db.auditEvent.count()).toBe(1)
  })

  it('lets the unique index decide between two creates of one company at the same instant', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => post('/v1/accounts', { name: `Acme ${i}`, domain: 'acme.io' })),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409])
    const winner = results.find((r) => r.statusCode === 201)!.json<AccountBody>()
    for (const loser of results.filter((r) => r.statusCode === 409))
      expect(loser.json<{ detail: string }>().detail).toContain(winner.id)
    expect(await ctx.database.db.account.count()).toBe(1)
  })

  it('wants the owner to be a user', async () => {
    const res = await post('/v1/accounts', { name: 'Acme', ownerId: 'nobody' })
    expect(expectProblem(res, 422, 'rule_violation').errors?.[0]?.pointer).toBe('/body/ownerId')
    await ctx.database.db.user.create({
      data: { id: 'u-owner', name: 'Priya Nair', email: 'priya@leadwire.test' },
    })
    expect((await createAccount({ name: 'Acme', ownerId: 'u-owner' })).ownerId).toBe('u-owner')
  })

  it('refuses fields the schema does not know, and read-only ones, as 422', async () => {
    for (const extra of [{ lifecycleStage: 'Customer' }, { healthScore: 90 }, { isActive: false }]) {
      const res = await post('/v1/accounts', { name: 'Acme', ...extra })
      expectProblem(res, 422, 'validation_failed')
    }
    expect(await ctx.database.db.account.count()).toBe(0)
  })

  it('attributes the write to the user named in X-Leadwire-User', async () => {
    await ctx.database.db.user.create({
      data: { id: 'u-asha', name: 'Asha Rao', email: 'asha@leadwire.test' },
    })
    const account = await createAccount({ name: 'Acme' }, { 'x-leadwire-user': 'u-asha' })
    expect(account.createdBy).toBe('user:u-asha')
    const [audit] = await auditOf(account.id)
    expect(audit?.actorId).toBe('user:u-asha')
  })
})

describe('GET /v1/accounts', () => {
  async function seed() {
    await ctx.database.db.user.create({ data: { id: 'u-1', name: 'Ravi', email: 'ravi@leadwire.test' } })
    const made = {
      alpha: await createAccount({
        name: 'Alpha Steel',
        type: 'customer',
        industry: 'Steel',
        ownerId: 'u-1',
      }),
      beta: await createAccount({ name: 'Beta Foods', type: 'prospect', industry: 'Food' }),
      gamma: await createAccount({ name: 'gamma steelworks', type: 'partner', industry: 'steel' }),
      delta: await createAccount({ name: 'Delta Logistics', type: 'customer', ownerId: 'u-1' }),
      epsilon: await createAccount({ name: 'Epsilon Retail', type: 'vendor' }),
    }
    await ctx.database.db.account.update({ where: { id: made.alpha.id }, data: { healthScore: 20 } })
    await ctx.database.db.account.update({
      where: { id: made.delta.id },
      data: { healthScore: 80, lifecycleStage: 'Customer' },
    })
    return made
  }
  const names = (res: { json: <T>() => T }) => res.json<Page<AccountBody>>().items.map((a) => a.name)

  it('filters by name, owner, type, stage, industry and health', async () => {
    await seed()
    expect(names(await get('/v1/accounts?q=STEEL'))).toEqual(['Alpha Steel', 'gamma steelworks'])
    expect(names(await get('/v1/accounts?ownerId=u-1'))).toEqual(['Alpha Steel', 'Delta Logistics'])
    expect(names(await get('/v1/accounts?type=customer'))).toEqual(['Alpha Steel', 'Delta Logistics'])
    expect(names(await get('/v1/accounts?lifecycleStage=Customer'))).toEqual(['Delta Logistics'])
    expect(names(await get('/v1/accounts?industry=STEEL'))).toEqual(['Alpha Steel', 'gamma steelworks'])
    expect(names(await get('/v1/accounts?healthBelow=50'))).toEqual(['Alpha Steel'])
    expect(names(await get('/v1/accounts?healthAtLeast=80'))).toEqual(['Delta Logistics'])
    expect(names(await get('/v1/accounts?healthAtLeast=50&healthBelow=51&type=customer'))).toEqual([])
    expectProblem(await get('/v1/accounts?type=supplier'), 400, 'malformed_request')
  })

  it('lists active accounts unless asked for inactive ones', async () => {
    const { beta } = await seed()
    expect((await post(`/v1/accounts/${beta.id}/deactivate`, { reason: 'Closed down' })).statusCode).toBe(200)
    expect(names(await get('/v1/accounts'))).not.toContain('Beta Foods')
    expect(names(await get('/v1/accounts?isActive=false'))).toEqual(['Beta Foods'])
  })

  it('pages by name then id with nextCursor, without overlap or gaps', async () => {
    await seed()
    // Two accounts with one name: the id breaks the tie across a page boundary.
    await createAccount({ name: 'Beta Foods' })
    const all = names(await get('/v1/accounts?limit=200'))
    expect(all).toHaveLength(6)
    const seen: string[] = []
    const ids = new Set<string>()
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await get(`/v1/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode, res.body).toBe(200)
      const page = res.json<Page<AccountBody>>()
      for (const a of page.items) ids.add(a.id)
      seen.push(...page.items.map((a) => a.name))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(ids.size).toBe(6)
    expect(seen).toEqual(all)
    expect(all).toEqual([
      'Alpha Steel',
      'Beta Foods',
      'Beta Foods',
      'Delta Logistics',
      'Epsilon Retail',
      'gamma steelworks',
    ])
    expectProblem(await get('/v1/accounts?cursor=not-a-cursor'), 400, 'malformed_request')
  })
})

describe('GET /v1/accounts/:id', () => {
  it('shows the primary contact and counts active contacts and open opportunities', async () => {
    const account = await createAccount({ name: 'Acme', country: 'IN' })
    const contact = await post('/v1/contacts', {
      accountId: account.id,
      firstName: 'Meera',
      lastName: 'Iyer',
      email: 'Meera@Acme.co.in',
    })
    expect(contact.statusCode, contact.body).toBe(201)
    const other = await post('/v1/contacts', { accountId: account.id, lastName: 'Shah' })
    await post(`/v1/contacts/${other.json<{ id: string }>().id}/deactivate`)
    await ctx.database.db.$transaction(async (tx) => {
      for (const stage of ['proposal', 'closed_won'] as const)
        await insertOpportunity(
          tx,
          { actor: { id: 'test' } },
          {
            accountId: account.id,
            name: `Deal ${stage}`,
            kind: 'new_business',
            amount: 100000,
            currency: 'INR',
            stage,
            probability: stage === 'proposal' ? 50 : 100,
            closeDate: '2030-01-31',
            ownerId: null,
            today: '2026-01-01',
            at: new Date(),
          },
        )
    })

    const res = await get(`/v1/accounts/${account.id}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      id: account.id,
      primaryContactId: contact.json<{ id: string }>().id,
      primaryContact: {
        id: contact.json<{ id: string }>().id,
        firstName: 'Meera',
        lastName: 'Iyer',
        email: 'meera@acme.co.in',
      },
      counts: { contacts: 1, openOpportunities: 1 },
    })
    expectProblem(await get('/v1/accounts/0190a5f0-0000-7000-8000-000000000000'), 404, 'not_found')
    expectProblem(await get('/v1/accounts/not-a-uuid'), 400, 'malformed_request')
  })
})

describe('PATCH /v1/accounts/:id', () => {
  it('changes the fields sent and audits each with its value before and after', async () => {
    await ctx.database.db.user.create({
      data: { id: 'u-editor', name: 'Kiran', email: 'kiran@leadwire.test', role: 'admin' },
    })
    const account = await createAccount({ name: 'Acme', industry: 'Steel', gstin: MAHARASHTRA_GSTIN })
    const res = await patch(
      `/v1/accounts/${account.id}`,
      {
        name: 'Acme Industries',
        industry: null,
        gstin: KARNATAKA_GSTIN,
        annualRevenue: 5000,
        currency: 'INR',
      },
      { 'x-leadwire-user': 'u-editor' },
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      name: 'Acme Industries',
      industry: null,
      gstin: KARNATAKA_GSTIN,
      stateCode: '29',
      annualRevenue: 5000,
      updatedBy: 'user:u-editor',
    })
    const [, update, ...more] = await auditOf(account.id)
    expect(more).toEqual([])
    expect(update).toMatchObject({ action: 'update', actorId: 'user:u-editor' })
    expect(update?.changes).toEqual({
      name: { from: 'Acme', to: 'Acme Industries' },
      industry: { from: 'Steel', to: null },
      gstin: { from: MAHARASHTRA_GSTIN, to: KARNATAKA_GSTIN },
      stateCode: { from: '27', to: '29' },
      annualRevenue: { from: null, to: 5000 },
      currency: { from: null, to: 'INR' },
    })

    // Sending the values it has already changes nothing and records nothing.
    const same = await patch(`/v1/accounts/${account.id}`, { name: 'Acme Industries', industry: null })
    expect(same.statusCode).toBe(200)
    expect(await auditOf(account.id)).toHaveLength(2)
  })

  it('re-validates GSTIN and state code, keeps lifecycle and health read-only, and keeps the keys unique', async () => {
    const account = await createAccount({ name: 'Acme', gstin: MAHARASHTRA_GSTIN })
    const other = await createAccount({ name: 'Other', domain: 'other.in', gstin: DELHI_GSTIN })
    const url = `/v1/accounts/${account.id}`

    expect(
      expectProblem(await patch(url, { stateCode: '07' }), 422, 'rule_violation').errors?.[0]?.pointer,
    ).toBe('/body/stateCode')
    expect(
      expectProblem(await patch(url, { gstin: '29AABCT1332L1ZB' }), 422, 'rule_violation').errors?.[0]
        ?.pointer,
    ).toBe('/body/gstin')
    expectProblem(await patch(url, { lifecycleStage: 'Customer' }), 422, 'validation_failed')
    expectProblem(await patch(url, { healthScore: 99 }), 422, 'validation_failed')
    expectProblem(await patch(url, {}), 422, 'validation_failed')

    const taken = expectProblem(await patch(url, { gstin: DELHI_GSTIN }), 409, 'conflict')
    expect(taken.detail).toContain(other.id)
    expect(expectProblem(await patch(url, { domain: 'www.other.in' }), 409, 'conflict').detail).toContain(
      other.id,
    )

    const stored = await ctx.database.db.account.findUniqueOrThrow({ where: { id: account.id } })
    expect(stored).toMatchObject({ gstin: MAHARASHTRA_GSTIN, stateCode: '27', domain: null })
    expect(await auditOf(account.id)).toHaveLength(1)
    expectProblem(
      await patch('/v1/accounts/0190a5f0-0000-7000-8000-000000000000', { name: 'X' }),
      404,
      'not_found',
    )
  })
})

describe('deactivation and history', () => {
  it('deactivates and reactivates with audit, timeline and outbox, and keeps the history', async () => {
    const account = await createAccount({ name: 'Acme' })
    const url = `/v1/accounts/${account.id}`
    await patch(url, { industry: 'Steel' })

    const off = await post(`${url}/deactivate`, { reason: 'Acquired by Beta' })
    expect(off.statusCode, off.body).toBe(200)
    expect(off.json()).toMatchObject({
      isActive: false,
      deactivationReason: 'Acquired by Beta',
      deactivatedAt: expect.any(String),
    })
    expectProblem(await post(`${url}/deactivate`, { reason: 'again' }), 409, 'conflict')
    expectProblem(await post(`${url}/deactivate`, {}), 422, 'validation_failed')

    const on = await post(`${url}/reactivate`)
    expect(on.statusCode, on.body).toBe(200)
    expect(on.json()).toMatchObject({ isActive: true, deactivatedAt: null, deactivationReason: null })
    expectProblem(await post(`${url}/reactivate`), 409, 'conflict')

    const activities = await ctx.database.db.activity.findMany({
      where: { accountId: account.id },
      orderBy: { occurredAt: 'asc' },
    })
    expect(activities.map((a) => a.kind)).toEqual(['account_deactivated', 'account_reactivated'])
    expect(activities[0]?.details).toEqual({ reason: 'Acquired by Beta' })
    const events = await ctx.database.db.outboxEvent.findMany({
      where: { topic: 'account.changed', aggregateId: account.id },
      orderBy: { id: 'asc' },
    })
    expect(events.map((e) => e.payload)).toEqual([
      { accountId: account.id, reason: 'deactivated' },
      { accountId: account.id, reason: 'reactivated' },
    ])

    const history = await get(`${url}/history`)
    expect(history.statusCode, history.body).toBe(200)
    const items = history.json<Page<HistoryEvent>>().items
    expect(items.map((e) => e.action)).toEqual(['reactivate', 'deactivate', 'update', 'create'])
    expect(items[1]?.changes).toMatchObject({
      isActive: { from: true, to: false },
      deactivationReason: { from: null, to: 'Acquired by Beta' },
    })
    expect(items[2]?.changes).toEqual({ industry: { from: null, to: 'Steel' } })

    // The history pages like every list.
    const first = (await get(`${url}/history?limit=3`)).json<Page<HistoryEvent>>()
    expect(first.items.map((e) => e.action)).toEqual(['reactivate', 'deactivate', 'update'])
    const second = (await get(`${url}/history?limit=3&cursor=${first.nextCursor}`)).json<Page<HistoryEvent>>()
    expect(second).toEqual({ items: [expect.objectContaining({ action: 'create' })], nextCursor: null })
    expectProblem(await get(`/v1/accounts/0190a5f0-0000-7000-8000-000000000000/history`), 404, 'not_found')
  })

  it('has no DELETE: the router refuses it and the account stays', async () => {
    const account = await createAccount({ name: 'Acme' })
    const res = await ctx.app.inject({ method: 'DELETE', url: `/v1/accounts/${account.id}` })
    expect([404, 405]).toContain(res.statusCode)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(await ctx.database.db.account.count({ where: { id: account.id } })).toBe(1)
  })
})
