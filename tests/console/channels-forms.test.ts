import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessibilityProblems, screenshot, useConsoleHarness } from '../support/browser.js'

/*
 * Wiring a web form from the console, as marketing does it: create the form with the site
 * that will embed it as an allowed origin, copy its embed snippet, paste it into that site's
 * page (a second loopback origin this test serves), and send the form from there as a
 * visitor. The lead must exist with the form's channel and the consent the visitor gave.
 */

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** The marketing site: one page, into which the test pastes the snippet copied from the console. */
let sitePage = ''
const site = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(sitePage)
})
let siteUrl = ''

const harness = useConsoleHarness()
beforeAll(async () => {
  siteUrl = await listen(site)
})
afterAll(async () => {
  site.closeAllConnections()
  await new Promise((r) => site.close(r))
})

const WORDING = 'I agree that Acme Tools may contact me about my enquiry by email.'

describe('console: web forms', () => {
  it('creates a form, copies its embed snippet, and the snippet on another site captures a lead with consent', async () => {
    const { db } = harness.database
    const marketer = await harness.person('marketing', { name: 'Meera Kapoor' })
    const { context, page } = await harness.open(marketer, { path: '/console/channels?tab=forms' })

    await page.getByRole('tab', { name: 'Web forms' }).waitFor()
    expect(await page.getByRole('tab', { name: 'Web forms' }).getAttribute('aria-selected')).toBe('true')
    await page.getByRole('button', { name: 'New form' }).click()
    await page.getByLabel('Form name').fill('Pricing enquiry')
    expect(await page.getByLabel('Form id').inputValue()).toBe('pricing-enquiry')
    const fields = page.getByRole('group', { name: 'Fields the form asks for' })
    expect(await fields.getByRole('checkbox', { name: 'Email', exact: true }).isChecked()).toBe(true)
    await fields.getByRole('checkbox', { name: 'City', exact: true }).check()
    await page.getByLabel('Consent wording').fill(WORDING)
    await page.getByRole('group', { name: 'Consent covers' }).getByLabel('Email').check()

    // An origin with a path is refused by the API; its message shows next to the box.
    const origins = page.getByLabel('Sites allowed to embed it')
    await origins.fill(`${siteUrl}/contact`)
    await page.getByRole('button', { name: 'Create form' }).click()
    await expect
      .poll(() => page.locator('.field-error').allTextContents())
      .toContainEqual(expect.stringContaining('Line 1: An origin is a scheme, host and optional port'))
    expect(await origins.getAttribute('aria-invalid')).toBe('true')
    expect(await db.webForm.count()).toBe(0)
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'channels-form-editor')

    await origins.fill(siteUrl)
    await page.getByRole('button', { name: 'Create form' }).click()
    await page.getByRole('heading', { level: 2, name: /Pricing enquiry/ }).waitFor()
    const form = await db.webForm.findUniqueOrThrow({ where: { id: 'pricing-enquiry' } })
    expect(form).toMatchObject({
      name: 'Pricing enquiry',
      allowedOrigins: [siteUrl],
      consentText: WORDING,
      consentChannels: ['email'],
      createdBy: `user:${marketer.id}`,
    })
    expect(Object.values(form.fieldMapping as Record<string, string>).sort()).toEqual([
      'city',
      'company',
      'email',
      'fullName',
    ])

    // Copy the snippet: the clipboard, or (when the browser refuses it) the text selected.
    await page.getByRole('button', { name: 'Copy embed snippet' }).click()
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/Copied to the clipboard|Selected: press Ctrl\+C/))
    const snippet = (await page.getByTestId('embed-snippet').locator('pre').textContent()) ?? ''
    expect(snippet).toContain(`action="${harness.baseUrl}/f/pricing-enquiry"`)
    expect(snippet).toContain('/f/pricing-enquiry/embed.js')
    const hosted = page.getByRole('link', { name: /Open hosted page/ })
    expect(await hosted.getAttribute('href')).toBe(`${harness.baseUrl}/f/pricing-enquiry`)
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'channels-forms')

    // Editing keeps the field names a pasted snippet posts, and changes what the visitor sees.
    await page.getByRole('button', { name: 'Edit form' }).click()
    await page.getByLabel('Thank-you message').fill('Thanks! Our team will call you within a day.')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByText('Thanks! Our team will call you within a day.').waitFor()
    const edited = await db.webForm.findUniqueOrThrow({ where: { id: 'pricing-enquiry' } })
    expect(edited.successMessage).toBe('Thanks! Our team will call you within a day.')
    expect(edited.fieldMapping).toEqual(form.fieldMapping)
    expect(edited.consentTextVersion).toBe(form.consentTextVersion)
    await context.close()

    // A visitor on the marketing site, another origin, sends the pasted form.
    sitePage = [
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Tools: pricing</title></head>',
      `<body><h1>Ask for a quote</h1>\n${snippet}\n</body></html>`,
    ].join('\n')
    const visitor = await harness.browser.newContext()
    const visit = await visitor.newPage()
    const problems: string[] = []
    visit.on('pageerror', (err) => problems.push(err.message))
    visit.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text())
    })
    await visit.goto(`${siteUrl}/pricing?utm_source=newsletter&utm_campaign=diwali-2026`)
    await visit.locator('form[data-leadwire-ready="true"]').waitFor()
    await visit.getByLabel('Name', { exact: true }).fill('Kavya Menon')
    await visit.getByLabel('Email', { exact: true }).fill('kavya.menon@example.in')
    await visit.getByLabel('Company', { exact: true }).fill('Menon Exports')
    await visit.getByLabel('City', { exact: true }).fill('Kochi')
    await visit.getByLabel(WORDING).check()
    await visit.getByRole('button', { name: 'Send' }).click()
    await visit.getByText('Thanks! Our team will call you within a day.').waitFor()
    expect(problems).toEqual([])
    await visitor.close()

    const lead = await db.lead.findFirstOrThrow({ where: { email: 'kavya.menon@example.in' } })
    expect(lead).toMatchObject({
      channel: 'web_form',
      firstName: 'Kavya',
      lastName: 'Menon',
      company: 'Menon Exports',
      city: 'Kochi',
      consentStatus: 'granted',
    })
    const consent = await db.consentRecord.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(consent).toMatchObject({ status: 'granted', text: WORDING, channels: ['email'] })
    expect(consent.source).toContain('pricing-enquiry')
  })
})
