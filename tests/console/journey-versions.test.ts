import { Client, Connection } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { LEAD_JOURNEY_WORKFLOW, leadJourneyId } from '../../workflows/lead-journey.messages.js'
import { JOURNEY_VERSION, STAGE } from '../../workflows/search-attributes.js'
import { accessibilityProblems, screenshot, useConsoleHarness } from '../support/browser.js'
import { uniqueTaskQueue } from '../support/temporal.js'
import { journeyNamespaceName, registerJourneyNamespace } from '../workflows/support/namespace.js'

/*
 * Where a deploy stands, in the console: the dashboards page shows how many lead journeys run
 * on each workflow version, the numbers GET /v1/journeys/counts gives the same person. The
 * journeys live in a namespace of this file's own, started with their version already set and
 * no worker to run them (they stay running): the console test is about showing the counts;
 * tests/guarantees/journey-versions.test.ts proves real journeys move between versions.
 */

const NAMESPACE = journeyNamespaceName('console-versions')
const SEEDED = [
  { version: '2', stage: 'Nurturing' },
  { version: '2', stage: 'Nurturing' },
  { version: '2', stage: 'Contacted' },
  { version: '3', stage: 'New' },
] as const

let connection: Connection | undefined
let client: Client

// Registered before the harness's own beforeAll, which builds the app on this namespace.
beforeAll(async () => {
  await registerJourneyNamespace(NAMESPACE)
  connection = await Connection.connect({ address: inject('temporalAddress') })
  client = new Client({ connection, namespace: NAMESPACE })
  const taskQueue = uniqueTaskQueue('nobody-polls')
  await Promise.all(
    SEEDED.map((s, i) =>
      client.workflow.start(LEAD_JOURNEY_WORKFLOW, {
        workflowId: leadJourneyId(`01a20c45-0000-7000-8000-0000000ee0${String(i).padStart(2, '0')}`),
        taskQueue,
        args: [{ leadId: `01a20c45-0000-7000-8000-0000000ee0${String(i).padStart(2, '0')}` }],
        typedSearchAttributes: [
          { key: JOURNEY_VERSION, value: s.version },
          { key: STAGE, value: s.stage },
        ],
      }),
    ),
  )
}, 60_000)
afterAll(async () => {
  if (client)
    for await (const w of client.workflow.list({ query: `ExecutionStatus = 'Running'` }))
      await client.workflow.getHandle(w.workflowId).terminate('test over')
  await connection?.close()
})

const harness = useConsoleHarness({ config: { TEMPORAL_NAMESPACE: NAMESPACE } })

describe('journeys by version on the dashboards', () => {
  it('shows a manager how many journeys run on each version, as the API counts them', async () => {
    const manager = await harness.person('sales_manager', { name: 'Meera Kapoor' })
    type Counts = { running: number; byVersion: { version: string; running: number }[] }
    const countsAsManager = async () => {
      const res = await harness.app.inject({
        method: 'GET',
        url: '/v1/journeys/counts',
        headers: { 'x-leadwire-user': manager.id },
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<Counts>()
    }
    // Visibility trails a start by a moment: the page is opened once the API sees all four.
    await expect.poll(async () => (await countsAsManager()).running, { timeout: 15_000 }).toBe(SEEDED.length)
    const counts = await countsAsManager()
    expect(counts.byVersion).toEqual([
      { version: '2', running: 3 },
      { version: '3', running: 1 },
    ])

    const { context, page } = await harness.open(manager)
    await page.getByRole('link', { name: 'Dashboards' }).click()
    const table = page.getByRole('table', { name: 'Journeys by version', exact: true })
    await table.waitFor()
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
      )
    expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual([
      ['Version 2', '3', '75%'],
      ['Version 3', '1', '25%'],
    ])
    expect(await table.locator('tfoot td.num').first().textContent()).toBe(String(counts.running))
    await expect
      .poll(() => page.getByRole('region', { name: 'Journeys by version' }).textContent())
      .toContain('4 lead journeys running: 3 on version 2, 1 on version 3.')

    await page.getByText('By stage').click()
    const stages = await page
      .getByRole('table', { name: 'Journeys by stage', exact: true })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.textContent?.trim()))
    expect(stages).toEqual(['New1', 'Nurturing2', 'Contacted1'])

    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'dashboards-journey-versions')
    await context.close()
  })
})
