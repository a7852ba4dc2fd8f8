import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { accessibilityProblems, screenshot, useConsoleHarness, type Person } from '../support/browser.js'

/*
 * The pipeline board in a real browser, as a sales manager: the team's deals by stage with
 * their totals, a deal dragged to another stage with the mouse, another with the keyboard,
 * one won through "Move to…" with its reason, and a refused move put back with an alert.
 * Every move is checked in the database. A rep outside the team keeps their deal to
 * themselves, and a read-only role sees the board without any way to move a deal.
 */
const harness = useConsoleHarness()
const db = () => harness.database.db

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

let manager: Person
let rep: Person
let outsider: Person
const deals: Record<string, string> = {}

async function post<T>(url: string, payload: object): Promise<T> {
  const res = await harness.app.inject({ method: 'POST', url, payload })
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json<T>()
}

async function account(name: string, ownerId: string) {
  return (await post<{ id: string }>('/v1/accounts', { name, ownerId, currency: 'INR' })).id
}

async function deal(key: string, body: Record<string, unknown>) {
  deals[key] = (await post<{ id: string }>('/v1/opportunities', { closeDate: inDays(20), ...body })).id
}

const stageOf = async (key: string) =>
  (await db().opportunity.findUniqueOrThrow({ where: { id: deals[key]! } })).stage

const column = (page: Page, stage: string) => page.locator(`section[data-stage="${stage}"]`)
const card = (page: Page, key: string) => page.locator(`[data-deal-id="${deals[key]}"]`)

/** The column a deal's card is in now, read from the page. */
const columnOf = (page: Page, key: string) =>
  card(page, key).evaluate((el) => el.closest('section')?.getAttribute('data-stage') ?? null)

beforeAll(async () => {
  manager = await harness.person('sales_manager', { name: 'Meera Kapoor' })
  rep = await harness.person('sales_rep', { name: 'Arjun Rao', managerId: manager.id })
  outsider = await harness.person('sales_rep', { name: 'Zoya Khan' })
  const kaveri = await account('Kaveri Textiles', rep.id)
  const indus = await account('Indus Logistics', manager.id)
  const elsewhere = await account('Outsider Foods', outsider.id)
  await deal('erp', { accountId: kaveri, name: 'Kaveri ERP rollout', amount: 500000, ownerId: rep.id })
  await deal('fleet', {
    accountId: indus,
    name: 'Indus fleet tracking',
    amount: 1200000,
    stage: 'needs_analysis',
    ownerId: manager.id,
  })
  await deal('support', {
    accountId: kaveri,
    name: 'Kaveri support plan',
    amount: 8000,
    currency: 'USD',
    stage: 'proposal',
    ownerId: rep.id,
  })
  await deal('sensors', {
    accountId: indus,
    name: 'Indus warehouse sensors',
    amount: 300000,
    ownerId: manager.id,
  })
  // More of the team's deals, for a board that looks like a working week.
  const sahyadri = await account('Sahyadri Agro', rep.id)
  await deal('agro', { accountId: sahyadri, name: 'Sahyadri Agro CRM', amount: 150000, ownerId: rep.id })
  await deal('spices', {
    accountId: indus,
    name: 'Malabar route planning',
    amount: 420000,
    stage: 'needs_analysis',
    closeDate: inDays(45),
    ownerId: manager.id,
  })
  await deal('dealer', {
    accountId: sahyadri,
    name: 'Sahyadri dealer app',
    amount: 2500000,
    stage: 'negotiation',
    closeDate: inDays(9),
    ownerId: rep.id,
  })
  await deal('hidden', {
    accountId: elsewhere,
    name: 'Outsider Foods CRM',
    amount: 90000,
    ownerId: outsider.id,
  })
})

describe('pipeline board', () => {
  it("shows the manager's team by stage and moves deals by mouse, keyboard and “Move to…”", async () => {
    const { context, page } = await harness.open(manager, { path: '/console/pipeline' })
    await page.getByRole('link', { name: 'Pipeline' }).click()
    await page.getByRole('heading', { level: 1, name: 'Pipeline' }).waitFor()
    await card(page, 'erp').getByText('Kaveri Textiles').waitFor()

    // The team's deals, not the outsider's; totals per column, per currency.
    expect(await page.getByText('Outsider Foods CRM').count()).toBe(0)
    const qualification = column(page, 'qualification')
    expect(await qualification.locator('.stage-count').textContent()).toBe('3 deals')
    expect((await qualification.locator('.stage-sum').textContent())!.replace(/\D/g, '')).toBe('950000')
    expect(await column(page, 'proposal').locator('.stage-sum').textContent()).toContain('$')
    await expect.poll(() => card(page, 'fleet').textContent()).toContain('Meera Kapoor')
    expect(await card(page, 'erp').textContent()).toContain('Arjun Rao')
    expect(await accessibilityProblems(page)).toEqual([])

    // The mouse: press on the card, move in steps over the Proposal column, release.
    const from = (await card(page, 'erp').locator('h3').boundingBox())!
    const to = (await column(page, 'proposal').boundingBox())!
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2 + 5, { steps: 4 })
    await page.mouse.move(to.x + to.width / 2, to.y + 120, { steps: 12 })
    await page.mouse.up()
    await expect.poll(() => columnOf(page, 'erp')).toBe('proposal')
    await expect.poll(() => stageOf('erp')).toBe('proposal')

    // The keyboard: pick up from the handle, two stages to the right, drop.
    await page.getByRole('button', { name: 'Drag Indus fleet tracking' }).focus()
    await page.keyboard.press('Space')
    await page.waitForTimeout(100)
    await page.keyboard.press('ArrowRight')
    await page.waitForTimeout(100)
    await page.keyboard.press('ArrowRight')
    await page.waitForTimeout(100)
    await page.keyboard.press('Space')
    await expect.poll(() => stageOf('fleet')).toBe('negotiation')
    await expect
      .poll(() => page.locator('[id^="DndLiveRegion"]').textContent())
      .toContain('Indus fleet tracking dropped on Negotiation')
    // Focus stays with the deal, in its new column.
    await expect
      .poll(() => page.locator(':focus').getAttribute('aria-label'))
      .toBe('Drag Indus fleet tracking')

    // Dropped on Lost with the keyboard: the reason is asked for, with focus in it; Escape
    // leaves the deal where it was.
    await page.getByRole('button', { name: 'Drag Sahyadri Agro CRM' }).focus()
    await page.keyboard.press('Space')
    for (let i = 0; i < 5; i++) {
      await page.waitForTimeout(60)
      await page.keyboard.press('ArrowRight')
    }
    await page.waitForTimeout(60)
    await page.keyboard.press('Space')
    const lostReason = page.getByLabel('Why was it lost?')
    await expect.poll(() => lostReason.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
    await screenshot(page, 'pipeline-close-reason')
    await page.keyboard.press('Escape')
    await expect.poll(() => lostReason.count()).toBe(0)
    await expect.poll(() => page.locator(':focus').textContent()).toBe('Move to… Sahyadri Agro CRM')
    expect(await stageOf('agro')).toBe('qualification')

    // "Move to…" Won: the reason is asked for inline, and required.
    await card(page, 'support')
      .getByRole('button', { name: /Move to/ })
      .click()
    await card(page, 'support').getByRole('button', { name: 'Won' }).click()
    const reason = page.getByLabel('Why was it won?')
    await expect.poll(() => reason.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
    await page.getByRole('button', { name: 'Mark won' }).click()
    await page.getByText('Say why, in a few words').waitFor()
    expect(await stageOf('support')).toBe('proposal')
    await reason.fill('Chose the annual plan after the pilot')
    await page.getByRole('button', { name: 'Mark won' }).click()
    await expect.poll(() => stageOf('support')).toBe('closed_won')
    await expect.poll(() => columnOf(page, 'support')).toBe('closed_won')
    const won = await db().opportunity.findUniqueOrThrow({ where: { id: deals['support']! } })
    expect(won.wonReason).toBe('Chose the annual plan after the pilot')
    expect(await column(page, 'closed_won').textContent()).toContain('Chose the annual plan')

    // A move the API refuses (the deal was lost meanwhile, elsewhere) is put back, with an alert.
    await post(`/v1/opportunities/${deals['sensors']}/lose`, { reason: 'Budget frozen' })
    await card(page, 'sensors')
      .getByRole('button', { name: /Move to/ })
      .click()
    await card(page, 'sensors').getByRole('button', { name: 'Needs analysis' }).click()
    const alert = page.locator('.move-failure')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('“Indus warehouse sensors” was not moved to Needs analysis')
    expect(await stageOf('sensors')).toBe('closed_lost')
    // …and the board then shows where the deal really is.
    await expect.poll(() => columnOf(page, 'sensors')).toBe('closed_lost')
    expect(await accessibilityProblems(page)).toEqual([])
    await alert.getByRole('button', { name: 'Dismiss' }).click()
    await screenshot(page, 'pipeline')

    // Only the manager's own deals.
    await page.getByLabel('Owner').selectOption({ label: 'Me (Meera Kapoor)' })
    await expect.poll(() => card(page, 'erp').count()).toBe(0)
    expect(await card(page, 'fleet').count()).toBe(1)
    await context.close()
  })

  it('shows a read-only role the board without drag handles or move controls', async () => {
    const viewer = await harness.person('read_only', { name: 'Nisha Verma' })
    const { context, page } = await harness.open(viewer, { path: '/console/pipeline' })
    await card(page, 'fleet').waitFor()
    // read_only sees every deal, the outsider's included, and can move none.
    await card(page, 'hidden').waitFor()
    expect(await page.getByText('Your role can see the pipeline but not move deals.').isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: /^Drag / }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /Move to/ }).count()).toBe(0)
    expect(await page.locator('[aria-roledescription="draggable"]').count()).toBe(0)
    expect(await accessibilityProblems(page)).toEqual([])
    await context.close()
  })
})
