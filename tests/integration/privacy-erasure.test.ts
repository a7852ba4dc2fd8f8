import { expect, it } from 'vitest'
import { uuidv7 } from 'uuidv7'
import { queueOutgoing } from '../../connectors/whatsapp/outgoing-queue.js'
import { convertLead } from '../../crm/conversion.js'
import { saveQualification } from '../../crm/qualification.js'
import type { Db } from '../../platform/database/prisma.js'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * Erasure end to end through the API: a person captured twice (a duplicate), engaged, given a
 * task and a note, opting out, converted into a contact with a ticket; then erased. The proof
 * is a scan of every text and JSON column of every table for the person's email, phone and
 * unusual last name, which must find nothing, while the funnel and attribution reports count
 * exactly what they counted before.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = (): Db => ctx.database.db

const PERSON = {
  firstName: 'Asha',
  lastName: 'Vishwakarmaa',
  email: 'Asha.Vishwakarmaa@Acme-Industries.in',
  phone: '+91 98450 12345',
}
const EMAIL_NEEDLE = 'asha.vishwakarmaa@acme-industries.in'
const PHONE_NEEDLE = '9845012345'
const NAME_NEEDLE = 'vishwakarmaa'

async function capture(body: Record<string, unknown>, idempotencyKey?: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/leads',
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    payload: body,
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string; outcome: string; duplicateOf: string | null }>()
}

async function post(url: string, payload: object, status = 200) {
  const res = await ctx.app.inject({ method: 'POST', url, payload })
  expect(res.statusCode, res.body).toBe(status)
  return res.json<Record<string, unknown>>()
}

/** The person as the CRM comes to know them, and one other person who must be untouched. */
async function seedPerson() {
  const master = await capture(
    {
      channel: 'web_form',
      ...PERSON,
      company: 'Acme Industries',
      title: 'Head of Procurement',
      city: 'Pune',
      country: 'IN',
      industry: 'manufacturing',
      need: `Asha needs a CRM; call her on ${PERSON.phone}`,
      consent: {
        granted: true,
        source: 'web_form:demo',
        textVersion: 'v3',
        text: 'I agree to hear from Leadwire.',
      },
      attribution: {
        source: 'google',
        medium: 'cpc',
        campaign: 'crm-q4',
        landingPage: `https://leadwire.example/demo?email=${encodeURIComponent(PERSON.email)}`,
      },
    },
    'capture-asha-1',
  )
  expect(master.outcome).toBe('created')
  const duplicate = await capture({
    channel: 'api',
    firstName: 'ASHA',
    lastName: 'VISHWAKARMAA',
    email: PERSON.email.toLowerCase(),
    phone: '098450-12345',
    company: 'Acme Industries Pvt Ltd',
    attribution: { source: 'linkedin', medium: 'social', campaign: 'crm-q4' },
  })
  expect(duplicate.outcome).toBe('duplicate')
  expect(duplicate.duplicateOf).toBe(master.id)

  await post(`/v1/leads/${master.id}/engagement`, { event: 'emailOpen' })
  await post(`/v1/leads/${master.id}/engagement`, { event: 'emailReply' })
  await post(
    '/v1/tasks',
    {
      title: 'Call Asha Vishwakarmaa about the demo',
      kind: 'call',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      description: `Her email is ${PERSON.email}`,
      leadId: master.id,
    },
    201,
  )
  await post(
    '/v1/activities',
    {
      kind: 'note',
      subject: 'Spoke to Ms Vishwakarmaa',
      body: `She asked us to use ${PERSON.phone} rather than email.`,
      leadId: master.id,
    },
    201,
  )
  await post(`/v1/leads/${master.id}/consent`, {
    status: 'withdrawn',
    source: 'unsubscribe link',
    reason: `Asha Vishwakarmaa asked to stop (${PERSON.email})`,
  })
  await post(`/v1/leads/${master.id}/consent`, {
    status: 'granted',
    channels: ['email'],
    source: 'call',
    text: 'Agreed on the phone to hear about the pilot.',
  })
  await saveQualification(db(), {
    leadId: master.id,
    input: {
      framework: 'BANT',
      criteria: { authority: { status: 'confirmed', note: 'Ms Vishwakarmaa approves up to 10 lakh' } },
    },
    actorId: 'user:test-admin',
    at: new Date().toISOString(),
  })
  await seedChannelRows(master.id)
  const conversion = await convertLead(db(), {
    leadId: master.id,
    request: {
      opportunity: { amount: 500000, currency: 'INR', closeDate: '2031-03-31' },
      contactRole: 'decision_maker',
      note: 'Asha Vishwakarmaa signs off purchases',
    },
    actorId: 'user:test-admin',
    at: new Date().toISOString(),
  })
  await post(
    '/v1/tickets',
    {
      accountId: conversion.accountId,
      contactId: conversion.contactId,
      subject: 'Vishwakarmaa cannot log in',
      description: `Reset the password for ${PERSON.email}`,
      priority: 'P3',
      channel: 'email',
    },
    201,
  )

  const other = await capture({
    channel: 'web_form',
    firstName: 'Ravi',
    lastName: 'Menon',
    email: 'ravi.menon@example.in',
    company: 'Example Pvt Ltd',
    consent: { granted: true },
    attribution: { source: 'google', medium: 'cpc', campaign: 'crm-q4' },
  })
  return { masterId: master.id, duplicateId: duplicate.id, other: other.id, ...conversion }
}

/**
 * What the capture channels and senders leave that the API path above does not reach: a
 * queued WhatsApp message, a vendor's refusal, a channel's delivery record, an import row
 * that failed.
 */
async function seedChannelRows(leadId: string) {
  await queueOutgoing(db(), {
    toE164: '+919845012345',
    text: 'Hi Asha, thanks for your interest',
    idempotencyKey: `${leadId}/whatsapp/default-nurture/1/wa-intro`,
  })
  await db().outboundMessage.create({
    data: {
      id: uuidv7(),
      dedupeKey: `${leadId}/email/default-nurture/1/welcome`,
      leadId,
      channel: 'email',
      sequenceId: 'default-nurture',
      stepId: 'welcome',
      template: 'nurture-welcome',
      status: 'failed',
      lastError: `550 mailbox ${EMAIL_NEEDLE} unavailable`,
    },
  })
  await db().inboundDelivery.create({
    data: {
      connectorId: 'whatsapp',
      deliveryKey: `919845012345@s.whatsapp.net/wamid-1`,
      outcome: 'lead_duplicate',
      leadId,
      result: { leadId },
      receivedAt: new Date(),
    },
  })
  const jobId = uuidv7()
  await db().importJob.create({
    data: {
      id: jobId,
      status: 'completed',
      fileName: 'expo.csv',
      format: 'csv',
      fileHash: 'abc',
      filePath: '/tmp/expo.csv',
      sizeBytes: 100n,
      createdBy: 'test',
    },
  })
  await db().importRowError.create({
    data: {
      jobId,
      rowNumber: 7,
      errors: [{ pointer: '/email', message: `${PERSON.email}x is not valid` }],
      raw: { name: 'Asha Vishwakarmaa', email: `${PERSON.email}x`, phone: '98450 12345' },
    },
  })
  await db().importRowError.create({
    data: { jobId, rowNumber: 8, errors: [], raw: { name: 'Someone Else', email: 'else@example.in' } },
  })
}

/** Every text, JSON and text[] column of every table, with the rows holding any of the needles. */
async function scanForPerson(
  needles = [EMAIL_NEEDLE, PHONE_NEEDLE, NAME_NEEDLE],
): Promise<{ table: string; column: string; rows: number }[]> {
  const columns = await db().$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public'
       AND (data_type IN ('text', 'character varying', 'json', 'jsonb', 'character')
            OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))
     ORDER BY table_name, column_name`
  expect(columns.length).toBeGreaterThan(100)
  const found: { table: string; column: string; rows: number }[] = []
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await db().$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE ANY($1::text[])`,
      needles.map((n) => `%${n}%`),
    )
    if (row!.n > 0) found.push({ table, column, rows: row!.n })
  }
  return found
}

async function reports() {
  const funnel = await ctx.app.inject({ method: 'GET', url: '/v1/reports/funnel' })
  expect(funnel.statusCode, funnel.body).toBe(200)
  const attribution = await ctx.app.inject({ method: 'GET', url: '/v1/reports/attribution' })
  expect(attribution.statusCode, attribution.body).toBe(200)
  const pipeline = await ctx.app.inject({
    method: 'GET',
    url: '/v1/reports/pipeline?from=2031-01-01&to=2031-12-31',
  })
  expect(pipeline.statusCode, pipeline.body).toBe(200)
  return { funnel: funnel.json(), attribution: attribution.json(), pipeline: pipeline.json() }
}

const erase = (payload: object) => ctx.app.inject({ method: 'POST', url: '/v1/privacy/erasures', payload })

it('erases the person from every table and leaves the reports as they were', async () => {
  const seeded = await seedPerson()
  const before = await reports()
  const beforeScan = await scanForPerson()
  // The seed really put the person in many places (the scan can see them).
  for (const table of ['lead', 'contact', 'task', 'activity', 'audit_event', 'raw_capture', 'lead_decision'])
    expect(beforeScan.map((f) => f.table)).toContain(table)

  const res = await erase({ email: 'asha.vishwakarmaa@acme-industries.in' })
  expect(res.statusCode, res.body).toBe(200)
  const result = res.json<{
    subject: { leadIds: string[]; contactIds: string[]; subjectHash: string }
    anonymised: Record<string, number>
    deleted: Record<string, number>
    terminatedJourneys: string[]
    privacyRequestId: string
  }>()
  expect(result.subject.leadIds.sort()).toEqual([seeded.masterId, seeded.duplicateId].sort())
  expect(result.subject.contactIds).toEqual([seeded.contactId])
  expect(result.anonymised).toMatchObject({
    leads: 2,
    contacts: 1,
    tickets: 1,
    rawCaptures: 2,
    qualifications: 1,
    whatsappMessages: 1,
    outboundMessages: 1,
    inboundDeliveries: 1,
    importRowErrors: 1,
  })
  expect(result.anonymised['activities']).toBeGreaterThanOrEqual(3)
  expect(result.anonymised['auditEvents']).toBeGreaterThan(0)
  expect(result.deleted['matchKeys']).toBeGreaterThanOrEqual(2)
  expect(result.deleted['idempotencyKeys']).toBe(1)
  expect(result.terminatedJourneys).toContain(`lead/${seeded.masterId}`)

  // The proof: no trace of the person in any column of any table.
  expect(await scanForPerson()).toEqual([])

  // Aggregates are unchanged: the rows, their stages, channels and campaigns are all still there.
  expect(await reports()).toEqual(before)

  const lead = await db().lead.findUniqueOrThrow({ where: { id: seeded.masterId } })
  expect(lead).toMatchObject({
    firstName: 'Erased',
    lastName: null,
    email: null,
    phone: null,
    status: 'CONVERTED',
  })
  expect(await db().lead.findUniqueOrThrow({ where: { id: seeded.other } })).toMatchObject({
    firstName: 'Ravi',
    email: 'ravi.menon@example.in',
  })
  // A WhatsApp message still queued for them is never sent; someone else's import row is kept.
  expect(await db().whatsAppOutgoing.findFirstOrThrow()).toMatchObject({
    status: 'failed',
    toE164: '[erased]',
  })
  expect(await db().importRowError.findFirstOrThrow({ where: { rowNumber: 8 } })).toMatchObject({
    raw: { name: 'Someone Else', email: 'else@example.in' },
  })
  // The proof that consent was given and withdrawn, and when, is kept.
  const consent = await db().consentRecord.findMany({
    where: { leadId: seeded.masterId },
    orderBy: { id: 'asc' },
  })
  expect(consent.map((c) => c.status)).toEqual(['granted', 'withdrawn', 'granted'])

  // Recorded: the request names the person by hash only, the audit trail by ids and counts.
  const request = await db().privacyRequest.findUniqueOrThrow({ where: { id: result.privacyRequestId } })
  expect(request).toMatchObject({ kind: 'erasure', requestedBy: 'user:test-admin' })
  expect(request.subjectHash).toMatch(/^[0-9a-f]{64}$/)
  const audit = await db().auditEvent.findMany({
    where: { entity: 'privacy_request', entityId: result.privacyRequestId },
  })
  expect(audit).toHaveLength(1)
  expect(audit[0]).toMatchObject({ action: 'erase', actorId: 'user:test-admin' })
  expect(
    await db().auditEvent.count({ where: { entity: 'lead', entityId: seeded.masterId, action: 'erase' } }),
  ).toBe(1)
  // Field names stay in the lead's trail; only values went.
  const events = await db().outboxEvent.findMany({ where: { topic: 'lead.erased' } })
  expect(events.map((e) => e.aggregateId).sort()).toEqual([seeded.masterId, seeded.duplicateId].sort())
  // The capture's journey start, still pending (no relay here), will never start a journey.
  const captured = await db().outboxEvent.findFirstOrThrow({
    where: { topic: 'lead.captured', aggregateId: seeded.masterId },
  })
  expect(captured.dispatchedAt).not.toBeNull()
  expect(captured.lastError).toMatch(/erased/)
})

it('is idempotent: a second erasure finds nothing by email and changes nothing by id', async () => {
  const seeded = await seedPerson()
  expect((await erase({ phone: PERSON.phone })).statusCode).toBe(200)
  const after = await reports()

  const again = await erase({ email: PERSON.email })
  expect(again.statusCode, again.body).toBe(200)
  expect(again.json()).toMatchObject({ subject: { leadIds: [], contactIds: [] } })

  const byId = await erase({ leadId: seeded.masterId })
  expect(byId.statusCode, byId.body).toBe(200)
  const body = byId.json<{ anonymised: Record<string, number>; subject: { leadIds: string[] } }>()
  expect(body.subject.leadIds.sort()).toEqual([seeded.masterId, seeded.duplicateId].sort())
  expect(Object.values(body.anonymised).every((n) => n === 0)).toBe(true)
  expect(await scanForPerson()).toEqual([])
  expect(await reports()).toEqual(after)
})

it('erases an account that is the person, and leaves a company account with other contacts alone', async () => {
  const convert = async (person: Record<string, unknown>) => {
    const lead = await capture({ channel: 'api', ...person })
    return convertLead(db(), {
      leadId: lead.id,
      request: { opportunity: { amount: 1000, currency: 'INR', closeDate: '2031-03-31' } },
      actorId: 'user:test-admin',
      at: new Date().toISOString(),
    })
  }
  // Free mail and no company: conversion names the account after the person.
  const solo = await convert({ firstName: 'Meher', lastName: 'Kanwarjeet', email: 'meher.k@gmail.com' })
  // Their own domain: the account is named after it.
  const own = await convert({ firstName: 'Tanvir', lastName: 'Dhillonwala', email: 'tanvir@dhillonwala.in' })
  // A company with a colleague: shared, kept.
  const company = await convert({
    firstName: 'Ira',
    lastName: 'Sethumadhavan',
    email: 'ira@bigco.in',
    company: 'Bigco',
  })
  await convert({ firstName: 'Colleague', lastName: 'One', email: 'one@bigco.in', company: 'Bigco' })

  expect((await db().account.findUniqueOrThrow({ where: { id: solo.accountId } })).name).toBe(
    'Meher Kanwarjeet (individual)',
  )
  for (const email of ['meher.k@gmail.com', 'tanvir@dhillonwala.in', 'ira@bigco.in'])
    expect((await erase({ email })).statusCode).toBe(200)

  expect(await scanForPerson(['kanwarjeet', 'meher.k@', 'dhillonwala', 'sethumadhavan'])).toEqual([])
  expect(await db().account.findUniqueOrThrow({ where: { id: solo.accountId } })).toMatchObject({
    name: 'Erased (individual)',
  })
  expect(await db().account.findUniqueOrThrow({ where: { id: own.accountId } })).toMatchObject({
    name: '[erased]',
    domain: null,
  })
  expect(await db().account.findUniqueOrThrow({ where: { id: company.accountId } })).toMatchObject({
    name: 'Bigco',
    domain: 'bigco.in',
  })
})

it('refuses roles without the privacy permission', async () => {
  const sdr = await userWithRole(db(), 'sdr')
  const manager = await userWithRole(db(), 'sales_manager')
  for (const headers of [sdr.headers, manager.headers]) {
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/privacy/erasures',
        headers,
        payload: { email: PERSON.email },
      }),
      403,
      'forbidden',
    )
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/privacy/exports',
        headers,
        payload: { email: PERSON.email },
      }),
      403,
      'forbidden',
    )
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/v1/privacy/consent-history?email=a%40b.in', headers }),
      403,
      'forbidden',
    )
  }
})

it('needs at least one identifier', async () => {
  const res = await erase({})
  expect(res.statusCode).toBeGreaterThanOrEqual(400)
  expect(res.statusCode).toBeLessThan(500)
})
