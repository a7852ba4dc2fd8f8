import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { openJourneyTask } from '../../crm/tasks.js'
import { localDate } from '../../domain/reports/local-day.rules.js'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'
import { ANONYMOUS } from '../support/auth.js'

/*
 * The SDR inbox and task commands through the real app on a real PostgreSQL: whose tasks
 * `me` means, due buckets in the caller's time zone, snoozing, reassigning, manual tasks,
 * and the audit trail each write leaves.
 */

const ctx = useTestApp({ truncateAfterEach: true })

const ASHA = 'user-asha'
const RAVI = 'user-ravi'
const HOUR = 3_600_000

interface TaskJson {
  id: string
  kind: string
  status: string
  assigneeId: string | null
  queue: string | null
  dueAt: string
  overdue: boolean
  snoozed: boolean
  snoozedUntil: string | null
  [key: string]: unknown
}
interface PageJson {
  items: TaskJson[]
  nextCursor: string | null
}

const as = (userId: string) => ({ 'x-leadwire-user': userId })

async function insertUsers() {
  await ctx.database.db.user.createMany({
    data: [
      { id: ASHA, name: 'Asha Menon', email: 'asha@leadwire.test' },
      { id: RAVI, name: 'Ravi Iyer', email: 'ravi@leadwire.test' },
    ],
  })
}

async function insertTask(t: {
  assigneeId?: string | null
  queue?: string | null
  dueAt: Date
  status?: 'open' | 'done'
  kind?: string
  snoozedUntil?: Date
  leadId?: string
}) {
  const id = uuidv7()
  await ctx.database.db.task.create({
    data: {
      id,
      kind: t.kind ?? 'call',
      title: `Task ${id.slice(-4)}`,
      status: t.status ?? 'open',
      assigneeId: t.assigneeId ?? null,
      queue: t.queue ?? null,
      dueAt: t.dueAt,
      snoozedUntil: t.snoozedUntil ?? null,
      leadId: t.leadId ?? null,
      ...(t.status === 'done' ? { completedAt: new Date(), outcome: 'other' } : {}),
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

async function insertLead(ownerId: string | null = null) {
  const id = uuidv7()
  await ctx.database.db.lead.create({
    data: {
      id,
      channel: 'web_form',
      email: `l.${id.slice(-8)}@acme.in`,
      ownerId,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

async function inbox(query: string, headers: Record<string, string> = {}): Promise<PageJson> {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/tasks?${query}`, headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<PageJson>()
}

const ids = (page: PageJson) => page.items.map((t) => t.id)

/** An IANA zone (Etc/GMT±N) whose wall clock now reads `hour` o'clock, encoded for a query string. */
function zoneWhereItIs(hour: number, now = new Date()): string {
  let offset = (hour - now.getUTCHours() + 24) % 24
  if (offset > 14) offset -= 24
  // POSIX-style names: Etc/GMT-5 is five hours ahead of UTC.
  const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`
  return encodeURIComponent(zone) // '+' in a query string would read as a space
}

describe('GET /v1/tasks', () => {
  it('shows the caller’s own tasks for assigneeId=me, another user’s by id, and refuses me without a user', async () => {
    await insertUsers()
    const now = Date.now()
    const ashaFirst = await insertTask({ assigneeId: ASHA, dueAt: new Date(now + HOUR) })
    const ashaSecond = await insertTask({ assigneeId: ASHA, dueAt: new Date(now + 2 * HOUR) })
    const ravis = await insertTask({ assigneeId: RAVI, dueAt: new Date(now + HOUR) })
    const queued = await insertTask({ queue: 'inbound-india', dueAt: new Date(now + HOUR) })

    expect(ids(await inbox('assigneeId=me', as(ASHA)))).toEqual([ashaFirst, ashaSecond])
    expect(ids(await inbox('assigneeId=me', as(RAVI)))).toEqual([ravis])
    expect(ids(await inbox(`assigneeId=${RAVI}`))).toEqual([ravis]) // the admin sees anyone's inbox
    // An SDR sees their own inbox only (access-tasks-*.test.ts covers teams).
    const others = await ctx.app.inject({
      method: 'GET',
      url: `/v1/tasks?assigneeId=${RAVI}`,
      headers: as(ASHA),
    })
    expectProblem(others, 403, 'forbidden')
    expect(ids(await inbox('queue=inbound-india'))).toEqual([queued])

    const anonymous = await ctx.app.inject({
      method: 'GET',
      url: '/v1/tasks?assigneeId=me',
      headers: ANONYMOUS,
    })
    expectProblem(anonymous, 401, 'unauthorized')
    const stranger = await ctx.app.inject({
      method: 'GET',
      url: '/v1/tasks?assigneeId=me',
      headers: as('nobody'),
    })
    expectProblem(stranger, 401, 'unauthorized')
  })

  it('filters by kind, priority, status and linked record', async () => {
    await insertUsers()
    const leadId = await insertLead(ASHA)
    const now = Date.now()
    const call = await insertTask({ assigneeId: ASHA, dueAt: new Date(now + HOUR), leadId })
    const email = await insertTask({ assigneeId: ASHA, dueAt: new Date(now + 2 * HOUR), kind: 'email' })
    const done = await insertTask({ assigneeId: ASHA, dueAt: new Date(now - HOUR), status: 'done' })
    await ctx.database.db.task.update({ where: { id: email }, data: { priority: 'high' } })

    expect(ids(await inbox('assigneeId=me&kind=email', as(ASHA)))).toEqual([email])
    expect(ids(await inbox('assigneeId=me&priority=high', as(ASHA)))).toEqual([email])
    expect(ids(await inbox('assigneeId=me&status=done', as(ASHA)))).toEqual([done])
    expect(ids(await inbox('assigneeId=me&status=open', as(ASHA)))).toEqual([call, email])
    expect(ids(await inbox(`leadId=${leadId}`))).toEqual([call])
  })

  it('names each task’s lead, so an inbox needs no read per row', async () => {
    await insertUsers()
    const named = await insertLead(ASHA)
    await ctx.database.db.lead.update({
      where: { id: named },
      data: { firstName: 'Asha', lastName: 'Verma' },
    })
    const unnamed = await insertLead(ASHA)
    const now = Date.now()
    const first = await insertTask({ assigneeId: ASHA, dueAt: new Date(now + HOUR), leadId: named })
    await insertTask({ assigneeId: ASHA, dueAt: new Date(now + 2 * HOUR), leadId: unnamed })
    await insertTask({ assigneeId: ASHA, dueAt: new Date(now + 3 * HOUR) })
    const page = await inbox('assigneeId=me', as(ASHA))
    expect(page.items.map((t) => (t as unknown as { leadName: string | null }).leadName)).toEqual([
      'Asha Verma',
      null,
      null,
    ])
    const one = await ctx.app.inject({ method: 'GET', url: `/v1/tasks/${first}`, headers: as(ASHA) })
    expect(one.json<{ leadName: string }>().leadName).toBe('Asha Verma')
  })

  it('buckets tasks as overdue, today or upcoming on the calendar of the zone asked for', async () => {
    await insertUsers()
    const now = Date.now()
    const doneEarlier = await insertTask({ assigneeId: ASHA, dueAt: new Date(now - HOUR), status: 'done' })
    const late = await insertTask({ assigneeId: ASHA, dueAt: new Date(now - 30 * 60_000) })
    const inTwoHours = await insertTask({ assigneeId: ASHA, dueAt: new Date(now + 2 * HOUR) })
    const nextWeek = await insertTask({ assigneeId: ASHA, dueAt: new Date(now + 7 * 24 * HOUR) })
    const morning = zoneWhereItIs(10) // two hours on is still today
    const lateEvening = zoneWhereItIs(22) // two hours on is tomorrow

    const overdue = await inbox('assigneeId=me&due=overdue', as(ASHA))
    expect(ids(overdue)).toEqual([late])
    expect(overdue.items[0]).toMatchObject({ overdue: true, status: 'open' })

    // Today is the calendar day: a task due earlier today is both today and overdue.
    expect(ids(await inbox(`assigneeId=me&due=today&tz=${morning}`, as(ASHA)))).toEqual([
      doneEarlier,
      late,
      inTwoHours,
    ])
    expect(ids(await inbox(`assigneeId=me&due=upcoming&tz=${morning}`, as(ASHA)))).toEqual([nextWeek])
    expect(ids(await inbox(`assigneeId=me&due=today&tz=${lateEvening}`, as(ASHA)))).toEqual([
      doneEarlier,
      late,
    ])
    expect(ids(await inbox(`assigneeId=me&due=upcoming&tz=${lateEvening}`, as(ASHA)))).toEqual([
      inTwoHours,
      nextWeek,
    ])
    // The configured zone (Asia/Kolkata) when none is given: its today holds now ± its own clock.
    const kolkataToday = (await inbox('assigneeId=me&due=today', as(ASHA))).items.map((t) =>
      localDate(new Date(t.dueAt), 'Asia/Kolkata'),
    )
    expect(new Set(kolkataToday)).toEqual(new Set([localDate(new Date(), 'Asia/Kolkata')]))

    const badZone = await ctx.app.inject({ method: 'GET', url: '/v1/tasks?due=today&tz=Mars%2FOlympus' })
    expect(expectProblem(badZone, 400, 'malformed_request').errors).toEqual([
      { pointer: '/querystring/tz', message: 'must be an IANA time zone such as Asia/Kolkata' },
    ])
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/tasks?due=soon' }),
      400,
      'malformed_request',
    )
  })

  it('pages through the inbox by due time, then id, without repeats or gaps', async () => {
    await insertUsers()
    const due = new Date(Date.now() + HOUR)
    const later = new Date(Date.now() + 2 * HOUR)
    // Three share a due time, so the id decides between them.
    const sameTime = [
      await insertTask({ assigneeId: ASHA, dueAt: due }),
      await insertTask({ assigneeId: ASHA, dueAt: due }),
      await insertTask({ assigneeId: ASHA, dueAt: due }),
    ].sort()
    const last = await insertTask({ assigneeId: ASHA, dueAt: later })
    const first = await insertTask({ assigneeId: ASHA, dueAt: new Date(Date.now() - HOUR) })

    const page1 = await inbox('assigneeId=me&limit=3', as(ASHA))
    expect(ids(page1)).toEqual([first, sameTime[0], sameTime[1]])
    expect(page1.nextCursor).toEqual(expect.any(String))
    const page2 = await inbox(`assigneeId=me&limit=3&cursor=${page1.nextCursor}`, as(ASHA))
    expect(ids(page2)).toEqual([sameTime[2], last])
    expect(page2.nextCursor).toBeNull()

    const forged = await ctx.app.inject({ method: 'GET', url: '/v1/tasks?cursor=not-a-cursor' })
    expectProblem(forged, 400, 'malformed_request')
  })
})

describe('snoozing', () => {
  it('hides an open task until its snooze time, keeps its due time and audits the snooze', async () => {
    await insertUsers()
    const dueAt = new Date(Date.now() + HOUR)
    const task = await insertTask({ assigneeId: ASHA, dueAt })
    const other = await insertTask({ assigneeId: ASHA, dueAt: new Date(Date.now() + 2 * HOUR) })
    // Snoozed once, but that time has come: back in the inbox.
    const wokenUp = await insertTask({
      assigneeId: ASHA,
      dueAt: new Date(Date.now() + 3 * HOUR),
      snoozedUntil: new Date(Date.now() - 60_000),
    })
    const until = new Date(Date.now() + 24 * HOUR).toISOString()

    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task}/snooze`,
      headers: { ...as(ASHA), 'x-request-id': 'req-snooze' },
      payload: { until, reason: 'Customer travelling' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      id: task,
      snoozedUntil: until,
      snoozed: true,
      dueAt: dueAt.toISOString(),
    })

    const visible = await inbox('assigneeId=me', as(ASHA))
    expect(ids(visible)).toEqual([other, wokenUp])
    expect(visible.items[1]).toMatchObject({ snoozed: false })
    const all = await inbox('assigneeId=me&includeSnoozed=true', as(ASHA))
    expect(ids(all)).toEqual([task, other, wokenUp])
    expect(all.items[0]).toMatchObject({ snoozed: true, snoozedUntil: until })

    const audit = await ctx.database.db.auditEvent.findMany({ where: { entityId: task } })
    expect(audit).toMatchObject([
      {
        entity: 'task',
        action: 'snooze',
        actorId: `user:${ASHA}`,
        requestId: 'req-snooze',
        changes: {
          snoozedUntil: { from: null, to: until },
          reason: { from: null, to: 'Customer travelling' },
        },
      },
    ])
  })

  it('refuses a time not in the future (422), a done task (409) and an unknown one (404)', async () => {
    await insertUsers()
    const open = await insertTask({ assigneeId: ASHA, dueAt: new Date(Date.now() + HOUR) })
    const done = await insertTask({ assigneeId: ASHA, dueAt: new Date(Date.now() - HOUR), status: 'done' })
    const future = new Date(Date.now() + HOUR).toISOString()
    const snooze = (id: string, until: string) =>
      ctx.app.inject({ method: 'POST', url: `/v1/tasks/${id}/snooze`, payload: { until } })

    const past = expectProblem(
      await snooze(open, new Date(Date.now() - 1000).toISOString()),
      422,
      'rule_violation',
    )
    expect(past.errors?.[0]?.pointer).toBe('/body/until')
    expectProblem(await snooze(done, future), 409, 'conflict')
    expectProblem(await snooze(uuidv7(), future), 404, 'not_found')
    expectProblem(await snooze(open, 'tomorrow'), 422, 'validation_failed')
    expect(await ctx.database.db.auditEvent.count()).toBe(0)
    expect((await ctx.database.db.task.findUniqueOrThrow({ where: { id: open } })).snoozedUntil).toBeNull()
  })
})

describe('reassigning', () => {
  it('moves an open task to another user with an audit row and a timeline entry', async () => {
    await insertUsers()
    const leadId = await insertLead(ASHA)
    const task = await insertTask({ queue: 'inbound-india', dueAt: new Date(Date.now() + HOUR), leadId })
    // A queued task is assigned to nobody: only a role that sees every task sees it to hand it out.
    await ctx.database.db.user.update({ where: { id: RAVI }, data: { role: 'admin' } })

    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task}/reassign`,
      headers: as(RAVI),
      payload: { assigneeId: ASHA, reason: 'Owns the account' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ id: task, assigneeId: ASHA, queue: null })
    expect(ids(await inbox('assigneeId=me', as(ASHA)))).toEqual([task])

    expect(await ctx.database.db.auditEvent.findMany({ where: { entityId: task } })).toMatchObject([
      {
        action: 'reassign',
        actorId: `user:${RAVI}`,
        changes: {
          assigneeId: { from: null, to: ASHA },
          queue: { from: 'inbound-india', to: null },
          reason: { from: null, to: 'Owns the account' },
        },
      },
    ])
    expect(await ctx.database.db.activity.findMany({ where: { kind: 'task_reassigned' } })).toMatchObject([
      {
        taskId: task,
        leadId,
        actorId: `user:${RAVI}`,
        direction: 'internal',
        details: { from: null, fromQueue: 'inbound-india', to: ASHA, reason: 'Owns the account' },
      },
    ])

    // To the same person again: nothing changes, nothing is recorded.
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task}/reassign`,
      payload: { assigneeId: ASHA },
    })
    expect(again.statusCode).toBe(200)
    expect(await ctx.database.db.auditEvent.count()).toBe(1)
    expect(await ctx.database.db.activity.count()).toBe(1)
  })

  it('refuses a done task (409) and an unknown assignee (422)', async () => {
    await insertUsers()
    const done = await insertTask({ assigneeId: ASHA, dueAt: new Date(Date.now() - HOUR), status: 'done' })
    const open = await insertTask({ assigneeId: ASHA, dueAt: new Date(Date.now() + HOUR) })
    const reassign = (id: string, assigneeId: string) =>
      ctx.app.inject({ method: 'POST', url: `/v1/tasks/${id}/reassign`, payload: { assigneeId } })

    expectProblem(await reassign(done, RAVI), 409, 'conflict')
    const unknown = expectProblem(await reassign(open, 'user-ghost'), 422, 'rule_violation')
    expect(unknown.errors).toEqual([{ pointer: '/body/assigneeId', message: 'no user has this id' }])
    expect(await ctx.database.db.task.findUniqueOrThrow({ where: { id: open } })).toMatchObject({
      assigneeId: ASHA,
    })
    expect(await ctx.database.db.auditEvent.count()).toBe(0)
    expect(await ctx.database.db.activity.count()).toBe(0)
  })
})

describe('POST /v1/tasks', () => {
  const dueAt = '2030-01-15T05:30:00.000Z'

  it('adds a task for the caller by default, linked to its records, with an audit row', async () => {
    await insertUsers()
    const leadId = await insertLead(ASHA)
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: as(ASHA),
      payload: {
        title: 'Send the proposal',
        kind: 'email',
        dueAt,
        priority: 'high',
        description: 'v2',
        leadId,
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    const task = res.json<TaskJson>()
    expect(task).toMatchObject({
      kind: 'email',
      title: 'Send the proposal',
      status: 'open',
      priority: 'high',
      description: 'v2',
      assigneeId: ASHA,
      queue: null,
      leadId,
      dueAt,
      createdBy: `user:${ASHA}`,
      overdue: false,
      snoozed: false,
    })
    expect(res.headers['location']).toBe(`/v1/tasks/${task.id}`)
    const read = await ctx.app.inject({ method: 'GET', url: `/v1/tasks/${task.id}` })
    expect(read.statusCode).toBe(200)
    expect(read.json()).toEqual(task)

    expect(await ctx.database.db.auditEvent.findMany({ where: { entityId: task.id } })).toMatchObject([
      {
        action: 'create',
        actorId: `user:${ASHA}`,
        changes: { title: { from: null, to: 'Send the proposal' }, assigneeId: { from: null, to: ASHA } },
      },
    ])

    const queued = await ctx.app.inject({
      method: 'POST',
      url: '/v1/tasks',
      payload: { title: 'Call back', kind: 'call', dueAt, queue: 'inbound-india' },
    })
    expect(queued.statusCode, queued.body).toBe(201)
    expect(queued.json()).toMatchObject({ assigneeId: null, queue: 'inbound-india', priority: 'normal' })
  })

  it('refuses unknown users and records, and both assignee and queue', async () => {
    await insertUsers()
    const post = (payload: object, headers: Record<string, string> = {}) =>
      ctx.app.inject({ method: 'POST', url: '/v1/tasks', headers, payload })
    const base = { title: 'Call back', kind: 'call', dueAt }

    const ghost = expectProblem(await post({ ...base, assigneeId: 'user-ghost' }), 422, 'rule_violation')
    expect(ghost.errors).toEqual([{ pointer: '/body/assigneeId', message: 'no user has this id' }])
    const links = expectProblem(
      await post({ ...base, leadId: uuidv7(), accountId: uuidv7(), opportunityId: uuidv7() }, as(ASHA)),
      422,
      'rule_violation',
    )
    expect(links.errors?.map((e) => e.pointer)).toEqual([
      '/body/leadId',
      '/body/accountId',
      '/body/opportunityId',
    ])
    const both = expectProblem(await post({ ...base, assigneeId: ASHA, queue: 'q' }), 422, 'rule_violation')
    expect(both.errors?.[0]?.pointer).toBe('/body/queue')
    expectProblem(await post({ ...base, kind: 'escalation' }, as(ASHA)), 422, 'validation_failed')
    expectProblem(await post({ ...base, title: '' }, as(ASHA)), 422, 'validation_failed')
    expectProblem(await post({ ...base, surprise: 1 }, as(ASHA)), 422, 'validation_failed')
    expect(await ctx.database.db.task.count()).toBe(0)
    expect(await ctx.database.db.auditEvent.count()).toBe(0)
  })

  it('answers 404 for a task that does not exist', async () => {
    expectProblem(await ctx.app.inject({ method: 'GET', url: `/v1/tasks/${uuidv7()}` }), 404, 'not_found')
  })
})

describe('POST /v1/tasks/:id/complete', () => {
  it('is attributed to the caller, audited and signals the journey of a journey task', async () => {
    await insertUsers()
    const leadId = await insertLead(ASHA)
    const task = await insertTask({ assigneeId: ASHA, dueAt: new Date(Date.now() + HOUR), leadId })
    await ctx.database.db.task.update({ where: { id: task }, data: { workflowId: `lead/${leadId}` } })

    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tasks/${task}/complete`,
      headers: { ...as(ASHA), 'x-request-id': 'req-done' },
      payload: { outcome: 'contacted', note: 'Spoke at 11' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'done', outcome: 'contacted', completedBy: `user:${ASHA}` })

    expect(await ctx.database.db.auditEvent.findMany({ where: { entityId: task } })).toMatchObject([
      {
        action: 'complete',
        actorId: `user:${ASHA}`,
        requestId: 'req-done',
        changes: {
          status: { from: 'open', to: 'done' },
          outcome: { from: null, to: 'contacted' },
          completedBy: { from: null, to: `user:${ASHA}` },
        },
      },
    ])
    expect(await ctx.database.db.outboxEvent.findMany()).toMatchObject([
      { topic: 'task.completed', aggregateId: leadId, requestId: 'req-done', payload: { taskId: task } },
    ])
    // Completed tasks are not snoozable or reassignable, and they leave the open inbox.
    expect(ids(await inbox('assigneeId=me&status=open', as(ASHA)))).toEqual([])
  })
})

describe('journey tasks', () => {
  it('are audited once when opened, however often the journey retries', async () => {
    await insertUsers()
    const leadId = await insertLead(ASHA)
    const step = {
      leadId,
      workflowId: `lead/${leadId}`,
      kind: 'first_contact' as const,
      cycle: 1,
      attempt: 1,
      dueAt: new Date(Date.now() + HOUR).toISOString(),
    }
    const task = await openJourneyTask(ctx.database.db, step)
    await openJourneyTask(ctx.database.db, step)

    expect(await ctx.database.db.auditEvent.findMany({ where: { entityId: task.id } })).toMatchObject([
      {
        action: 'create',
        actorId: 'system:journey',
        changes: { kind: { from: null, to: 'first_contact' }, assigneeId: { from: null, to: ASHA } },
      },
    ])
  })
})
