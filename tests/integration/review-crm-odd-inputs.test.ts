import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { encodeCursor } from '../../api/queries/cursor.js'
import { useTestApp } from '../support/app.js'

/*
 * Review: odd inputs that reached PostgreSQL and came back as 500s, and time zones that
 * PostgreSQL reads differently from the API's own time-zone check.
 */

const ctx = useTestApp({ truncateAfterEach: true })

async function setup() {
  const acc = await ctx.app.inject({
    method: 'POST',
    url: '/v1/accounts',
    payload: { name: 'Acme', currency: 'INR' },
  })
  expect(acc.statusCode, acc.body).toBe(201)
  return acc.json<{ id: string }>().id
}

const YEAR_ZERO = '0000-01-01T00:00:00.000Z'

describe('cursors this API never handed out are a 400, not a 500', () => {
  it.each([
    ['a number where the name goes', '/v1/accounts', { v: 5, id: uuidv7() }],
    ['an id that is not a uuid (accounts)', '/v1/accounts', { v: 'Acme', id: 'not-a-uuid' }],
    ['an id that is not a uuid (contacts)', '/v1/contacts', { v: '2020-01-01T00:00:00Z', id: 'x' }],
    ['an id that is not a uuid (opportunities)', '/v1/opportunities', { v: '2020-01-01T00:00:00Z', id: 'x' }],
    ['year 0 (contacts)', '/v1/contacts', { v: YEAR_ZERO, id: uuidv7() }],
    ['year 0 (opportunities)', '/v1/opportunities', { v: YEAR_ZERO, id: uuidv7() }],
  ])('%s', async (_label, url, cursor) => {
    const res = await ctx.app.inject({ method: 'GET', url: `${url}?cursor=${encodeCursor(cursor)}` })
    expect(res.statusCode, res.body).toBe(400)
  })

  it('on account history (a sequence number beyond bigint) and timelines (year 0, dashes as id)', async () => {
    const accountId = await setup()
    const cursors = [
      [`/v1/accounts/${accountId}/history`, { v: '2020-01-01T00:00:00Z', id: '9999999999999999999' }],
      [`/v1/accounts/${accountId}/timeline`, { v: YEAR_ZERO, id: uuidv7() }],
      [`/v1/accounts/${accountId}/timeline`, { v: '2020-01-01T00:00:00Z', id: '-'.repeat(36) }],
    ] as const
    for (const [url, cursor] of cursors) {
      const res = await ctx.app.inject({ method: 'GET', url: `${url}?cursor=${encodeCursor(cursor)}` })
      expect(res.statusCode, `${url} ${res.body}`).toBe(400)
    }
  })
})

describe('year-0 dates are refused, not sent to PostgreSQL', () => {
  it('in the opportunity list filters', async () => {
    for (const q of ['closeDateFrom=0000-01-01', 'closeDateTo=0000-12-31']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/opportunities?${q}` })
      expect(res.statusCode, `${q} ${res.body}`).toBe(400)
    }
  })

  it('in the activity statistics range', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/activities/stats?from=0000-01-01T00:00:00Z&to=0000-06-01T00:00:00Z',
    })
    expect(res.statusCode, res.body).toBe(400)
  })

  it('as the time a logged activity occurred', async () => {
    const accountId = await setup()
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/activities',
      payload: { kind: 'note', accountId, occurredAt: '0000-01-01T00:00:00Z' },
    })
    expect(res.statusCode, res.body).toBe(422)
    expect(await ctx.database.db.activity.count({ where: { kind: 'note' } })).toBe(0)
  })
})

describe('activity statistics time zones', () => {
  it('cut days in the zone the API accepted, or refuse the zone (never a 500 or another zone)', async () => {
    const accountId = await setup()
    // 20:00 UTC on 7 January is 01:30 on 8 January in India.
    const logged = await ctx.app.inject({
      method: 'POST',
      url: '/v1/activities',
      payload: { kind: 'call', accountId, occurredAt: '2024-01-07T20:00:00Z' },
    })
    expect(logged.statusCode, logged.body).toBe(201)
    const range = 'from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z&period=day'
    // 'IST' is India to the API's zone check (ICU) but Israel to PostgreSQL; CTT, AET and BET are
    // Java-era ids ICU knows and PostgreSQL does not.
    for (const tz of ['IST', 'CTT', 'AET', 'BET']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/activities/stats?${range}&tz=${tz}` })
      expect(res.statusCode, `${tz} ${res.body}`).toBe(400)
    }
    for (const [tz, day] of [
      ['Asia/Kolkata', '2024-01-08'],
      ['Asia/Calcutta', '2024-01-08'],
      ['UTC', '2024-01-07'],
    ] as const) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/activities/stats?${range}&tz=${tz}` })
      expect(res.statusCode, `${tz} ${res.body}`).toBe(200)
      expect(res.json<{ buckets: { periodStart: string }[] }>().buckets.map((b) => b.periodStart)).toEqual([
        day,
      ])
    }
  })
})
