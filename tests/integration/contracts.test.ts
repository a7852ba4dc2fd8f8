import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { insertOpportunity } from '../../crm/opportunities.js'
import { openRenewalOpportunity } from '../../crm/renewals/renewal-opportunity.js'
import { financialYearOf, shortFinancialYear } from '../../domain/billing/financial-year.rules.js'
import { addDays, indiaDate } from '../../domain/time/india-date.rules.js'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'

/*
 * The contract API on a real PostgreSQL: numbering, validation, renewal into a successor
 * (closing the renewal opportunity as won), cancellation, and every write's audit row and
 * outbox event for the renewal workflow.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const OWNER = 'user-am'
const today = () => indiaDate(Date.now())

async function seed() {
  const db = ctx.database.db
  await db.user.createMany({
    data: [{ id: OWNER, name: 'Kavya Iyer', email: 'kavya@leadwire.test', role: 'sales_rep' }],
    skipDuplicates: true,
  })
  const accountId = uuidv7()
  await db.account.create({
    data: { id: accountId, name: 'Acme Industries', ownerId: OWNER, createdBy: 'test', updatedBy: 'test' },
  })
  return accountId
}

async function deal(accountId: string, stage: 'closed_won' | 'proposal' = 'closed_won') {
  return ctx.database.db.$transaction((tx) =>
    insertOpportunity(
      tx,
      { actor: { id: 'test' } },
      {
        accountId,
        name: 'AMC for 40 printers',
        kind: 'new_business',
        amount: 240000,
        currency: 'INR',
        stage,
        probability: stage === 'closed_won' ? 100 : 50,
        closeDate: today(),
        ownerId: OWNER,
        today: today(),
        at: new Date(),
      },
    ),
  )
}

function terms(accountId: string, extra: object = {}) {
  return {
    accountId,
    kind: 'amc',
    startDate: today(),
    endDate: addDays(today(), 364),
    value: 240000.5,
    currency: 'INR',
    ...extra,
  }
}

const create = (payload: object) => ctx.app.inject({ method: 'POST', url: '/v1/contracts', payload })
const outbox = (aggregateId: string) =>
  ctx.database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { id: 'asc' } })

describe('POST /v1/contracts', () => {
  it('numbers contracts (CTR series), defaults the lead time and owner, audits and starts the renewal workflow', async () => {
    const accountId = await seed()
    const opportunity = await deal(accountId)
    const res = await create(terms(accountId, { opportunityId: opportunity.id }))
    expect(res.statusCode, res.body).toBe(201)
    const c = res.json()
    const fy = shortFinancialYear(financialYearOf(today()))
    expect(c).toMatchObject({
      number: `CTR/${fy}/000001`,
      status: 'active',
      renewalLeadDays: 90,
      autoRenew: false,
      ownerId: OWNER,
      value: 240000.5,
      opportunityId: opportunity.id,
      endDate: addDays(today(), 364),
    })
    expect((await create(terms(accountId))).json().number).toBe(`CTR/${fy}/000002`)
    expect((await outbox(c.id)).map((e) => [e.topic, e.payload])).toEqual([
      ['contract.activated', { contractId: c.id }],
    ])
    const audit = await ctx.database.db.auditEvent.findMany({ where: { entity: 'contract', entityId: c.id } })
    expect(audit.map((a) => a.action)).toEqual(['create'])
    expect(await ctx.database.db.activity.count({ where: { accountId, kind: 'contract_activated' } })).toBe(2)
  })

  it('refuses bad terms and references with 422, a second contract for one deal with 409', async () => {
    const accountId = await seed()
    const otherAccount = await seed()
    const open = await deal(accountId, 'proposal')
    const foreign = await deal(otherAccount)
    const bad = expectProblem(
      await create(
        terms(accountId, { startDate: today(), endDate: today(), opportunityId: open.id, ownerId: 'ghost' }),
      ),
      422,
      'rule_violation',
    )
    expect(bad.errors?.map((e) => e.pointer)).toEqual([
      '/body/endDate',
      '/body/opportunityId',
      '/body/ownerId',
    ])
    const past = expectProblem(
      await create(terms(accountId, { startDate: '2024-04-01', endDate: '2025-03-31' })),
      422,
      'rule_violation',
    )
    expect(past.errors?.[0]?.message).toMatch(/before today/)
    expect(
      expectProblem(await create(terms(accountId, { opportunityId: foreign.id })), 422, 'rule_violation')
        .errors?.[0]?.pointer,
    ).toBe('/body/opportunityId')
    expectProblem(await create(terms(accountId, { value: 10.001 })), 422, 'rule_violation')
    expectProblem(await create(terms(accountId, { renewalLeadDays: 400 })), 422, 'validation_failed')
    expectProblem(await create(terms(accountId, { kind: 'lease' })), 422, 'validation_failed')
    expectProblem(await create(terms(uuidv7())), 422, 'rule_violation')

    const won = await deal(accountId)
    expect((await create(terms(accountId, { opportunityId: won.id }))).statusCode).toBe(201)
    expectProblem(await create(terms(accountId, { opportunityId: won.id })), 409, 'conflict')
    expect(await ctx.database.db.contract.count()).toBe(1)
  })
})

describe('contract changes', () => {
  it('changes the end date and lead time, telling the renewal workflow', async () => {
    const accountId = await seed()
    const c = (await create(terms(accountId))).json()
    const newEnd = addDays(today(), 500)
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/contracts/${c.id}`,
      payload: { endDate: newEnd, renewalLeadDays: 45 },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ endDate: newEnd, renewalLeadDays: 45 })
    const audit = await ctx.database.db.auditEvent.findFirstOrThrow({
      where: { entityId: c.id, action: 'update' },
    })
    expect(audit.changes).toEqual({
      endDate: { from: c.endDate, to: newEnd },
      renewalLeadDays: { from: 90, to: 45 },
    })
    expect((await outbox(c.id)).at(-1)?.payload).toEqual({ contractId: c.id, reason: 'terms_changed' })
    const before = expectProblem(
      await ctx.app.inject({
        method: 'PATCH',
        url: `/v1/contracts/${c.id}`,
        payload: { endDate: c.startDate },
      }),
      422,
      'rule_violation',
    )
    expect(before.errors?.[0]?.pointer).toBe('/body/endDate')
  })

  it('renews into a successor starting the day after the old end, closing the renewal opportunity as won', async () => {
    const accountId = await seed()
    const c = (await create(terms(accountId))).json()
    const opened = await openRenewalOpportunity(ctx.database.db, {
      contractId: c.id,
      at: Date.now(),
      workflowId: `contract/${c.id}`,
    })
    const again = await openRenewalOpportunity(ctx.database.db, {
      contractId: c.id,
      at: Date.now(),
      workflowId: `contract/${c.id}`,
    })
    expect(again).toEqual({ opportunityId: opened.opportunityId, created: false })

    const newEnd = addDays(c.endDate, 365)
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/contracts/${c.id}/renew`,
      payload: { endDate: newEnd, value: 250000 },
    })
    expect(res.statusCode, res.body).toBe(201)
    const { renewed, successor } = res.json()
    expect(renewed).toMatchObject({ status: 'renewed', renewedByContractId: successor.id })
    expect(successor).toMatchObject({
      status: 'active',
      startDate: addDays(c.endDate, 1),
      endDate: newEnd,
      value: 250000,
      kind: 'amc',
      opportunityId: opened.opportunityId,
    })
    const opportunity = await ctx.database.db.opportunity.findUniqueOrThrow({
      where: { id: opened.opportunityId! },
    })
    expect(opportunity).toMatchObject({
      stage: 'closed_won',
      probability: 100,
      forecastCategory: 'closed',
      kind: 'renewal',
    })
    const oppAudit = await ctx.database.db.auditEvent.findMany({
      where: { entityId: opportunity.id },
      orderBy: { id: 'asc' },
    })
    expect(oppAudit.map((a) => a.action)).toEqual(['create', 'won'])
    expect((await outbox(c.id)).map((e) => e.topic)).toEqual(['contract.activated', 'contract.changed'])
    expect((await outbox(successor.id)).map((e) => e.topic)).toEqual(['contract.activated'])
    expect(
      (await ctx.database.db.auditEvent.findMany({ where: { entityId: c.id }, orderBy: { id: 'asc' } })).map(
        (a) => a.action,
      ),
    ).toEqual(['create', 'renew'])
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/contracts/${c.id}/renew`,
        payload: { endDate: addDays(newEnd, 10) },
      }),
      409,
      'conflict',
    )
  })

  it('cancels with a reason; a cancelled contract cannot be renewed or changed', async () => {
    const accountId = await seed()
    const c = (await create(terms(accountId))).json()
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/contracts/${c.id}/cancel`,
      payload: { reason: 'Customer closed the site' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().status).toBe('cancelled')
    const audit = await ctx.database.db.auditEvent.findFirstOrThrow({
      where: { entityId: c.id, action: 'cancel' },
    })
    expect(audit.changes).toMatchObject({ reason: { to: 'Customer closed the site' } })
    expect((await outbox(c.id)).at(-1)?.payload).toEqual({ contractId: c.id, reason: 'cancelled' })
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/contracts/${c.id}/renew`,
        payload: { endDate: addDays(c.endDate, 365) },
      }),
      409,
      'conflict',
    )
    expectProblem(
      await ctx.app.inject({ method: 'PATCH', url: `/v1/contracts/${c.id}`, payload: { value: 1 } }),
      409,
      'conflict',
    )
    expectProblem(
      await ctx.app.inject({ method: 'POST', url: `/v1/contracts/${c.id}/cancel`, payload: {} }),
      422,
      'validation_failed',
    )
  })
})

describe('GET /v1/contracts', () => {
  it('lists soonest end first, filters by account, status and end date, and pages', async () => {
    const accountId = await seed()
    const ends = [300, 100, 200].map((d) => addDays(today(), d))
    for (const endDate of ends) await create(terms(accountId, { endDate }))
    const page1 = await ctx.app.inject({ method: 'GET', url: `/v1/contracts?accountId=${accountId}&limit=2` })
    expect(page1.json().items.map((c: { endDate: string }) => c.endDate)).toEqual([ends[1], ends[2]])
    const page2 = await ctx.app.inject({
      method: 'GET',
      url: `/v1/contracts?accountId=${accountId}&limit=2&cursor=${page1.json().nextCursor}`,
    })
    expect(page2.json()).toMatchObject({ items: [{ endDate: ends[0] }], nextCursor: null })
    const soon = await ctx.app.inject({
      method: 'GET',
      url: `/v1/contracts?endingBefore=${addDays(today(), 250)}&status=active`,
    })
    expect(soon.json().items.map((c: { endDate: string }) => c.endDate)).toEqual([ends[1], ends[2]])
    const one = page2.json().items[0]
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/contracts/${one.id}` })).json()).toEqual(one)
    expectProblem(await ctx.app.inject({ method: 'GET', url: `/v1/contracts/${uuidv7()}` }), 404, 'not_found')
  })
})
