import type { Page, Response } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { accessibilityProblems, screenshot, useConsoleHarness, type Person } from '../support/browser.js'

/*
 * The dashboards in a real browser, over leads captured through the API with their UTM
 * touches (then worked: contacted, qualified, converted, one deal won) and deals in several
 * stages. Each table must show what the API reports for the same query, for marketing
 * (everyone's records) and for a sales manager (their team's); every chart is drawn; a
 * role without report:read has no dashboards at all.
 */
const harness = useConsoleHarness()
const db = () => harness.database.db
const MINUTE = 60_000

let marketer: Person
let manager: Person
let priya: Person
let rahul: Person
let outsider: Person

async function post<T>(url: string, payload: object): Promise<T> {
  const res = await harness.app.inject({ method: 'POST', url, payload })
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json<T>()
}

/** The same report the page fetched, asked of the API directly: as the admin or as a user. */
async function apiReport<T>(response: Response, userId?: string): Promise<T> {
  const url = new URL(response.url())
  const res = await harness.app.inject({
    method: 'GET',
    url: url.pathname + url.search,
    headers: userId ? { 'x-leadwire-user': userId } : {},
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<T>()
}

const reportResponse = (page: Page, name: string, match: (url: URL) => boolean = () => true) =>
  page.waitForResponse((r) => {
    const url = new URL(r.url())
    return url.pathname === `/v1/reports/${name}` && r.ok() && match(url)
  })

/** A table's body rows as cell texts (row header first), by the table's accessible name. */
const tableRows = (page: Page, name: string) =>
  page
    .getByRole('table', { name, exact: true })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
    )

const number = (text: string) => Number(text.replace(/[^\d.]/g, ''))
const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`

interface Funnel {
  scope: string
  overall: { counts: Record<string, number>; rates: Record<string, number> }
}

async function lead(
  source: string,
  campaign: string | undefined,
  work: {
    owner: Person
    channel?: string
    status?: 'NEW' | 'CONTACTED' | 'QUALIFIED' | 'CONVERTED'
    contactedAfter?: number
  },
) {
  const captured = await post<{ id: string }>('/v1/leads', {
    channel: work.channel ?? 'web_form',
    email: `lead.${Math.random().toString(36).slice(2, 10)}@example.in`,
    firstName: 'Test',
    attribution: { source, medium: source === 'newsletter' ? 'email' : 'cpc', campaign },
  })
  // What the journey would have recorded by now: the owner, the first contact, the outcome.
  const assignedAt = new Date(Date.now() - 2 * 60 * MINUTE)
  await db().lead.update({
    where: { id: captured.id },
    data: {
      ownerId: work.owner.id,
      assignedAt,
      status: work.status ?? 'NEW',
      contactedAt:
        work.contactedAfter === undefined
          ? null
          : new Date(assignedAt.getTime() + work.contactedAfter * MINUTE),
    },
  })
  return captured.id
}

beforeAll(async () => {
  marketer = await harness.person('marketing', { name: 'Kiran Shah' })
  manager = await harness.person('sales_manager', { name: 'Meera Kapoor' })
  priya = await harness.person('sdr', { name: 'Priya Nair', managerId: manager.id })
  rahul = await harness.person('sdr', { name: 'Rahul Mehta', managerId: manager.id })
  outsider = await harness.person('sdr', { name: 'Zoya Khan' })

  const firstId = await lead('google', 'diwali-sale', {
    owner: priya,
    status: 'CONTACTED',
    contactedAfter: 12,
  })
  // The same person comes back through LinkedIn: a duplicate capture, whose touch is the master's last.
  const { email } = await db().lead.findUniqueOrThrow({ where: { id: firstId } })
  const again = await post<{ outcome: string }>('/v1/leads', {
    channel: 'api',
    email,
    attribution: { source: 'linkedin', medium: 'social', campaign: 'diwali-sale' },
  })
  expect(again.outcome).toBe('duplicate')
  await lead('google', 'diwali-sale', { owner: priya, status: 'QUALIFIED', contactedAfter: 30 })
  const convertedId = await lead('google', 'diwali-sale', {
    owner: priya,
    status: 'CONVERTED',
    contactedAfter: 5,
  })
  await lead('google', undefined, { owner: priya })
  await lead('facebook', 'diwali-sale', {
    owner: rahul,
    channel: 'whatsapp',
    status: 'CONTACTED',
    contactedAfter: 90,
  })
  await lead('facebook', 'winter-webinar', { owner: rahul, channel: 'whatsapp' })
  await lead('newsletter', 'winter-webinar', {
    owner: outsider,
    channel: 'email',
    status: 'QUALIFIED',
    contactedAfter: 8,
  })
  await lead('newsletter', undefined, { owner: outsider, channel: 'email' })

  const today = new Date().toISOString().slice(0, 10)
  const account = await post<{ id: string }>('/v1/accounts', { name: 'Kaveri Textiles', ownerId: priya.id })
  const deal = (name: string, amount: number, body: object = {}) =>
    post<{ id: string }>('/v1/opportunities', {
      accountId: account.id,
      name,
      amount,
      closeDate: today,
      ownerId: priya.id,
      ...body,
    })
  const won = await deal('Kaveri ERP rollout', 500000, { stage: 'negotiation' })
  await db().opportunity.update({ where: { id: won.id }, data: { leadId: convertedId } })
  await post(`/v1/opportunities/${won.id}/win`, { reason: 'Best fit for their mills' })
  await deal('Kaveri payroll', 250000, { stage: 'proposal' })
  await deal('Kaveri analytics', 120000)
  await deal('Kaveri support plan', 8000, { currency: 'USD', stage: 'negotiation' })
})

describe('dashboards', () => {
  it('shows marketing the numbers the API reports, as tables and charts, over the chosen period', async () => {
    const { context, page } = await harness.open(marketer)
    const responses = Promise.all([
      reportResponse(page, 'funnel'),
      reportResponse(page, 'attribution'),
      reportResponse(page, 'sdr-performance'),
      reportResponse(page, 'pipeline'),
    ])
    await page.getByRole('link', { name: 'Dashboards' }).click()
    const [funnelRes, attributionRes, sdrRes, pipelineRes] = await responses
    await page.getByRole('table', { name: 'SDR performance' }).waitFor()

    // The funnel table holds the API's counts and rates.
    const funnel = await apiReport<Funnel>(funnelRes)
    expect(funnel.overall.counts['captured']).toBe(8)
    const funnelRows = await tableRows(page, 'Lead funnel')
    expect(funnelRows.map((r) => number(r[1]!))).toEqual(
      ['captured', 'contacted', 'qualified', 'converted', 'won'].map((s) => funnel.overall.counts[s]),
    )
    expect(funnelRows[1]![2]).toBe(percent(funnel.overall.rates['contacted']!))
    expect(await page.locator('.scope-note').textContent()).toContain("everyone's records")

    // Attribution: one row per source, first touch.
    const attribution = await apiReport<{
      rows: { source: string; leads: number; convertedLeads: number }[]
    }>(attributionRes)
    const attributionRows = await tableRows(page, 'Attribution')
    // Largest first on the page; compared as sets of rows.
    expect(attributionRows.map((r) => [r[0], number(r[1]!), number(r[2]!)]).sort()).toEqual(
      attribution.rows.map((r) => [r.source, r.leads, r.convertedLeads]).sort(),
    )
    expect(attributionRows[0]![0]).toBe('google')
    expect(attribution.rows.find((r) => r.source === 'google')?.leads).toBe(4)

    // SDR performance: each person's assigned, contacted and rates.
    const sdr = await apiReport<{
      users: { name: string; leadsAssigned: number; leadsContacted: number; contactRate: number }[]
    }>(sdrRes)
    const sdrRows = await tableRows(page, 'SDR performance')
    for (const name of ['Priya Nair', 'Rahul Mehta', 'Zoya Khan']) {
      const fromApi = sdr.users.find((u) => u.name === name)!
      const row = sdrRows.find((r) => r[0]!.startsWith(name))!
      expect([number(row[1]!), number(row[2]!), row[3]]).toEqual([
        fromApi.leadsAssigned,
        fromApi.leadsContacted,
        percent(fromApi.contactRate),
      ])
    }
    expect(sdrRows.find((r) => r[0]!.startsWith('Priya Nair'))![1]).toBe('4')

    // Forecast: deals per category as the API derived them today.
    const pipeline = await apiReport<{ byForecastCategory: { category: string; count: number }[] }>(
      pipelineRes,
    )
    const forecastRows = await tableRows(page, 'Forecast by category')
    expect(forecastRows.map((r) => number(r[1]!))).toEqual(pipeline.byForecastCategory.map((c) => c.count))
    expect(pipeline.byForecastCategory.reduce((n, c) => n + c.count, 0)).toBe(4)

    // Every chart is drawn: a canvas with a size and painted pixels, named for assistive technology.
    await expect
      .poll(() =>
        page.locator('canvas[role="img"]').evaluateAll((canvases) =>
          canvases.map((c) => {
            // Runs in the page; the tests compile without DOM types, hence the shape spelled out.
            const canvas = c as unknown as {
              width: number
              height: number
              getAttribute(name: string): string | null
              getContext(kind: '2d'): {
                getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
              }
            }
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
            let painted = false
            for (let i = 3; i < pixels.length && !painted; i += 4) painted = pixels[i]! > 0
            return (
              canvas.width > 0 &&
              canvas.height > 0 &&
              painted &&
              canvas.getAttribute('aria-label')!.length > 20
            )
          }),
        ),
      )
      .toEqual([true, true, true, true, true])
    expect(await page.locator('canvas[aria-label^="Lead funnel: 8 captured"]').count()).toBe(1)

    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'dashboards')

    // Last touch: the attribution follows.
    const lastTouch = reportResponse(page, 'attribution', (u) => u.searchParams.get('model') === 'last')
    await page.getByRole('radio', { name: 'Last touch' }).check()
    const last = await apiReport<{ rows: { source: string; leads: number }[] }>(await lastTouch)
    expect(last.rows.find((r) => r.source === 'linkedin')?.leads).toBe(1)
    await expect
      .poll(async () => (await tableRows(page, 'Attribution')).map((r) => [r[0], number(r[1]!)]).sort())
      .toEqual(last.rows.map((r) => [r.source, r.leads]).sort())

    // Another period: every report is asked again for it, and the tables follow.
    const week = reportResponse(page, 'funnel', (u) => u.searchParams.has('from'))
    await page.getByRole('radio', { name: 'Last 7 days' }).check()
    const weekFunnel = await apiReport<Funnel>(await week)
    expect(new URL(page.url()).searchParams.get('period')).toBe('7')
    await expect
      .poll(async () => (await tableRows(page, 'Lead funnel')).map((r) => number(r[1]!)))
      .toEqual(
        ['captured', 'contacted', 'qualified', 'converted', 'won'].map((s) => weekFunnel.overall.counts[s]),
      )

    // Dates of one's own: checked before any report is asked for, then applied together.
    await page.getByRole('radio', { name: 'Dates…' }).check()
    const fromField = page.getByLabel('From', { exact: true })
    expect(await fromField.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    await fromField.fill('2026-03-31')
    await page.getByLabel('To', { exact: true }).fill('2026-01-01')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByText('The first day must not be after the last.').waitFor()
    const custom = reportResponse(page, 'funnel', (u) => u.searchParams.get('from') === '2026-01-01')
    await fromField.fill('2026-01-01')
    await page.getByLabel('To', { exact: true }).fill('2026-03-31')
    await page.getByRole('button', { name: 'Apply' }).click()
    expect(new URL((await custom).url()).searchParams.get('to')).toBe('2026-03-31')
    await expect.poll(() => page.locator('.scope-note').textContent()).toMatch(/Jan.+2026.+Mar.+2026/)
    await context.close()
  })

  it("shows a sales manager their team's figures, as the API scopes them for the manager", async () => {
    const { context, page } = await harness.open(manager)
    const funnelResponse = reportResponse(page, 'funnel')
    const sdrResponse = reportResponse(page, 'sdr-performance')
    await page.getByRole('link', { name: 'Dashboards' }).click()
    const funnel = await apiReport<Funnel>(await funnelResponse, manager.id)
    expect(funnel.scope).toBe('team')
    // Zoya's two leads are outside Meera's team.
    expect(funnel.overall.counts['captured']).toBe(6)
    await expect
      .poll(async () => (await tableRows(page, 'Lead funnel')).map((r) => number(r[1]!)))
      .toEqual(
        ['captured', 'contacted', 'qualified', 'converted', 'won'].map((s) => funnel.overall.counts[s]),
      )
    expect(await page.locator('.scope-note').textContent()).toContain('your team')
    const sdr = await apiReport<{ users: { name: string }[] }>(await sdrResponse, manager.id)
    const people = (await tableRows(page, 'SDR performance')).map((r) => r[0]!.split(', ')[0])
    expect(people.sort()).toEqual(sdr.users.map((u) => u.name).sort())
    expect(people).not.toContain('Zoya Khan')
    await context.close()
  })

  it('gives a role without report:read no dashboards section, nor the page', async () => {
    const agent = await harness.person('support', { name: 'Dev Malhotra' })
    const { context, page } = await harness.open(agent)
    const links = await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()
    expect(links).not.toContain('Dashboards')
    await page.goto('/console/dashboards')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found')
    expect(await page.locator('canvas').count()).toBe(0)
    await context.close()
  })
})
