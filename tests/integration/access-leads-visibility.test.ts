import { uuidv7 } from 'uuidv7'
import { beforeEach, describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'
import {
  buildOrg,
  getAs,
  idsOf,
  insertLead,
  share,
  sorted,
  type Caller,
  type Org,
} from './access-leads-org.js'

/*
 * Row-level access to leads, per role, through the real API on a real PostgreSQL: what each
 * caller sees in lists (with search and filters), single reads, duplicates and look-alikes,
 * and what they may change. A lead outside a caller's view is a 404, never a 403.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db
let org: Org

beforeEach(async () => {
  org = await buildOrg(db())
})

const list = async (caller: Caller, query = '') => {
  const res = await getAs<{ items: { id: string }[] }>(ctx.app, caller, `/v1/leads?limit=100${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return idsOf(res.body)
}

const patch = (caller: Caller, id: string, payload: object) =>
  ctx.app.inject({ method: 'PATCH', url: `/v1/leads/${id}`, headers: caller, payload })

describe('GET /v1/leads', () => {
  it('lists, searches and filters only the leads each role sees', async () => {
    const { leads: l, as, ids } = org
    const all = sorted([l.s1, l.s2, l.s3, l.unassigned])
    const expected: [keyof Org['as'], string[]][] = [
      ['admin', all],
      ['marketing', all],
      ['readOnly', all],
      ['m', sorted([l.s1, l.s2])],
      ['m2', [l.s3]],
      ['s1', [l.s1]],
      ['s2', [l.s2]],
      ['s3', [l.s3]],
    ]
    for (const [who, seen] of expected) {
      expect(await list(as[who]), who).toEqual(seen)
      // Every lead matches the search: it narrows nothing, and widens nothing.
      expect(await list(as[who], '&q=acme'), `${who} q=acme`).toEqual(seen)
      expect(await list(as[who], '&status=NEW'), `${who} status=NEW`).toEqual(seen)
    }

    // A search or filter naming someone else's lead finds nothing, rather than the lead.
    expect(await list(as.s1, '&q=bina')).toEqual([])
    expect(await list(as.m, '&q=bina')).toEqual([l.s2])
    expect(await list(as.s1, `&ownerId=${ids.s2}`)).toEqual([])
    expect(await list(as.m, `&ownerId=${ids.s2}`)).toEqual([l.s2])
    expect(await list(as.m, `&ownerId=${ids.s3}`)).toEqual([])
    expect(await list(as.m, '&queue=unassigned')).toEqual([])
    expect(await list(as.admin, '&queue=unassigned')).toEqual([l.unassigned])
  })

  it('adds the leads shared with a caller to what they see', async () => {
    const { leads: l, as, ids } = org
    await share(db(), 'lead', l.s1, ids.s3, 'read')
    expect(await list(as.s3)).toEqual(sorted([l.s1, l.s3]))
    expect(await list(as.s3, '&q=anil')).toEqual([l.s1])
    // Shared with S3 only: S3's manager does not see it through them.
    expect(await list(as.m2)).toEqual([l.s3])
  })
})

describe('GET /v1/leads/:id', () => {
  it('answers 404 for a lead the caller does not see, exactly as for one that does not exist', async () => {
    const { leads: l, as } = org
    for (const [who, id] of [
      ['s1', l.s2],
      ['s1', l.unassigned],
      ['m', l.s3],
      ['m2', l.s1],
      ['s3', l.s1],
    ] as const) {
      const hidden = expectProblem(
        await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}`, headers: as[who] }),
        404,
        'not_found',
      )
      expect(hidden.detail).toBe(`lead ${id} does not exist`)
    }
    for (const [who, id] of [
      ['s1', l.s1],
      ['m', l.s2],
      ['m2', l.s3],
      ['readOnly', l.unassigned],
      ['marketing', l.s3],
      ['admin', l.unassigned],
    ] as const) {
      expect((await getAs(ctx.app, as[who], `/v1/leads/${id}`)).status, `${who} ${id}`).toBe(200)
    }
    const missing = uuidv7()
    expect(
      expectProblem(
        await ctx.app.inject({ method: 'GET', url: `/v1/leads/${missing}`, headers: as.s1 }),
        404,
        'not_found',
      ).detail,
    ).toBe(`lead ${missing} does not exist`)
  })

  it('lists only the duplicates and look-alikes the caller sees', async () => {
    const { leads: l, as, ids } = org
    const ownDuplicate = await insertLead(db(), {
      ownerId: ids.s1,
      firstName: 'Anil',
      email: 'anil.r@acmetools.in',
      duplicateOfId: l.s1,
    })
    const foreignDuplicate = await insertLead(db(), {
      ownerId: ids.s3,
      firstName: 'Anil',
      email: 'anil.rao@acmetools.in',
      duplicateOfId: l.s1,
    })
    await db().leadDecision.create({
      data: {
        leadId: l.s1,
        kind: 'dedupe',
        inputs: {},
        outcome: {
          possibleDuplicates: [
            { id: l.s2, similarity: 0.81 },
            { id: l.s3, similarity: 0.72 },
          ],
        },
        decidedAt: new Date(),
      },
    })
    const detail = async (caller: Caller) => {
      const res = await getAs<{ duplicates: { id: string }[]; possibleDuplicates: { id: string }[] }>(
        ctx.app,
        caller,
        `/v1/leads/${l.s1}`,
      )
      expect(res.status).toBe(200)
      return {
        duplicates: res.body.duplicates.map((d) => d.id).sort(),
        lookAlikes: res.body.possibleDuplicates.map((d) => d.id),
      }
    }
    expect(await detail(as.admin)).toEqual({
      duplicates: sorted([ownDuplicate, foreignDuplicate]),
      lookAlikes: [l.s2, l.s3],
    })
    expect(await detail(as.m)).toEqual({ duplicates: [ownDuplicate], lookAlikes: [l.s2] })
    expect(await detail(as.s1)).toEqual({ duplicates: [ownDuplicate], lookAlikes: [] })
  })
})

describe('POST /v1/leads/duplicates/check', () => {
  it('reveals only the matching leads the caller sees', async () => {
    const { leads: l, as } = org
    const check = async (caller: Caller, email: string) => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/leads/duplicates/check',
        headers: caller,
        payload: { email },
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<{ matches: { leadId: string }[] }>().matches.map((m) => m.leadId)
    }
    expect(await check(as.s1, 'bina@acmetools.in')).toEqual([])
    expect(await check(as.s2, 'bina@acmetools.in')).toEqual([l.s2])
    expect(await check(as.m, 'bina@acmetools.in')).toEqual([l.s2])
    expect(await check(as.marketing, 'divya@acmetools.in')).toEqual([l.unassigned])
    expect(await check(as.m, 'divya@acmetools.in')).toEqual([])
  })
})

describe('changing leads', () => {
  it('lets a caller edit the leads they see, answers 404 for the others, and 403 for read_only', async () => {
    const { leads: l, as } = org
    const edited = await patch(as.s1, l.s1, { title: 'CTO' })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({ title: 'CTO', updatedBy: `user:${org.ids.s1}` })
    expectProblem(await patch(as.s1, l.s2, { title: 'CTO' }), 404, 'not_found')
    expectProblem(await patch(as.s1, l.unassigned, { title: 'CTO' }), 404, 'not_found')
    expectProblem(await patch(as.m, l.s3, { title: 'CTO' }), 404, 'not_found')
    expect((await patch(as.m, l.s2, { title: 'VP' })).statusCode).toBe(200)
    expect((await patch(as.marketing, l.s3, { title: 'Head of IT' })).statusCode).toBe(200)
    expectProblem(await patch(as.readOnly, l.s1, { title: 'CEO' }), 403, 'forbidden')
    expect(await db().lead.findUniqueOrThrow({ where: { id: l.s3 } })).toMatchObject({ title: 'Head of IT' })
    expect(await db().lead.findUniqueOrThrow({ where: { id: l.s1 } })).toMatchObject({ title: 'CTO' })

    // Every other lead command: hidden is 404, read_only is 403.
    const commands: [string, object][] = [
      ['engagement', { event: 'emailOpen' }],
      ['consent', { status: 'withdrawn', channels: ['email'], source: 'call' }],
      ['not-duplicate', {}],
      ['disqualify', { reason: 'No budget' }],
      ['recycle', { reason: 'Not now' }],
      ['qualification', { framework: 'BANT', criteria: { budget: { status: 'confirmed' } } }],
    ]
    for (const [path, payload] of commands) {
      const post = (caller: Caller) =>
        ctx.app.inject({ method: 'POST', url: `/v1/leads/${l.s2}/${path}`, headers: caller, payload })
      expectProblem(await post(as.s1), 404, 'not_found')
      expectProblem(await post(as.readOnly), 403, 'forbidden')
    }
    for (const path of ['qualification', 'conversion/eligibility', 'timeline']) {
      const read = (caller: Caller) =>
        ctx.app.inject({ method: 'GET', url: `/v1/leads/${l.s2}/${path}`, headers: caller })
      expectProblem(await read(as.s1), 404, 'not_found')
      expect((await read(as.m)).statusCode, `${path} as the manager`).not.toBe(404)
    }
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/leads/${l.s2}/conversion`,
        headers: as.s1,
        payload: { opportunity: { name: 'Pilot', amount: 1000, currency: 'INR', closeDate: '2030-01-01' } },
      }),
      404,
      'not_found',
    )
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/leads',
        headers: as.readOnly,
        payload: { email: 'x@y.in' },
      }),
      403,
      'forbidden',
    )
  })

  it('merges only when both leads are the caller’s to change', async () => {
    const { leads: l, as, ids } = org
    const merge = (caller: Caller, masterId: string, duplicateId: string) =>
      ctx.app.inject({
        method: 'POST',
        url: `/v1/leads/${masterId}/merge`,
        headers: caller,
        payload: { duplicateId },
      })
    expectProblem(await merge(as.s1, l.s1, l.s2), 404, 'not_found')
    expectProblem(await merge(as.s1, l.s2, l.s1), 404, 'not_found')
    expectProblem(await merge(as.readOnly, l.s1, l.s2), 403, 'forbidden')
    await share(db(), 'lead', l.s2, ids.s1, 'read')
    expectProblem(await merge(as.s1, l.s1, l.s2), 403, 'forbidden')
    expect(await db().lead.findUniqueOrThrow({ where: { id: l.s2 } })).toMatchObject({ isDuplicate: false })

    const merged = await merge(as.m, l.s1, l.s2)
    expect(merged.statusCode, merged.body).toBe(200)
    expect(await db().lead.findUniqueOrThrow({ where: { id: l.s2 } })).toMatchObject({
      isDuplicate: true,
      duplicateOfId: l.s1,
    })
  })

  it('lets a share open a lead to read, and to change only with edit access', async () => {
    const { leads: l, as, ids } = org
    await share(db(), 'lead', l.s1, ids.s3, 'read')
    expect((await getAs(ctx.app, as.s3, `/v1/leads/${l.s1}`)).status).toBe(200)
    expect((await getAs(ctx.app, as.s3, `/v1/leads/${l.s1}/timeline`)).status).toBe(200)
    const readOnlyShare = expectProblem(await patch(as.s3, l.s1, { title: 'CFO' }), 403, 'forbidden')
    expect(readOnlyShare.detail).toMatch(/shared with you to read/)
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/leads/${l.s1}/engagement`,
        headers: as.s3,
        payload: { event: 'emailOpen' },
      }),
      403,
      'forbidden',
    )

    await share(db(), 'lead', l.s1, ids.s3, 'edit')
    const edited = await patch(as.s3, l.s1, { title: 'CFO' })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({ title: 'CFO', ownerId: ids.s1 })
    // Editing is not owning: a shared lead cannot be handed over, not even to oneself.
    expectProblem(await patch(as.s3, l.s1, { ownerId: ids.s3 }), 403, 'forbidden')
    // Nor does the share reach the lead's neighbours.
    expectProblem(await patch(as.s3, l.s2, { title: 'CFO' }), 404, 'not_found')
  })
})

describe('reassigning a lead (PATCH ownerId)', () => {
  it('hands a lead only to someone within the caller’s reach, unless their role sees every lead', async () => {
    const { leads: l, as, ids } = org
    const task = uuidv7()
    await db().task.create({
      data: {
        id: task,
        kind: 'first_contact',
        title: 'Call',
        leadId: l.s1,
        assigneeId: ids.s1,
        dueAt: new Date(),
        createdBy: 'test',
        updatedBy: 'test',
      },
    })
    // An SDR's team is themselves.
    expectProblem(await patch(as.s1, l.s1, { ownerId: ids.s2 }), 403, 'forbidden')
    expectProblem(await patch(as.m, l.s1, { ownerId: ids.s3 }), 403, 'forbidden')
    expectProblem(await patch(as.m, l.s1, { ownerId: null }), 403, 'forbidden')
    expect(await db().lead.findUniqueOrThrow({ where: { id: l.s1 } })).toMatchObject({ ownerId: ids.s1 })

    const moved = await patch(as.m, l.s1, { ownerId: ids.s2, title: 'Founder' })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json()).toMatchObject({ ownerId: ids.s2, queue: null, title: 'Founder' })
    expect(await list(as.s1)).toEqual([])
    expect(await list(as.s2)).toEqual(sorted([l.s1, l.s2]))
    // Its open task went with it, and the change is in the audit trail.
    expect(await db().task.findUniqueOrThrow({ where: { id: task } })).toMatchObject({ assigneeId: ids.s2 })
    expect(
      await db().auditEvent.findFirst({ where: { entity: 'lead', entityId: l.s1, action: 'reassign' } }),
    ).toMatchObject({ actorId: `user:${ids.m}`, changes: { ownerId: { from: ids.s1, to: ids.s2 } } })
    // The journey hears of it through the outbox (ownerChanged), in the same transaction.
    expect(
      (await db().outboxEvent.findMany({ where: { topic: 'lead.owner_changed' } })).map((e) => e.payload),
    ).toEqual([{ leadId: l.s1, ownerId: ids.s2 }])

    // A role that sees every lead hands them to anyone, and back to the queue.
    expect((await patch(as.admin, l.unassigned, { ownerId: ids.s3 })).statusCode).toBe(200)
    expect(await list(as.s3)).toEqual(sorted([l.s3, l.unassigned]))
    const queued = await patch(as.marketing, l.unassigned, { ownerId: null })
    expect(queued.statusCode, queued.body).toBe(200)
    expect(queued.json()).toMatchObject({ ownerId: null, queue: 'unassigned' })
    // A refused hand-over leaves the rest of the request undone too.
    expectProblem(
      await patch(as.admin, l.s3, { ownerId: 'nobody-at-all', title: 'Owner' }),
      422,
      'rule_violation',
    )
    expect(await db().lead.findUniqueOrThrow({ where: { id: l.s3 } })).toMatchObject({ title: null })
  })
})

describe('POST /v1/activities on leads', () => {
  it('logs only against leads the caller sees, refusing the others as missing', async () => {
    const { leads: l, as, ids } = org
    const log = (caller: Caller, leadId: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/v1/activities',
        headers: caller,
        payload: { kind: 'call', leadId },
      })
    expect((await log(as.s1, l.s1)).statusCode).toBe(201)
    const hidden = expectProblem(await log(as.s1, l.s2), 422, 'rule_violation')
    expect(hidden.errors).toEqual([{ pointer: '/body/leadId', message: 'does not exist' }])
    expect((await log(as.m, l.s2)).statusCode).toBe(201)
    expectProblem(await log(as.readOnly, l.s1), 403, 'forbidden')
    await share(db(), 'lead', l.s1, ids.s3, 'read')
    expect((await log(as.s3, l.s1)).statusCode).toBe(201)
  })
})
