import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { setTicketStatus } from '../../crm/support/tickets.js'
import { financialYearOf } from '../../domain/billing/financial-year.rules.js'
import { shortFinancialYear } from '../../domain/billing/financial-year.rules.js'
import { indiaDate } from '../../domain/time/india-date.rules.js'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'

/*
 * The ticket API on a real PostgreSQL: numbering, SLA deadlines, the pending pause, and
 * every write's audit row, timeline entry and outbox events.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const HOUR = 3_600_000
const AGENT = 'user-agent'

async function seed(options: { active?: boolean } = {}) {
  const db = ctx.database.db
  await db.user.createMany({
    data: [
      { id: 'user-lead', name: 'Priya Nair', email: 'priya@leadwire.test', role: 'sales_manager' },
      { id: AGENT, name: 'Arjun Rao', email: 'arjun@leadwire.test', role: 'support', managerId: 'user-lead' },
    ],
    skipDuplicates: true,
  })
  const accountId = uuidv7()
  await db.account.create({
    data: {
      id: accountId,
      name: 'Acme Industries',
      isActive: options.active ?? true,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  const contactId = uuidv7()
  await db.contact.create({
    data: { id: contactId, accountId, firstName: 'Meera', createdBy: 'test', updatedBy: 'test' },
  })
  return { accountId, contactId }
}

const open = (payload: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/v1/tickets', payload, headers })

function body(accountId: string, extra: object = {}) {
  return { accountId, subject: 'Printer offline', priority: 'P1', channel: 'email', ...extra }
}

const outbox = (aggregateId: string) =>
  ctx.database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { id: 'asc' } })

describe('POST /v1/tickets', () => {
  it('numbers tickets gaplessly per financial year, sets the priority’s deadlines, audits and enqueues', async () => {
    const { accountId, contactId } = await seed()
    const first = await open(body(accountId, { contactId, assigneeId: AGENT }), { 'x-leadwire-user': AGENT })
    expect(first.statusCode, first.body).toBe(201)
    const t = first.json()
    const fy = shortFinancialYear(financialYearOf(indiaDate(Date.parse(t.createdAt))))
    expect(t.number).toBe(`TKT/${fy}/000001`)
    expect(t).toMatchObject({
      status: 'new',
      priority: 'P1',
      contactId,
      assigneeId: AGENT,
      escalationLevel: 0,
    })
    const created = Date.parse(t.createdAt)
    expect(Date.parse(t.firstResponseDueAt) - created).toBe(HOUR)
    expect(Date.parse(t.resolutionDueAt) - created).toBe(4 * HOUR)
    expect(t.sla.firstResponse).toMatchObject({ state: 'running', breached: false })

    const second = await open(body(accountId, { priority: 'P4', channel: 'web' }))
    expect(second.json().number).toBe(`TKT/${fy}/000002`)
    expect(Date.parse(second.json().resolutionDueAt) - Date.parse(second.json().createdAt)).toBe(120 * HOUR)

    const audit = await ctx.database.db.auditEvent.findMany({ where: { entity: 'ticket', entityId: t.id } })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'create', actorId: `user:${AGENT}` })
    expect((audit[0]!.changes as Record<string, { to: unknown }>)['priority']).toEqual({
      from: null,
      to: 'P1',
    })
    expect((await outbox(t.id)).map((e) => [e.topic, e.payload])).toEqual([
      ['ticket.opened', { ticketId: t.id }],
    ])
    expect((await outbox(accountId)).map((e) => e.topic)).toEqual(['account.changed', 'account.changed'])
    const timeline = await ctx.database.db.activity.findMany({ where: { accountId, kind: 'ticket_opened' } })
    expect(timeline).toHaveLength(2)
  })

  it('refuses unusable references with 422 and a pointer, and writes nothing', async () => {
    const { accountId } = await seed()
    const other = await seed()
    const otherContact = await ctx.database.db.contact.findFirstOrThrow({
      where: { accountId: other.accountId },
    })
    const res = await open(body(accountId, { contactId: otherContact.id, assigneeId: 'nobody' }))
    const problem = expectProblem(res, 422, 'rule_violation')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/body/contactId', '/body/assigneeId'])
    expectProblem(await open(body(uuidv7())), 422, 'rule_violation')
    const inactive = await seed({ active: false })
    const refused = expectProblem(await open(body(inactive.accountId)), 422, 'rule_violation')
    expect(refused.errors).toEqual([{ pointer: '/body/accountId', message: 'the account is deactivated' }])
    expect(await ctx.database.db.ticket.count()).toBe(0)
    expect(await ctx.database.db.documentSequence.count()).toBe(0) // the number rolled back too
  })

  it('refuses a malformed body with validation_failed', async () => {
    const { accountId } = await seed()
    expectProblem(await open(body(accountId, { priority: 'P5' })), 422, 'validation_failed')
    expectProblem(await open(body(accountId, { channel: 'fax' })), 422, 'validation_failed')
    expectProblem(await open(body(accountId, { surprise: true })), 422, 'validation_failed')
    expectProblem(await open({ accountId, priority: 'P1', channel: 'email' }), 422, 'validation_failed')
  })
})

describe('ticket changes', () => {
  async function opened(priority = 'P1') {
    const { accountId } = await seed()
    const res = await open(body(accountId, { priority, assigneeId: AGENT }))
    return { accountId, ticket: res.json() }
  }

  it('records the first response once, opens the ticket, and audits each response', async () => {
    const { ticket } = await opened()
    const first = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tickets/${ticket.id}/respond`,
      payload: { note: 'On it' },
    })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toMatchObject({ status: 'open' })
    const respondedAt = first.json().firstRespondedAt
    expect(respondedAt).not.toBeNull()
    expect(first.json().sla.firstResponse.state).toBe('met')
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tickets/${ticket.id}/respond`,
      payload: {},
    })
    expect(again.json().firstRespondedAt).toBe(respondedAt)

    const audit = await ctx.database.db.auditEvent.findMany({
      where: { entityId: ticket.id },
      orderBy: { id: 'asc' },
    })
    expect(audit.map((a) => a.action)).toEqual(['create', 'respond', 'respond'])
    expect(Object.keys(audit[1]!.changes as object).sort()).toEqual(['firstRespondedAt', 'status'])
    expect(
      (await outbox(ticket.id)).map((e) => (e.payload as { reason?: string }).reason ?? e.topic),
    ).toEqual(['ticket.opened', 'first_response', 'response'])
    const timeline = await ctx.database.db.activity.findMany({ where: { kind: 'ticket_response' } })
    expect(timeline).toHaveLength(2)
  })

  it('pauses the resolution clock while pending and moves the deadline by the spell', async () => {
    const { ticket } = await opened()
    const pending = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tickets/${ticket.id}/status`,
      payload: { status: 'pending' },
    })
    expect(pending.statusCode, pending.body).toBe(200)
    expect(pending.json()).toMatchObject({ status: 'pending', sla: { resolution: { state: 'paused' } } })
    const since = Date.parse(pending.json().pendingSince)
    // Resume 90 minutes later (the write's clock is an argument, so the spell is exact).
    const db = ctx.database.db
    const resumed = await setTicketStatus(
      db,
      { actor: { id: 'test' } },
      ticket.id,
      { status: 'open' },
      new Date(since + 1.5 * HOUR),
    )
    expect(resumed.pausedSeconds).toBe(5400)
    expect(resumed.pendingSince).toBeNull()
    expect(resumed.resolutionDueAt.getTime()).toBe(Date.parse(ticket.resolutionDueAt) + 1.5 * HOUR)
    expect(resumed.firstResponseDueAt.toISOString()).toBe(ticket.firstResponseDueAt)
    const reasons = (await outbox(ticket.id)).map((e) => (e.payload as { reason?: string }).reason ?? e.topic)
    expect(reasons).toEqual(['ticket.opened', 'pending', 'open'])
  })

  it('resolves, reopens and closes; a closed ticket is final (409)', async () => {
    const { ticket, accountId } = await opened()
    const status = (s: string) =>
      ctx.app.inject({ method: 'POST', url: `/v1/tickets/${ticket.id}/status`, payload: { status: s } })
    expect((await status('resolved')).json()).toMatchObject({
      status: 'resolved',
      sla: { resolution: { state: 'met' } },
    })
    const reopened = (await status('open')).json()
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null })
    expect((await status('closed')).json()).toMatchObject({ status: 'closed' })
    expectProblem(await status('open'), 409, 'conflict')
    expectProblem(
      await ctx.app.inject({ method: 'POST', url: `/v1/tickets/${ticket.id}/respond`, payload: {} }),
      409,
      'conflict',
    )
    const reasons = (await outbox(ticket.id)).map((e) => (e.payload as { reason?: string }).reason ?? e.topic)
    expect(reasons).toEqual(['ticket.opened', 'resolved', 'reopened', 'closed'])
    // Open-ticket counts changed on open, resolve, reopen and close: the account hears each.
    expect((await outbox(accountId)).map((e) => (e.payload as { reason: string }).reason)).toEqual([
      'ticket_opened',
      'resolved',
      'reopened',
      'closed',
    ])
    const actions = await ctx.database.db.auditEvent.findMany({
      where: { entityId: ticket.id },
      orderBy: { id: 'asc' },
    })
    expect(actions.map((a) => a.action)).toEqual([
      'create',
      'status_change',
      'status_change',
      'status_change',
    ])
  })

  it('recomputes deadlines from creation on a priority change, and reassigns', async () => {
    const { ticket } = await opened('P1')
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/tickets/${ticket.id}`,
      payload: { priority: 'P3', assigneeId: null },
    })
    expect(res.statusCode, res.body).toBe(200)
    const created = Date.parse(ticket.createdAt)
    expect(Date.parse(res.json().firstResponseDueAt) - created).toBe(8 * HOUR)
    expect(Date.parse(res.json().resolutionDueAt) - created).toBe(72 * HOUR)
    expect(res.json().assigneeId).toBeNull()
    const audit = await ctx.database.db.auditEvent.findFirstOrThrow({
      where: { entityId: ticket.id, action: 'update' },
    })
    expect(Object.keys(audit.changes as object).sort()).toEqual([
      'assigneeId',
      'firstResponseDueAt',
      'priority',
      'resolutionDueAt',
    ])
    expect((await outbox(ticket.id)).at(-1)?.payload).toEqual({
      ticketId: ticket.id,
      reason: 'priority_changed',
    })
    expectProblem(
      await ctx.app.inject({
        method: 'PATCH',
        url: `/v1/tickets/${ticket.id}`,
        payload: { assigneeId: 'ghost' },
      }),
      422,
      'rule_violation',
    )
    expectProblem(
      await ctx.app.inject({ method: 'PATCH', url: `/v1/tickets/${ticket.id}`, payload: {} }),
      422,
      'validation_failed',
    )
  })

  it('answers 404 for a ticket that does not exist', async () => {
    expectProblem(await ctx.app.inject({ method: 'GET', url: `/v1/tickets/${uuidv7()}` }), 404, 'not_found')
    expectProblem(
      await ctx.app.inject({ method: 'POST', url: `/v1/tickets/${uuidv7()}/respond`, payload: {} }),
      404,
      'not_found',
    )
  })
})

describe('GET /v1/tickets', () => {
  it('filters and pages newest first', async () => {
    const { accountId } = await seed()
    const ids: string[] = []
    for (const priority of ['P1', 'P2', 'P3']) ids.push((await open(body(accountId, { priority }))).json().id)
    await ctx.database.db.ticket.update({
      where: { id: ids[0]! },
      data: { firstResponseBreachedAt: new Date() },
    })

    const page1 = await ctx.app.inject({ method: 'GET', url: `/v1/tickets?accountId=${accountId}&limit=2` })
    expect(page1.json().items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]])
    const page2 = await ctx.app.inject({
      method: 'GET',
      url: `/v1/tickets?accountId=${accountId}&limit=2&cursor=${page1.json().nextCursor}`,
    })
    expect(page2.json()).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null })

    const breached = await ctx.app.inject({ method: 'GET', url: '/v1/tickets?breached=true' })
    expect(breached.json().items.map((t: { id: string }) => t.id)).toEqual([ids[0]])
    expect(breached.json().items[0].sla.firstResponse.breached).toBe(true)
    const p2 = await ctx.app.inject({ method: 'GET', url: '/v1/tickets?priority=P2&status=new' })
    expect(p2.json().items.map((t: { id: string }) => t.id)).toEqual([ids[1]])
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/tickets?status=closed' })).json().items).toEqual(
      [],
    )
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/tickets?cursor=nonsense' }),
      400,
      'malformed_request',
    )
  })
})
