import { describe, expect, it } from 'vitest'
import { createJourneyActivities } from '../../activities/journey.activities.js'
import { DEFAULT_JOURNEY_POLICY } from '../../domain/journey/journey-policy.js'
import { createRuleCache } from '../../ingestion/rules/active-rules.js'
import { useTestApp } from '../support/app.js'

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
})
