import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'
import { TEST_ADMIN_ID } from '../support/auth.js'

/*
 * Every write to a lead leaves an audit row (entity 'lead') in the same transaction, with
 * who made it and in which request, readable through GET /v1/audit.
 */
const ctx = useTestApp({ truncateAfterEach: true })
const ADMIN = `user:${TEST_ADMIN_ID}`

interface Entry {
  action: string
  actorId: string
  requestId: string | null
  changes: Record<string, { from: unknown; to: unknown }>
}

async function historyOf(leadId: string): Promise<Entry[]> {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/audit?entity=lead&entityId=${leadId}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ items: Entry[] }>().items
}

async function send(method: 'POST' | 'PATCH', url: string, payload: object, requestId: string, status = 200) {
  const res = await ctx.app.inject({ method, url, payload, headers: { 'x-request-id': requestId } })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status)
  return res.json<Record<string, unknown>>()
}

const capture = (person: object, requestId: string) =>
  send('POST', '/v1/leads', { channel: 'api', country: 'IN', ...person }, requestId, 202) as Promise<{
    id: string
    outcome: string
    duplicateOf: string | null
  }>

const ASHA = {
  firstName: 'Asha',
  lastName: 'Rao',
  email: 'asha.rao@kaveri-foods.in',
  company: 'Kaveri Foods',
}

describe('lead writes are audited', () => {
  it('a capture records the created values', async () => {
    const lead = await capture(ASHA, 'req-capture')
    const [created, ...more] = await historyOf(lead.id)
    expect(more).toEqual([])
    expect(created).toMatchObject({ action: 'create', actorId: ADMIN, requestId: 'req-capture' })
    expect(created!.changes).toMatchObject({
      firstName: { from: null, to: 'Asha' },
      lastName: { from: null, to: 'Rao' },
      email: { from: null, to: 'asha.rao@kaveri-foods.in' },
      company: { from: null, to: 'Kaveri Foods' },
      channel: { from: null, to: 'api' },
      status: { from: null, to: 'NEW' },
    })
    // Nothing that was not set: no nulls recorded as values.
    expect(created!.changes).not.toHaveProperty('phone')
  })

  it('a repeat capture records the new lead and the fields it filled on its master', async () => {
    const master = await capture(ASHA, 'req-first')
    const repeat = await capture({ ...ASHA, phone: '+91 98765 43210', title: 'Head of Buying' }, 'req-repeat')
    expect(repeat).toMatchObject({ outcome: 'duplicate', duplicateOf: master.id })
    expect((await historyOf(repeat.id))[0]).toMatchObject({
      action: 'create',
      requestId: 'req-repeat',
      changes: { duplicateOfId: { from: null, to: master.id } },
    })
    const [fold] = await historyOf(master.id)
    expect(fold).toMatchObject({ action: 'update', actorId: ADMIN, requestId: 'req-repeat' })
    expect(fold!.changes).toMatchObject({
      phone: { from: null, to: '+919876543210' },
      title: { from: null, to: 'Head of Buying' },
    })
  })

  it("an edit records each changed field's before and after", async () => {
    const lead = await capture(ASHA, 'req-capture')
    await send(
      'PATCH',
      `/v1/leads/${lead.id}`,
      { title: 'Procurement Head', company: 'Kaveri Foods' },
      'req-edit',
    )
    const [edit] = await historyOf(lead.id)
    expect(edit).toMatchObject({ action: 'update', actorId: ADMIN })
    // The company was sent unchanged: only the title changed.
    expect(edit!.changes).toMatchObject({ title: { from: null, to: 'Procurement Head' } })
    expect(edit!.changes).not.toHaveProperty('company')
  })

  it('a merge records the duplicate and the filled fields on the master, and the link on the duplicate', async () => {
    const master = await capture(ASHA, 'req-a')
    const other = await capture(
      {
        firstName: 'A.',
        lastName: 'Rao',
        email: 'a.rao@gmail.com',
        phone: '+91 98450 11111',
        company: 'Kaveri',
      },
      'req-b',
    )
    await send('POST', `/v1/leads/${master.id}/merge`, { duplicateId: other.id }, 'req-merge')
    const [merge] = await historyOf(master.id)
    expect(merge).toMatchObject({ action: 'merge', actorId: ADMIN })
    expect(merge!.changes).toMatchObject({
      duplicateId: { from: null, to: other.id },
      phone: { from: null, to: '+919845011111' },
    })
    const [merged] = await historyOf(other.id)
    expect(merged).toMatchObject({
      action: 'merge',
      changes: { isDuplicate: { from: false, to: true }, duplicateOfId: { from: null, to: master.id } },
    })

    await send('POST', `/v1/leads/${other.id}/not-duplicate`, {}, 'req-unmerge')
    const [unmerged] = await historyOf(other.id)
    expect(unmerged).toMatchObject({
      action: 'not_duplicate',
      actorId: ADMIN,
      changes: { isDuplicate: { from: true, to: false }, duplicateOfId: { from: master.id, to: null } },
    })
  })

  it('an engagement records the event, a consent change the consent fields', async () => {
    const lead = await capture(ASHA, 'req-capture')
    await send('POST', `/v1/leads/${lead.id}/engagement`, { event: 'emailReply' }, 'req-engaged')
    const [engaged] = await historyOf(lead.id)
    expect(engaged).toMatchObject({
      action: 'engagement',
      actorId: ADMIN,
      requestId: 'req-engaged',
      changes: { event: { from: null, to: 'emailReply' } },
    })

    await send(
      'POST',
      `/v1/leads/${lead.id}/consent`,
      { status: 'granted', channels: ['email'], source: 'call:verbal', textVersion: 'v2' },
      'req-consent',
    )
    const [granted] = await historyOf(lead.id)
    expect(granted).toMatchObject({ action: 'consent', actorId: ADMIN, requestId: 'req-consent' })
    expect(granted!.changes).toMatchObject({
      consentStatus: { to: 'granted' },
      consentChannels: { to: ['email'] },
      consentSource: { to: 'call:verbal' },
    })
    await send('POST', `/v1/leads/${lead.id}/consent`, { status: 'withdrawn', source: 'call' }, 'req-optout')
    const [withdrawn] = await historyOf(lead.id)
    expect(withdrawn).toMatchObject({
      action: 'consent',
      requestId: 'req-optout',
      changes: { consentStatus: { from: 'granted', to: 'withdrawn' } },
    })
  })

  it('the lead services record the request id they are given', async () => {
    const { leads } = ctx.app.services
    const actor = { id: 'user:someone' }
    const a = await capture(ASHA, 'req-a')
    const b = await capture({ firstName: 'Ravi', email: 'ravi@kaveri-foods.in' }, 'req-b')
    await leads.update(a.id, { title: 'Buyer' }, actor, 'req-update')
    await leads.merge(a.id, b.id, actor, 'req-merge')
    await leads.markNotDuplicate(b.id, actor, 'req-not-duplicate')
    const rows = await ctx.database.db.auditEvent.findMany({
      where: { entity: 'lead', actorId: 'user:someone' },
      orderBy: { id: 'asc' },
    })
    expect(rows.map((r) => [r.entityId, r.action, r.requestId])).toEqual([
      [a.id, 'update', 'req-update'],
      [a.id, 'merge', 'req-merge'],
      [b.id, 'merge', 'req-merge'],
      [b.id, 'not_duplicate', 'req-not-duplicate'],
    ])
  })
})
