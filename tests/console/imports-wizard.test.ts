import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { accessibilityProblems, screenshot, useConsoleHarness } from '../support/browser.js'

/*
 * The import wizard in a real browser: upload a CSV through the file input, map a column
 * the hub did not recognise, preview, run, follow the progress bar to the end, and read the
 * two refused rows in the error report. The good rows must be leads in the database.
 */
const importDir = mkdtempSync(path.join(os.tmpdir(), 'leadwire-console-import-'))
const harness = useConsoleHarness({ config: { IMPORT_DIR: importDir } })
afterAll(() => rmSync(importDir, { recursive: true, force: true }))

// Rows 2-4 are good; row 5 has no email or phone, row 6 a broken email. "Firm Legal Name"
// is no spelling the hub knows, so it starts unmapped and the person maps it to Company.
const CSV = [
  'Full Name,Email,Firm Legal Name,City',
  'Asha Rao,asha.rao@nimbus.example.in,Nimbus Software Pvt Ltd,Pune',
  'Ravi Kumar,ravi.kumar@indus.example.in,Indus Labs LLP,Chennai',
  'Meena Iyer,meena.iyer@lotus.example.in,Lotus Foods,Bengaluru',
  'Nobody Here,,No Contact Co,Delhi',
  'Bad Email,not-an-email,X Traders,Mumbai',
].join('\r\n')

describe('console: import wizard', () => {
  it('uploads a CSV, maps a column, runs it to the end and reports the two bad rows', async () => {
    const { db } = harness.database
    const marketer = await harness.person('marketing', { name: 'Farah Khan' })
    const { context, page } = await harness.open(marketer, { path: '/console/imports' })
    await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor()
    await page.getByText('No imports yet.').waitFor()

    await page.getByLabel('File (CSV or XLSX)').setInputFiles({
      name: 'expo-leads.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    })
    await page.getByRole('button', { name: 'Upload and map columns' }).click()
    await page.getByRole('heading', { level: 1, name: 'Import: expo-leads.csv' }).waitFor()
    const job = await db.importJob.findFirstOrThrow()
    expect(page.url()).toContain(`/console/imports/${job.id}`)
    expect(job).toMatchObject({
      status: 'uploaded',
      fileName: 'expo-leads.csv',
      createdBy: `user:${marketer.id}`,
    })

    // The detected columns with their first values, and the suggested fields.
    const firm = page.getByLabel('Lead field for “Firm Legal Name”')
    expect(await firm.inputValue()).toBe('')
    expect(await page.getByLabel('Lead field for “Email”').inputValue()).toBe('email')
    expect(await page.getByLabel('Lead field for “Full Name”').inputValue()).toBe('fullName')
    const firmRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Firm Legal Name' }) })
    expect(await firmRow.textContent()).toContain('Nimbus Software Pvt Ltd · Indus Labs LLP · Lotus Foods')
    await firm.selectOption('company')
    await page.getByLabel('Campaign').fill('expo-nov-2026')

    await page.getByRole('button', { name: 'Preview (dry run)' }).click()
    const preview = page.getByRole('region', { name: 'Dry run: nothing imported yet' })
    await preview.waitFor()
    expect(await preview.getByRole('status').textContent()).toBe(
      '5 rows checked: 3 would become new leads, 2 would fail.',
    )
    expect(await db.lead.count()).toBe(0)
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'import-preview')

    // The run answers at once with the job running; each poll of it is held back a little
    // here, so the progress view stays up long enough to be read before a five-row file ends.
    const jobUrl = `**/v1/imports/${job.id}`
    await page.route(jobUrl, async (route) => {
      await new Promise((r) => setTimeout(r, 1_500))
      await route.continue()
    })
    await page.getByRole('button', { name: 'Start import' }).click()
    await page.getByRole('heading', { level: 2, name: 'Importing…' }).waitFor()
    const bar = page.getByRole('progressbar', { name: 'Import progress' })
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/^\d+%, \d of 5 rows processed$/)
    await page.unroute(jobUrl)
    await page.getByRole('heading', { level: 2, name: 'Import done' }).waitFor({ timeout: 20_000 })
    const done = page.getByRole('progressbar', { name: 'Import progress' })
    expect(await done.getAttribute('aria-valuetext')).toBe('Done, 100%')
    expect(await done.getAttribute('value')).toBe('1')
    expect(await page.getByRole('status').filter({ hasText: 'rows imported' }).textContent()).toBe(
      '5 rows imported: 3 new leads, 2 rows failed.',
    )

    // The error report: the two refused rows, by their row number in the file.
    const report = page.getByRole('region', { name: 'Row error report' })
    await report.locator('tr[data-row]').first().waitFor()
    const lines = await report.locator('tbody tr').all()
    const rows = await Promise.all(lines.map((line) => line.locator('td').allTextContents()))
    expect(rows.map((r) => r[0])).toEqual(['5', '6'])
    expect(rows[0]![3]).toBe('An email address or a phone number is required to follow up on this lead.')
    expect(rows[1]![1]).toBe('Email')
    expect(rows[1]![2]).toBe('email')
    await report.getByRole('button', { name: 'Download report (CSV)' }).waitFor()
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'import-done')

    const download = page.waitForEvent('download')
    await report.getByRole('button', { name: 'Download report (CSV)' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('expo-leads-errors.csv')
    const csv = await readFile(await file.path(), 'utf8')
    expect(csv.split('\r\n').slice(0, 3)).toEqual([
      'Row,Column,Field,Problem,Full Name,Email,Firm Legal Name,City',
      '5,Email,email,An email address or a phone number is required to follow up on this lead.,Nobody Here,,No Contact Co,Delhi',
      // A message with quotes is quoted, its quotes doubled (RFC 4180).
      '6,Email,email,"The email address is not valid: check for typos such as a missing ""@"" or domain.",Bad Email,not-an-email,X Traders,Mumbai',
    ])

    // The database holds the good rows as leads, with the mapped column and the campaign.
    const leads = await db.lead.findMany({ where: { channel: 'import' }, orderBy: { email: 'asc' } })
    expect(leads.map((l) => [l.email, l.firstName, l.lastName, l.company, l.city])).toEqual([
      ['asha.rao@nimbus.example.in', 'Asha', 'Rao', 'Nimbus Software Pvt Ltd', 'Pune'],
      ['meena.iyer@lotus.example.in', 'Meena', 'Iyer', 'Lotus Foods', 'Bengaluru'],
      ['ravi.kumar@indus.example.in', 'Ravi', 'Kumar', 'Indus Labs LLP', 'Chennai'],
    ])
    expect(await db.importJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: 'completed',
      createdLeads: 3,
      failedRows: 2,
    })

    // The list shows the import with its outcome.
    await page.getByRole('link', { name: 'All imports' }).click()
    const listed = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'expo-leads.csv' }) })
    await listed.waitFor()
    // The list first shows what it had cached (uploaded, not run), then its refetch after the run.
    await expect
      .poll(() => listed.getByRole('cell').allTextContents())
      .toEqual(expect.arrayContaining(['Done', '5', '3', '2']))
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'imports')
    await context.close()
  })
})
