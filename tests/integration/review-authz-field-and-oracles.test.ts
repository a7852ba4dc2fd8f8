import { beforeAll, expect, it } from 'vitest'
import { recordActivity } from '../../ingestion/activity-log.js'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'

/*
 * Review (security): field rules and row scope leaking through side doors.
 * - Timelines are routes of the `activity` object, which has no field shape, so a call's
 *   details (`from`: the caller's number, as the Twilio connector writes them) reach a role
 *   whose rules hide the lead's phone (marketing).
 * - A 409 on a lead edit or an account create names the other record's id, even when the
 *   caller does not see it: an oracle for "does anyone hold this email / domain, and which
 *   record is it".
 * - A capture that duplicates a lead the caller does not see answers with that master's
 *   id, owner and score.
 */

const ctx = useTestApp()
const db = () => ctx.database.db

const PHONE = '+919876543210'
const w = {} as {
  rep: { id: string; headers: Record<string, string> }
  sdr: { id: string; headers: Record<string, string> }
  marketing: { id: string; headers: Record<string, string> }
  repLeadId: string
  repAccountId: string
}

beforeAll(async () => {
  w.rep = await userWithRole(db(), 'sales_rep')
  w.sdr = await userWithRole(db(), 'sdr')
  w.marketing = await userWithRole(db(), 'marketing')
  const captured = await ctx.app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: { firstName: 'Priya', lastName: 'Nair', email: 'priya@secret-co.in', phone: PHONE },
  })
  expect(captured.statusCode, captured.body).toBe(202)
  w.repLeadId = captured.json<{ id: string }>().id
  await db().lead.update({ where: { id: w.repLeadId }, data: { ownerId: w.rep.id } })
  const account = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { name: 'Secret Co', domain: 'secret-co.in', ownerId: w.rep.id },
  })
  expect(account.statusCode, account.body).toBe(201)
  w.repAccountId = account.json<{ id: string }>().id
})

it('does not show marketing a lead phone through the call details on its timeline', async () => {
  await db().$transaction((tx) =>
    recordActivity(tx, {
      kind: 'call',
      direction: 'inbound',
      subject: 'Incoming call',
      details: { callSid: 'CA1', from: PHONE, to: '+918000000000', status: 'ringing' },
      leadId: w.repLeadId,
      occurredAt: new Date(),
      actorId: 'connector:twilio',
    }),
  )
  const lead = await ctx.app.inject({ url: `/v1/leads/${w.repLeadId}`, headers: w.marketing.headers })
  expect(lead.statusCode, lead.body).toBe(200)
  expect(lead.json<{ phone: string | null }>().phone).toBeNull()

  const timeline = await ctx.app.inject({
    url: `/v1/leads/${w.repLeadId}/timeline`,
    headers: w.marketing.headers,
  })
  expect(timeline.statusCode, timeline.body).toBe(200)
  expect(timeline.body).not.toContain(PHONE)
})

it('does not name a lead the SDR cannot see in the 409 of an email edit', async () => {
  const own = await ctx.app.inject({
    method: 'POST',
    url: '/v1/leads',
    headers: w.sdr.headers,
    payload: { firstName: 'Own', email: 'own-lead@sdr-co.in' },
  })
  expect(own.statusCode, own.body).toBe(202)
  const ownId = own.json<{ id: string }>().id
  await db().lead.update({ where: { id: ownId }, data: { ownerId: w.sdr.id } })
  const hidden = await ctx.app.inject({ url: `/v1/leads/${w.repLeadId}`, headers: w.sdr.headers })
  expect(hidden.statusCode).toBe(404)

  const res = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/leads/${ownId}`,
    headers: w.sdr.headers,
    payload: { email: 'priya@secret-co.in' },
  })
  expect(res.statusCode, res.body).toBe(409)
  expect(res.body).not.toContain(w.repLeadId)
})

it('does not name an account the SDR cannot see in the 409 of an account create', async () => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    headers: w.sdr.headers,
    payload: { name: 'Mine', domain: 'secret-co.in' },
  })
  expect(res.statusCode, res.body).toBe(409)
  expect(res.body).not.toContain(w.repAccountId)
})

it('does not answer a capture with the id, owner and score of a master lead the caller cannot see', async () => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/leads',
    headers: w.sdr.headers,
    payload: { firstName: 'Probe', email: 'priya@secret-co.in' },
  })
  expect(res.statusCode, res.body).toBe(202)
  const body = res.json<{ outcome: string; id: string; duplicateOf: string | null; ownerId: string | null }>()
  expect(body.outcome).toBe('duplicate')
  expect(body.duplicateOf).not.toBe(w.repLeadId)
  expect(body.ownerId).not.toBe(w.rep.id)
})
