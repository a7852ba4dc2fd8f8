import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'

/*
 * Contacts through the API on a real PostgreSQL: normalised phones and emails, roles, the
 * one primary contact per account (also under concurrent switches), deactivation, audit.
 */

const ctx = useTestApp({ truncateAfterEach: true })

interface ContactBody {
  id: string
  accountId: string
  firstName: string | null
  lastName: string | null
  email: string | null
  phone: string | null
  roles: string[]
  isPrimary: boolean
  consentStatus: string
  isActive: boolean
  [field: string]: unknown
}
interface Page<T> {
  items: T[]
  nextCursor: string | null
}

const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}), headers })
const get = (url: string) => ctx.app.inject({ method: 'GET', url })

async function createAccount(body: object = {}): Promise<string> {
  const res = await post('/v1/accounts', { name: 'Acme Industries', country: 'IN', ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{ id: string }>().id
}

async function createContact(body: object, headers: Record<string, string> = {}): Promise<ContactBody> {
  const res = await post('/v1/contacts', body, headers)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<ContactBody>()
}

const primaryOf = async (accountId: string) =>
  (await ctx.database.db.account.findUniqueOrThrow({ where: { id: accountId } })).primaryContactId

const contactAudit = (entityId: string) =>
  ctx.database.db.auditEvent.findMany({ where: { entity: 'contact', entityId }, orderBy: { id: 'asc' } })

describe('POST /v1/contacts', () => {
  it('stores the email in lower case and the phone as E.164; the first contact becomes primary', async () => {
    const accountId = await createAccount()
    const res = await post('/v1/contacts', {
      accountId,
      firstName: 'meera',
      lastName: 'iyer',
      email: '  Meera.Iyer@Acme.CO.IN ',
      phone: '098765 43210',
      title: 'Head of Procurement',
      roles: ['champion', 'decision_maker'],
    })
    expect(res.statusCode, res.body).toBe(201)
    const contact = res.json<ContactBody>()
    expect(res.headers['location']).toBe(`/v1/contacts/${contact.id}`)
    expect(contact).toMatchObject({
      accountId,
      firstName: 'Meera',
      lastName: 'Iyer',
      email: 'meera.iyer@acme.co.in',
      phone: '+919876543210',
      roles: ['decision_maker', 'champion'],
      isPrimary: true,
      consentStatus: 'unknown',
      consentChannels: [],
      dnd: false,
      optOutAt: null,
      isActive: true,
      leadId: null,
    })
    expect(await primaryOf(accountId)).toBe(contact.id)
    const [audit] = await contactAudit(contact.id)
    expect(audit).toMatchObject({ action: 'create', actorId: 'user:test-admin' })
    expect(audit?.changes).toMatchObject({
      accountId: { from: null, to: accountId },
      phone: { from: null, to: '+919876543210' },
    })

    const second = await createContact({ accountId, lastName: 'Shah' })
    expect(second.isPrimary).toBe(false)
    expect(await primaryOf(accountId)).toBe(contact.id)
  })

  it.each([
    ['+91 98765-43210', 'IN', '+919876543210'],
    ['9876543210', 'IN', '+919876543210'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+1 (415) 555-2671', 'GB', '+14155552671'],
    ['98765 43210', null, '+919876543210'],
  ])('reads %s on an account in %s as %s', async (phone, country, e164) => {
    const accountId = await createAccount({ country })
    expect((await createContact({ accountId, lastName: 'Rao', phone })).phone).toBe(e164)
  })

  it('refuses an invalid phone or email at its pointer, and a contact without a name', async () => {
    const accountId = await createAccount()
    const phone = expectProblem(
      await post('/v1/contacts', { accountId, lastName: 'Rao', phone: '12345' }),
      422,
      'rule_violation',
    )
    expect(phone.errors?.map((e) => e.pointer)).toEqual(['/body/phone'])
    const email = expectProblem(
      await post('/v1/contacts', { accountId, lastName: 'Rao', email: 'rao@acme' }),
      422,
      'rule_violation',
    )
    expect(email.errors?.map((e) => e.pointer)).toEqual(['/body/email'])
    const nameless = expectProblem(
      await post('/v1/contacts', { accountId, email: 'a@acme.in' }),
      422,
      'rule_violation',
    )
    expect(nameless.errors?.map((e) => e.pointer)).toEqual(['/body/lastName'])
    expect(await ctx.database.db.contact.count()).toBe(0)
  })

  it('takes roles from the list, each once', async () => {
    const accountId = await createAccount()
    const unknown = expectProblem(
      await post('/v1/contacts', { accountId, lastName: 'Rao', roles: ['decision_maker', 'ceo'] }),
      422,
      'validation_failed',
    )
    expect(unknown.errors?.[0]?.pointer).toMatch(/^\/body\/roles/)
    expectProblem(
      await post('/v1/contacts', { accountId, lastName: 'Rao', roles: ['billing', 'billing'] }),
      422,
      'validation_failed',
    )
    expect(await ctx.database.db.contact.count()).toBe(0)
    const all = ['user', 'billing', 'influencer', 'champion', 'decision_maker']
    expect((await createContact({ accountId, lastName: 'Rao', roles: all })).roles).toEqual([
      'decision_maker',
      'champion',
      'influencer',
      'billing',
      'user',
    ])
  })

  it('refuses a contact on an inactive or unknown account, and writes nothing', async () => {
    const accountId = await createAccount()
    await post(`/v1/accounts/${accountId}/deactivate`, { reason: 'Closed' })
    const inactive = expectProblem(
      await post('/v1/contacts', { accountId, lastName: 'Rao' }),
      422,
      'rule_violation',
    )
    expect(inactive.errors).toEqual([
      { pointer: '/body/accountId', message: `account ${accountId} is inactive` },
    ])
    const unknown = expectProblem(
      await post('/v1/contacts', { accountId: uuidv7(), lastName: 'Rao' }),
      422,
      'rule_violation',
    )
    expect(unknown.errors?.[0]?.pointer).toBe('/body/accountId')
    expect(await ctx.database.db.contact.count()).toBe(0)
    expect(await ctx.database.db.auditEvent.count({ where: { entity: 'contact' } })).toBe(0)
  })

  it('refuses consent fields: consent comes from the lead', async () => {
    const accountId = await createAccount()
    expectProblem(
      await post('/v1/contacts', { accountId, lastName: 'Rao', consentStatus: 'granted' }),
      422,
      'validation_failed',
    )
  })
})

describe('the primary contact', () => {
  it('moves with primary: true and make-primary, and is exclusive', async () => {
    const accountId = await createAccount()
    const a = await createContact({ accountId, lastName: 'Anand' })
    const b = await createContact({ accountId, lastName: 'Bose', primary: true })
    expect(b.isPrimary).toBe(true)
    expect((await get(`/v1/contacts/${a.id}`)).json<ContactBody>().isPrimary).toBe(false)

    const res = await post(`/v1/contacts/${a.id}/make-primary`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<ContactBody>().isPrimary).toBe(true)
    const list = (await get(`/v1/contacts?accountId=${accountId}`)).json<Page<ContactBody>>().items
    expect(list.filter((c) => c.isPrimary).map((c) => c.id)).toEqual([a.id])

    const switches = await ctx.database.db.auditEvent.findMany({
      where: { entity: 'account', entityId: accountId, action: 'update' },
      orderBy: { id: 'asc' },
    })
    expect(switches.map((e) => e.changes)).toEqual([
      { primaryContactId: { from: null, to: a.id } },
      { primaryContactId: { from: a.id, to: b.id } },
      { primaryContactId: { from: b.id, to: a.id } },
    ])
  })

  it('leaves exactly one primary when two contacts are made primary at once', async () => {
    const accountId = await createAccount()
    await createContact({ accountId, lastName: 'First' })
    const rivals: ContactBody[] = []
    for (const lastName of ['Second', 'Third', 'Fourth', 'Fifth'])
      rivals.push(await createContact({ accountId, lastName }))
    for (let round = 0; round < 4; round++) {
      // Two at a time, in a different pair each round.
      const pair = [rivals[round % 4]!, rivals[(round + 1) % 4]!]
      const results = await Promise.all(pair.map((c) => post(`/v1/contacts/${c.id}/make-primary`)))
      expect(results.map((r) => r.statusCode)).toEqual([200, 200])
      const list = (await get(`/v1/contacts?accountId=${accountId}`)).json<Page<ContactBody>>().items
      const primaries = list.filter((c) => c.isPrimary).map((c) => c.id)
      expect(primaries).toHaveLength(1)
      expect(pair.map((c) => c.id)).toContain(primaries[0])
      expect(await primaryOf(accountId)).toBe(primaries[0])
    }
    // Each switch is audited from the primary it really replaced: the rows chain.
    const switches = await ctx.database.db.auditEvent.findMany({
      where: { entity: 'account', entityId: accountId, action: 'update' },
      orderBy: { id: 'asc' },
    })
    const chain = switches.map((e) => e.changes as { primaryContactId: { from: string | null; to: string } })
    for (let i = 1; i < chain.length; i++)
      expect(chain[i]?.primaryContactId.from).toBe(chain[i - 1]?.primaryContactId.to)
  })

  it('stops being primary when deactivated, and an inactive contact cannot become primary', async () => {
    const accountId = await createAccount()
    const a = await createContact({ accountId, lastName: 'Anand' })
    const b = await createContact({ accountId, lastName: 'Bose' })

    const res = await post(`/v1/contacts/${a.id}/deactivate`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<ContactBody>()).toMatchObject({ isActive: false, isPrimary: false })
    expect(await primaryOf(accountId)).toBeNull()
    expectProblem(await post(`/v1/contacts/${a.id}/deactivate`), 409, 'conflict')
    expectProblem(await post(`/v1/contacts/${a.id}/make-primary`), 422, 'rule_violation')
    expect((await contactAudit(a.id)).map((e) => e.action)).toEqual(['create', 'deactivate'])

    const active = (await get(`/v1/contacts?accountId=${accountId}`)).json<Page<ContactBody>>().items
    expect(active.map((c) => c.id)).toEqual([b.id])
    const inactive = (await get(`/v1/contacts?accountId=${accountId}&isActive=false`)).json<
      Page<ContactBody>
    >()
    expect(inactive.items.map((c) => c.id)).toEqual([a.id])

    // With no primary left, the next contact added becomes primary.
    expect((await createContact({ accountId, lastName: 'Chopra' })).isPrimary).toBe(true)
    expectProblem(await post(`/v1/contacts/${uuidv7()}/make-primary`), 404, 'not_found')
  })
})

describe('PATCH /v1/contacts/:id', () => {
  it('re-normalises what changed and audits each field before and after, as the calling user', async () => {
    await ctx.database.db.user.create({
      data: { id: 'u-asha', name: 'Asha Rao', email: 'asha@leadwire.test', role: 'admin' },
    })
    const accountId = await createAccount()
    const c = await createContact({ accountId, firstName: 'Meera', lastName: 'Iyer', roles: ['user'] })
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/contacts/${c.id}`,
      payload: { phone: '+91 98765-43210', email: 'MEERA@ACME.IN', roles: ['billing', 'user'], title: null },
      headers: { 'x-leadwire-user': 'u-asha' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      phone: '+919876543210',
      email: 'meera@acme.in',
      roles: ['billing', 'user'],
      isPrimary: true,
      updatedBy: 'user:u-asha',
    })
    const [, update] = await contactAudit(c.id)
    expect(update).toMatchObject({ action: 'update', actorId: 'user:u-asha' })
    expect(update?.changes).toEqual({
      phone: { from: null, to: '+919876543210' },
      email: { from: null, to: 'meera@acme.in' },
      roles: { from: ['user'], to: ['billing', 'user'] },
    })
  })

  it('refuses clearing both names, consent and account changes', async () => {
    const accountId = await createAccount()
    const c = await createContact({ accountId, lastName: 'Iyer' })
    const patch = (payload: object) =>
      ctx.app.inject({ method: 'PATCH', url: `/v1/contacts/${c.id}`, payload })
    expect(expectProblem(await patch({ lastName: null }), 422, 'rule_violation').errors?.[0]?.pointer).toBe(
      '/body/lastName',
    )
    expectProblem(await patch({ consentStatus: 'granted' }), 422, 'validation_failed')
    expectProblem(await patch({ dnd: true }), 422, 'validation_failed')
    expectProblem(
      await patch({ accountId: await createAccount({ name: 'Other' }) }),
      422,
      'validation_failed',
    )
    expect(await contactAudit(c.id)).toHaveLength(1)
  })
})

describe('GET /v1/contacts', () => {
  it('shows consent carried over from the lead, read-only', async () => {
    const accountId = await createAccount()
    const id = uuidv7()
    await ctx.database.db.contact.create({
      data: {
        id,
        accountId,
        lastName: 'Converted',
        consentStatus: 'granted',
        consentChannels: ['email', 'whatsapp'],
        dnd: true,
        optOutAt: new Date('2026-03-01T10:00:00Z'),
        createdBy: 'test',
        updatedBy: 'test',
      },
    })
    expect((await get(`/v1/contacts/${id}`)).json()).toMatchObject({
      consentStatus: 'granted',
      consentChannels: ['email', 'whatsapp'],
      dnd: true,
      optOutAt: '2026-03-01T10:00:00.000Z',
    })
  })

  it('filters by account, role and text, and pages newest first without overlap', async () => {
    const acme = await createAccount()
    const other = await createAccount({ name: 'Other' })
    const made: ContactBody[] = []
    for (const [i, roles] of [['billing'], ['champion'], ['billing', 'user'], [], ['billing']].entries())
      made.push(
        await createContact({ accountId: acme, lastName: `Person${i}`, email: `p${i}@acme.in`, roles }),
      )
    await createContact({ accountId: other, lastName: 'Elsewhere', roles: ['billing'] })

    const ids = async (query: string) =>
      (await get(`/v1/contacts?${query}`)).json<Page<ContactBody>>().items.map((c) => c.lastName)
    expect(await ids(`accountId=${acme}&role=billing`)).toEqual(['Person4', 'Person2', 'Person0'])
    expect(await ids('q=P3@ACME')).toEqual(['Person3'])
    expect(await ids('q=elsew')).toEqual(['Elsewhere'])
    expectProblem(await get('/v1/contacts?role=ceo'), 400, 'malformed_request')

    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await get(`/v1/contacts?accountId=${acme}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode, res.body).toBe(200)
      const page = res.json<Page<ContactBody>>()
      seen.push(...page.items.map((c) => c.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(made.map((c) => c.id).reverse())
  })
})
