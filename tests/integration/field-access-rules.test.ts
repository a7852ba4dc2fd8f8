import { uuidv7 } from 'uuidv7'
import { beforeEach, describe, expect, it } from 'vitest'
import { gstinCheckCharacter } from '../../domain/account/gstin.rules.js'
import type { FieldRules } from '../../domain/security/roles.rules.js'
import { builtInRole } from '../../domain/security/roles.rules.js'
import { useTestApp } from '../support/app.js'
import { pricingForm } from '../connectors/web-form/form-helpers.js'
import { ANONYMOUS, userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * Field-level permissions through the API on a real PostgreSQL: what a role's hidden fields
 * read as (one record, a list, a nested record, a history entry), which writes its hidden
 * and read-only fields refuse, and an admin's change to a role taking effect.
 * Built-in rules used: sdr (account.annualRevenue hidden, account.gstin and
 * opportunity.amount read-only), marketing (lead.phone hidden).
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db

const GSTIN = '27AAPFU0939F1ZV'
const KARNATAKA_GSTIN = `29AABCT1332L1Z${gstinCheckCharacter('29AABCT1332L1Z')}`
const PHONE = '+919876543210'

type Headers = Record<string, string>
const get = (url: string, headers: Headers = {}) => ctx.app.inject({ method: 'GET', url, headers })
const send = (method: 'POST' | 'PATCH', url: string, payload: object, headers: Headers = {}) =>
  ctx.app.inject({ method, url, payload, headers })

interface World {
  sdr: { id: string; headers: Headers }
  marketing: { id: string; headers: Headers }
  leadId: string
  accountId: string
  contactId: string
  opportunityId: string
}
let w: World

async function seed(): Promise<World> {
  const sdr = await userWithRole(db(), 'sdr')
  const marketing = await userWithRole(db(), 'marketing')
  const leadId = uuidv7()
  await db().lead.create({
    data: {
      id: leadId,
      channel: 'web_form',
      firstName: 'Meera',
      lastName: 'Iyer',
      email: 'meera@acme.in',
      emailDomain: 'acme.in',
      phone: PHONE,
      company: 'Acme',
      annualRevenue: 50_000_000,
      ownerId: sdr.id,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  // A second capture of the same person, linked by phone: its match key repeats the phone.
  await db().lead.create({
    data: {
      id: uuidv7(),
      channel: 'api',
      firstName: 'Meera',
      phone: PHONE,
      ownerId: sdr.id,
      isDuplicate: true,
      duplicateOfId: leadId,
      duplicateReason: { kind: 'phone', key: `phone:${PHONE}` },
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  const accountId = uuidv7()
  const contactId = uuidv7()
  await db().account.create({
    data: {
      id: accountId,
      name: 'Acme Industries',
      annualRevenue: 125_000_000,
      currency: 'INR',
      gstin: GSTIN,
      stateCode: '27',
      ownerId: sdr.id,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  await db().contact.create({
    data: {
      id: contactId,
      accountId,
      firstName: 'Ravi',
      email: 'ravi@acme.in',
      phone: '+919812345678',
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  await db().account.update({ where: { id: accountId }, data: { primaryContactId: contactId } })
  const opportunityId = uuidv7()
  await db().opportunity.create({
    data: {
      id: opportunityId,
      accountId,
      name: 'Acme rollout',
      amount: 750_000,
      currency: 'INR',
      stage: 'qualification',
      probability: 10,
      forecastCategory: 'pipeline',
      closeDate: new Date('2030-03-31'),
      ownerId: sdr.id,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return { sdr, marketing, leadId, accountId, contactId, opportunityId }
}

beforeEach(async () => {
  w = await seed()
})

/** Sets a role's field rules as an admin would (role_setting), and drops the cached roles. */
async function setFieldRules(role: string, fieldRules: FieldRules) {
  const base = builtInRole(role)!
  const data = { permissions: base.permissions, rowScopes: base.rowScopes, fieldRules, updatedBy: 'test' }
  await db().roleSetting.upsert({ where: { role }, create: { role, ...data }, update: data })
  ctx.app.services.roles.invalidate()
}

describe('reads', () => {
  it("an SDR reads an account's hidden annual revenue as null, in one record and in the list; an admin reads it", async () => {
    const one = await get(`/v1/accounts/${w.accountId}`, w.sdr.headers)
    expect(one.statusCode, one.body).toBe(200)
    expect(one.json()).toMatchObject({ id: w.accountId, annualRevenue: null, gstin: GSTIN })
    // The nested primary contact follows the contact rules: the SDR has none there.
    expect(one.json().primaryContact).toMatchObject({ email: 'ravi@acme.in', phone: '+919812345678' })

    const list = await get('/v1/accounts', w.sdr.headers)
    expect(list.statusCode, list.body).toBe(200)
    expect(list.json().items).toEqual([expect.objectContaining({ annualRevenue: null, gstin: GSTIN })])

    const asAdmin = await get(`/v1/accounts/${w.accountId}`)
    expect(asAdmin.json()).toMatchObject({ annualRevenue: 125_000_000, gstin: GSTIN })
  })

  it("a hidden field's before and after are null in the account history", async () => {
    const edit = await send('PATCH', `/v1/accounts/${w.accountId}`, {
      annualRevenue: 130_000_000,
      name: 'Acme Ltd',
    })
    expect(edit.statusCode, edit.body).toBe(200)
    const history = await get(`/v1/accounts/${w.accountId}/history`, w.sdr.headers)
    expect(history.statusCode, history.body).toBe(200)
    expect(history.json().items[0].changes).toEqual({
      annualRevenue: { from: null, to: null },
      name: { from: 'Acme Industries', to: 'Acme Ltd' },
    })
    const asAdmin = await get(`/v1/accounts/${w.accountId}/history`)
    expect(asAdmin.json().items[0].changes.annualRevenue).toEqual({ from: 125_000_000, to: 130_000_000 })
  })

  it("marketing reads a lead's phone as null (record, list, duplicate match keys); an admin reads it", async () => {
    const one = await get(`/v1/leads/${w.leadId}`, w.marketing.headers)
    expect(one.statusCode, one.body).toBe(200)
    const lead = one.json()
    expect(lead).toMatchObject({
      phone: null,
      email: 'meera@acme.in',
      company: 'Acme',
      annualRevenue: 50_000_000,
    })
    expect(lead.duplicates).toEqual([expect.objectContaining({ reason: { kind: 'phone', key: null } })])
    expect(one.body).not.toContain('9876543210')

    const list = await get('/v1/leads', w.marketing.headers)
    expect(list.statusCode, list.body).toBe(200)
    expect(list.json().items).toHaveLength(2)
    for (const item of list.json().items) expect(item.phone).toBeNull()
    expect(list.body).not.toContain('9876543210')

    const asAdmin = await get(`/v1/leads/${w.leadId}`)
    expect(asAdmin.json()).toMatchObject({ phone: PHONE })
    expect(asAdmin.json().duplicates[0].reason.key).toBe(`phone:${PHONE}`)
  })

  it("a conversion preview shows marketing the contact it would make without the lead's phone", async () => {
    const res = await send(
      'POST',
      `/v1/leads/${w.leadId}/conversion/preview`,
      { opportunity: { amount: 100_000, currency: 'INR', closeDate: '2030-03-31' } },
      w.marketing.headers,
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().contact).toMatchObject({ email: 'meera@acme.in', phone: null })
  })

  it('a read-only field reads as usual', async () => {
    const res = await get(`/v1/opportunities/${w.opportunityId}`, w.sdr.headers)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().amount).toBe(750_000)
  })
})

describe('writes', () => {
  it('refuses a change to a read-only field, naming it, while the other fields stay writable', async () => {
    const refused = await send(
      'PATCH',
      `/v1/accounts/${w.accountId}`,
      { name: 'Acme', gstin: null },
      w.sdr.headers,
    )
    const problem = expectProblem(refused, 403, 'forbidden')
    expect(problem.detail).toContain('gstin')
    expect(problem.errors).toEqual([
      { pointer: '/body/gstin', message: expect.stringContaining('read-only') },
    ])
    expect((await db().account.findUniqueOrThrow({ where: { id: w.accountId } })).name).toBe(
      'Acme Industries',
    )

    const allowed = await send('PATCH', `/v1/accounts/${w.accountId}`, { name: 'Acme Ltd' }, w.sdr.headers)
    expect(allowed.statusCode, allowed.body).toBe(200)
    expect(allowed.json()).toMatchObject({ name: 'Acme Ltd', gstin: GSTIN, annualRevenue: null })

    const amount = await send('PATCH', `/v1/opportunities/${w.opportunityId}`, { amount: 1 }, w.sdr.headers)
    expect(expectProblem(amount, 403, 'forbidden').errors?.map((e) => e.pointer)).toEqual(['/body/amount'])
  })

  it('refuses a hidden field in any write, a create included; a read-only one may be set at creation', async () => {
    const hidden = await send('PATCH', `/v1/accounts/${w.accountId}`, { annualRevenue: 1 }, w.sdr.headers)
    expectProblem(hidden, 403, 'forbidden')
    const created = await send(
      'POST',
      '/v1/accounts',
      { name: 'Globex', gstin: KARNATAKA_GSTIN, annualRevenue: 5 },
      w.sdr.headers,
    )
    expect(expectProblem(created, 403, 'forbidden').errors?.map((e) => e.pointer)).toEqual([
      '/body/annualRevenue',
    ])
    const withGstin = await send(
      'POST',
      '/v1/accounts',
      { name: 'Globex', gstin: KARNATAKA_GSTIN },
      w.sdr.headers,
    )
    expect(withGstin.statusCode, withGstin.body).toBe(201)
    expect(withGstin.json()).toMatchObject({ gstin: KARNATAKA_GSTIN, annualRevenue: null })
  })

  it('leaves public capture alone: a form post has no role, and its phone is stored', async () => {
    const form = await send('POST', '/v1/forms', pricingForm())
    expect(form.statusCode, form.body).toBe(201)
    const res = await send(
      'POST',
      '/f/pricing',
      { your_name: 'Asha Rao', work_email: 'asha@rao.example.in', mobile: '098765 00002', agree: true },
      { ...ANONYMOUS, 'idempotency-key': 'form-1' },
    )
    expect(res.statusCode, res.body).toBe(201)
    expect((await db().lead.findFirstOrThrow({ where: { email: 'asha@rao.example.in' } })).phone).toBe(
      '+919876500002',
    )
  })

  it('refuses a lead capture by a marketing key that sends the phone it may not see', async () => {
    const refused = await send(
      'POST',
      '/v1/leads',
      { firstName: 'Asha', email: 'asha@globex.in', phone: '+919800000001' },
      w.marketing.headers,
    )
    expect(expectProblem(refused, 403, 'forbidden').errors).toEqual([
      { pointer: '/body/phone', message: expect.stringContaining('hidden') },
    ])
    expect(await db().lead.count({ where: { email: 'asha@globex.in' } })).toBe(0)

    const accepted = await send(
      'POST',
      '/v1/leads',
      { firstName: 'Asha', email: 'asha@globex.in' },
      w.marketing.headers,
    )
    expect(accepted.statusCode, accepted.body).toBe(202)
  })
})

describe('searches', () => {
  it('refuses a duplicate check by a field the role may not see: its answer would reveal the value', async () => {
    const refused = await send('POST', '/v1/leads/duplicates/check', { phone: PHONE }, w.marketing.headers)
    expect(expectProblem(refused, 403, 'forbidden').detail).toContain('search by phone')
    const allowed = await send(
      'POST',
      '/v1/leads/duplicates/check',
      { email: 'meera@acme.in' },
      w.marketing.headers,
    )
    expect(allowed.statusCode, allowed.body).toBe(200)
  })
})

describe("an admin's change to a role", () => {
  it('takes effect on reads and writes once the role book is refreshed', async () => {
    await setFieldRules('sdr', { opportunity: { amount: 'hidden' }, account: {} })
    const one = await get(`/v1/opportunities/${w.opportunityId}`, w.sdr.headers)
    expect(one.statusCode, one.body).toBe(200)
    expect(one.json().amount).toBeNull()
    const list = await get('/v1/opportunities', w.sdr.headers)
    expect(list.json().items).toEqual([expect.objectContaining({ id: w.opportunityId, amount: null })])
    // Annual revenue is no longer hidden from the SDR, and the GSTIN is writable.
    expect((await get(`/v1/accounts/${w.accountId}`, w.sdr.headers)).json().annualRevenue).toBe(125_000_000)
    const gstin = await send('PATCH', `/v1/accounts/${w.accountId}`, { gstin: null }, w.sdr.headers)
    expect(gstin.statusCode, gstin.body).toBe(200)

    await setFieldRules('marketing', { lead: { email: 'hidden', phone: 'hidden' } })
    const lead = (await get(`/v1/leads/${w.leadId}`, w.marketing.headers)).json()
    expect(lead).toMatchObject({ email: null, emailDomain: null, phone: null, company: 'Acme' })
  })
})
