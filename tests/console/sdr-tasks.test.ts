import { describe, expect, it } from 'vitest'
import { accessibilityProblems, screenshot, useConsoleHarness } from '../support/browser.js'

/*
 * An SDR works their task inbox in a real browser: sees their overdue and today's tasks (and
 * not a colleague's), completes one with an outcome and a note, snoozes another to tomorrow
 * 9:00, all with the console's own controls; the database holds what they chose.
 */
const harness = useConsoleHarness()

const HOUR = 3_600_000

async function inject<T>(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, status = 200) {
  const res = await harness.app.inject({ method, url, ...(payload ? { payload } : {}) })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status)
  return res.json<T>()
}

/** Two hours from now: later today (the "Today" tab), or after midnight late in the evening ("Upcoming"). */
function soon(now = new Date()): { at: Date; tab: 'Today' | 'Upcoming' } {
  const at = new Date(now.getTime() + 2 * HOUR)
  return { at, tab: at.getDate() === now.getDate() ? 'Today' : 'Upcoming' }
}

describe('my tasks', () => {
  it('completes one task with an outcome and snoozes another, showing only my tasks', async () => {
    const sdr = await harness.person('sdr', { name: 'Priya Nair' })
    const colleague = await harness.person('sdr', { name: 'Rahul Verma' })
    const lead = await inject<{ id: string }>(
      'POST',
      '/v1/leads',
      {
        channel: 'web_form',
        firstName: 'Meera',
        lastName: 'Iyer',
        email: 'meera.iyer@bengaluru-robotics.in',
        company: 'Bengaluru Robotics',
        title: 'VP Operations',
      },
      202,
    )
    await inject('PATCH', `/v1/leads/${lead.id}`, { ownerId: sdr.id })
    const task = (body: object) => inject<{ id: string }>('POST', '/v1/tasks', body, 201)
    const overdue = await task({
      title: 'Call back Meera about the pilot',
      kind: 'call',
      priority: 'high',
      dueAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      assigneeId: sdr.id,
      leadId: lead.id,
    })
    const later = soon()
    const today = await task({
      title: 'Send the pricing deck',
      kind: 'email',
      dueAt: later.at.toISOString(),
      assigneeId: sdr.id,
      leadId: lead.id,
    })
    await task({
      title: 'Rahul only: renewal call',
      kind: 'call',
      dueAt: new Date(Date.now() - HOUR).toISOString(),
      assigneeId: colleague.id,
    })

    const { context, page } = await harness.open(sdr, { path: '/console/tasks' })
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor()
    const overdueTab = page.getByRole('tab', { name: /Overdue/ })
    expect(await overdueTab.getAttribute('aria-selected')).toBe('true')
    const panel = page.getByRole('tabpanel')
    await panel.getByText('Call back Meera about the pilot').waitFor()
    // The lead it concerns, linked to its page.
    expect(await panel.getByRole('link', { name: 'Meera Iyer' }).first().getAttribute('href')).toBe(
      `/console/leads/${lead.id}`,
    )
    await expect.poll(() => overdueTab.textContent()).toMatch(/Overdue\s*1/)
    expect(await page.getByText('Rahul only').count()).toBe(0)
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'tasks')

    // Complete the overdue one: meeting booked, with a note.
    await panel.getByRole('button', { name: 'Complete “Call back Meera about the pilot”' }).click()
    const form = page.getByRole('form', { name: 'Complete “Call back Meera about the pilot”' })
    await form.getByLabel('Meeting booked').check()
    await form.getByLabel('Note (optional)').fill('Demo on Thursday at 11 with their plant head.')
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'tasks-complete')
    await form.getByRole('button', { name: 'Complete task' }).click()
    await page.getByRole('status').filter({ hasText: 'completed: meeting booked' }).waitFor()
    await expect.poll(() => panel.getByText('Call back Meera about the pilot').count()).toBe(0)
    const done = await harness.database.db.task.findUniqueOrThrow({ where: { id: overdue.id } })
    expect(done).toMatchObject({
      status: 'done',
      outcome: 'meeting_booked',
      note: 'Demo on Thursday at 11 with their plant head.',
      completedBy: `user:${sdr.id}`,
    })

    // To the Today tab with the keyboard (Upcoming late at night), then snooze the other task to tomorrow 9:00.
    await overdueTab.focus()
    await page.keyboard.press('ArrowRight')
    if (later.tab === 'Upcoming') await page.keyboard.press('ArrowRight')
    const laterTab = page.getByRole('tab', { name: new RegExp(later.tab) })
    // The tab follows the key press on the next render: wait for it rather than read it once.
    await expect.poll(() => laterTab.getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => laterTab.evaluate((el) => el.matches(':focus'))).toBe(true)
    await panel.getByRole('button', { name: 'Snooze “Send the pricing deck”' }).click()
    const tomorrowNine = await page.evaluate(() => {
      const d = new Date()
      d.setDate(d.getDate() + 1)
      d.setHours(9, 0, 0, 0)
      return d.toISOString()
    })
    await page
      .getByRole('form', { name: 'Snooze “Send the pricing deck”' })
      .getByRole('button', { name: /^Tomorrow 9:00/ })
      .click()
    await page.getByRole('status').filter({ hasText: 'snoozed until' }).waitFor()
    await expect.poll(() => panel.getByText('Send the pricing deck').count()).toBe(0)
    const snoozed = await harness.database.db.task.findUniqueOrThrow({ where: { id: today.id } })
    expect(snoozed.status).toBe('open')
    expect(snoozed.snoozedUntil?.toISOString()).toBe(tomorrowNine)

    // It waits in the Snoozed tab until then.
    await page.getByRole('tab', { name: /Snoozed/ }).click()
    await panel.getByText('Send the pricing deck').waitFor()
    expect(await page.getByText('Rahul only').count()).toBe(0)
    await context.close()
  })
})
