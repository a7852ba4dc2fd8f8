import { uuidv7 } from 'uuidv7'
import { beforeEach, describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'
import { buildOrg, getAs, insertLead, type Caller, type Org } from './access-leads-org.js'

/*
 * Reports aggregate only over the records the caller's report scope reaches, and say which:
 * a manager's pipeline is their team's deals, an SDR's funnel is their own leads, and
 * admin, marketing and read_only see everyone's. Each role's counts differ exactly so.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db
let org: Org

const today = new Date().toISOString().slice(0, 10)
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
const PERIOD = `from=${day(-1)}&to=${day(1)}&tz=UTC`

async function insertDeal(ownerId: string) {
  const accountId = uuidv7()
  await db().account.create({
    data: { id: accountId, name: `Account of ${ownerId}`, ownerId, createdBy: 'test', updatedBy: 'test' },
  })
  await db().opportunity.create({
    data: {
      id: uuidv7(),
      accountId,
      ownerId,
      name: `Deal of ${ownerId}`,
      amount: 1000,
      currency: 'INR',
      stage: 'proposal',
      probability: 60,
      forecastCategory: 'best_case',
      closeDate: new Date(`${today}T00:00:00Z`),
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
}

beforeEach(async () => {
  org = await buildOrg(db())
  // S1 has a second lead, already contacted: 5 leads in all, 3 in M's team, 2 of them S1's.
  await insertLead(db(), {
    ownerId: org.ids.s1,
    firstName: 'Esha',
    email: 'esha@acmetools.in',
    status: 'CONTACTED',
    contactedAt: new Date(),
  })
  for (const owner of [org.ids.s1, org.ids.s2, org.ids.s3, org.ids.m]) await insertDeal(owner)
})

const report = async <T>(caller: Caller, path: string, query = '') => {
  const res = await getAs<T & { scope: string }>(ctx.app, caller, `/v1/reports/${path}?${PERIOD}${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body
}

type Role = keyof Org['as']
const EVERYONE: Role[] = ['admin', 'marketing', 'readOnly']

describe('report scope', () => {
  it('funnel: each role counts the leads it sees', async () => {
    const expected: [Role, number, number, string][] = [
      ['admin', 5, 1, 'all'],
      ['marketing', 5, 1, 'all'],
      ['readOnly', 5, 1, 'all'],
      ['m', 3, 1, 'team'],
      ['m2', 1, 0, 'team'],
      ['s1', 2, 1, 'team'],
      ['s2', 1, 0, 'team'],
      ['s3', 1, 0, 'team'],
    ]
    for (const [who, captured, contacted, scope] of expected) {
      const funnel = await report<{ overall: { counts: { captured: number; contacted: number } } }>(
        org.as[who],
        'funnel',
      )
      expect({ who, scope: funnel.scope, ...funnel.overall.counts }).toMatchObject({
        who,
        scope,
        captured,
        contacted,
      })
    }
  })

  it('attribution: each role credits only the leads it sees', async () => {
    const expected: [Role, number][] = [
      ['admin', 5],
      ['marketing', 5],
      ['readOnly', 5],
      ['m', 3],
      ['m2', 1],
      ['s1', 2],
      ['s3', 1],
    ]
    for (const [who, leads] of expected) {
      const attribution = await report<{ totals: { leads: number } }>(org.as[who], 'attribution')
      expect({ who, leads: attribution.totals.leads }).toEqual({ who, leads })
    }
  })

  it("pipeline: a manager's is their team's deals, an SDR's their own", async () => {
    const expected: [Role, number, string][] = [
      ...EVERYONE.map((r): [Role, number, string] => [r, 4, 'all']),
      ['m', 3, 'team'],
      ['m2', 1, 'team'],
      ['s1', 1, 'team'],
      ['s2', 1, 'team'],
      ['s3', 1, 'team'],
    ]
    for (const [who, count, scope] of expected) {
      const pipeline = await report<{ all: { count: number; amounts: { amount: number }[] } }>(
        org.as[who],
        'pipeline',
      )
      expect({ who, scope: pipeline.scope, count: pipeline.all.count }).toEqual({ who, scope, count })
      expect(pipeline.all.amounts).toMatchObject([{ amount: 1000 * count }])
    }
    expect(
      (await report<{ all: { count: number } }>(org.as.m, 'pipeline', `&ownerId=${org.ids.s2}`)).all.count,
    ).toBe(1)
    const outside = expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/v1/reports/pipeline?${PERIOD}&ownerId=${org.ids.s3}`,
        headers: org.as.m,
      }),
      403,
      'forbidden',
    )
    expect(outside.detail).toContain(org.ids.s3)
  })

  it('sdr-performance: one row per person within reach', async () => {
    type Perf = { users: { userId: string; leadsAssigned: number; leadsContacted: number }[] }
    const rows = async (who: Role, query = '') =>
      Object.fromEntries(
        (await report<Perf>(org.as[who], 'sdr-performance', query)).users.map((u) => [
          u.userId,
          u.leadsAssigned,
        ]),
      )
    const { ids } = org
    const all = await rows('admin')
    expect(Object.keys(all)).toHaveLength(9) // the org's eight and the test admin
    expect(all).toMatchObject({ [ids.s1]: 2, [ids.s2]: 1, [ids.s3]: 1 })
    expect(await rows('readOnly')).toEqual(all)
    expect(await rows('m')).toEqual({ [ids.m]: 0, [ids.s1]: 2, [ids.s2]: 1 })
    expect(await rows('m2')).toEqual({ [ids.m2]: 0, [ids.s3]: 1 })
    expect(await rows('s1')).toEqual({ [ids.s1]: 2 })
    expect(await rows('m', `&userId=${ids.s2}`)).toEqual({ [ids.s2]: 1 })
    expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/v1/reports/sdr-performance?${PERIOD}&userId=${ids.s2}`,
        headers: org.as.s1,
      }),
      403,
      'forbidden',
    )
  })
})
