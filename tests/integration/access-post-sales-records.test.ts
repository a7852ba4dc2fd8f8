import type { FastifyInstance } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, indiaDate } from '../../domain/time/india-date.rules.js'
import { buildTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { anotherMaharashtraGstin, LINES, SELLER_GSTIN } from '../support/billing.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { expectProblem } from '../support/problem.js'

/*
 * Row-level access to orders, invoices (their PDF and payments), tickets and contracts, on a
 * real PostgreSQL: each is seen, and changed, with its account. The org: an admin; a sales
 * manager M with a rep R1 and an SDR S1 reporting to M; a rep R2 under nobody; a read-only
 * user. R1's and R2's accounts each have a won deal, its order, an invoice, a ticket and a
 * contract, made through the API as the admin. Built once; tests that change it put it back.
 */

let database: TestDatabase
let app: FastifyInstance

type Headers = Record<string, string>
interface Books {
  account: string
  deal: string
  order: string
  invoice: string
  ticket: string
  contract: string
}
const w = {} as {
  m: Headers
  r1: Headers
  s1: Headers
  r2: Headers
  ro: Headers
  r1Id: string
  r2Id: string
  one: Books
  two: Books
}

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers = {}, payload?: object) =>
  app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

async function created(url: string, payload: object): Promise<string> {
  const res = await call('POST', url, {}, payload)
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
const today = () => indiaDate(Date.now())

/** An account owned by `ownerId` with a contact, a won deal, its order and invoice, a ticket and a contract. */
async function books(ownerId: string, name: string): Promise<Books> {
  const account = await created('/v1/accounts', { name, ownerId, gstin: anotherMaharashtraGstin() })
  await created('/v1/contacts', { accountId: account, firstName: 'Meera', email: `meera@${name}.in` })
  const deal = await created('/v1/opportunities', {
    accountId: account,
    name: `${name} licence`,
    amount: 118_000,
    closeDate: today(),
  })
  const won = await call('POST', `/v1/opportunities/${deal}/win`, {}, { reason: 'best fit' })
  expect(won.statusCode, won.body).toBe(200)
  const order = await created('/v1/orders', { opportunityId: deal, lines: LINES })
  const invoice = await created('/v1/invoices', { orderId: order })
  const ticket = await created('/v1/tickets', {
    accountId: account,
    subject: 'Login fails',
    priority: 'P3',
    channel: 'email',
  })
  const contract = await created('/v1/contracts', {
    accountId: account,
    opportunityId: deal,
    kind: 'subscription',
    startDate: today(),
    endDate: addDays(today(), 365),
    value: 118_000,
    currency: 'INR',
  })
  return { account, deal, order, invoice, ticket, contract }
}

async function share(recordId: string, userId: string, access: 'read' | 'edit') {
  await database.db.recordShare.create({
    data: { id: uuidv7(), recordType: 'account', recordId, userId, access, grantedBy: 'test-admin' },
  })
}
const unshareAll = () => database.db.recordShare.deleteMany({})

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({
    config: testConfig({ SELLER_GSTIN, SELLER_NAME: 'Leadwire Test Traders' }),
    db: database.db,
  })
  const db = database.db
  const m = await userWithRole(db, 'sales_manager', { id: 'mgr-m' })
  const r1 = await userWithRole(db, 'sales_rep', { id: 'rep-r1', managerId: m.id })
  const s1 = await userWithRole(db, 'sdr', { id: 'sdr-s1', managerId: m.id })
  const r2 = await userWithRole(db, 'sales_rep', { id: 'rep-r2' })
  const ro = await userWithRole(db, 'read_only', { id: 'viewer' })
  Object.assign(w, {
    m: m.headers,
    r1: r1.headers,
    s1: s1.headers,
    r2: r2.headers,
    ro: ro.headers,
    r1Id: r1.id,
    r2Id: r2.id,
  })
  w.one = await books(r1.id, 'alpha')
  w.two = await books(r2.id, 'beta')
})

afterAll(async () => {
  await app?.close()
  await database?.drop()
})

const LISTS = [
  ['/v1/orders', 'order'],
  ['/v1/invoices', 'invoice'],
  ['/v1/tickets', 'ticket'],
  ['/v1/contracts', 'contract'],
] as const

describe('lists', () => {
  it('show each role the orders, invoices, tickets and contracts of the accounts it sees', async () => {
    const both = (k: keyof Books) => sorted(w.one[k], w.two[k])
    for (const [url, key] of LISTS) {
      expect(await ids(url, {})).toEqual(both(key))
      expect(await ids(url, w.ro)).toEqual(both(key))
      expect(await ids(url, w.m)).toEqual([w.one[key]])
      expect(await ids(url, w.r1)).toEqual([w.one[key]])
      expect(await ids(url, w.r2)).toEqual([w.two[key]])
    }
    // An SDR reads tickets (of the accounts they see: none), and no orders at all.
    expect(await ids('/v1/tickets', w.s1)).toEqual([])
    expectProblem(await call('GET', '/v1/orders', w.s1), 403, 'forbidden')
  })

  it('keep their filters inside the visible rows', async () => {
    expect(await ids(`/v1/invoices?accountId=${w.two.account}`, w.r1)).toEqual([])
    expect(await ids(`/v1/orders?accountId=${w.two.account}`, w.m)).toEqual([])
    expect(await ids(`/v1/tickets?accountId=${w.two.account}`, w.r1)).toEqual([])
    expect(await ids(`/v1/contracts?accountId=${w.one.account}`, w.r2)).toEqual([])
    expect(await ids(`/v1/invoices?orderId=${w.one.order}`, w.m)).toEqual([w.one.invoice])
  })
})

describe('reads by id', () => {
  it("answer 404 for another account's records, as for ones that do not exist", async () => {
    const reads: [string, string][] = [
      [`/v1/orders/${w.two.order}`, `order ${w.two.order}`],
      [`/v1/invoices/${w.two.invoice}`, `invoice ${w.two.invoice}`],
      [`/v1/invoices/${w.two.invoice}/pdf`, `invoice ${w.two.invoice}`],
      [`/v1/invoices/${w.two.invoice}/payments`, `invoice ${w.two.invoice}`],
      [`/v1/tickets/${w.two.ticket}`, `ticket ${w.two.ticket}`],
      [`/v1/contracts/${w.two.contract}`, `contract ${w.two.contract}`],
    ]
    for (const headers of [w.r1, w.m]) {
      for (const [url, what] of reads) {
        const problem = expectProblem(await call('GET', url, headers), 404, 'not_found')
        expect(problem.detail).toBe(`${what} does not exist`)
      }
    }
    expectProblem(await call('GET', `/v1/tickets/${w.one.ticket}`, w.s1), 404, 'not_found')
  })

  it("let the manager and the read-only user read R1's, the PDF included", async () => {
    for (const headers of [w.m, w.r1, w.ro]) {
      for (const url of [
        `/v1/orders/${w.one.order}`,
        `/v1/invoices/${w.one.invoice}`,
        `/v1/invoices/${w.one.invoice}/payments`,
        `/v1/tickets/${w.one.ticket}`,
        `/v1/contracts/${w.one.contract}`,
      ])
        expect((await call('GET', url, headers)).statusCode).toBe(200)
      const pdf = await call('GET', `/v1/invoices/${w.one.invoice}/pdf`, headers)
      expect(pdf.statusCode).toBe(200)
      expect(pdf.headers['content-type']).toBe('application/pdf')
    }
  })
})

describe('changes', () => {
  it("answer 404 to every command on another account's records and change nothing", async () => {
    const two = w.two
    const before = await database.db.auditEvent.count()
    const attempts: [string, string, object][] = [
      ['POST', '/v1/orders', { opportunityId: two.deal, lines: LINES }],
      ['POST', '/v1/invoices', { orderId: two.order }],
      ['POST', `/v1/invoices/${two.invoice}/void`, { reason: 'wrong' }],
      ['POST', `/v1/invoices/${two.invoice}/payments`, { amount: 1, method: 'upi', reference: 'UTR-X' }],
      ['POST', `/v1/tickets/${two.ticket}/respond`, { note: 'hi' }],
      ['POST', `/v1/tickets/${two.ticket}/status`, { status: 'closed' }],
      ['PATCH', `/v1/tickets/${two.ticket}`, { priority: 'P1' }],
      ['PATCH', `/v1/contracts/${two.contract}`, { value: 1 }],
      ['POST', `/v1/contracts/${two.contract}/cancel`, { reason: 'x' }],
      ['POST', `/v1/contracts/${two.contract}/renew`, { endDate: addDays(today(), 800) }],
    ]
    for (const headers of [w.r1, w.m])
      for (const [method, url, body] of attempts)
        expectProblem(await call(method as 'POST', url, headers, body), 404, 'not_found')
    expect(await database.db.auditEvent.count()).toBe(before)
  })

  it('answer a ticket or contract on an account the caller cannot see as on a missing account (422)', async () => {
    const missing = uuidv7()
    for (const accountId of [w.two.account, missing]) {
      const ticket = await call('POST', '/v1/tickets', w.r1, {
        accountId,
        subject: 'x',
        priority: 'P4',
        channel: 'web',
      })
      expect(expectProblem(ticket, 422, 'rule_violation').errors).toEqual([
        { pointer: '/body/accountId', message: 'no such account' },
      ])
      const contract = await call('POST', '/v1/contracts', w.r1, {
        accountId,
        kind: 'amc',
        startDate: today(),
        endDate: addDays(today(), 90),
        value: 1000,
        currency: 'INR',
      })
      expect(expectProblem(contract, 422, 'rule_violation').errors).toEqual([
        { pointer: '/body/accountId', message: 'no such account' },
      ])
    }
  })

  it("let the manager act on R1's records", async () => {
    const payment = await call('POST', `/v1/invoices/${w.one.invoice}/payments`, w.m, {
      amount: 1000,
      method: 'upi',
      reference: 'UTR-M-1',
    })
    expect(payment.statusCode, payment.body).toBe(201)
    const respond = await call('POST', `/v1/tickets/${w.one.ticket}/respond`, w.m, { note: 'On it' })
    expect(respond.statusCode, respond.body).toBe(200)
    const contract = await call('PATCH', `/v1/contracts/${w.one.contract}`, w.m, { value: 120_000 })
    expect(contract.statusCode, contract.body).toBe(200)
    const ticket = await call('POST', '/v1/tickets', w.m, {
      accountId: w.one.account,
      subject: 'Export fails',
      priority: 'P2',
      channel: 'phone',
    })
    expect(ticket.statusCode, ticket.body).toBe(201)
  })

  it('refuse a contract owned by someone outside the team (403)', async () => {
    const body = {
      accountId: w.one.account,
      kind: 'amc',
      startDate: today(),
      endDate: addDays(today(), 90),
      value: 1000,
      currency: 'INR',
    }
    expectProblem(await call('POST', '/v1/contracts', w.m, { ...body, ownerId: w.r2Id }), 403, 'forbidden')
    expectProblem(
      await call('PATCH', `/v1/contracts/${w.one.contract}`, w.m, { ownerId: w.r2Id }),
      403,
      'forbidden',
    )
    const forRep = await call('POST', '/v1/contracts', w.m, { ...body, ownerId: w.r1Id })
    expect(forRep.statusCode, forRep.body).toBe(201)
  })

  it('refuse every write to the read-only role (403)', async () => {
    const one = w.one
    const attempts: [string, string, object][] = [
      ['POST', '/v1/orders', { opportunityId: one.deal, lines: LINES }],
      ['POST', '/v1/invoices', { orderId: one.order }],
      ['POST', `/v1/invoices/${one.invoice}/void`, { reason: 'x' }],
      ['POST', `/v1/invoices/${one.invoice}/payments`, { amount: 1, method: 'upi', reference: 'UTR-RO' }],
      ['POST', '/v1/tickets', { accountId: one.account, subject: 'x', priority: 'P4', channel: 'web' }],
      ['POST', `/v1/tickets/${one.ticket}/respond`, {}],
      ['PATCH', `/v1/contracts/${one.contract}`, { value: 1 }],
      ['POST', `/v1/contracts/${one.contract}/cancel`, { reason: 'x' }],
    ]
    for (const [method, url, body] of attempts)
      expectProblem(await call(method as 'POST', url, w.ro, body), 403, 'forbidden')
  })
})

describe('shares', () => {
  it("a read share of R1's account opens its invoices, orders, tickets and contracts to R2, read only", async () => {
    const one = w.one
    await share(one.account, w.r2Id, 'read')
    try {
      for (const [url, key] of LISTS)
        expect(await ids(url, w.r2)).toEqual(expect.arrayContaining([one[key], w.two[key]]))
      for (const url of [
        `/v1/invoices/${one.invoice}`,
        `/v1/invoices/${one.invoice}/pdf`,
        `/v1/invoices/${one.invoice}/payments`,
        `/v1/orders/${one.order}`,
        `/v1/tickets/${one.ticket}`,
        `/v1/contracts/${one.contract}`,
      ])
        expect((await call('GET', url, w.r2)).statusCode).toBe(200)
      const writes: [string, string, object][] = [
        ['POST', `/v1/invoices/${one.invoice}/void`, { reason: 'x' }],
        ['POST', `/v1/invoices/${one.invoice}/payments`, { amount: 1, method: 'upi', reference: 'UTR-R2' }],
        ['POST', '/v1/invoices', { orderId: one.order }],
        ['POST', `/v1/tickets/${one.ticket}/respond`, {}],
        ['POST', '/v1/tickets', { accountId: one.account, subject: 'x', priority: 'P4', channel: 'web' }],
        ['PATCH', `/v1/contracts/${one.contract}`, { value: 1 }],
      ]
      for (const [method, url, body] of writes)
        expectProblem(await call(method as 'POST', url, w.r2, body), 403, 'forbidden')
    } finally {
      await unshareAll()
    }
    expectProblem(await call('GET', `/v1/invoices/${one.invoice}`, w.r2), 404, 'not_found')
  })

  it('an edit share lets him record a payment and work the ticket', async () => {
    await share(w.one.account, w.r2Id, 'edit')
    try {
      const payment = await call('POST', `/v1/invoices/${w.one.invoice}/payments`, w.r2, {
        amount: 500,
        method: 'bank_transfer',
        reference: 'UTR-R2-1',
      })
      expect(payment.statusCode, payment.body).toBe(201)
      const status = await call('POST', `/v1/tickets/${w.one.ticket}/status`, w.r2, { status: 'pending' })
      expect(status.statusCode, status.body).toBe(200)
    } finally {
      await unshareAll()
    }
  })
})
