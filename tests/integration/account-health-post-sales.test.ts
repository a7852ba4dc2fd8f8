import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSupportActivities } from '../../activities/support.activities.js'
import { refreshAccountHealth } from '../../crm/account-health.js'
import { openTicket } from '../../crm/support/tickets.js'
import type { HealthFactor } from '../../domain/account/health.rules.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../support/database.js'

/*
 * Customer-success signals in the account's health, on a real PostgreSQL: an overdue
 * invoice and a ticket that breached its SLA lower the score, and the factors say why.
 * Invoices are seeded as rows (issuing them is the billing module's work).
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})
afterEach(async () => {
  await truncateAll(database.db)
})

const DAY = 86_400_000
const NOW = new Date('2026-11-24T06:00:00.000Z')

async function account() {
  const id = uuidv7()
  await database.db.account.create({
    data: { id, name: 'Acme Industries', createdBy: 'test', updatedBy: 'test' },
  })
  return id
}

let invoiceSeq = 0
async function invoice(accountId: string, status: string, dueDate: string) {
  invoiceSeq += 1
  await database.db.invoice.create({
    data: {
      id: uuidv7(),
      number: `INV/26-27/${String(invoiceSeq).padStart(6, '0')}`,
      financialYear: '2026-27',
      accountId,
      issueDate: new Date('2026-09-01T00:00:00Z'),
      dueDate: new Date(`${dueDate}T00:00:00Z`),
      currency: 'INR',
      seller: {},
      buyer: {},
      taxRegime: 'intra_state',
      subtotal: 1000,
      total: 1180,
      status,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
}

const factor = (factors: unknown, code: string) => (factors as HealthFactor[]).find((f) => f.code === code)

describe('account health from invoices and tickets', () => {
  it('drops with an overdue invoice and a breached ticket, and the factors explain it', async () => {
    const accountId = await account()
    const ctx = { actor: { id: 'test' } }
    const breached = await openTicket(
      database.db,
      ctx,
      { accountId, subject: 'Line down', priority: 'P1', channel: 'phone' },
      new Date(NOW.getTime() - DAY),
    )
    await openTicket(database.db, ctx, { accountId, subject: 'Toner', priority: 'P4', channel: 'email' }, NOW)
    // A third timeline entry keeps the activity-volume band (3-9) the same before and after.
    await database.db.activity.create({
      data: {
        id: uuidv7(),
        kind: 'note',
        direction: 'internal',
        accountId,
        occurredAt: NOW,
        actorId: 'test',
      },
    })
    const before = await refreshAccountHealth(database.db, accountId, NOW)

    await invoice(accountId, 'issued', '2026-11-01') // overdue
    await invoice(accountId, 'partially_paid', '2026-11-23') // overdue since today
    await invoice(accountId, 'issued', '2026-11-24') // due today: not yet overdue
    await invoice(accountId, 'paid', '2026-10-01') // paid: never overdue
    await invoice(accountId, 'void', '2026-10-01')
    // The SLA watcher's activity records the missed first response (its clock is an argument).
    const support = createSupportActivities({ db: database.db })
    const result = await support.recordTicketBreach({
      ticketId: breached.id,
      clock: 'first_response',
      at: NOW.getTime(),
    })
    expect(result.recorded).toBe(true)

    const after = await refreshAccountHealth(database.db, accountId, NOW)
    expect(after.health).toBe(before.health - 2 * 10 - 5)
    const stored = await database.db.account.findUniqueOrThrow({ where: { id: accountId } })
    expect(stored.healthScore).toBe(after.health)
    expect(factor(stored.healthFactors, 'overdue_invoices')).toEqual({
      code: 'overdue_invoices',
      points: -20,
      detail: '2 overdue invoices × -10',
    })
    expect(factor(stored.healthFactors, 'open_tickets')).toMatchObject({
      points: -4,
      detail: '2 open tickets × -2',
    })
    expect(factor(stored.healthFactors, 'breached_tickets')).toMatchObject({
      points: -5,
      detail: '1 ticket that breached its SLA × -5',
    })
    expect((stored.healthFactors as unknown as HealthFactor[]).reduce((s, f) => s + f.points, 0)).toBe(
      after.health,
    )
  })

  it('keeps counting a breach after the ticket is closed, but not the ticket as open', async () => {
    const accountId = await account()
    const ticket = await openTicket(
      database.db,
      { actor: { id: 'test' } },
      { accountId, subject: 'Line down', priority: 'P1', channel: 'phone' },
      new Date(NOW.getTime() - DAY),
    )
    await database.db.ticket.update({
      where: { id: ticket.id },
      data: { status: 'closed', closedAt: NOW, resolutionBreachedAt: ticket.resolutionDueAt },
    })
    await refreshAccountHealth(database.db, accountId, NOW)
    const stored = await database.db.account.findUniqueOrThrow({ where: { id: accountId } })
    expect(factor(stored.healthFactors, 'open_tickets')).toBeUndefined()
    expect(factor(stored.healthFactors, 'breached_tickets')?.points).toBe(-5)
  })
})
