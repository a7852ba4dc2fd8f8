import { uuidv7 } from 'uuidv7'
import { beforeAll, expect, it } from 'vitest'
import { ConversionRejected, convertLead } from '../../crm/conversion.js'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * Review (security): the conversion preview matches an existing account by domain, then by
 * a GSTIN the caller sends, among every account (crm/conversion.ts findAccount), whatever
 * the caller's row scope. It answers with the account's id, name, domain and GSTIN. An SDR
 * (team scope) or marketing (no account permission at all) learns accounts they may not see.
 * The conversion itself (POST /conversion) uses the same lookup, so it also attaches a new
 * contact and deal to that hidden account.
 */

const ctx = useTestApp()
const db = () => ctx.database.db

const HIDDEN = { name: 'Hidden Corp', domain: 'hidden-corp.example.in', gstin: '27AAPFU0939F1ZV' }
const w = {} as {
  hiddenAccountId: string
  sdr: Record<string, string>
  sdrId: string
  marketing: Record<string, string>
  repId: string
}

async function leadOwnedBy(ownerId: string, companyDomain: string | null) {
  const id = uuidv7()
  await db().lead.create({
    data: {
      id,
      channel: 'web_form',
      firstName: 'Meera',
      email: companyDomain ? `meera@${companyDomain}` : 'meera@gmail.com',
      companyDomain,
      ownerId,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  return id
}

const body = (gstin?: string) => ({
  opportunity: { amount: 1000, currency: 'INR', closeDate: new Date().toISOString().slice(0, 10) },
  ...(gstin ? { account: { gstin } } : {}),
})

beforeAll(async () => {
  const rep = await userWithRole(db(), 'sales_rep')
  const sdr = await userWithRole(db(), 'sdr')
  const marketing = await userWithRole(db(), 'marketing')
  Object.assign(w, { sdr: sdr.headers, sdrId: sdr.id, marketing: marketing.headers, repId: rep.id })
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { ...HIDDEN, ownerId: rep.id },
  })
  expect(res.statusCode, res.body).toBe(201)
  w.hiddenAccountId = res.json<{ id: string }>().id
  // Sanity: the SDR does not see the rep's account.
  const read = await ctx.app.inject({ url: `/v1/accounts/${w.hiddenAccountId}`, headers: w.sdr })
  expect(read.statusCode).toBe(404)
})

it('does not name an account the SDR cannot see when the lead domain matches it', async () => {
  const leadId = await leadOwnedBy(w.sdrId, HIDDEN.domain)
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion/preview`,
    headers: w.sdr,
    payload: body(),
  })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.body).not.toContain(w.hiddenAccountId)
  expect(res.body).not.toContain(HIDDEN.name)
})

it('does not let an SDR look any account up by GSTIN through the preview', async () => {
  const leadId = await leadOwnedBy(w.sdrId, null)
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion/preview`,
    headers: w.sdr,
    payload: body(HIDDEN.gstin),
  })
  // Either refused (GSTIN is read-only for an SDR) or answered without the hidden account.
  if (res.statusCode === 200) {
    expect(res.body).not.toContain(w.hiddenAccountId)
    expect(res.body).not.toContain(HIDDEN.name)
  } else expect(res.statusCode).toBe(403)
})

it('does not show marketing (no account permission) an existing account', async () => {
  const leadId = await leadOwnedBy(w.sdrId, HIDDEN.domain)
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion/preview`,
    headers: w.marketing,
    payload: body(),
  })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.body).not.toContain(w.hiddenAccountId)
  expect(res.body).not.toContain(HIDDEN.name)
})

it('tells the SDR in the preview that an account exists they cannot see, and that they cannot convert into it', async () => {
  const leadId = await leadOwnedBy(w.sdrId, HIDDEN.domain)
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion/preview`,
    headers: w.sdr,
    payload: body(),
  })
  expect(res.statusCode, res.body).toBe(200)
  const preview = res.json<{
    eligibility: { eligible: boolean; reasons: { code: string }[] }
    account: Record<string, unknown>
    opportunity: { name: string }
  }>()
  expect(preview.account).toMatchObject({ action: 'match', id: null, domain: null, gstin: null })
  expect(preview.eligibility.eligible).toBe(false)
  expect(preview.eligibility.reasons.map((r) => r.code)).toContain('account_not_visible')
  expect(preview.opportunity.name).not.toContain(HIDDEN.name)
})

/** Rows a conversion would write; a refused one leaves them as they were. */
const written = async () => ({
  contacts: await db().contact.count(),
  opportunities: await db().opportunity.count(),
  conversions: await db().leadConversion.count(),
  hidden: await db().account.findUniqueOrThrow({ where: { id: w.hiddenAccountId } }),
})

it('refuses the SDR a conversion into an account they cannot see (domain match), writing nothing', async () => {
  const leadId = await leadOwnedBy(w.sdrId, HIDDEN.domain)
  const before = await written()
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion`,
    headers: w.sdr,
    payload: body(),
  })
  const problem = expectProblem(res, 403, 'forbidden')
  expect(problem.errors?.[0]?.pointer).toBe('/body/account')
  expect(res.body).not.toContain(w.hiddenAccountId)
  expect(res.body).not.toContain(HIDDEN.name)
  expect(await written()).toEqual(before)
})

it('refuses the SDR a conversion that would join an account they cannot see by the GSTIN they send', async () => {
  const leadId = await leadOwnedBy(w.sdrId, null)
  const before = await written()
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion`,
    headers: w.sdr,
    payload: body(HIDDEN.gstin),
  })
  expectProblem(res, 403, 'forbidden')
  expect(res.body).not.toContain(w.hiddenAccountId)
  expect(await written()).toEqual(before)
})

it('shows an account shared to read, but refuses converting into it', async () => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { name: 'Shared Corp', domain: 'shared-corp.co.in', ownerId: w.repId },
  })
  expect(res.statusCode, res.body).toBe(201)
  const sharedId = res.json<{ id: string }>().id
  await db().recordShare.create({
    data: {
      id: uuidv7(),
      recordType: 'account',
      recordId: sharedId,
      userId: w.sdrId,
      access: 'read',
      grantedBy: 'test',
    },
  })
  const leadId = await leadOwnedBy(w.sdrId, 'shared-corp.co.in')
  const preview = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion/preview`,
    headers: w.sdr,
    payload: body(),
  })
  expect(preview.statusCode, preview.body).toBe(200)
  expect(preview.json().account).toMatchObject({ action: 'match', id: sharedId, name: 'Shared Corp' })
  expect(preview.json().eligibility.reasons.map((r: { code: string }) => r.code)).toContain(
    'account_not_editable',
  )
  const contacts = await db().contact.count()
  const converted = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion`,
    headers: w.sdr,
    payload: body(),
  })
  expectProblem(converted, 403, 'forbidden')
  expect(await db().contact.count()).toBe(contacts)
})

it("refuses writing a GSTIN onto the SDR's own existing account (read-only for them), not converting into it", async () => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { name: 'Own Corp', domain: 'own-corp.co.in', ownerId: w.sdrId },
  })
  expect(res.statusCode, res.body).toBe(201)
  const ownId = res.json<{ id: string }>().id
  const leadId = await leadOwnedBy(w.sdrId, 'own-corp.co.in')

  const withGstin = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion`,
    headers: w.sdr,
    payload: body('29AAGCB7383J1Z4'),
  })
  const problem = expectProblem(withGstin, 403, 'forbidden')
  expect(problem.errors?.[0]?.pointer).toBe('/body/account/gstin')
  expect((await db().account.findUniqueOrThrow({ where: { id: ownId } })).gstin).toBeNull()

  // Without the GSTIN the access check passes; this lead has no running journey (409).
  const without = await ctx.app.inject({
    method: 'POST',
    url: `/v1/leads/${leadId}/conversion`,
    headers: w.sdr,
    payload: body(),
  })
  expectProblem(without, 409, 'conflict')
})

it('refuses a conversion whose lookup finds another account than the one the API checked', async () => {
  // The API checked "a new account" (null); by the time the journey converts, one matches.
  const leadId = await leadOwnedBy(w.sdrId, HIDDEN.domain)
  const before = await written()
  await expect(
    convertLead(db(), {
      leadId,
      request: { ...body(), expectedAccountId: null },
      actorId: `user:${w.sdrId}`,
      at: new Date().toISOString(),
    }),
  ).rejects.toBeInstanceOf(ConversionRejected)
  expect(await written()).toEqual(before)
})
