import { createJourneyActivities } from '../../activities/journey.activities.js'
import { DEFAULT_JOURNEY_POLICY } from '../../domain/journey/journey-policy.js'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'

/*
 * The governed ingestion path end to end: the real app, the real rules, a real PostgreSQL.
 * Each test starts from empty tables.
 */
const ctx = useTestApp({ truncateAfterEach: true })

interface Captured {
  id: string
  outcome: 'created' | 'duplicate' | 'quarantined'
  duplicateOf: string | null
  score: number
  ownerId: string | null
  queue: string | null
  replayed: boolean
  journey: { status: string }
}

async function capture(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/leads', payload: body, headers })
  return res
}
async function captured(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Captured> {
  const res = await capture(body, headers)
  expect(res.statusCode, res.body).toBe(202)
  return res.json<Captured>()
}
async function detail(id: string) {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/leads/${id}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<
    Record<string, unknown> & { scoring: { breakdown: unknown[]; explanation: string; ruleVersion: number } }
  >()
}

describe('a capture goes through every governance step', () => {
  it('normalises, attributes, records consent and every decision, scores and queues the lead', async () => {
    const lead = await captured({
      channel: 'web_form',
      firstName: '  asha ',
      lastName: 'RAO',
      email: ' Asha.Rao@Mail.Example.CO.IN ',
      phone: '098765 43210',
      company: 'Example Technologies Pvt Ltd',
      title: 'Chief Technology Officer',
      companySize: '201-500',
      industry: 'Software',
      country: 'India',
      state: 'Karnataka',
      consent: {
        granted: true,
        at: '2026-11-20T10:00:00Z',
        source: 'web_form:pricing',
        textVersion: 'v3',
        text: 'I agree to be contacted.',
      },
      attribution: {
        landingPage:
          'https://example.co.in/pricing?utm_source=google&utm_medium=cpc&utm_campaign=diwali-sale',
      },
    })
    expect(lead.outcome).toBe('created')
    expect(lead.journey.status).toBe('PENDING')
    const d = await detail(lead.id)
    expect(d).toMatchObject({
      firstName: 'Asha',
      lastName: 'Rao',
      email: 'asha.rao@mail.example.co.in',
      emailDomain: 'example.co.in',
      phone: '+919876543210',
      phoneCountry: 'IN',
      companyDomain: 'example.co.in',
      country: 'IN',
      companySize: '201-500',
      queue: 'unassigned',
      consent: { status: 'granted', source: 'web_form:pricing', textVersion: 'v3' },
      attribution: { touches: 1, firstTouch: { source: 'google', medium: 'cpc', campaign: 'diwali-sale' } },
    })
    expect(d.scoring.ruleVersion).toBe(0) // the built-in rules: no version saved yet
    expect(d.scoring.breakdown.length).toBeGreaterThan(0)
    expect(d.scoring.explanation).toMatch(/\/100/)

    const db = ctx.database.db
    const kinds = (await db.leadDecision.findMany({ where: { leadId: lead.id } })).map((x) => x.kind).sort()
    expect(kinds).toEqual(['assignment', 'consent', 'dedupe', 'score', 'spam', 'validation'])
    expect(
      await db.consentRecord.count({
        where: { leadId: lead.id, textVersion: 'v3', text: 'I agree to be contacted.' },
      }),
    ).toBe(1)
    expect(await db.rawCapture.count({ where: { leadId: lead.id } })).toBe(1)
    expect(
      await db.leadMatchKey.findMany({
        where: { leadId: lead.id },
        select: { key: true },
        orderBy: { key: 'asc' },
      }),
    ).toEqual([{ key: 'email:asha.rao@mail.example.co.in' }, { key: 'phone:+919876543210' }])
    expect(await db.outboxEvent.count({ where: { aggregateId: lead.id, topic: 'lead.captured' } })).toBe(1)
  })

  it('refuses a capture with no way to reach the person, and one from the EU without consent, writing nothing', async () => {
    const noContact = await capture({ firstName: 'Nobody' })
    expect(noContact.statusCode).toBe(422)
    expect(noContact.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/body/email' })]),
    )
    const noConsent = await capture({ email: 'hans@example.de', country: 'DE' })
    expect(noConsent.statusCode).toBe(422)
    expect(noConsent.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/body/consent' })]),
    )
    const badPhone = await capture({ phone: '12345' })
    expect(badPhone.statusCode).toBe(422)
    expect(badPhone.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/body/phone' })]),
    )
    expect(await ctx.database.db.lead.count()).toBe(0)
    expect(await ctx.database.db.outboxEvent.count()).toBe(0)
  })

  it('keeps a lead who declined consent, with consent denied: a "no" is an answer, not missing evidence', async () => {
    const declined = await captured({ email: 'jane@acme.co.uk', country: 'GB', consent: { granted: false } })
    expect(declined.outcome).toBe('created')
    expect((await detail(declined.id))['consent']).toMatchObject({ status: 'denied', channels: [] })
    expect(
      await ctx.database.db.consentRecord.count({ where: { leadId: declined.id, status: 'denied' } }),
    ).toBe(1)
  })

  it('quarantines likely spam: stored for review, no journey, no owner', async () => {
    const bot = await captured({
      email: 'test@example.com',
      firstName: 'asdfgh',
      lastName: 'asdfgh',
      company: 'asdfgh',
      phone: '+91 99999 99999',
    })
    expect(bot.outcome).toBe('quarantined')
    expect(bot.queue).toBe('spam-review')
    expect(await ctx.database.db.outboxEvent.count()).toBe(0)
  })
})

describe('duplicates', () => {
  it('links a repeat capture to its master, fills empty fields, counts engagement and starts no second journey', async () => {
    const first = await captured({
      email: 'meera@acme.in',
      firstName: 'Meera',
      attribution: { source: 'google', medium: 'cpc' },
      receivedAt: '2026-01-01T09:00:00Z',
    })
    const second = await captured({
      channel: 'whatsapp',
      email: 'MEERA@acme.in',
      phone: '+91 91234 56789',
      title: 'Head of Sales',
      receivedAt: '2026-01-03T09:00:00Z',
    })
    expect(second).toMatchObject({ outcome: 'duplicate', duplicateOf: first.id, journey: { status: 'NONE' } })
    const master = await detail(first.id)
    expect(master).toMatchObject({
      phone: '+919123456789',
      title: 'Head of Sales',
      scoring: { engagement: { whatsappReply: 1 } },
      attribution: { touches: 2, firstTouch: { source: 'google' }, lastTouch: { channel: 'whatsapp' } },
    })
    expect((master['duplicates'] as { id: string }[]).map((x) => x.id)).toEqual([second.id])
    expect(await ctx.database.db.outboxEvent.count()).toBe(1)
    // The phone the duplicate brought now finds the master too.
    const third = await captured({ phone: '9123456789' })
    expect(third.duplicateOf).toBe(first.id)
  })

  it('20 simultaneous captures of one person produce one master, enforced by the database', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        captured({
          email: 'rush@example.in',
          phone: i % 2 ? '+91 98111 22334' : undefined,
          firstName: `Rush ${i}`,
        }),
      ),
    )
    const masters = results.filter((r) => r.outcome === 'created')
    expect(masters).toHaveLength(1)
    expect(results.filter((r) => r.outcome === 'duplicate' && r.duplicateOf === masters[0]!.id)).toHaveLength(
      19,
    )
    expect(await ctx.database.db.lead.count({ where: { isDuplicate: false } })).toBe(1)
    expect(await ctx.database.db.outboxEvent.count()).toBe(1)
    // Every repeat counted on the master, none lost to a concurrent read-modify-write.
    const master = await ctx.database.db.lead.findUniqueOrThrow({ where: { id: masters[0]!.id } })
    expect(master.engagement).toEqual({ webVisit: 19 })
  })

  it('lists name + company look-alikes as possible duplicates and links near-identical ones', async () => {
    const a = await captured({
      firstName: 'Rajesh',
      lastName: 'Kumar',
      company: 'Infosys Limited',
      email: 'rajesh@infosys.example',
    })
    const check = await ctx.app.inject({
      method: 'POST',
      url: '/v1/leads/duplicates/check',
      payload: { firstName: 'Rajesh', lastName: 'Kumaar', company: 'Infosys' },
    })
    expect(check.statusCode).toBe(200)
    expect(check.json().matches).toEqual([expect.objectContaining({ leadId: a.id, kind: 'fuzzy' })])
    expect(check.json().matches[0].similarity).toBeGreaterThan(0.6)
    // Captured with a look-alike name at the same company: listed on the lead, not linked.
    const alike = await captured({
      firstName: 'Rajesh',
      lastName: 'Kumaar',
      company: 'Infosys',
      email: 'rk@other.example',
    })
    expect(alike.outcome).toBe('created')
    const alikeDetail = await detail(alike.id)
    expect(alikeDetail['possibleDuplicates']).toEqual([{ id: a.id, similarity: expect.any(Number) }])
    // Same name and company, new contact details: linked by the fuzzy link threshold (0.9).
    const b = await captured({
      firstName: 'rajesh',
      lastName: 'kumar',
      company: 'Infosys Ltd',
      phone: '+91 97000 11122',
    })
    expect(b).toMatchObject({ outcome: 'duplicate', duplicateOf: a.id })
  })

  it('merges B into A: first touch Google on 1 January, last touch WhatsApp on 3 January', async () => {
    const a = await captured({
      email: 'a@lead.example',
      firstName: 'Anil',
      attribution: { landingPage: 'https://x.example/?gclid=abc' },
      receivedAt: '2026-01-01T10:00:00Z',
    })
    const b = await captured({
      channel: 'whatsapp',
      phone: '+91 90000 12345',
      company: 'Anil Traders',
      receivedAt: '2026-01-03T10:00:00Z',
    })
    const merged = await ctx.app.inject({
      method: 'POST',
      url: `/v1/leads/${a.id}/merge`,
      payload: { duplicateId: b.id },
    })
    expect(merged.statusCode, merged.body).toBe(200)
    expect(merged.json()).toMatchObject({
      masterId: a.id,
      duplicateId: b.id,
      filled: expect.arrayContaining(['phone', 'company']),
    })
    const master = await detail(a.id)
    expect(master).toMatchObject({
      phone: '+919000012345',
      company: 'Anil Traders',
      attribution: {
        firstTouch: { source: 'google', medium: 'cpc', occurredAt: '2026-01-01T10:00:00.000Z' },
        lastTouch: { channel: 'whatsapp', occurredAt: '2026-01-03T10:00:00.000Z' },
      },
    })
    expect(
      await ctx.database.db.outboxEvent.count({ where: { topic: 'lead.merged', aggregateId: b.id } }),
    ).toBe(1)
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/leads/${a.id}/merge`,
      payload: { duplicateId: b.id },
    })
    expect(again.statusCode).toBe(409)
    const intoDuplicate = await ctx.app.inject({
      method: 'POST',
      url: `/v1/leads/${b.id}/merge`,
      payload: { duplicateId: a.id },
    })
    expect(intoDuplicate.statusCode).toBe(422)

    const unlinked = await ctx.app.inject({ method: 'POST', url: `/v1/leads/${b.id}/not-duplicate` })
    expect(unlinked.statusCode).toBe(200)
    expect((await detail(b.id))['isDuplicate']).toBe(false)
    expect(
      await ctx.database.db.outboxEvent.count({ where: { topic: 'lead.unmerged', aggregateId: b.id } }),
    ).toBe(1)
  })
})

describe('Idempotency-Key', () => {
  it('the same request sent 10 times at once writes one lead; the rest get the stored answer', async () => {
    const key = randomUUID()
    const body = { email: 'retry@example.in', firstName: 'Retry' }
    const results = await Promise.all(
      Array.from({ length: 10 }, () => captured(body, { 'idempotency-key': key })),
    )
    expect(new Set(results.map((r) => r.id)).size).toBe(1)
    expect(results.filter((r) => !r.replayed)).toHaveLength(1)
    expect(await ctx.database.db.lead.count()).toBe(1)
    const reused = await capture({ ...body, firstName: 'Other' }, { 'idempotency-key': key })
    expect(reused.statusCode).toBe(422)
    expect(reused.json().errors[0].pointer).toBe('/headers/idempotency-key')
  })
})

describe('assignment rules', () => {
  it('round-robins a territory pool, skips people who are away, and explains each assignment', async () => {
    const db = ctx.database.db
    await db.user.createMany({
      data: [
        { id: 'u1', name: 'One', email: 'one@team.example' },
        { id: 'u2', name: 'Two', email: 'two@team.example', outOfOfficeUntil: new Date('2099-01-01') },
        { id: 'u3', name: 'Three', email: 'three@team.example' },
      ],
    })
    await db.territory.create({
      data: { id: 't-south', name: 'India South', countries: ['IN'], states: ['Karnataka', 'Tamil Nadu'] },
    })
    await db.ruleSet.create({
      data: {
        id: randomUUID(),
        kind: 'assignment',
        version: 7,
        status: 'active',
        createdBy: 'test',
        definition: {
          fallbackQueue: 'sdr-queue',
          rules: [
            {
              id: 'south',
              label: 'India South',
              when: { countries: ['IN'], states: ['Karnataka'] },
              pool: ['u1', 'u2', 'u3'],
              strategy: 'round_robin',
            },
          ],
        },
      },
    })
    ctx.app.services.rules.invalidate()
    const owners: (string | null)[] = []
    for (let i = 0; i < 6; i++) {
      owners.push((await captured({ email: `k${i}@blr.example`, country: 'IN', state: 'Karnataka' })).ownerId)
    }
    expect(owners).toEqual(['u1', 'u3', 'u1', 'u3', 'u1', 'u3'])
    const elsewhere = await captured({ email: 'd@delhi.example', country: 'IN', state: 'Delhi' })
    expect(elsewhere).toMatchObject({ ownerId: null, queue: 'sdr-queue' })
    const d = await detail((await db.lead.findFirstOrThrow({ where: { email: 'k1@blr.example' } })).id)
    expect(d).toMatchObject({ territoryId: 't-south', assignment: { ownerId: 'u3' } })
    expect(String((d['assignment'] as { reason: string }).reason)).toMatch(/u2/)
    expect((await db.user.findUniqueOrThrow({ where: { id: 'u1' } })).openLeads).toBe(3)
    const closing = await db.lead.findFirstOrThrow({ where: { ownerId: 'u1' } })
    // The journey closes a lead; its owner's load drops in the same transaction.
    const journey = createJourneyActivities({
      db,
      journeyPolicy: async () => DEFAULT_JOURNEY_POLICY,
      defaultTimeZone: 'UTC',
    })
    const closed = await journey.recordJourneyStage({
      leadId: closing.id,
      stage: 'Disqualified',
      reason: 'no budget',
      at: new Date().toISOString(),
      contactedAt: null,
    })
    expect(closed).toEqual({ recorded: true })
    expect(await db.lead.findUniqueOrThrow({ where: { id: closing.id } })).toMatchObject({
      status: 'DISQUALIFIED',
      journeyStage: 'Disqualified',
      disqualifiedReason: 'no budget',
    })
    expect((await db.user.findUniqueOrThrow({ where: { id: 'u1' } })).openLeads).toBe(2)
    const decision = await db.leadDecision.findFirstOrThrow({
      where: { kind: 'assignment', lead: { email: 'k1@blr.example' } },
    })
    expect(decision.ruleVersion).toBe(7)
  })
})

describe('listing and editing', () => {
  it('pages through leads with cursors, without repeats, in score order', async () => {
    for (let i = 0; i < 25; i++)
      await captured({ email: `p${i}@page.example`, title: i % 3 === 0 ? 'CEO' : 'Analyst' })
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: { statusCode: number; body: string; json<T>(): T } = await ctx.app.inject({
        method: 'GET',
        url: `/v1/leads?limit=10&sort=-score${cursor ? `&cursor=${cursor}` : ''}`,
      })
      expect(res.statusCode, res.body).toBe(200)
      const page: { items: { id: string; score: number }[]; nextCursor: string | null } = res.json()
      seen.push(...page.items.map((x) => x.id))
      const scores = page.items.map((x) => x.score)
      expect(scores).toEqual([...scores].sort((a, b) => b - a))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(new Set(seen).size).toBe(25)
    const filtered = await ctx.app.inject({ method: 'GET', url: '/v1/leads?q=p1&limit=50' })
    expect(
      filtered
        .json()
        .items.map((x: { email: string }) => x.email)
        .sort(),
    ).toEqual(['p1@page.example', ...Array.from({ length: 10 }, (_, i) => `p1${i}@page.example`)].sort())
    const bad = await ctx.app.inject({ method: 'GET', url: '/v1/leads?cursor=not-a-cursor' })
    expect(bad.statusCode).toBe(400)
  })

  it('rescores on every engagement event, on the master for a duplicate', async () => {
    const master = await captured({ email: 'eng@score.example' })
    const dup = await captured({ email: 'ENG@score.example', channel: 'event' })
    const before = (await detail(master.id))['score'] as number
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/leads/${dup.id}/engagement`,
      payload: { event: 'emailClick' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ leadId: master.id, engagement: { emailClick: 1, eventAttended: 1 } })
    expect(res.json().score).toBeGreaterThan(before)
    expect((await detail(master.id))['score']).toBe(res.json().score)
    // A lead at a free-mail provider keeps its free-email rule when it is rescored later.
    const free = await captured({ email: 'someone@gmail.com', title: 'CEO' })
    const freeBefore = await detail(free.id)
    expect(freeBefore.scoring.breakdown).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'free-email' })]),
    )
    const rescored = await ctx.app.inject({
      method: 'POST',
      url: `/v1/leads/${free.id}/engagement`,
      payload: { event: 'webVisit' },
    })
    expect(rescored.statusCode).toBe(200)
    const freeAfter = await detail(free.id)
    expect(freeAfter.scoring.breakdown).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'free-email' })]),
    )
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: `/v1/leads/${master.id}/engagement`,
      payload: { event: 'telepathy' },
    })
    expect(unknown.statusCode).toBe(422)
  })

  it('PATCH normalises contact points, rescores, and refuses an email another lead owns', async () => {
    const a = await captured({ email: 'one@edit.example' })
    await captured({ email: 'two@edit.example' })
    const ok = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/leads/${a.id}`,
      payload: { phone: '(080) 2345 6789', title: 'Founder & CEO' },
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ phone: '+918023456789', title: 'Founder & CEO' })
    expect(ok.json().score).toBeGreaterThan(a.score)
    const clash = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/leads/${a.id}`,
      payload: { email: 'TWO@edit.example' },
    })
    expect(clash.statusCode).toBe(409)
    const invalid = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/leads/${a.id}`,
      payload: { email: 'not an email' },
    })
    expect(invalid.statusCode).toBe(422)
    expect((await detail(a.id))['email']).toBe('one@edit.example')
  })
})
