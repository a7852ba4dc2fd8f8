import { uuidv7 } from 'uuidv7'
import { expect, it } from 'vitest'
import { convertLead } from '../../crm/conversion.js'
import { useTestApp } from '../support/app.js'

/*
 * Review: converting a lead into an account that already exists keeps the account's rules
 * (a GSTIN's state code) and audits every account write (the primary contact it gains).
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db

async function lead() {
  const id = uuidv7()
  await db().lead.create({
    data: {
      id,
      channel: 'web_form',
      firstName: 'Meera',
      email: 'meera@acme.co.in',
      companyDomain: 'acme.co.in',
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

const request = (gstin?: string) => ({
  opportunity: { amount: 1000, currency: 'INR', closeDate: new Date().toISOString().slice(0, 10) },
  ...(gstin ? { account: { gstin } } : {}),
})

it('gives a matched account without a GSTIN the GSTIN and its state code, and audits the new primary contact', async () => {
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { name: 'Acme', domain: 'acme.co.in', stateCode: '29' },
  })
  expect(created.statusCode, created.body).toBe(201)
  const accountId = created.json<{ id: string }>().id

  const result = await convertLead(db(), {
    leadId: await lead(),
    request: request('27AAPFU0939F1ZV'),
    actorId: 'user:test',
    at: new Date().toISOString(),
  })
  expect(result.accountId).toBe(accountId)

  const account = await db().account.findUniqueOrThrow({ where: { id: accountId } })
  expect(account.gstin).toBe('27AAPFU0939F1ZV')
  // The place of supply on invoices comes from stateCode: it must be the GSTIN's state.
  expect(account.stateCode).toBe('27')
  expect(account.primaryContactId).toBe(result.contactId)

  const audit = await db().auditEvent.findMany({
    where: { entity: 'account', entityId: accountId },
    orderBy: { id: 'asc' },
  })
  const primaryAudits = audit.filter((e) => 'primaryContactId' in (e.changes as object))
  expect(primaryAudits).toHaveLength(1)
  expect((primaryAudits[0]!.changes as Record<string, unknown>)['primaryContactId']).toEqual({
    from: null,
    to: result.contactId,
  })
  expect(primaryAudits[0]!.actorId).toBe('user:test')
})

it('creates a new account with its primary contact in the one audited create', async () => {
  const result = await convertLead(db(), {
    leadId: await lead(),
    request: request(),
    actorId: 'user:test',
    at: new Date().toISOString(),
  })
  const account = await db().account.findUniqueOrThrow({ where: { id: result.accountId } })
  expect(account.primaryContactId).toBe(result.contactId)
  const audit = await db().auditEvent.findMany({ where: { entity: 'account', entityId: result.accountId } })
  expect(audit.map((e) => e.action)).toEqual(['create'])
  expect((audit[0]!.changes as Record<string, unknown>)['primaryContactId']).toEqual({
    from: null,
    to: result.contactId,
  })
})
