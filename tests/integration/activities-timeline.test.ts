import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'

/*
 * Logged activities, their statistics, and the timeline of each kind of record, through the
 * API on a real PostgreSQL.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db

const ASHA = 'user-asha'
const VIKRAM = 'user-vikram'

// Admins: the records these tests log against have no owner, and only a role that sees every
// record sees those (row-level access has tests of its own: access-*.test.ts).
async function users() {
  await db().user.create({
    data: { id: ASHA, name: 'Asha Menon', email: 'asha@leadwire.test', role: 'admin' },
  })
  await db().user.create({
    data: { id: VIKRAM, name: 'Vikram Singh', email: 'vikram@leadwire.test', role: 'admin' },
  })
}

async function lead(duplicateOfId?: string) {
  const id = uuidv7()
  await db().lead.create({
    data: {
      id,
      channel: 'web_form',
      firstName: 'Meera',
      email: `meera.${id.slice(-8)}@acme.in`,
      ...(duplicateOfId ? { isDuplicate: true, duplicateOfId } : {}),
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

async function account() {
  const id = uuidv7()
  await db().account.create({
    data: { id, name: `Acme ${id.slice(-6)}`, createdBy: 'test', updatedBy: 'test' },
  })
  return id
}

async function contact(accountId: string, leadId?: string) {
  const id = uuidv7()
  await db().contact.create({
    data: { id, accountId, leadId: leadId ?? null, firstName: 'Meera', createdBy: 'test', updatedBy: 'test' },
  })
  return id
}

async function opportunity(accountId: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/opportunities',
    payload: { accountId, name: 'Deal', amount: 1000, closeDate: new Date().toISOString().slice(0, 10) },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

async function task(leadId: string) {
  const id = uuidv7()
  await db().task.create({
    data: {
      id,
      kind: 'follow_up',
      title: 'Call back',
      leadId,
      dueAt: new Date(),
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

const log = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/v1/activities', payload: { kind: 'call', ...payload }, headers })

async function logged(payload: Record<string, unknown>, user?: string) {
  const res = await log(payload, user ? { 'x-leadwire-user': user } : {})
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

interface Page {
  items: { id: string; kind: string; occurredAt: string }[]
  nextCursor: string | null
}

async function timeline(path: string, query = ''): Promise<Page> {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/${path}/timeline${query}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Page>()
}

/** Every entry of a timeline, page by page. */
async function allPages(path: string, limit: number): Promise<Page['items']> {
  const items: Page['items'] = []
  let cursor: string | null = null
  do {
    const page: Page = await timeline(path, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return items
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString()

describe('POST /v1/activities', () => {
  it('logs a call linked to a contact and its account, credited to the caller, audited, and tells the account', async () => {
    await users()
    const accountId = await account()
    const contactId = await contact(accountId)
    const res = await log(
      {
        subject: 'Discovery call',
        body: 'Wants a pilot in Pune',
        durationSeconds: 900,
        outcome: 'connected',
        occurredAt: minutesAgo(30),
        accountId,
        contactId,
      },
      { 'x-leadwire-user': ASHA },
    )
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({
      kind: 'call',
      direction: 'outbound',
      subject: 'Discovery call',
      details: { body: 'Wants a pilot in Pune', durationSeconds: 900, outcome: 'connected' },
      accountId,
      contactId,
      leadId: null,
      actorId: `user:${ASHA}`,
    })
    const audit = await db().auditEvent.findFirstOrThrow({ where: { entityId: body.id } })
    expect(audit).toMatchObject({ entity: 'activity', action: 'create', actorId: `user:${ASHA}` })
    const events = await db().outboxEvent.findMany({ where: { topic: 'account.changed' } })
    expect(events.map((e) => e.payload)).toEqual([{ accountId, reason: 'activity_logged' }])

    // A note is internal by default; a lead alone is a link too (no account to tell).
    const note = await log({ kind: 'note', body: 'Prefers WhatsApp', leadId: await lead() })
    expect(note.json()).toMatchObject({ kind: 'note', direction: 'internal', actorId: 'user:test-admin' })
    expect(await db().outboxEvent.count({ where: { topic: 'account.changed' } })).toBe(1)
  })

  it('refuses an activity linked to nothing, to what does not exist, or across accounts', async () => {
    const accountId = await account()
    const otherContact = await contact(await account())

    expect(expectProblem(await log({}), 422, 'rule_violation').errors).toEqual([
      { pointer: '/body', message: expect.stringContaining('at least one of leadId') },
    ])
    const across = expectProblem(await log({ accountId, contactId: otherContact }), 422, 'rule_violation')
    expect(across.errors?.map((e) => e.pointer)).toEqual(['/body/contactId'])
    const missing = expectProblem(
      await log({ leadId: uuidv7(), opportunityId: uuidv7(), taskId: uuidv7() }),
      422,
      'rule_violation',
    )
    expect(missing.errors?.map((e) => e.pointer)).toEqual([
      '/body/leadId',
      '/body/opportunityId',
      '/body/taskId',
    ])
    const oppOfOther = await opportunity(await account())
    expect(
      expectProblem(await log({ accountId, opportunityId: oppOfOther }), 422, 'rule_violation').errors?.[0]
        ?.pointer,
    ).toBe('/body/opportunityId')
    const shape = expectProblem(
      await log({
        kind: 'note',
        direction: 'outbound',
        durationSeconds: 60,
        occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
        accountId,
      }),
      422,
      'rule_violation',
    )
    expect(shape.errors?.map((e) => e.pointer)).toEqual([
      '/body/occurredAt',
      '/body/durationSeconds',
      '/body/direction',
    ])
    expectProblem(await log({ kind: 'fax', accountId }), 422, 'validation_failed')
    expect(await db().activity.count()).toBe(0)
    expect(await db().auditEvent.count({ where: { entity: 'activity' } })).toBe(0)
  })

  it('records one entry for a retried request with the same Idempotency-Key', async () => {
    await users()
    const accountId = await account()
    const payload = { kind: 'meeting', subject: 'Demo', durationSeconds: 3600, accountId }
    const headers = { 'idempotency-key': 'demo-2026-11-24', 'x-leadwire-user': VIKRAM }
    const first = await log(payload, headers)
    const retry = await log(payload, headers)
    expect(first.statusCode).toBe(201)
    expect(retry.statusCode).toBe(200)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.json()).toEqual(first.json())
    expect(await db().activity.count()).toBe(1)
    expect(await db().auditEvent.count({ where: { entity: 'activity' } })).toBe(1)
    expect(await db().outboxEvent.count({ where: { topic: 'account.changed' } })).toBe(1)
    // Another caller's same key is theirs alone.
    expect(
      (await log(payload, { 'idempotency-key': 'demo-2026-11-24', 'x-leadwire-user': ASHA })).statusCode,
    ).toBe(201)
  })
})

describe('GET /v1/activities/stats', () => {
  it('counts per owner, kind and period, cut in the requested time zone', async () => {
    await users()
    const leadId = await lead()
    // Monday 2025-03-03 and the days after. 20:00 UTC on the 3rd is 01:30 on the 4th in Kolkata.
    const seeds: [string, string, string][] = [
      [ASHA, 'call', '2025-03-03T04:00:00Z'],
      [ASHA, 'call', '2025-03-03T20:00:00Z'],
      [ASHA, 'email', '2025-03-04T06:00:00Z'],
      [VIKRAM, 'meeting', '2025-03-05T09:00:00Z'],
      [VIKRAM, 'call', '2025-03-11T09:00:00Z'],
      [ASHA, 'call', '2025-04-01T09:00:00Z'], // outside [from, to)
    ]
    for (const [user, kind, occurredAt] of seeds) await logged({ kind, occurredAt, leadId }, user)
    await logged({ kind: 'note', occurredAt: '2025-03-03T05:00:00Z', leadId }) // anonymous

    const stats = async (query: string) => {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/v1/activities/stats?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&${query}`,
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json()
    }

    const daily = await stats('period=day')
    expect(daily).toMatchObject({ period: 'day', timeZone: 'Asia/Kolkata', total: 6 })
    expect(daily.owners).toEqual([
      { actorId: `user:${ASHA}`, userId: ASHA, total: 3, byKind: { call: 2, email: 1 } },
      { actorId: `user:${VIKRAM}`, userId: VIKRAM, total: 2, byKind: { call: 1, meeting: 1 } },
      { actorId: 'user:test-admin', userId: 'test-admin', total: 1, byKind: { note: 1 } },
    ])
    const ashaCalls = daily.buckets.filter(
      (b: { actorId: string; kind: string }) => b.actorId === `user:${ASHA}` && b.kind === 'call',
    )
    expect(ashaCalls).toEqual([
      { periodStart: '2025-03-03', actorId: `user:${ASHA}`, userId: ASHA, kind: 'call', count: 1 },
      { periodStart: '2025-03-04', actorId: `user:${ASHA}`, userId: ASHA, kind: 'call', count: 1 },
    ])
    // In UTC both calls fall on the 3rd.
    const utc = await stats(`period=day&tz=UTC&ownerId=${ASHA}&kind=call`)
    expect(utc.buckets).toEqual([
      { periodStart: '2025-03-03', actorId: `user:${ASHA}`, userId: ASHA, kind: 'call', count: 2 },
    ])
    const weekly = await stats(`period=week&ownerId=${VIKRAM}`)
    expect(
      weekly.buckets.map((b: { periodStart: string; count: number }) => [b.periodStart, b.count]),
    ).toEqual([
      ['2025-03-03', 1],
      ['2025-03-10', 1],
    ])
    const monthly = await stats('period=month&kind=call')
    expect(monthly.total).toBe(3)
    expect(monthly.buckets.every((b: { periodStart: string }) => b.periodStart === '2025-03-01')).toBe(true)

    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/activities/stats?tz=Mars/Olympus' }),
      400,
      'malformed_request',
    )
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/activities/stats?period=year' }),
      400,
      'malformed_request',
    )
  })
})

describe('timelines', () => {
  it("shows an account's own entries, its contacts', its deals' and its converted leads', newest first, page by page", async () => {
    const accountId = await account()
    const convertedLead = await lead()
    const contactId = await contact(accountId, convertedLead)
    const dealId = await opportunity(accountId)
    const other = await account()

    const onLead = await logged({ kind: 'email', occurredAt: minutesAgo(50), leadId: convertedLead })
    const onAccount = await logged({ kind: 'note', occurredAt: minutesAgo(40), accountId })
    // Linked to both the contact and its account: one entry on the account's timeline, not two.
    const onContact = await logged({ kind: 'call', occurredAt: minutesAgo(30), contactId, accountId })
    const onDeal = await logged({ kind: 'meeting', occurredAt: minutesAgo(20), opportunityId: dealId })
    const sameTime = minutesAgo(10)
    const tieA = await logged({ kind: 'whatsapp', occurredAt: sameTime, contactId })
    const tieB = await logged({ kind: 'whatsapp', occurredAt: sameTime, accountId })
    await logged({ kind: 'call', occurredAt: minutesAgo(5), accountId: other })

    const ties = [tieA, tieB].sort().reverse()
    const expected = [...ties, onDeal, onContact, onAccount, onLead]
    expect((await allPages(`accounts/${accountId}`, 2)).map((a) => a.id)).toEqual(expected)
    expect((await allPages(`accounts/${accountId}`, 200)).map((a) => a.id)).toEqual(expected)
    const calls = await timeline(`accounts/${accountId}`, '?kind=call,meeting')
    expect(calls.items.map((a) => a.id)).toEqual([onDeal, onContact])
    const repeated = await timeline(`accounts/${accountId}`, '?kind=call&kind=note')
    expect(repeated.items.map((a) => a.id)).toEqual([onContact, onAccount])

    // A contact's timeline includes the lead it came from; a deal's holds its own entries.
    expect((await timeline(`contacts/${contactId}`)).items.map((a) => a.id)).toEqual([
      tieA,
      onContact,
      onLead,
    ])
    expect((await timeline(`opportunities/${dealId}`)).items.map((a) => a.id)).toEqual([onDeal])
  })

  it("shows a lead's entries with those of the leads merged into it, and a task's own", async () => {
    const master = await lead()
    const duplicate = await lead(master)
    const unrelated = await lead()
    const taskId = await task(master)
    const a = await logged({ kind: 'call', occurredAt: minutesAgo(30), leadId: master, taskId })
    const b = await logged({ kind: 'email', occurredAt: minutesAgo(20), leadId: duplicate })
    await logged({ kind: 'email', occurredAt: minutesAgo(10), leadId: unrelated })
    expect((await timeline(`leads/${master}`)).items.map((x) => x.id)).toEqual([b, a])
    expect((await timeline(`leads/${duplicate}`)).items.map((x) => x.id)).toEqual([b])
    expect((await timeline(`tasks/${taskId}`)).items.map((x) => x.id)).toEqual([a])
  })

  it('answers 404 for a record that does not exist, and 400 for a cursor it did not hand out', async () => {
    for (const path of ['leads', 'accounts', 'contacts', 'opportunities', 'tasks']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/${path}/${uuidv7()}/timeline` })
      expectProblem(res, 404, 'not_found')
    }
    const accountId = await account()
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/accounts/${accountId}/timeline?cursor=abc` })
    expectProblem(res, 400, 'malformed_request')
  })
})
