import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'

/*
 * Opportunities through the API on a real PostgreSQL: the configurable pipeline, creation
 * and its checks, listing, the forecast category as of today, stage moves, win and lose.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db

const OWNER = 'user-owner'
const SELLER = 'user-seller'

/** 'YYYY-MM-DD' in UTC, the date the API judges close dates and forecasts by. */
const ymd = (d: Date) => d.toISOString().slice(0, 10)
const today = () => ymd(new Date())
const addDays = (date: string, days: number) =>
  ymd(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000))
/** The first day of the calendar quarter after `date`'s. */
function nextQuarterStart(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number]
  const month = Math.floor((m - 1) / 3) * 3 + 4
  return month > 12 ? `${y + 1}-01-01` : `${y}-${String(month).padStart(2, '0')}-01`
}

async function users() {
  // The seller manages the account owner, so he sees and works the deals on her accounts.
  await db().user.create({
    data: { id: SELLER, name: 'Rohan Das', email: 'rohan@leadwire.test', role: 'sales_manager' },
  })
  await db().user.create({
    data: {
      id: OWNER,
      name: 'Kavya Iyer',
      email: 'kavya@leadwire.test',
      role: 'sales_rep',
      managerId: SELLER,
    },
  })
}

async function account(values: { type?: string; isActive?: boolean; ownerId?: string | null } = {}) {
  const id = uuidv7()
  await db().account.create({
    data: {
      id,
      name: `Acme ${id.slice(-6)}`,
      type: values.type ?? 'prospect',
      isActive: values.isActive ?? true,
      ownerId: values.ownerId === undefined ? OWNER : values.ownerId,
      currency: 'INR',
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

async function contact(accountId: string) {
  const id = uuidv7()
  await db().contact.create({
    data: { id, accountId, firstName: 'Meera', lastName: 'Shah', createdBy: 'test', updatedBy: 'test' },
  })
  return id
}

const post = (url: string, payload: object, user?: string) =>
  ctx.app.inject({ method: 'POST', url, payload, headers: user ? { 'x-leadwire-user': user } : {} })

async function create(payload: Record<string, unknown>, user?: string) {
  const res = await post(
    '/v1/opportunities',
    { name: 'ERP rollout', amount: 250000.5, closeDate: today(), ...payload },
    user,
  )
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string; [k: string]: unknown }>()
}

const get = async (id: string) => {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/opportunities/${id}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

const list = async (query: string) => {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/opportunities?${query}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ items: { id: string; forecastCategory: string }[]; nextCursor: string | null }>()
}

describe('pipeline rule set', () => {
  it('answers the built-in stage probabilities until a version is saved, then deals use the saved ones', async () => {
    await users()
    const accountId = await account()
    const builtIn = await ctx.app.inject({ method: 'GET', url: '/v1/rule-sets/pipeline' })
    expect(builtIn.json()).toMatchObject({ kind: 'pipeline', version: 0, source: 'default' })
    expect((await create({ accountId })).probability).toBe(10)

    const saved = await post('/v1/rule-sets/pipeline', {
      definition: { stageProbabilities: { qualification: 15, proposal: 40 } },
    })
    expect(saved.statusCode, saved.body).toBe(201)
    expect(saved.json()).toMatchObject({ kind: 'pipeline', version: 1, source: 'stored' })

    const deal = await create({ accountId })
    expect(deal.probability).toBe(15)
    const moved = await post(`/v1/opportunities/${deal.id}/stage`, { stage: 'proposal' })
    expect(moved.json()).toMatchObject({ stage: 'proposal', probability: 40 })
    // A stage the settings leave out keeps its default; an explicit probability wins.
    const next = await post(`/v1/opportunities/${deal.id}/stage`, { stage: 'negotiation' })
    expect(next.json().probability).toBe(75)
    expect((await create({ accountId, stage: 'proposal', probability: 65 })).probability).toBe(65)
  })

  it('refuses closed stages and out-of-range probabilities, naming each problem', async () => {
    const res = await post('/v1/rule-sets/pipeline', {
      definition: { stageProbabilities: { closed_won: 90, proposal: 101, proposl: 50 } },
    })
    const problem = expectProblem(res, 422, 'rule_violation')
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual([
      '/body/definition/stageProbabilities/closed_won',
      '/body/definition/stageProbabilities/proposal',
      '/body/definition/stageProbabilities/proposl',
    ])
    expect(problem.detail).toContain('fixed at 100')
    expect(await db().ruleSet.count()).toBe(0)
  })
})

describe('POST /v1/opportunities', () => {
  it('creates a deal with its first history entry and audit row, owned by the account owner by default', async () => {
    await users()
    const accountId = await account()
    const contactId = await contact(accountId)
    const deal = await create({ accountId, contactId, currency: 'USD' }, SELLER)
    expect(deal).toMatchObject({
      accountId,
      contactId,
      kind: 'new_business',
      amount: 250000.5,
      currency: 'USD',
      stage: 'qualification',
      probability: 10,
      forecastCategory: 'pipeline',
      closeDate: today(),
      ownerId: OWNER,
      open: true,
      createdBy: `user:${SELLER}`,
    })
    expect(deal.stageHistory).toEqual([
      expect.objectContaining({
        fromStage: null,
        toStage: 'qualification',
        probability: 10,
        by: `user:${SELLER}`,
      }),
    ])
    const audit = await db().auditEvent.findMany({ where: { entityId: deal.id } })
    expect(audit).toEqual([
      expect.objectContaining({ entity: 'opportunity', action: 'create', actorId: `user:${SELLER}` }),
    ])
    const events = await db().outboxEvent.findMany({ where: { topic: 'account.changed' } })
    expect(events.map((e) => e.payload)).toEqual([{ accountId, reason: 'opportunity_created' }])
    // The currency defaults to the account's.
    expect((await create({ accountId, ownerId: SELLER })).currency).toBe('INR')
  })

  it('refuses what it refers to when it is missing, deactivated or elsewhere', async () => {
    await users()
    const accountId = await account()
    const other = await account()
    const inactive = await account({ isActive: false })
    const foreignContact = await contact(other)

    const wrong = await post('/v1/opportunities', {
      accountId,
      contactId: foreignContact,
      ownerId: 'nobody',
      name: 'Deal',
      amount: 10.005,
      closeDate: addDays(today(), -1),
    })
    const problem = expectProblem(wrong, 422, 'rule_violation')
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual([
      '/body/amount',
      '/body/closeDate',
      '/body/contactId',
      '/body/ownerId',
    ])
    for (const id of [inactive, uuidv7()]) {
      const res = await post('/v1/opportunities', {
        accountId: id,
        name: 'Deal',
        amount: 10,
        closeDate: today(),
      })
      expect(expectProblem(res, 422, 'rule_violation').errors).toEqual([
        { pointer: '/body/accountId', message: id === inactive ? 'is deactivated' : 'does not exist' },
      ])
    }
    const closed = await post('/v1/opportunities', {
      accountId,
      name: 'Deal',
      amount: 1,
      closeDate: today(),
      stage: 'closed_won',
    })
    expectProblem(closed, 422, 'validation_failed')
    expect(await db().opportunity.count()).toBe(0)
    expect(await db().auditEvent.count()).toBe(0)
  })

  it('refuses an upsell or cross-sell for an account that is not a customer yet', async () => {
    await users()
    const prospect = await account()
    for (const kind of ['upsell', 'cross_sell']) {
      const res = await post('/v1/opportunities', {
        accountId: prospect,
        kind,
        name: 'More seats',
        amount: 1,
        closeDate: today(),
      })
      expect(expectProblem(res, 422, 'rule_violation').errors?.[0]?.pointer).toBe('/body/kind')
    }
    // A won deal makes it a customer; so does the account's type.
    const first = await create({ accountId: prospect })
    expect((await post(`/v1/opportunities/${first.id}/win`, { reason: 'Best fit' })).statusCode).toBe(200)
    expect((await create({ accountId: prospect, kind: 'upsell' })).kind).toBe('upsell')
    expect((await create({ accountId: await account({ type: 'customer' }), kind: 'cross_sell' })).kind).toBe(
      'cross_sell',
    )
  })
})

describe('GET /v1/opportunities', () => {
  it('lists by close date then id, one page after another, with filters', async () => {
    await users()
    const a = await account()
    const b = await account({ ownerId: SELLER })
    const d1 = await create({ accountId: a, closeDate: addDays(today(), 30) })
    const d2 = await create({ accountId: a, closeDate: addDays(today(), 10), stage: 'proposal' })
    const d3 = await create({ accountId: b, closeDate: addDays(today(), 20) })
    const d4 = await create({ accountId: b, closeDate: addDays(today(), 20), kind: 'renewal' })
    await post(`/v1/opportunities/${d3.id}/lose`, { reason: 'No budget', competitor: 'Globex' })

    // Losing a deal dates it to the day it was lost: today, so it now comes first.
    const expected = [d3.id, d2.id, d4.id, d1.id]
    const first = await list('limit=2')
    const second = await list(`limit=2&cursor=${first.nextCursor}`)
    expect([...first.items, ...second.items].map((o) => o.id)).toEqual(expected)
    expect(second.nextCursor).toBeNull()

    const ids = async (q: string) => (await list(q)).items.map((o) => o.id)
    expect(await ids(`accountId=${b}`)).toEqual([d3.id, d4.id])
    expect(await ids(`ownerId=${SELLER}`)).toEqual([d3.id, d4.id])
    expect(await ids('stage=proposal')).toEqual([d2.id])
    expect(await ids('kind=renewal')).toEqual([d4.id])
    expect(await ids('open=false')).toEqual([d3.id])
    expect(await ids('open=true')).toEqual([d2.id, d4.id, d1.id])
    expect(await ids('forecastCategory=omitted')).toEqual([d3.id])
    expect(await ids(`closeDateFrom=${addDays(today(), 15)}&closeDateTo=${addDays(today(), 25)}`)).toEqual([
      d4.id,
    ])
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/opportunities?cursor=nonsense' }),
      400,
      'malformed_request',
    )
  })
})

describe('forecast category', () => {
  it('is commit this quarter, best case next quarter, and pipeline once the close date has slipped', async () => {
    await users()
    const accountId = await account()
    const commit = await create({ accountId, stage: 'negotiation', closeDate: today() })
    const bestCase = await create({ accountId, stage: 'negotiation', closeDate: nextQuarterStart(today()) })
    const slipped = await create({ accountId, stage: 'negotiation', probability: 90, closeDate: today() })
    const lowOdds = await create({ accountId, stage: 'needs_analysis', closeDate: today() })
    expect([commit, bestCase, slipped, lowOdds].map((d) => d.forecastCategory)).toEqual([
      'commit',
      'best_case',
      'commit',
      'pipeline',
    ])

    // Time passes: the close date is now yesterday, and no one has written to the deal since.
    await db().opportunity.update({
      where: { id: slipped.id },
      data: { closeDate: new Date(`${addDays(today(), -1)}T00:00:00Z`) },
    })
    const read = await get(slipped.id)
    expect(read).toMatchObject({ forecastCategory: 'pipeline', storedForecastCategory: 'commit' })

    const ids = async (category: string) =>
      (await list(`forecastCategory=${category}`)).items.map((o) => o.id).sort()
    expect(await ids('commit')).toEqual([commit.id])
    expect(await ids('best_case')).toEqual([bestCase.id])
    expect(await ids('pipeline')).toEqual([slipped.id, lowOdds.id].sort())

    // A new close date makes it believable again, and the stored category follows.
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/opportunities/${slipped.id}`,
      payload: { closeDate: today() },
    })
    expect(patched.json()).toMatchObject({ forecastCategory: 'commit', storedForecastCategory: 'commit' })
    // Lowering the probability below best case moves it to pipeline, stored too.
    const lowered = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/opportunities/${bestCase.id}`,
      payload: { probability: 30 },
    })
    expect(lowered.json()).toMatchObject({ forecastCategory: 'pipeline', storedForecastCategory: 'pipeline' })
  })
})

describe('PATCH /v1/opportunities/:id', () => {
  it('changes details with an audit row of what changed, and checks only what was sent', async () => {
    await users()
    const accountId = await account()
    const contactId = await contact(accountId)
    const deal = await create({ accountId })
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/opportunities/${deal.id}`,
      headers: { 'x-leadwire-user': SELLER },
      payload: { name: 'ERP rollout, phase 2', amount: 300000, ownerId: SELLER, contactId },
    })
    expect(res.json()).toMatchObject({
      name: 'ERP rollout, phase 2',
      amount: 300000,
      ownerId: SELLER,
      contactId,
    })
    const update = await db().auditEvent.findFirstOrThrow({ where: { entityId: deal.id, action: 'update' } })
    expect(update.actorId).toBe(`user:${SELLER}`)
    expect(update.changes).toEqual({
      name: { from: 'ERP rollout', to: 'ERP rollout, phase 2' },
      amount: { from: 250000.5, to: 300000 },
      ownerId: { from: OWNER, to: SELLER },
      contactId: { from: null, to: contactId },
    })
    const bad = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/opportunities/${deal.id}`,
      payload: { closeDate: addDays(today(), -3), contactId: await contact(await account()) },
    })
    expect(expectProblem(bad, 422, 'rule_violation').errors?.map((e) => e.pointer)).toEqual([
      '/body/closeDate',
      '/body/contactId',
    ])
    const missing = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/opportunities/${uuidv7()}`,
      payload: { name: 'x' },
    })
    expectProblem(missing, 404, 'not_found')
  })
})

describe('stage moves', () => {
  it('write the stage history, an audit row and a stage_change timeline entry, credited to the caller', async () => {
    await users()
    const accountId = await account()
    const deal = await create({ accountId })
    const res = await post(
      `/v1/opportunities/${deal.id}/stage`,
      { stage: 'proposal', note: 'Demo went well' },
      SELLER,
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      stage: 'proposal',
      probability: 50,
      forecastCategory: 'best_case',
      updatedBy: `user:${SELLER}`,
    })
    expect(res.json().stageHistory.map((h: { toStage: string }) => h.toStage)).toEqual([
      'qualification',
      'proposal',
    ])
    expect(res.json().stageHistory[1]).toMatchObject({
      fromStage: 'qualification',
      probability: 50,
      by: `user:${SELLER}`,
    })

    const audit = await db().auditEvent.findFirstOrThrow({
      where: { entityId: deal.id, action: 'stage_change' },
    })
    expect(audit.actorId).toBe(`user:${SELLER}`)
    expect(audit.changes).toMatchObject({
      stage: { from: 'qualification', to: 'proposal' },
      probability: { from: 10, to: 50 },
      forecastCategory: { from: 'pipeline', to: 'best_case' },
    })
    const timeline = await ctx.app.inject({ method: 'GET', url: `/v1/opportunities/${deal.id}/timeline` })
    expect(timeline.json().items).toEqual([
      expect.objectContaining({
        kind: 'stage_change',
        direction: 'internal',
        opportunityId: deal.id,
        actorId: `user:${SELLER}`,
        details: { from: 'qualification', to: 'proposal', probability: 50, note: 'Demo went well' },
      }),
    ])

    // The same move again is a retry: nothing new is written.
    const again = await post(`/v1/opportunities/${deal.id}/stage`, { stage: 'proposal' })
    expect(again.json()).toEqual(res.json())
    expect(await db().opportunityStageChange.count({ where: { opportunityId: deal.id } })).toBe(2)
    expectProblem(
      await post(`/v1/opportunities/${deal.id}/stage`, { stage: 'closed_won' }),
      422,
      'validation_failed',
    )
    expectProblem(await post(`/v1/opportunities/${uuidv7()}/stage`, { stage: 'proposal' }), 404, 'not_found')
  })
})

describe('win and lose', () => {
  it('closes a won deal with its reason, tells the account lifecycle, and answers a retry the same', async () => {
    await users()
    const accountId = await account()
    const deal = await create({ accountId, stage: 'negotiation' })
    const win = () => post(`/v1/opportunities/${deal.id}/win`, { reason: 'Best ROI' }, SELLER)
    const res = await win()
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      stage: 'closed_won',
      open: false,
      probability: 100,
      forecastCategory: 'closed',
      storedForecastCategory: 'closed',
      wonReason: 'Best ROI',
      closeDate: today(),
    })
    expect(res.json().wonAt).not.toBeNull()
    const events = await db().outboxEvent.findMany({
      where: { topic: 'account.changed' },
      orderBy: { id: 'asc' },
    })
    expect(events.map((e) => e.payload)).toEqual([
      { accountId, reason: 'opportunity_created' },
      { accountId, reason: 'opportunity_won' },
    ])
    expect(events[1]?.requestId).toBe(res.headers['x-request-id'])
    expect(await db().auditEvent.count({ where: { entityId: deal.id, action: 'won' } })).toBe(1)

    const again = await win()
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(res.json())
    expect(await db().outboxEvent.count({ where: { topic: 'account.changed' } })).toBe(2)
    expect(await db().opportunityStageChange.count({ where: { opportunityId: deal.id } })).toBe(2)

    expectProblem(await post(`/v1/opportunities/${deal.id}/win`, { reason: 'Price' }), 409, 'conflict')
    expectProblem(await post(`/v1/opportunities/${deal.id}/lose`, { reason: 'Price' }), 409, 'conflict')
    expectProblem(await post(`/v1/opportunities/${deal.id}/stage`, { stage: 'proposal' }), 409, 'conflict')
    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/opportunities/${deal.id}`,
      payload: { amount: 1 },
    })
    expectProblem(patch, 409, 'conflict')
  })

  it('closes a lost deal with its reason and competitor; winning it afterwards is a conflict', async () => {
    await users()
    const accountId = await account()
    const deal = await create({ accountId, stage: 'proposal' })
    expectProblem(await post(`/v1/opportunities/${deal.id}/lose`, {}), 422, 'validation_failed')
    expectProblem(
      await post(`/v1/opportunities/${deal.id}/lose`, { reason: 'Price', closeDate: addDays(today(), 1) }),
      422,
      'rule_violation',
    )
    const res = await post(`/v1/opportunities/${deal.id}/lose`, { reason: 'Price', competitor: 'Globex' })
    expect(res.json()).toMatchObject({
      stage: 'closed_lost',
      probability: 0,
      forecastCategory: 'omitted',
      lostReason: 'Price',
      lostToCompetitor: 'Globex',
    })
    expect(res.json().lostAt).not.toBeNull()
    const lost = await db().outboxEvent.findMany({ where: { topic: 'account.changed' } })
    expect(lost.map((e) => (e.payload as { reason: string }).reason)).toEqual([
      'opportunity_created',
      'opportunity_lost',
    ])
    const entry = await db().activity.findFirstOrThrow({ where: { opportunityId: deal.id } })
    expect(entry).toMatchObject({
      kind: 'stage_change',
      details: expect.objectContaining({ to: 'closed_lost', reason: 'Price', competitor: 'Globex' }),
    })

    expect(
      (await post(`/v1/opportunities/${deal.id}/lose`, { reason: 'Price', competitor: 'Globex' })).json(),
    ).toEqual(res.json())
    expectProblem(await post(`/v1/opportunities/${deal.id}/win`, { reason: 'Came back' }), 409, 'conflict')
  })
})
