import { describe, expect, it } from 'vitest'
import { createJourneyActivities } from '../../activities/journey.activities.js'
import { DEFAULT_JOURNEY_POLICY } from '../../domain/journey/journey-policy.js'
import { createRuleCache } from '../../ingestion/rules/active-rules.js'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/* Rule sets as versioned data through the API: the journey policy makes the playbook configurable. */

const ctx = useTestApp({ truncateAfterEach: true })

const post = (kind: string, definition: unknown) =>
  ctx.app.inject({ method: 'POST', url: `/v1/rule-sets/${kind}`, payload: { definition } })

describe('/v1/rule-sets', () => {
  it('answers the built-in journey policy as version 0 until one is saved', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/rule-sets/journey' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ kind: 'journey', version: 0, source: 'default' })
    expect(res.json().definition).toMatchObject({
      firstContactWithinHours: 168,
      conversionTrigger: { scoreAbove: 70, stage: 'Contacted' },
    })
  })

  it('saves versions in order, retires the previous one, and journeys read the active policy', async () => {
    const first = await post('journey', {
      firstContactWithinHours: 72,
      conversionTrigger: { scoreAbove: 60, stage: 'Contacted' },
    })
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({ version: 1, source: 'stored', createdBy: 'user:test-admin' })
    const second = await post('journey', { firstContactWithinHours: 48 })
    expect(second.json()).toMatchObject({ version: 2 })
    const rows = await ctx.database.db.ruleSet.findMany({
      where: { kind: 'journey' },
      orderBy: { version: 'asc' },
    })
    expect(rows.map((r) => `${r.version}:${r.status}`)).toEqual(['1:retired', '2:active'])

    const activities = createJourneyActivities({
      db: ctx.database.db,
      journeyPolicy: async () => (await createRuleCache(ctx.database.db).get()).journey,
      defaultTimeZone: 'UTC',
    })
    const context = await activities.loadJourneyContext({ leadId: '01a20c45-0000-7000-8000-000000000999' })
    expect(context.policy).toMatchObject({
      version: 2,
      firstContactWithinHours: 48,
      conversionTrigger: DEFAULT_JOURNEY_POLICY.conversionTrigger,
    })
  })

  it('refuses an invalid definition with every problem pointed at, and stores nothing', async () => {
    const res = await post('journey', {
      firstContactWithinHours: -1,
      conversionTrigger: { scoreAbove: 120, stage: 'Converted' },
      quietHours: { start: '25:00', end: '09:00', weekendsQuiet: false },
      surprise: true,
    })
    expect(res.statusCode).toBe(422)
    expect(res.headers['content-type']).toContain('application/problem+json')
    const pointers = (res.json().errors as { pointer: string }[]).map((e) => e.pointer)
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/body/definition/surprise',
        '/body/definition/firstContactWithinHours',
        '/body/definition/conversionTrigger/scoreAbove',
        '/body/definition/conversionTrigger/stage',
      ]),
    )
    expect(pointers.some((p) => p.startsWith('/body/definition/quietHours'))).toBe(true)
    const scoring = await post('scoring', { fitMax: 'lots' })
    expect(scoring.statusCode).toBe(422)
    expect(await ctx.database.db.ruleSet.count()).toBe(0)
  })

  it('refuses an unknown kind as a bad path (400)', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/rule-sets/pricing' })
    expect(res.statusCode).toBe(400)
  })

  it('refuses a version number beyond what PostgreSQL stores as a bad path, not a 500 (found by the fuzzer)', async () => {
    const huge = '534496061095363383898409009152'
    for (const url of [
      `/v1/rule-sets/assignment/drafts/${huge}/evaluate`,
      `/v1/rule-sets/scoring/drafts/2147483648/activate`,
    ]) {
      const res = await ctx.app.inject({ method: 'POST', url, payload: { days: 7 } })
      expect(res.statusCode, url).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    const body = await ctx.app.inject({
      method: 'POST',
      url: '/v1/rule-sets/scoring/evaluate',
      payload: { version: 2147483648 },
    })
    expect(body.statusCode).toBe(422)
  })
})

const SCORING = {
  fitMax: 60,
  engagementMax: 40,
  fit: [{ id: 'india', label: 'India', points: 30, when: { field: 'country', in: ['IN'] } }],
  engagement: [{ id: 'opens', label: 'Opens', event: 'emailOpen', pointsEach: 5, max: 40 }],
}
const inject = (method: 'GET' | 'POST', url: string, payload?: unknown, headers?: Record<string, string>) =>
  ctx.app.inject({
    method,
    url: `/v1/rule-sets${url}`,
    ...(payload ? { payload } : {}),
    ...(headers ? { headers } : {}),
  })

describe('/v1/rule-sets drafts', () => {
  it('saves a draft as the next version without activating it, then activates it, each audited', async () => {
    const active = await post('scoring', SCORING)
    expect(active.json()).toMatchObject({ version: 1 })
    const draft = await inject('POST', '/scoring/drafts', {
      definition: { ...SCORING, fitMax: 70, engagementMax: 30 },
    })
    expect(draft.statusCode, draft.body).toBe(201)
    expect(draft.json()).toMatchObject({ kind: 'scoring', version: 2, status: 'draft', activatedAt: null })
    expect((await inject('GET', '/scoring')).json()).toMatchObject({ version: 1 })
    expect((await createRuleCache(ctx.database.db).get()).scoring.version).toBe(1)

    const activated = await inject('POST', '/scoring/drafts/2/activate')
    expect(activated.statusCode, activated.body).toBe(200)
    expect(activated.json()).toMatchObject({ version: 2, source: 'stored', definition: { fitMax: 70 } })
    expect((await inject('GET', '/scoring')).json()).toMatchObject({ version: 2 })
    const rows = await ctx.database.db.ruleSet.findMany({
      where: { kind: 'scoring' },
      orderBy: { version: 'asc' },
    })
    expect(rows.map((r) => `${r.version}:${r.status}`)).toEqual(['1:retired', '2:active'])

    const audit = await ctx.database.db.auditEvent.findMany({
      where: { entity: 'rule_set' },
      orderBy: { id: 'asc' },
    })
    expect(audit.map((a) => `${a.action}:${a.entityId === rows[0]!.id ? 1 : 2}:${a.actorId}`)).toEqual([
      'create:1:user:test-admin',
      'draft:2:user:test-admin',
      'retire:1:user:test-admin',
      'activate:2:user:test-admin',
    ])
    expect(audit[1]!.changes).toMatchObject({ status: { to: 'draft' }, definition: { to: { fitMax: 70 } } })

    expectProblem(await inject('POST', '/scoring/drafts/2/activate'), 409, 'conflict')
  })

  it('refuses an invalid draft with pointers (422), and an unknown version with 404', async () => {
    const bad = await inject('POST', '/assignment/drafts', {
      definition: {
        rules: [{ id: 'a:b', label: 'x', when: { countries: ['India'] }, pool: [], strategy: 'fifo' }],
      },
    })
    const problem = expectProblem(bad, 422, 'rule_violation')
    expect(problem.errors?.map((e) => e.pointer)).toEqual(
      expect.arrayContaining([
        '/body/definition/rules/0/id',
        '/body/definition/rules/0/when/countries/0',
        '/body/definition/rules/0/pool',
        '/body/definition/rules/0/strategy',
        '/body/definition/fallbackQueue',
      ]),
    )
    const inline = await inject('POST', '/scoring/evaluate', { definition: { ...SCORING, fitMax: 'lots' } })
    expect(expectProblem(inline, 422, 'rule_violation').errors?.map((e) => e.pointer)).toContain(
      '/body/definition/fitMax',
    )
    expectProblem(await inject('POST', '/scoring/evaluate', { days: 7 }), 422, 'rule_violation')
    expectProblem(await inject('POST', '/scoring/drafts/7/activate'), 404, 'not_found')
    expectProblem(await inject('POST', '/scoring/drafts/7/evaluate', {}), 404, 'not_found')
    expectProblem(await inject('POST', '/scoring/evaluate', { version: 7 }), 404, 'not_found')
    expect((await inject('POST', '/journey/evaluate', { definition: {} })).statusCode).toBe(400)
    expect(await ctx.database.db.ruleSet.count()).toBe(0)
  })

  it('evaluates a stored draft and an inline one alike, with the window, totals and assumptions', async () => {
    await inject('POST', '/scoring/drafts', { definition: SCORING })
    const stored = await inject('POST', '/scoring/drafts/1/evaluate', { days: 3 })
    expect(stored.statusCode, stored.body).toBe(200)
    expect(stored.json()).toMatchObject({
      kind: 'scoring',
      version: 1,
      window: { days: 3 },
      totals: { evaluated: 0, changed: 0, bandChanged: 0, ownerChanged: 0, notEvaluated: 0 },
      items: [],
      nextCursor: null,
    })
    expect(stored.json().assumptions[0]).toMatch(/cold below 40, warm 40 to 69, hot 70 and above/)
    const inline = await inject('POST', '/scoring/evaluate', { definition: SCORING })
    expect(inline.json()).toMatchObject({ version: null, window: { days: 7 } })
  })

  it('lets rule_set readers evaluate but only rule_set writers save and activate', async () => {
    const reader = await userWithRole(ctx.database.db, 'read_only')
    const marketing = await userWithRole(ctx.database.db, 'marketing')
    expectProblem(
      await inject('POST', '/scoring/drafts', { definition: SCORING }, reader.headers),
      403,
      'forbidden',
    )
    const saved = await inject('POST', '/scoring/drafts', { definition: SCORING }, marketing.headers)
    expect(saved.json()).toMatchObject({ version: 1, createdBy: `user:${marketing.id}` })
    expect((await inject('POST', '/scoring/drafts/1/evaluate', {}, reader.headers)).statusCode).toBe(200)
    expectProblem(
      await inject('POST', '/scoring/drafts/1/activate', undefined, reader.headers),
      403,
      'forbidden',
    )
    expect(
      (await inject('POST', '/scoring/drafts/1/activate', undefined, marketing.headers)).statusCode,
    ).toBe(200)
  })
})
