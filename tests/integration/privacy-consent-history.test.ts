import { expect, it } from 'vitest'
import { useTestApp } from '../support/app.js'

/*
 * A person's consent history (GDPR Art. 7(1): the controller can show consent): every
 * change, oldest first, with where it came from and the wording, and what it means now.
 */

const ctx = useTestApp({ truncateAfterEach: true })

async function post(url: string, payload: object, status = 200) {
  const res = await ctx.app.inject({ method: 'POST', url, payload })
  expect(res.statusCode, res.body).toBe(status)
  return res.json<Record<string, unknown>>()
}

type History = {
  subject: { leadIds: string[] }
  records: {
    leadId: string
    status: string
    channels: string[]
    source: string | null
    text: string | null
    at: string
    dnd: boolean
  }[]
  current: {
    leads: {
      leadId: string
      consentStatus: string
      dnd: boolean
      optOutAt: string | null
      marketing: { email: boolean; whatsapp: boolean; sms: boolean }
    }[]
    contacts: unknown[]
  }
}

it('lists every consent change in order, with the opt-out and DND state now', async () => {
  const lead = await post(
    '/v1/leads',
    {
      channel: 'web_form',
      firstName: 'Dev',
      email: 'dev@example.in',
      phone: '+91 98111 22334',
      consent: {
        granted: true,
        channels: ['email', 'whatsapp'],
        source: 'web_form:demo',
        textVersion: 'v3',
        text: 'Email and WhatsApp me about Leadwire.',
        at: '2026-01-05T10:00:00.000Z',
      },
    },
    202,
  )
  const id = lead['id'] as string
  await post(`/v1/leads/${id}/consent`, {
    status: 'withdrawn',
    source: 'unsubscribe link',
    reason: 'too many',
  })
  await post(`/v1/leads/${id}/consent`, {
    status: 'granted',
    channels: ['email'],
    source: 'call',
    text: 'Agreed on the phone',
  })
  await post(`/v1/leads/${id}/consent`, { status: 'unchanged', dnd: true, source: 'ncpr lookup' })

  const res = await ctx.app.inject({ method: 'GET', url: '/v1/privacy/consent-history?phone=09811122334' })
  expect(res.statusCode, res.body).toBe(200)
  const h = res.json<History>()
  expect(h.subject.leadIds).toEqual([id])
  expect(h.records.map((r) => [r.status, r.source])).toEqual([
    ['granted', 'web_form:demo'],
    ['withdrawn', 'unsubscribe link'],
    ['granted', 'call'],
    ['granted', 'ncpr lookup'],
  ])
  expect(h.records[0]).toMatchObject({
    channels: ['email', 'whatsapp'],
    text: 'Email and WhatsApp me about Leadwire.',
  })
  expect(h.records.map((r) => r.at)).toEqual([...h.records.map((r) => r.at)].sort())
  expect(h.records.at(-1)!.dnd).toBe(true)
  expect(h.current.leads).toMatchObject([
    {
      leadId: id,
      consentStatus: 'granted',
      dnd: true,
      marketing: { email: true, whatsapp: false, sms: false },
    },
  ])
})

it('answers an empty history for an unknown person and needs an identifier', async () => {
  const res = await ctx.app.inject({
    method: 'GET',
    url: '/v1/privacy/consent-history?email=nobody%40example.in',
  })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.json<History>()).toMatchObject({ records: [], current: { leads: [], contacts: [] } })
  const none = await ctx.app.inject({ method: 'GET', url: '/v1/privacy/consent-history' })
  expect(none.statusCode).toBeGreaterThanOrEqual(400)
  expect(none.statusCode).toBeLessThan(500)
})
