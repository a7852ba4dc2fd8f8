import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'

/*
 * Review: odd but well-formed inputs to the ticket, contract and task endpoints are
 * refused with a 4xx problem, never a 500.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const USER = 'user-review'

async function seed() {
  const db = ctx.database.db
  await db.user.create({ data: { id: USER, name: 'Review', email: 'review@leadwire.test' } })
  const accountId = uuidv7()
  await db.account.create({ data: { id: accountId, name: 'Acme', createdBy: 't', updatedBy: 't' } })
  return { accountId }
}

const cursorOf = (c: object) => Buffer.from(JSON.stringify(c)).toString('base64url')

async function newTask() {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/tasks',
    payload: { title: 'Call back', kind: 'call', dueAt: '2030-01-01T00:00:00Z', assigneeId: USER },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}

describe('review: list cursors this API never handed out', () => {
  const forged = [
    cursorOf({ v: '2024-01-01T00:00:00.000Z', id: 'not-a-uuid' }),
    cursorOf({ v: '0000-01-01T00:00:00.000Z', id: uuidv7() }),
  ]
  for (const path of ['/v1/tickets', '/v1/contracts', '/v1/tasks'])
    it(`GET ${path} answers a forged cursor with 400`, async () => {
      for (const cursor of forged) {
        const res = await ctx.app.inject({ method: 'GET', url: `${path}?cursor=${cursor}` })
        expect(res.statusCode, `${cursor}: ${res.body}`).toBe(400)
        expect(res.json().errors[0].pointer).toBe('/querystring/cursor')
      }
    })
})

describe('review: timestamps JSON Schema accepts but PostgreSQL cannot store', () => {
  it('POST /v1/tasks refuses a leap second or year 0 due time with 422', async () => {
    await seed()
    for (const dueAt of ['2024-06-30T23:59:60Z', '0000-01-01T00:00:00Z']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/tasks',
        payload: { title: 'x', kind: 'call', dueAt, assigneeId: USER },
      })
      expect(res.statusCode, `${dueAt}: ${res.body}`).toBe(422)
      expect(res.json().errors[0].pointer).toBe('/body/dueAt')
    }
  })

  it('POST /v1/tasks/:id/snooze refuses a leap second with 422', async () => {
    await seed()
    const id = await newTask()
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tasks/${id}/snooze`,
      payload: { until: '2099-06-30T23:59:60Z' },
    })
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json().errors[0].pointer).toBe('/body/until')
  })
})

describe('review: text PostgreSQL cannot store', () => {
  it('POST /v1/tasks/:id/complete refuses a note with U+0000 with 422', async () => {
    await seed()
    const id = await newTask()
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tasks/${id}/complete`,
      payload: { outcome: 'other', note: 'a\u0000b' },
    })
    expect(res.statusCode, res.body).toBe(422)
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/tasks/${id}/complete`,
      payload: { outcome: 'other', note: '' },
    })
    expect(again.statusCode, again.body).toBe(200)
  })
})

describe('review: contract list filters', () => {
  it('GET /v1/contracts?endingBefore=0000-01-01 is a 400, not a 500', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/contracts?endingBefore=0000-01-01' })
    expect(res.statusCode, res.body).toBe(400)
  })
})
