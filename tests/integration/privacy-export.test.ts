import { expect, it } from 'vitest'
import { convertLead } from '../../crm/conversion.js'
import { useTestApp } from '../support/app.js'

/*
 * The export of everything held about a person (GDPR Art. 15/20), through the API: found by
 * any of their identifiers, in any common format, with every part of their record and none
 * of anyone else's; and recorded as a privacy request and in the audit trail.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db

async function post(url: string, payload: object, status = 200, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: 'POST', url, payload, headers })
  expect(res.statusCode, res.body).toBe(status)
  return res.json<Record<string, unknown>>()
}

async function seed() {
  const master = await post(
    '/v1/leads',
    {
      channel: 'web_form',
      firstName: 'Kavya',
      lastName: 'Raghunathan',
      email: 'kavya.r@gmail.com',
      company: 'Tiles & Co',
      consent: { granted: true, channels: ['email'], source: 'web_form:demo' },
      attribution: { source: 'google', medium: 'cpc', campaign: 'tiles' },
    },
    202,
  )
  // Gmail ignores dots and +tags: the same mailbox, so the same person (a duplicate).
  const duplicate = await post(
    '/v1/leads',
    { channel: 'api', firstName: 'Kavya', email: 'Kavya.R+expo@googlemail.com', phone: '+91 99000 11223' },
    202,
  )
  expect(duplicate['duplicateOf']).toBe(master['id'])
  const leadId = master['id'] as string
  await post(`/v1/leads/${leadId}/engagement`, { event: 'emailClick' })
  await post(
    '/v1/tasks',
    {
      title: 'Send Kavya the price list',
      kind: 'email',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      leadId,
    },
    201,
  )
  await post('/v1/activities', { kind: 'call', subject: 'Intro call', outcome: 'connected', leadId }, 201)
  await post(`/v1/leads/${leadId}/consent`, { status: 'withdrawn', source: 'unsubscribe link' })
  const conversion = await convertLead(db(), {
    leadId,
    request: { opportunity: { amount: 90000, currency: 'INR', closeDate: '2031-01-31' } },
    actorId: 'user:test-admin',
    at: new Date().toISOString(),
  })
  const other = await post(
    '/v1/leads',
    { channel: 'api', firstName: 'Other', email: 'other@example.in' },
    202,
  )
  return { leadId, duplicateId: duplicate['id'] as string, otherId: other['id'] as string, ...conversion }
}

type Export = {
  privacyRequestId: string
  subject: { subjectHash: string; leadIds: string[]; contactIds: string[] }
  counts: Record<string, number>
  data: Record<string, Record<string, unknown>[]>
}

it('exports every part of the person’s record, found by phone in national format', async () => {
  const s = await seed()
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/privacy/exports',
    payload: { phone: '099000 11223' },
  })
  expect(res.statusCode, res.body).toBe(200)
  const body = res.json<Export>()
  expect(body.subject.leadIds.sort()).toEqual([s.leadId, s.duplicateId].sort())
  expect(body.subject.contactIds).toEqual([s.contactId])

  const d = body.data
  expect(d['leads']!.map((l) => l['email']).sort()).toEqual([
    'kavya.r+expo@googlemail.com',
    'kavya.r@gmail.com',
  ])
  expect(d['leads']!.some((l) => l['id'] === s.otherId)).toBe(false)
  expect(d['matchKeys']!.map((k) => k['key']).sort()).toEqual([
    'email:kavyar@gmail.com',
    'phone:+919900011223',
  ])
  expect(d['rawCaptures']).toHaveLength(2)
  expect(d['touches']!.map((t) => t['source'])).toContain('google')
  expect(d['consentRecords']!.map((c) => c['status'])).toEqual(['granted', 'withdrawn'])
  expect(d['decisions']!.length).toBeGreaterThan(5)
  // An assignment keeps the team's state it was decided on (for replay): not the person's data.
  const assignments = await ctx.database.db.leadDecision.findMany({
    where: { kind: 'assignment', leadId: { in: body.subject.leadIds } },
  })
  expect(assignments.some((a) => 'state' in (a.inputs as object))).toBe(true)
  const exported = d['decisions']!.filter((x) => x['kind'] === 'assignment')
  expect(exported).toHaveLength(assignments.length)
  for (const x of exported) expect(x['inputs']).not.toHaveProperty('state')
  expect(d['activities']!.map((a) => a['kind'])).toEqual(
    expect.arrayContaining(['email_click', 'call', 'conversion']),
  )
  expect(d['tasks']!.map((t) => t['title'])).toContain('Send Kavya the price list')
  expect(d['conversions']).toHaveLength(1)
  expect(d['contacts']).toMatchObject([{ id: s.contactId, firstName: 'Kavya', email: 'kavya.r@gmail.com' }])
  expect(d['opportunities']).toMatchObject([{ id: s.opportunityId, amount: '90000' }])
  expect(d['auditEvents']!.map((e) => `${e['entity']}:${e['action']}`)).toEqual(
    expect.arrayContaining(['contact:create', 'lead:convert', 'activity:create']),
  )
  // Bigint ids as strings: the document is plain JSON.
  expect(typeof d['consentRecords']![0]!['id']).toBe('string')
  for (const [table, rows] of Object.entries(d)) expect(body.counts[table], table).toBe(rows.length)

  const request = await db().privacyRequest.findUniqueOrThrow({ where: { id: body.privacyRequestId } })
  expect(request).toMatchObject({ kind: 'export', subjectHash: body.subject.subjectHash })
  expect(request.leadIds.sort()).toEqual(body.subject.leadIds)
  expect(JSON.stringify(request)).not.toMatch(/kavya/i)
  const audit = await db().auditEvent.findMany({ where: { entity: 'privacy_request', entityId: request.id } })
  expect(audit).toMatchObject([{ action: 'export', actorId: 'user:test-admin' }])
  expect(JSON.stringify(audit[0]!.changes)).not.toMatch(/kavya/i)
})

it('finds the same person from any identifier, with one hash per identifier', async () => {
  const s = await seed()
  const exportBy = async (payload: object) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/privacy/exports', payload })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<Export>()
  }
  const byEmail = await exportBy({ email: 'KAVYAR@gmail.com' })
  const byDottedEmail = await exportBy({ email: 'kavya.r+news@gmail.com' })
  const byDuplicate = await exportBy({ leadId: s.duplicateId })
  const byContact = await exportBy({ contactId: s.contactId })
  for (const e of [byDottedEmail, byDuplicate, byContact]) {
    expect(e.subject.leadIds).toEqual(byEmail.subject.leadIds)
    expect(e.subject.contactIds).toEqual(byEmail.subject.contactIds)
  }
  // Gmail's mailbox is the identifier: the dotted and tagged spelling is the same person.
  expect(byDottedEmail.subject.subjectHash).toBe(byEmail.subject.subjectHash)
  expect(byDuplicate.subject.subjectHash).not.toBe(byEmail.subject.subjectHash)
})

it('answers an empty export for a person nothing is held about, and records that it was asked', async () => {
  await seed()
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/privacy/exports',
    payload: { email: 'nobody@example.in' },
  })
  expect(res.statusCode, res.body).toBe(200)
  const body = res.json<Export>()
  expect(body.subject).toMatchObject({ leadIds: [], contactIds: [] })
  expect(Object.values(body.counts).every((n) => n === 0)).toBe(true)
  expect(await db().privacyRequest.count({ where: { kind: 'export' } })).toBe(1)
})
