import { expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'

/*
 * Review: who a privacy request is about. A company switchboard number shared by two people
 * must not make one person's export or erasure reach the other; and a Gmail address must find
 * every spelling of its mailbox, as ingestion's match keys do.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload })

const SWITCHBOARD = '+91 20 6600 1000'

async function colleagueContact(): Promise<string> {
  const account = await post('/v1/accounts', { name: 'Acme Industries', country: 'IN' })
  expect(account.statusCode, account.body).toBe(201)
  const contact = await post('/v1/contacts', {
    accountId: account.json<{ id: string }>().id,
    firstName: 'Ravi',
    lastName: 'Menon',
    email: 'ravi.menon@acme.in',
    phone: SWITCHBOARD,
  })
  expect(contact.statusCode, contact.body).toBe(201)
  return contact.json<{ id: string }>().id
}

async function asha(): Promise<string> {
  const res = await post('/v1/leads', {
    channel: 'web_form',
    firstName: 'Asha',
    lastName: 'Rao',
    email: 'asha.rao@acme.in',
    phone: SWITCHBOARD,
    company: 'Acme Industries',
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string }>().id
}

it("an erasure by email does not erase a colleague who shares the person's office number", async () => {
  const ravi = await colleagueContact()
  await asha()
  const res = await post('/v1/privacy/erasures', { email: 'asha.rao@acme.in' })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.json<{ subject: { contactIds: string[] } }>().subject.contactIds).not.toContain(ravi)
  expect(await ctx.database.db.contact.findUniqueOrThrow({ where: { id: ravi } })).toMatchObject({
    firstName: 'Ravi',
    email: 'ravi.menon@acme.in',
  })
})

it("an export by email does not hand over a colleague's record found through a shared office number", async () => {
  const ravi = await colleagueContact()
  await asha()
  const res = await post('/v1/privacy/exports', { email: 'asha.rao@acme.in' })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.json<{ subject: { contactIds: string[] } }>().subject.contactIds).not.toContain(ravi)
  expect(res.body).not.toContain('ravi.menon@acme.in')
})

it('an erasure by a Gmail address finds a contact stored under another spelling of the same mailbox', async () => {
  const account = await post('/v1/accounts', { name: 'Meher Kanwar', country: 'IN' })
  const contact = await post('/v1/contacts', {
    accountId: account.json<{ id: string }>().id,
    firstName: 'Meher',
    lastName: 'Kanwar',
    email: 'Meher.Kanwar@gmail.com',
  })
  expect(contact.statusCode, contact.body).toBe(201)
  const res = await post('/v1/privacy/erasures', { email: 'meherkanwar@gmail.com' })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.json<{ subject: { contactIds: string[] } }>().subject.contactIds).toEqual([
    contact.json<{ id: string }>().id,
  ])
})
