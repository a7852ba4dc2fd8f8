import { uuidv7 } from 'uuidv7'
import { beforeAll, describe, expect, it } from 'vitest'
import { localDate } from '../../domain/reports/local-day.rules.js'
import { addDays, quarterOf } from '../../domain/reports/period.rules.js'
import { useTestApp } from '../support/app.js'
import { expectProblem } from '../support/problem.js'
import { TEST_ADMIN_ID } from '../support/auth.js'

/*
 * The reports API on a real PostgreSQL, over rows seeded in known shapes: exact counts,
 * sums per currency, rates, medians, today's forecast category, and the edges of a
 * period in the caller's time zone. The rows are seeded once; every test only reads.
 */

const ctx = useTestApp()
const db = () => ctx.database.db

const ASHA = 'user-asha'
const RAVI = 'user-ravi'
const MEERA = 'user-meera'
const Q1_2025 = 'from=2025-01-01&to=2025-03-31'
const MINUTE = 60_000

async function get<T = Record<string, unknown>>(url: string): Promise<T> {
  const res = await ctx.app.inject({ method: 'GET', url })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<T>()
}

let accountId: string

async function lead(l: {
  createdAt: string
  channel?: string
  status?: 'NEW' | 'CONTACTED' | 'QUALIFIED' | 'CONVERTED' | 'DISQUALIFIED'
  ownerId?: string
  assignedAt?: string
  contactedAt?: string
  duplicateOfId?: string
  touches?: { source: string; medium: string; campaign?: string; at: string }[]
}) {
  const id = uuidv7()
  await db().lead.create({
    data: {
      id,
      channel: l.channel ?? 'web_form',
      status: l.status ?? 'NEW',
      email: `lead.${id.slice(-8)}@example.in`,
      ownerId: l.ownerId ?? null,
      assignedAt: l.assignedAt ? new Date(l.assignedAt) : null,
      contactedAt: l.contactedAt ? new Date(l.contactedAt) : null,
      isDuplicate: l.duplicateOfId !== undefined,
      duplicateOfId: l.duplicateOfId ?? null,
      createdAt: new Date(l.createdAt),
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
  for (const t of l.touches ?? [])
    await db().touch.create({
      data: {
        leadId: id,
        channel: l.channel ?? 'web_form',
        source: t.source,
        medium: t.medium,
        campaign: t.campaign ?? null,
        occurredAt: new Date(t.at),
      },
    })
  return id
}

async function deal(o: {
  stage: string
  probability: number
  amount: string
  currency: string
  closeDate: string
  leadId?: string
  ownerId?: string
  kind?: string
  storedCategory?: string
}) {
  await db().opportunity.create({
    data: {
      id: uuidv7(),
      accountId,
      leadId: o.leadId ?? null,
      name: `Deal ${o.stage} ${o.amount}`,
      kind: o.kind ?? 'new_business',
      amount: o.amount,
      currency: o.currency,
      stage: o.stage,
      probability: o.probability,
      // Deliberately stale: the report derives the category for today.
      forecastCategory: o.storedCategory ?? 'pipeline',
      closeDate: new Date(`${o.closeDate}T00:00:00Z`),
      ownerId: o.ownerId ?? null,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
}

async function task(t: { assigneeId: string; status: 'open' | 'done'; dueAt: string; completedAt?: string }) {
  await db().task.create({
    data: {
      id: uuidv7(),
      kind: 'call',
      title: 'Call',
      status: t.status,
      assigneeId: t.assigneeId,
      dueAt: new Date(t.dueAt),
      completedAt: t.completedAt ? new Date(t.completedAt) : null,
      createdBy: 'test',
      updatedBy: 'test',
    },
  })
}

async function activity(actorId: string, at: string) {
  await db().activity.create({
    data: { id: uuidv7(), kind: 'call', direction: 'outbound', occurredAt: new Date(at), actorId },
  })
}

// Today in the default zone (Asia/Kolkata), as the pipeline report sees it.
const today = localDate(new Date(), 'Asia/Kolkata')

beforeAll(async () => {
  await db().team.create({ data: { id: 'team-west', name: 'West' } })
  await db().user.createMany({
    data: [
      { id: ASHA, name: 'Asha Menon', email: 'asha@leadwire.test', teamId: 'team-west' },
      { id: RAVI, name: 'Ravi Iyer', email: 'ravi@leadwire.test', teamId: 'team-west' },
      { id: MEERA, name: 'Meera Das', email: 'meera@leadwire.test', role: 'sales_manager' },
    ],
  })
  accountId = uuidv7()
  await db().account.create({ data: { id: accountId, name: 'Acme', createdBy: 'test', updatedBy: 'test' } })

  // Q1 2025 in Kolkata. L1-L6 and L8 are the cohort; L7 is 1 April there (still March in UTC).
  const t0 = '2025-02-10T04:00:00.000Z'
  const plus = (minutes: number) => new Date(Date.parse(t0) + minutes * MINUTE).toISOString()
  const spring = { campaign: 'spring' }
  const l1 = await lead({
    createdAt: t0,
    ownerId: ASHA,
    assignedAt: t0,
    touches: [{ source: 'google', medium: 'cpc', ...spring, at: '2025-02-10T04:00:00Z' }],
  })
  // L1's duplicate: the same person, whose earlier newsletter touch is L1's first touch.
  await lead({
    createdAt: plus(5),
    ownerId: ASHA,
    assignedAt: plus(5),
    contactedAt: plus(6),
    duplicateOfId: l1,
    touches: [{ source: 'newsletter', medium: 'email', ...spring, at: '2025-01-20T04:00:00Z' }],
  })
  await lead({
    createdAt: t0,
    status: 'CONTACTED',
    ownerId: ASHA,
    assignedAt: t0,
    contactedAt: plus(10),
    touches: [{ source: 'google', medium: 'cpc', ...spring, at: t0 }],
  })
  const l3created = '2025-01-05T10:00:00.000Z'
  await lead({
    createdAt: l3created,
    channel: 'whatsapp',
    status: 'QUALIFIED',
    ownerId: RAVI,
    contactedAt: '2025-01-05T10:05:00.000Z', // no assigned_at: measured from creation
    touches: [
      { source: 'facebook', medium: 'paid_social', ...spring, at: '2025-01-05T10:00:00Z' },
      { source: 'google', medium: 'cpc', ...spring, at: '2025-01-10T10:00:00Z' },
    ],
  })
  const l4 = await lead({
    createdAt: t0,
    status: 'CONVERTED',
    ownerId: ASHA,
    assignedAt: t0,
    contactedAt: plus(30),
    touches: [{ source: 'google', medium: 'cpc', ...spring, at: t0 }],
  })
  const l5 = await lead({
    createdAt: t0,
    channel: 'import',
    status: 'CONVERTED',
    ownerId: RAVI,
    assignedAt: t0,
  })
  const l6 = await lead({
    createdAt: t0,
    status: 'CONVERTED',
    ownerId: ASHA,
    assignedAt: t0,
    contactedAt: plus(60),
    touches: [{ source: 'linkedin', medium: 'social', at: t0 }],
  })
  await lead({
    createdAt: '2025-03-31T19:00:00.000Z', // 1 April, 00:30 in Kolkata
    ownerId: ASHA,
    assignedAt: '2025-03-31T19:00:00.000Z',
    contactedAt: '2025-03-31T20:00:00.000Z',
    touches: [{ source: 'google', medium: 'cpc', ...spring, at: '2025-03-31T19:00:00Z' }],
  })
  await lead({
    createdAt: '2024-12-31T19:00:00.000Z', // 1 January, 00:30 in Kolkata
    channel: 'event',
    status: 'DISQUALIFIED',
    ownerId: RAVI,
    assignedAt: '2024-12-31T20:00:00.000Z',
    contactedAt: '2024-12-31T19:00:00.000Z', // before the assignment: no wait
    touches: [{ source: 'expo', medium: 'event', at: '2024-12-31T19:00:00Z' }],
  })
  await deal({
    stage: 'closed_won',
    probability: 100,
    amount: '100000.50',
    currency: 'INR',
    closeDate: '2025-03-01',
    leadId: l4,
  })
  await deal({
    stage: 'negotiation',
    probability: 75,
    amount: '5000',
    currency: 'USD',
    closeDate: '2025-03-20',
    leadId: l5,
  })
  await deal({
    stage: 'closed_won',
    probability: 100,
    amount: '2500',
    currency: 'USD',
    closeDate: '2025-03-02',
    leadId: l6,
  })

  // Pipeline around today.
  const nextQuarter = addDays(quarterOf(today).to, 1)
  await deal({
    stage: 'negotiation',
    probability: 80,
    amount: '100000',
    currency: 'INR',
    closeDate: today,
    ownerId: ASHA,
  })
  await deal({
    stage: 'proposal',
    probability: 50,
    amount: '2000',
    currency: 'USD',
    closeDate: quarterOf(today).to,
    ownerId: ASHA,
    storedCategory: 'commit',
  })
  await deal({
    stage: 'negotiation',
    probability: 90,
    amount: '40000',
    currency: 'INR',
    closeDate: nextQuarter,
    ownerId: RAVI,
  })
  await deal({
    stage: 'negotiation',
    probability: 75,
    amount: '30000',
    currency: 'INR',
    closeDate: addDays(today, -1),
    ownerId: RAVI,
    storedCategory: 'commit',
  })
  await deal({
    stage: 'qualification',
    probability: 10,
    amount: '999.99',
    currency: 'INR',
    closeDate: addDays(today, 10),
    kind: 'upsell',
    ownerId: RAVI,
  })
  await deal({
    stage: 'closed_won',
    probability: 100,
    amount: '50000',
    currency: 'INR',
    closeDate: addDays(today, -5),
    ownerId: ASHA,
  })
  await deal({
    stage: 'closed_lost',
    probability: 0,
    amount: '7000',
    currency: 'INR',
    closeDate: addDays(today, -3),
    ownerId: ASHA,
  })
  await deal({
    stage: 'negotiation',
    probability: 80,
    amount: '1',
    currency: 'INR',
    closeDate: addDays(today, 400),
  })

  // Tasks and activities for SDR performance (Q1 2025).
  await task({
    assigneeId: ASHA,
    status: 'done',
    dueAt: '2025-02-01T05:00:00Z',
    completedAt: '2025-02-01T06:00:00Z',
  })
  await task({
    assigneeId: ASHA,
    status: 'done',
    dueAt: '2025-05-01T05:00:00Z',
    completedAt: '2025-05-01T06:00:00Z',
  })
  await task({ assigneeId: ASHA, status: 'open', dueAt: '2025-01-01T05:00:00Z' })
  await task({ assigneeId: ASHA, status: 'open', dueAt: '2099-01-01T05:00:00Z' })
  await task({
    assigneeId: RAVI,
    status: 'done',
    dueAt: '2025-03-01T05:00:00Z',
    completedAt: '2025-03-01T06:00:00Z',
  })
  await task({ assigneeId: RAVI, status: 'open', dueAt: '2025-03-01T05:00:00Z' })
  await activity(`user:${ASHA}`, '2025-02-10T05:00:00Z')
  await activity(`user:${ASHA}`, '2025-03-10T05:00:00Z')
  await activity(ASHA, '2025-03-11T05:00:00Z')
  await activity(`user:${ASHA}`, '2025-04-10T05:00:00Z')
  await activity(`user:${RAVI}`, '2025-01-15T05:00:00Z')
  await activity('system:journey', '2025-01-15T05:00:00Z')
})

describe('GET /v1/reports/pipeline', () => {
  const window = () => `from=${addDays(today, -40)}&to=${addDays(today, 200)}`

  it('counts and sums deals by stage and by today’s forecast category, per currency', async () => {
    const r = await get<{
      today: string
      byStage: { stage: string; count: number; amounts: unknown[] }[]
      byForecastCategory: { category: string; count: number; amounts: unknown[] }[]
      open: unknown
      all: { count: number }
    }>(`/v1/reports/pipeline?${window()}`)
    expect(r.today).toBe(today)
    expect(r.byStage).toEqual([
      {
        stage: 'qualification',
        count: 1,
        amounts: [{ currency: 'INR', amount: 999.99, weightedAmount: 100 }],
      },
      { stage: 'needs_analysis', count: 0, amounts: [] },
      { stage: 'proposal', count: 1, amounts: [{ currency: 'USD', amount: 2000, weightedAmount: 1000 }] },
      {
        stage: 'negotiation',
        count: 3,
        amounts: [{ currency: 'INR', amount: 170000, weightedAmount: 80000 + 36000 + 22500 }],
      },
      { stage: 'closed_won', count: 1, amounts: [{ currency: 'INR', amount: 50000, weightedAmount: 50000 }] },
      { stage: 'closed_lost', count: 1, amounts: [{ currency: 'INR', amount: 7000, weightedAmount: 0 }] },
    ])
    expect(r.byForecastCategory).toEqual([
      // Closing today at 80 %: a commitment, whatever the stored column says.
      { category: 'commit', count: 1, amounts: [{ currency: 'INR', amount: 100000, weightedAmount: 80000 }] },
      {
        category: 'best_case',
        count: 2,
        amounts: [
          { currency: 'INR', amount: 40000, weightedAmount: 36000 }, // 90 %, next quarter
          { currency: 'USD', amount: 2000, weightedAmount: 1000 }, // stored as commit, but 50 %
        ],
      },
      {
        category: 'pipeline',
        count: 2,
        amounts: [{ currency: 'INR', amount: 30999.99, weightedAmount: 22600 }], // slipped + 10 %
      },
      { category: 'closed', count: 1, amounts: [{ currency: 'INR', amount: 50000, weightedAmount: 50000 }] },
      { category: 'omitted', count: 1, amounts: [{ currency: 'INR', amount: 7000, weightedAmount: 0 }] },
    ])
    expect(r.open).toEqual({
      count: 5,
      amounts: [
        { currency: 'INR', amount: 170999.99, weightedAmount: 138600 },
        { currency: 'USD', amount: 2000, weightedAmount: 1000 },
      ],
    })
    expect(r.all.count).toBe(7)
  })

  it('filters by owner and kind', async () => {
    const ravi = await get<{ all: { count: number; amounts: unknown[] } }>(
      `/v1/reports/pipeline?${window()}&ownerId=${RAVI}`,
    )
    expect(ravi.all).toEqual({
      count: 3,
      amounts: [{ currency: 'INR', amount: 70999.99, weightedAmount: 36000 + 22500 + 100 }],
    })
    const upsell = await get<{ all: { count: number } }>(`/v1/reports/pipeline?${window()}&kind=upsell`)
    expect(upsell.all.count).toBe(1)
  })

  it('defaults to this quarter’s close dates', async () => {
    const r = await get<{ period: { from: string; to: string }; byForecastCategory: { count: number }[] }>(
      '/v1/reports/pipeline',
    )
    expect(r.period).toMatchObject(quarterOf(today))
    // The commit deal closes today, in this quarter; the next quarter's deal is outside.
    expect(r.byForecastCategory[0]).toMatchObject({ category: 'commit', count: 1 })
    expect(r.byForecastCategory[1]).toMatchObject({ category: 'best_case', count: 1 })
  })
})

describe('GET /v1/reports/funnel', () => {
  it('counts each lead once at every stage it reached, overall, by first-touch source and by channel', async () => {
    const r = await get<{
      period: Record<string, string>
      overall: unknown
      bySource: unknown[]
      byChannel: unknown[]
    }>(`/v1/reports/funnel?${Q1_2025}`)
    expect(r.period).toEqual({
      from: '2025-01-01',
      to: '2025-03-31',
      timeZone: 'Asia/Kolkata',
      start: '2024-12-31T18:30:00.000Z',
      end: '2025-03-31T18:30:00.000Z',
    })
    expect(r.overall).toEqual({
      counts: { captured: 7, contacted: 6, qualified: 4, converted: 3, won: 2 },
      rates: { contacted: 0.8571, qualified: 0.6667, converted: 0.75, won: 0.6667, overall: 0.2857 },
    })
    const row = (captured: number, contacted: number, qualified: number, converted: number, won: number) =>
      expect.objectContaining({ counts: { captured, contacted, qualified, converted, won } })
    expect(Object.fromEntries((r.bySource as { source: string }[]).map((s) => [s.source, s]))).toEqual({
      '(unattributed)': row(1, 1, 1, 1, 0),
      expo: row(1, 1, 0, 0, 0),
      facebook: row(1, 1, 1, 0, 0),
      google: row(2, 2, 1, 1, 1),
      linkedin: row(1, 1, 1, 1, 1),
      newsletter: row(1, 0, 0, 0, 0),
    })
    expect(r.bySource).toContainEqual({
      source: 'google',
      counts: { captured: 2, contacted: 2, qualified: 1, converted: 1, won: 1 },
      rates: { contacted: 1, qualified: 0.5, converted: 1, won: 1, overall: 0.5 },
    })
    expect(Object.fromEntries((r.byChannel as { channel: string }[]).map((c) => [c.channel, c]))).toEqual({
      event: row(1, 1, 0, 0, 0),
      import: row(1, 1, 1, 1, 0),
      web_form: row(4, 3, 2, 2, 2),
      whatsapp: row(1, 1, 1, 0, 0),
    })
  })

  it('cuts days in the zone asked for', async () => {
    const utc = await get<{ overall: { counts: { captured: number } } }>(
      `/v1/reports/funnel?${Q1_2025}&tz=UTC`,
    )
    // In UTC the 1-January-in-Kolkata lead is 2024, and the 1-April one is March.
    expect(utc.overall.counts.captured).toBe(7)
    const march = await get<{ overall: { counts: { captured: number } } }>(
      '/v1/reports/funnel?from=2025-03-31&to=2025-03-31&tz=UTC',
    )
    expect(march.overall.counts.captured).toBe(1)
    const marchInKolkata = await get<{ overall: { counts: { captured: number } } }>(
      '/v1/reports/funnel?from=2025-03-31&to=2025-03-31',
    )
    expect(marchInKolkata.overall.counts.captured).toBe(0)
  })
})

describe('GET /v1/reports/attribution', () => {
  it('credits each lead to its first touch (its duplicates’ included), with won amounts per currency', async () => {
    const r = await get<{ model: string; groupBy: string[]; rows: unknown[]; totals: unknown }>(
      `/v1/reports/attribution?${Q1_2025}`,
    )
    expect(r.model).toBe('first')
    expect(r.groupBy).toEqual(['source', 'medium', 'campaign'])
    const credit = (
      source: string,
      medium: string,
      campaign: string | null,
      leads: number,
      converted: number,
      won: number,
      wonAmounts: { currency: string; amount: number }[] = [],
    ) => ({
      source,
      medium,
      campaign,
      leads,
      convertedLeads: converted,
      conversionRate: Math.round((converted / leads) * 10_000) / 10_000,
      wonOpportunities: won,
      wonAmounts,
    })
    expect(r.rows).toEqual([
      credit('(unattributed)', '(unattributed)', null, 1, 1, 0),
      credit('expo', 'event', null, 1, 0, 0),
      credit('facebook', 'paid_social', 'spring', 1, 0, 0),
      credit('google', 'cpc', 'spring', 2, 1, 1, [{ currency: 'INR', amount: 100000.5 }]),
      credit('linkedin', 'social', null, 1, 1, 1, [{ currency: 'USD', amount: 2500 }]),
      credit('newsletter', 'email', 'spring', 1, 0, 0),
    ])
    expect(r.totals).toEqual({
      leads: 7,
      convertedLeads: 3,
      conversionRate: 0.4286,
      wonOpportunities: 2,
      wonAmounts: [
        { currency: 'INR', amount: 100000.5 },
        { currency: 'USD', amount: 2500 },
      ],
    })
  })

  it('credits the last touch with model=last, grouped by the fields asked for', async () => {
    const bySource = await get<{ rows: { source: string; leads: number }[] }>(
      `/v1/reports/attribution?${Q1_2025}&model=last&groupBy=source`,
    )
    expect(bySource.rows.map((r) => [r.source, r.leads])).toEqual([
      ['(unattributed)', 1],
      ['expo', 1],
      ['google', 4], // L1 (after its duplicate's newsletter) and L3 (after facebook) last came from google
      ['linkedin', 1],
    ])
    expect(bySource.rows[0]).not.toHaveProperty('medium')

    const byCampaign = await get<{ rows: unknown[] }>(`/v1/reports/attribution?${Q1_2025}&groupBy=campaign`)
    expect(byCampaign.rows).toEqual([
      {
        campaign: 'spring',
        leads: 4,
        convertedLeads: 1,
        conversionRate: 0.25,
        wonOpportunities: 1,
        wonAmounts: [{ currency: 'INR', amount: 100000.5 }],
      },
      {
        campaign: null,
        leads: 3,
        convertedLeads: 2,
        conversionRate: 0.6667,
        wonOpportunities: 1,
        wonAmounts: [{ currency: 'USD', amount: 2500 }],
      },
    ])
  })
})

describe('GET /v1/reports/sdr-performance', () => {
  it('measures each user: leads, response times, conversion, tasks and activities', async () => {
    const r = await get<{ users: { userId: string }[] }>(`/v1/reports/sdr-performance?${Q1_2025}`)
    // The test admin who calls is a user too, with nothing assigned: left out here.
    expect(r.users.filter((u) => u.userId !== TEST_ADMIN_ID)).toEqual([
      {
        userId: ASHA,
        name: 'Asha Menon',
        role: 'sdr',
        teamId: 'team-west',
        leadsAssigned: 4, // L1, L2, L4, L6 (not L1's duplicate, not the April lead)
        leadsContacted: 3,
        contactRate: 0.75,
        responseMinutes: { median: 30, average: 33.33 }, // 10, 30, 60
        leadsConverted: 2,
        conversionRate: 0.5,
        tasksCompleted: 1,
        tasksOverdue: 1,
        activitiesLogged: 3, // `user:` prefixed and bare ids both count
      },
      {
        userId: MEERA,
        name: 'Meera Das',
        role: 'sales_manager',
        teamId: null,
        leadsAssigned: 0,
        leadsContacted: 0,
        contactRate: 0,
        responseMinutes: { median: null, average: null },
        leadsConverted: 0,
        conversionRate: 0,
        tasksCompleted: 0,
        tasksOverdue: 0,
        activitiesLogged: 0,
      },
      {
        userId: RAVI,
        name: 'Ravi Iyer',
        role: 'sdr',
        teamId: 'team-west',
        leadsAssigned: 3, // L3, L5, L8
        leadsContacted: 2,
        contactRate: 0.6667,
        responseMinutes: { median: 2.5, average: 2.5 }, // 5 and 0 (contacted before assigned)
        leadsConverted: 1,
        conversionRate: 0.3333,
        tasksCompleted: 1,
        tasksOverdue: 1,
        activitiesLogged: 1,
      },
    ])
  })

  it('narrows to one user or one team', async () => {
    const one = await get<{ users: { userId: string }[] }>(
      `/v1/reports/sdr-performance?${Q1_2025}&userId=${RAVI}`,
    )
    expect(one.users.map((u) => u.userId)).toEqual([RAVI])
    const team = await get<{ users: { userId: string }[] }>(
      `/v1/reports/sdr-performance?${Q1_2025}&teamId=team-west`,
    )
    expect(team.users.map((u) => u.userId)).toEqual([ASHA, RAVI])
  })
})

describe('empty and invalid periods', () => {
  it('answers zeros for a period with nothing in it', async () => {
    const empty = 'from=2020-01-01&to=2020-01-31'
    const funnel = await get<{ overall: unknown; bySource: unknown[]; byChannel: unknown[] }>(
      `/v1/reports/funnel?${empty}`,
    )
    expect(funnel).toMatchObject({
      overall: {
        counts: { captured: 0, contacted: 0, qualified: 0, converted: 0, won: 0 },
        rates: { contacted: 0, qualified: 0, converted: 0, won: 0, overall: 0 },
      },
      bySource: [],
      byChannel: [],
    })
    const attribution = await get<{ rows: unknown[]; totals: unknown }>(`/v1/reports/attribution?${empty}`)
    expect(attribution.rows).toEqual([])
    expect(attribution.totals).toEqual({
      leads: 0,
      convertedLeads: 0,
      conversionRate: 0,
      wonOpportunities: 0,
      wonAmounts: [],
    })
    const pipeline = await get<{ all: unknown; byStage: { count: number }[] }>(
      `/v1/reports/pipeline?${empty}`,
    )
    expect(pipeline.all).toEqual({ count: 0, amounts: [] })
    expect(pipeline.byStage.every((s) => s.count === 0)).toBe(true)
    const sdr = await get<{ users: { userId: string; leadsAssigned: number; tasksOverdue: number }[] }>(
      `/v1/reports/sdr-performance?${empty}`,
    ).then((r) => ({ users: r.users.filter((u) => u.userId !== TEST_ADMIN_ID) }))
    expect(sdr.users.map((u) => u.leadsAssigned)).toEqual([0, 0, 0])
    // Overdue is "now", whatever the period.
    expect(sdr.users.map((u) => u.tasksOverdue)).toEqual([1, 0, 1])
  })

  it.each([
    ['from=2025-03-02&to=2025-03-01', '/querystring/to'],
    ['from=2020-01-01&to=2025-01-01', '/querystring/to'],
    ['from=2025-02-30', '/querystring/from'],
    ['from=yesterday', '/querystring/from'],
    ['tz=Moon%2FBase', '/querystring/tz'],
    ['model=middle', '/querystring/model'],
  ])('refuses %s with a 400 naming the parameter', async (query, pointer) => {
    for (const report of ['pipeline', 'funnel', 'attribution', 'sdr-performance']) {
      if (query.startsWith('model') && report !== 'attribution') continue
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/reports/${report}?${query}` })
      const problem = expectProblem(res, 400, 'malformed_request')
      expect(problem.errors?.map((e) => e.pointer)).toContain(pointer)
    }
  })
})
