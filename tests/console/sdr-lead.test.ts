import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { accessibilityProblems, screenshot, useConsoleHarness } from '../support/browser.js'

/*
 * An SDR works a lead from capture to conversion in a real browser, with a real worker
 * running its journey: finds it by search, reads its score explanation, consent and
 * timeline, marks it contacted (completing the first-contact task the journey opened), logs
 * a call, qualifies it with BANT, previews the conversion and converts it. The database
 * holds the account, contact and opportunity, and the lead is converted.
 */
const harness = useConsoleHarness({ worker: true })

async function inject<T>(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, status = 200) {
  const res = await harness.app.inject({ method, url, ...(payload ? { payload } : {}) })
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status)
  return res.json<T>()
}

describe('a lead in the console', () => {
  it('goes from the list to converted through the lead page', async () => {
    const db = harness.database.db
    // The playbook, made quick: never quiet, and the first-contact task opens seconds after capture.
    await db.ruleSet.create({
      data: {
        id: uuidv7(),
        kind: 'journey',
        version: 2,
        status: 'active',
        definition: {
          quietHours: { start: '00:00', end: '00:00', weekendsQuiet: false },
          firstContactWithinHours: 0.001,
        },
        createdBy: 'test',
      },
    })
    const sdr = await harness.person('sdr', { name: 'Priya Nair' })
    const lead = await inject<{ id: string }>(
      'POST',
      '/v1/leads',
      {
        channel: 'web_form',
        firstName: 'Meera',
        lastName: 'Iyer',
        email: 'meera.iyer@bengaluru-robotics.in',
        phone: '+91 98450 12345',
        company: 'Bengaluru Robotics',
        title: 'VP Operations',
        industry: 'software',
        companySize: '201-500',
        country: 'IN',
        consent: { granted: true, channels: ['email'], source: 'web_form:demo', textVersion: 'v3' },
        attribution: { source: 'google', medium: 'cpc', campaign: 'robotics-pilot' },
      },
      202,
    )
    // Assignment rules leave new leads in the queue; a manager hands this one to the SDR.
    await inject('PATCH', `/v1/leads/${lead.id}`, { ownerId: sdr.id })
    // She clicked two nurture emails (as SendGrid would report): hot, but nobody reached her yet.
    for (const eventId of ['sg-click-1', 'sg-click-2'])
      await inject('POST', `/v1/leads/${lead.id}/engagement`, { event: 'emailClick', eventId })
    const firstContact = () =>
      db.task.findFirst({
        where: { leadId: lead.id, kind: 'first_contact', status: 'open', assigneeId: sdr.id },
      })
    await expect.poll(firstContact, { timeout: 20_000, interval: 250 }).not.toBeNull()
    const task = (await firstContact())!

    // The list: search finds her; the link opens her page.
    const { context, page } = await harness.open(sdr, { path: '/console/leads' })
    await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor()
    await page.getByRole('searchbox', { name: 'Search' }).fill('Meera')
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('Meera')
    await page.getByRole('status').filter({ hasText: '1 lead shown' }).waitFor()
    const row = page.getByRole('row').filter({ hasText: 'Bengaluru Robotics' })
    expect(await row.textContent()).toMatch(/80\s*hot/)
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'leads')
    await row.getByRole('link', { name: 'Meera Iyer' }).click()

    // The lead page: score explanation, consent, the journey and its timeline.
    await page.getByRole('heading', { level: 1, name: 'Meera Iyer' }).waitFor()
    const score = page.getByRole('region', { name: /Score/ })
    await score.getByRole('cell', { name: 'Senior title' }).waitFor()
    expect(await score.getByText(/^80\/100/).textContent()).toContain('engagement 20')
    expect(await score.getByRole('table', { name: 'Score breakdown' }).textContent()).toContain('+20')
    const consent = page.getByRole('region', { name: 'Consent' })
    expect(await consent.getByRole('list').getByRole('listitem').first().textContent()).toMatch(
      /Email\s*Opted in/,
    )
    const timeline = page.getByRole('region', { name: 'Timeline' })
    await timeline.getByText('Clicked a link in an email').first().waitFor()
    const journey = page.getByRole('region', { name: 'Journey' })
    await journey.getByText('First contact (attempt 1)').first().waitFor()
    expect(await accessibilityProblems(page)).toEqual([])

    // Mark contacted: completes the journey's first-contact task, and the journey opens qualification (score 80).
    const actions = page.getByRole('group', { name: 'Actions' })
    await actions.getByRole('button', { name: 'Mark contacted', exact: true }).click()
    const contacted = page.getByRole('region', { name: 'Mark contacted', exact: true })
    await contacted.getByText('Completes the open task').waitFor()
    await contacted.getByRole('button', { name: 'Mark contacted' }).click()
    await page.getByRole('status').filter({ hasText: 'Marked contacted' }).waitFor()
    await expect
      .poll(async () => (await db.task.findUniqueOrThrow({ where: { id: task.id } })).outcome)
      .toBe('contacted')
    await journey.getByText('Qualification', { exact: true }).waitFor({ timeout: 20_000 })

    // Log a call.
    await actions.getByRole('button', { name: 'Log a call', exact: true }).click()
    const call = page.getByRole('region', { name: 'Log a call', exact: true })
    await call.getByLabel('Outcome').selectOption('connected')
    await call.getByLabel('Duration (minutes)').fill('12')
    await call
      .getByLabel('Notes')
      .fill('Walked through the robot cell pilot; wants pricing for three plants.')
    await call.getByRole('button', { name: 'Log call' }).click()
    await page.getByRole('status').filter({ hasText: 'Call logged' }).waitFor()
    await timeline.getByText('wants pricing for three plants').waitFor()
    expect(await timeline.getByRole('listitem').filter({ hasText: 'three plants' }).textContent()).toContain(
      'Duration: 12 min',
    )

    // Qualify with BANT; the journey's summary comes back.
    await actions.getByRole('button', { name: 'Qualify', exact: true }).click()
    const qualify = page.getByRole('region', { name: 'Qualify', exact: true })
    const criterion = (name: string) => qualify.getByRole('group', { name: new RegExp(`^${name}`) })
    await criterion('Budget').getByLabel('Budget: answer').selectOption('confirmed')
    await criterion('Budget').getByLabel('Amount').fill('1500000')
    await criterion('Authority').getByLabel('Authority: answer').selectOption('confirmed')
    await criterion('Authority').getByLabel('Their role').selectOption('decision_maker')
    await criterion('Need').getByLabel('Need: answer').selectOption('confirmed')
    await criterion('Timeline').getByLabel('Timeline: answer').selectOption('partial')
    await criterion('Timeline').getByLabel('Target date').fill('2031-03-01')
    expect(await accessibilityProblems(page)).toEqual([])
    await qualify.getByRole('button', { name: 'Save BANT answers' }).click()
    await page.getByRole('status').filter({ hasText: 'BANT 88/100' }).waitFor()
    const qualification = page.getByRole('region', { name: 'Qualification', exact: true })
    await qualification.getByText('Qualified', { exact: true }).waitFor()
    await screenshot(page, 'lead')

    // Convert: preview what would be created, then convert.
    await actions.getByRole('button', { name: 'Convert', exact: true }).click()
    const convert = page.getByRole('region', { name: 'Convert', exact: true })
    await convert.getByText('can convert').waitFor()
    await convert.getByLabel('Amount').fill('1250000')
    await convert.getByLabel('Close date').fill('2031-03-31')
    expect(await db.account.count()).toBe(0)
    // A mistyped GSTIN: the API's field error sits next to that input.
    const gstin = convert.getByLabel('GSTIN (optional)')
    await gstin.fill('29ABCDE1234')
    await convert.getByRole('button', { name: 'Preview conversion' }).click()
    await convert.getByText('is not a GSTIN').waitFor()
    expect(await gstin.getAttribute('aria-invalid')).toBe('true')
    expect(await gstin.getAttribute('aria-describedby')).toBeTruthy()
    await gstin.fill('')
    await convert.getByRole('button', { name: 'Preview conversion' }).click()
    const preview = convert.getByRole('region', { name: 'Account' })
    await preview.getByText('Creates Bengaluru Robotics').waitFor()
    expect(await convert.getByRole('region', { name: 'Opportunity' }).textContent()).toMatch(
      /12,50,000|1,250,000/,
    )
    expect(await db.account.count()).toBe(0)
    await convert.getByRole('button', { name: 'Convert lead' }).click()
    const converted = page.getByRole('region', { name: 'Converted', exact: true })
    await converted.getByText('The lead is converted').waitFor({ timeout: 20_000 })
    await journey.getByText('Converted', { exact: true }).waitFor()
    expect(await actions.getByRole('button', { name: 'Convert', exact: true }).count()).toBe(0)
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'lead-converted')

    const [stored, account, conversion] = await Promise.all([
      db.lead.findUniqueOrThrow({ where: { id: lead.id } }),
      db.account.findFirstOrThrow({ where: { domain: 'bengaluru-robotics.in' } }),
      db.leadConversion.findUniqueOrThrow({ where: { leadId: lead.id } }),
    ])
    expect(stored.status).toBe('CONVERTED')
    expect(account.name).toBe('Bengaluru Robotics')
    expect(await converted.textContent()).toContain(account.id)
    const [contact, opportunity] = await Promise.all([
      db.contact.findUniqueOrThrow({ where: { id: conversion.contactId } }),
      db.opportunity.findUniqueOrThrow({ where: { id: conversion.opportunityId } }),
    ])
    expect(contact).toMatchObject({ accountId: account.id, email: 'meera.iyer@bengaluru-robotics.in' })
    expect(opportunity).toMatchObject({ accountId: account.id, currency: 'INR' })
    expect(Number(opportunity.amount)).toBe(1250000)
    const calls = await db.activity.findMany({
      where: { leadId: lead.id, kind: 'call', actorId: `user:${sdr.id}` },
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.details).toMatchObject({ outcome: 'connected', durationSeconds: 720 })
    await context.close()

    // Marketing sees every lead but not phone numbers, and may not work the journey: no actions.
    const marketer = await harness.person('marketing', { name: 'Kavya Menon' })
    const other = await harness.open(marketer, { path: `/console/leads/${lead.id}` })
    await other.page.getByRole('heading', { level: 1, name: 'Meera Iyer' }).waitFor()
    const summary = other.page.getByRole('region', { name: 'Summary' })
    expect(await summary.textContent()).toMatch(/Phone\s*Hidden for your role/)
    expect(await other.page.getByRole('group', { name: 'Actions' }).count()).toBe(0)
    expect(await accessibilityProblems(other.page)).toEqual([])
    await other.context.close()
  })

  it('disqualifies a lead with a reason, which ends its journey', async () => {
    const db = harness.database.db
    const sdr = await harness.person('sdr', { name: 'Arjun Rao' })
    const lead = await inject<{ id: string }>(
      'POST',
      '/v1/leads',
      {
        channel: 'web_form',
        firstName: 'Rohit',
        lastName: 'Sharma',
        email: 'rohit.sharma@pune-steelworks.in',
        company: 'Pune Steelworks',
        consent: { granted: true, channels: ['email'], source: 'web_form:newsletter' },
      },
      202,
    )
    await inject('PATCH', `/v1/leads/${lead.id}`, { ownerId: sdr.id })
    await expect
      .poll(async () => (await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).journeyStage, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe('Nurturing')

    const { context, page } = await harness.open(sdr, { path: `/console/leads/${lead.id}` })
    await page.getByRole('heading', { level: 1, name: 'Rohit Sharma' }).waitFor()
    const actions = page.getByRole('group', { name: 'Actions' })
    await actions.getByRole('button', { name: 'Disqualify', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Disqualify', exact: true })
    // Focus is in the panel's first field; a reason is needed.
    expect(await panel.getByLabel('Reason').evaluate((el) => el.matches(':focus'))).toBe(true)
    await panel.getByRole('button', { name: 'Disqualify lead' }).click()
    await panel.getByText('Give a reason.').waitFor()
    await panel.getByLabel('Reason').fill('No budget this year')
    await panel.getByRole('button', { name: 'Disqualify lead' }).click()
    await page.getByRole('status').filter({ hasText: 'Lead disqualified' }).waitFor()
    expect((await db.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe('DISQUALIFIED')
    await page
      .getByRole('region', { name: 'Journey' })
      .getByText('Disqualified', { exact: true })
      .waitFor({ timeout: 20_000 })
    // A final stage: nothing left to do but log calls.
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Log a call'])
    await context.close()
  })
})
