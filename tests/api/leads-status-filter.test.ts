import { describe, expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'

/*
 * The lead list (and export) filter by every status a lead can have, NURTURING included: the
 * status the journey gives a lead while its nurture sequence runs, which is where most leads
 * sit. The console's status filter offers it.
 */
const ctx = useTestApp({ truncateAfterEach: true })

async function capture(email: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: { channel: 'web_form', firstName: 'Asha', email },
  })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<{ id: string }>().id
}

describe('GET /v1/leads?status=', () => {
  it('lists the leads being nurtured, and only those', async () => {
    const nurtured = await capture('asha.nurtured@example.in')
    await capture('asha.new@example.in')
    // The journey records the stage in PostgreSQL; here it is set as the journey would.
    await ctx.database.db.lead.update({ where: { id: nurtured }, data: { status: 'NURTURING' } })

    const res = await ctx.app.inject({ method: 'GET', url: '/v1/leads?status=NURTURING' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<{ items: { id: string; status: string }[] }>().items).toEqual([
      expect.objectContaining({ id: nurtured, status: 'NURTURING' }),
    ])

    const exported = await ctx.app.inject({
      method: 'GET',
      url: '/v1/exports/leads?format=json&status=NURTURING',
    })
    expect(exported.statusCode, exported.body).toBe(200)
    expect(exported.json<{ id: string }[]>().map((l) => l.id)).toEqual([nurtured])

    const unknown = await ctx.app.inject({ method: 'GET', url: '/v1/leads?status=SLEEPING' })
    expect(unknown.statusCode).toBe(400)
  })
})
