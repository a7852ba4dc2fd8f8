import { uuidv7 } from 'uuidv7'
import { beforeEach, describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'
import { buildOrg, getAs, idsOf, sorted, type Caller, type Org } from './access-leads-org.js'

/*
 * Row-level access to tasks, timelines and activity statistics, per role, through the real
 * API on a real PostgreSQL: the inbox shows a caller's own tasks (a manager's: their
 * team's), a hidden task is a 404, and work is handed only to people within reach.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db
let org: Org
let tasks: { s1: string; s2: string; s3: string; m: string; queued: string }

async function insertTask(assigneeId: string | null, leadId: string | null) {
  const id = uuidv7()
  await db().task.create({
    data: {
      id,
      kind: 'call',
      title: `Task ${id.slice(-4)}`,
      assigneeId,
      queue: assigneeId ? null : 'unassigned',
      leadId,
      dueAt: new Date(Date.now() + 3_600_000),
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

beforeEach(async () => {
  org = await buildOrg(db())
  tasks = {
    s1: await insertTask(org.ids.s1, org.leads.s1),
    s2: await insertTask(org.ids.s2, org.leads.s2),
    s3: await insertTask(org.ids.s3, org.leads.s3),
    m: await insertTask(org.ids.m, null),
    queued: await insertTask(null, org.leads.unassigned),
  }
})

const inbox = async (caller: Caller, query = '') => {
  const res = await getAs<{ items: { id: string }[] }>(ctx.app, caller, `/v1/tasks?limit=100${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return idsOf(res.body)
}

const post = (caller: Caller, url: string, payload: object) =>
  ctx.app.inject({ method: 'POST', url, headers: caller, payload })

describe('the task inbox', () => {
  it('shows each role the tasks it sees, and refuses an inbox outside the caller’s team', async () => {
    const { as, ids } = org
    const all = sorted(Object.values(tasks))
    expect(await inbox(as.admin)).toEqual(all)
    expect(await inbox(as.readOnly)).toEqual(all)
    expect(await inbox(as.m)).toEqual(sorted([tasks.s1, tasks.s2, tasks.m]))
    expect(await inbox(as.m2)).toEqual([tasks.s3])
    expect(await inbox(as.s1)).toEqual([tasks.s1])
    expect(await inbox(as.s1, '&assigneeId=me')).toEqual([tasks.s1])
    expect(await inbox(as.m, '&assigneeId=me')).toEqual([tasks.m])
    expect(await inbox(as.m, `&assigneeId=${ids.s2}`)).toEqual([tasks.s2])
    expect(await inbox(as.m, '&queue=unassigned')).toEqual([])
    expect(await inbox(as.admin, '&queue=unassigned')).toEqual([tasks.queued])
    expect(await inbox(as.s1, `&leadId=${org.leads.s2}`)).toEqual([])

    const outside = expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/v1/tasks?assigneeId=${ids.s2}`, headers: as.s1 }),
      403,
      'forbidden',
    )
    expect(outside.detail).toContain(ids.s2)
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/v1/tasks?assigneeId=${ids.s3}`, headers: as.m }),
      403,
      'forbidden',
    )
    // Marketing has no task permission at all.
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/tasks', headers: as.marketing }),
      403,
      'forbidden',
    )
  })

  it('answers 404 for a task the caller does not see, on reads and on every command', async () => {
    const { as } = org
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/v1/tasks/${tasks.s2}`, headers: as.s1 }),
      404,
      'not_found',
    )
    expect((await getAs(ctx.app, as.m, `/v1/tasks/${tasks.s2}`)).status).toBe(200)
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/v1/tasks/${tasks.queued}`, headers: as.m }),
      404,
      'not_found',
    )

    const until = new Date(Date.now() + 86_400_000).toISOString()
    expectProblem(
      await post(as.s1, `/v1/tasks/${tasks.s2}/complete`, { outcome: 'contacted' }),
      404,
      'not_found',
    )
    expectProblem(await post(as.m, `/v1/tasks/${tasks.s3}/snooze`, { until }), 404, 'not_found')
    expectProblem(
      await post(as.s1, `/v1/tasks/${tasks.s2}/reassign`, { assigneeId: org.ids.s1 }),
      404,
      'not_found',
    )
    expectProblem(
      await post(as.readOnly, `/v1/tasks/${tasks.s1}/complete`, { outcome: 'contacted' }),
      403,
      'forbidden',
    )
    expect(await db().task.count({ where: { status: 'done' } })).toBe(0)

    const done = await post(as.m, `/v1/tasks/${tasks.s2}/complete`, { outcome: 'no_answer' })
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toMatchObject({ status: 'done', completedBy: `user:${org.ids.m}` })
    const snoozed = await post(as.s1, `/v1/tasks/${tasks.s1}/snooze`, { until })
    expect(snoozed.statusCode, snoozed.body).toBe(200)
  })

  it('hands tasks only to people within the caller’s reach, unless their role sees every task', async () => {
    const { as, ids } = org
    // An SDR's team is themselves.
    expectProblem(
      await post(as.s1, `/v1/tasks/${tasks.s1}/reassign`, { assigneeId: ids.s2 }),
      403,
      'forbidden',
    )
    expectProblem(
      await post(as.m, `/v1/tasks/${tasks.s1}/reassign`, { assigneeId: ids.s3 }),
      403,
      'forbidden',
    )
    const moved = await post(as.m, `/v1/tasks/${tasks.s1}/reassign`, { assigneeId: ids.s2 })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json()).toMatchObject({ assigneeId: ids.s2 })
    expect(await inbox(as.s1)).toEqual([])
    const anywhere = await post(as.admin, `/v1/tasks/${tasks.queued}/reassign`, { assigneeId: ids.s3 })
    expect(anywhere.statusCode, anywhere.body).toBe(200)
    expect(await inbox(as.s3)).toEqual(sorted([tasks.s3, tasks.queued]))
  })

  it('creates tasks only for people within reach, about records the caller sees', async () => {
    const { as, ids, leads } = org
    const base = { title: 'Call back', kind: 'call', dueAt: new Date(Date.now() + 86_400_000).toISOString() }
    expectProblem(await post(as.s1, '/v1/tasks', { ...base, assigneeId: ids.s2 }), 403, 'forbidden')
    const hiddenLead = expectProblem(
      await post(as.s1, '/v1/tasks', { ...base, leadId: leads.s2 }),
      422,
      'rule_violation',
    )
    expect(hiddenLead.errors).toEqual([{ pointer: '/body/leadId', message: 'no lead has this id' }])
    expectProblem(await post(as.readOnly, '/v1/tasks', base), 403, 'forbidden')

    const own = await post(as.s1, '/v1/tasks', { ...base, leadId: leads.s1 })
    expect(own.statusCode, own.body).toBe(201)
    expect(own.json()).toMatchObject({ assigneeId: ids.s1, leadId: leads.s1 })
    const forReport = await post(as.m, '/v1/tasks', { ...base, assigneeId: ids.s2, leadId: leads.s2 })
    expect(forReport.statusCode, forReport.body).toBe(201)
  })
})

describe('timelines', () => {
  it('answer 404 for a record the caller does not see', async () => {
    const { as, leads } = org
    for (const url of [`/v1/tasks/${tasks.s2}/timeline`, `/v1/leads/${leads.s2}/timeline`]) {
      expectProblem(await ctx.app.inject({ method: 'GET', url, headers: as.s1 }), 404, 'not_found')
      expect((await getAs(ctx.app, as.m, url)).status, url).toBe(200)
      expect((await getAs(ctx.app, as.readOnly, url)).status, url).toBe(200)
    }
    const account = uuidv7()
    await db().account.create({
      data: { id: account, name: 'Acme Tools', ownerId: org.ids.s3, createdBy: 'test', updatedBy: 'test' },
    })
    const accountTimeline = `/v1/accounts/${account}/timeline`
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: accountTimeline, headers: as.m }),
      404,
      'not_found',
    )
    expect((await getAs(ctx.app, as.m2, accountTimeline)).status).toBe(200)
  })
})

describe('GET /v1/activities/stats', () => {
  it('counts only the people the caller sees; system actors only for a role that sees everyone', async () => {
    const { as, ids } = org
    const at = new Date(Date.now() - 3_600_000)
    for (const actorId of [
      `user:${ids.s1}`,
      `user:${ids.s1}`,
      `user:${ids.s2}`,
      `user:${ids.s3}`,
      `user:${ids.m}`,
      'system:journey',
    ])
      await db().activity.create({
        data: { id: uuidv7(), kind: 'call', direction: 'outbound', actorId, occurredAt: at },
      })
    const stats = async (caller: Caller, query = '') => {
      const res = await getAs<{ total: number; owners: { actorId: string; total: number }[] }>(
        ctx.app,
        caller,
        `/v1/activities/stats?tz=UTC${query}`,
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return { total: res.body.total, owners: res.body.owners.map((o) => `${o.actorId}=${o.total}`).sort() }
    }
    const everyone = {
      total: 6,
      owners: sorted([
        `user:${ids.s1}=2`,
        `user:${ids.s2}=1`,
        `user:${ids.s3}=1`,
        `user:${ids.m}=1`,
        'system:journey=1',
      ]),
    }
    expect(await stats(as.admin)).toEqual(everyone)
    expect(await stats(as.readOnly)).toEqual(everyone)
    expect(await stats(as.marketing)).toEqual(everyone)
    expect(await stats(as.m)).toEqual({
      total: 4,
      owners: sorted([`user:${ids.s1}=2`, `user:${ids.s2}=1`, `user:${ids.m}=1`]),
    })
    expect(await stats(as.m2)).toEqual({ total: 1, owners: [`user:${ids.s3}=1`] })
    expect(await stats(as.s1)).toEqual({ total: 2, owners: [`user:${ids.s1}=2`] })
    expect(await stats(as.m, `&ownerId=${ids.s2}`)).toEqual({ total: 1, owners: [`user:${ids.s2}=1`] })
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/v1/activities/stats?ownerId=${ids.s3}`, headers: as.m }),
      403,
      'forbidden',
    )
  })
})
