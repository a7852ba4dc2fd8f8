import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { addDays } from '../../domain/time/india-date.rules.js'
import { buildTestApp } from '../support/app.js'
import { TEST_ADMIN_ID } from '../support/auth.js'
import { BUYER_KA, LINES, SELLER_GSTIN, today } from '../support/billing.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/*
 * "Audit entries for every write": a walk through representative writes of every kind, one
 * request each with its own x-request-id, checking that each left an audit row naming the
 * caller and that request. KNOWN_GAPS lists the writes that do not yet: the test fails when
 * a gap appears and when one is closed (so the list stays true).
 */
const KNOWN_GAPS: string[] = []

let database: TestDatabase
let app: FastifyInstance

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config: testConfig({ SELLER_GSTIN }), db: database.db })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})

type Json = Record<string, unknown>
interface Step {
  name: string
  method: 'POST' | 'PATCH' | 'PUT'
  url: (s: Json) => string
  payload: (s: Json) => object
  status: number
  /** Keeps what later steps need from the answer. */
  keep?: (body: Json, s: Json) => void
}

const id = (body: Json) => String(body['id'])

const STEPS: Step[] = [
  {
    name: 'lead capture',
    method: 'POST',
    url: () => '/v1/leads',
    payload: () => ({
      channel: 'api',
      firstName: 'Meera',
      email: 'meera@bengaluru-robotics.in',
      country: 'IN',
    }),
    status: 202,
    keep: (b, s) => (s['lead'] = id(b)),
  },
  {
    name: 'lead update',
    method: 'PATCH',
    url: (s) => `/v1/leads/${String(s['lead'])}`,
    payload: () => ({ title: 'VP Operations' }),
    status: 200,
  },
  {
    name: 'lead capture of another person',
    method: 'POST',
    url: () => '/v1/leads',
    payload: () => ({ channel: 'api', firstName: 'M.', email: 'm.iyer@gmail.com', country: 'IN' }),
    status: 202,
    keep: (b, s) => (s['other'] = id(b)),
  },
  {
    name: 'lead merge',
    method: 'POST',
    url: (s) => `/v1/leads/${String(s['lead'])}/merge`,
    payload: (s) => ({ duplicateId: s['other'] }),
    status: 200,
  },
  {
    name: 'lead not-duplicate',
    method: 'POST',
    url: (s) => `/v1/leads/${String(s['other'])}/not-duplicate`,
    payload: () => ({}),
    status: 200,
  },
  {
    name: 'lead engagement',
    method: 'POST',
    url: (s) => `/v1/leads/${String(s['lead'])}/engagement`,
    payload: () => ({ event: 'emailReply' }),
    status: 200,
  },
  {
    name: 'lead consent',
    method: 'POST',
    url: (s) => `/v1/leads/${String(s['lead'])}/consent`,
    payload: () => ({ status: 'withdrawn', source: 'call' }),
    status: 200,
  },
  {
    name: 'account create',
    method: 'POST',
    url: () => '/v1/accounts',
    payload: () => ({ name: 'Bengaluru Robotics', gstin: BUYER_KA, country: 'IN' }),
    status: 201,
    keep: (b, s) => (s['account'] = id(b)),
  },
  {
    name: 'account update',
    method: 'PATCH',
    url: (s) => `/v1/accounts/${String(s['account'])}`,
    payload: () => ({ industry: 'Robotics' }),
    status: 200,
  },
  {
    name: 'contact create',
    method: 'POST',
    url: () => '/v1/contacts',
    payload: (s) => ({ accountId: s['account'], firstName: 'Meera', lastName: 'Iyer', email: 'meera@br.in' }),
    status: 201,
    keep: (b, s) => (s['contact'] = id(b)),
  },
  {
    name: 'contact update',
    method: 'PATCH',
    url: (s) => `/v1/contacts/${String(s['contact'])}`,
    payload: () => ({ title: 'Head of Procurement' }),
    status: 200,
  },
  {
    name: 'opportunity create',
    method: 'POST',
    url: () => '/v1/opportunities',
    payload: (s) => ({ accountId: s['account'], name: 'Robot cells', amount: 100000, closeDate: today() }),
    status: 201,
    keep: (b, s) => (s['opportunity'] = id(b)),
  },
  {
    name: 'opportunity stage change',
    method: 'POST',
    url: (s) => `/v1/opportunities/${String(s['opportunity'])}/stage`,
    payload: () => ({ stage: 'proposal' }),
    status: 200,
  },
  {
    name: 'opportunity win',
    method: 'POST',
    url: (s) => `/v1/opportunities/${String(s['opportunity'])}/win`,
    payload: () => ({ reason: 'Best fit' }),
    status: 200,
  },
  {
    name: 'task create',
    method: 'POST',
    url: () => '/v1/tasks',
    payload: (s) => ({
      title: 'Call back',
      kind: 'call',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      leadId: s['lead'],
    }),
    status: 201,
    keep: (b, s) => (s['task'] = id(b)),
  },
  {
    name: 'task complete',
    method: 'POST',
    url: (s) => `/v1/tasks/${String(s['task'])}/complete`,
    payload: () => ({ outcome: 'contacted', note: 'Spoke at 11' }),
    status: 200,
  },
  {
    name: 'order create',
    method: 'POST',
    url: () => '/v1/orders',
    payload: (s) => ({ opportunityId: s['opportunity'], lines: LINES }),
    status: 201,
    keep: (b, s) => (s['order'] = id(b)),
  },
  {
    name: 'invoice create',
    method: 'POST',
    url: () => '/v1/invoices',
    payload: (s) => ({ orderId: s['order'] }),
    status: 201,
    keep: (b, s) => (s['invoice'] = id(b)),
  },
  {
    name: 'payment record',
    method: 'POST',
    url: (s) => `/v1/invoices/${String(s['invoice'])}/payments`,
    payload: () => ({ amount: 50000, method: 'upi', reference: 'UTR0001' }),
    status: 201,
  },
  {
    name: 'ticket open',
    method: 'POST',
    url: () => '/v1/tickets',
    payload: (s) => ({ accountId: s['account'], subject: 'Cell offline', priority: 'P2', channel: 'email' }),
    status: 201,
    keep: (b, s) => (s['ticket'] = id(b)),
  },
  {
    name: 'ticket status',
    method: 'POST',
    url: (s) => `/v1/tickets/${String(s['ticket'])}/status`,
    payload: () => ({ status: 'resolved', note: 'Rebooted' }),
    status: 200,
  },
  {
    name: 'contract create',
    method: 'POST',
    url: () => '/v1/contracts',
    payload: (s) => ({
      accountId: s['account'],
      kind: 'amc',
      startDate: today(),
      endDate: addDays(today(), 364),
      value: 240000,
      currency: 'INR',
    }),
    status: 201,
  },
  {
    name: 'account deactivate',
    method: 'POST',
    url: (s) => `/v1/accounts/${String(s['account'])}/deactivate`,
    payload: () => ({ reason: 'Moved to a distributor' }),
    status: 200,
  },
  {
    name: 'user create',
    method: 'POST',
    url: () => '/v1/users',
    payload: () => ({ id: 'ravi', name: 'Ravi Kumar', email: 'ravi@leadwire.test', role: 'sdr' }),
    status: 201,
  },
  {
    name: 'user role change',
    method: 'PATCH',
    url: () => '/v1/users/ravi',
    payload: () => ({ role: 'sales_rep' }),
    status: 200,
  },
  {
    name: 'api key create',
    method: 'POST',
    url: () => '/v1/api-keys',
    payload: () => ({ name: 'website forms', userId: 'ravi', scopes: [] }),
    status: 201,
    keep: (b, s) => (s['key'] = id(b)),
  },
  {
    name: 'api key revoke',
    method: 'POST',
    url: (s) => `/v1/api-keys/${String(s['key'])}/revoke`,
    payload: () => ({}),
    status: 200,
  },
  {
    name: 'record share',
    method: 'POST',
    url: () => '/v1/shares',
    payload: (s) => ({ recordType: 'account', recordId: s['account'], userId: 'ravi', access: 'read' }),
    status: 201,
  },
  {
    name: 'role permission change',
    method: 'PUT',
    url: () => '/v1/roles/marketing',
    payload: (s) => s['marketingRules'] as object,
    status: 200,
  },
]

describe('audit entries for every write', () => {
  it('each write leaves a row with the caller and the request id', async () => {
    const state: Json = {}
    const role = await app.inject({ method: 'GET', url: '/v1/roles/marketing' })
    expect(role.statusCode, role.body).toBe(200)
    const { permissions, rowScopes, fieldRules } = role.json<Json>()
    state['marketingRules'] = {
      permissions: { ...(permissions as Json), report: ['read'] },
      rowScopes,
      fieldRules,
    }

    const gaps: string[] = []
    for (const [n, step] of STEPS.entries()) {
      const requestId = `walk-${n}-${step.name.replaceAll(' ', '-')}`
      const res = await app.inject({
        method: step.method,
        url: step.url(state),
        payload: step.payload(state),
        headers: { 'x-request-id': requestId },
      })
      expect(res.statusCode, `${step.name}: ${res.body}`).toBe(step.status)
      step.keep?.(res.json<Json>(), state)
      const audit = await app.inject({ method: 'GET', url: `/v1/audit?requestId=${requestId}` })
      expect(audit.statusCode, audit.body).toBe(200)
      const rows = audit.json<{ items: { actorId: string }[] }>().items
      if (!rows.some((r) => r.actorId === `user:${TEST_ADMIN_ID}`)) gaps.push(step.name)
    }
    expect(gaps).toEqual(KNOWN_GAPS)
  })
})
