/*
 * `npm run bench:console`: how fast the web console opens and answers on a slow laptop, in
 * Debian's Chromium with the CPU slowed 4x (DevTools CPU throttling), on a populated
 * database, next to a baseline measured in the same run: the same browser loading a bare
 * static HTML page from a loopback server.
 *
 *   cold start     sign-in page → signed in → "My tasks" rows shown, empty browser cache
 *   warm start     the tasks page again with the assets cached (a returning person)
 *   leads list     in-app navigation to Leads until its rows show (200k leads in the table)
 *   lead search    typing a name into the search box until the matching row shows
 *   lead page      opening a lead until its timeline shows
 *
 * It prints figures and ratios; it is not a test and fails on nothing.
 *
 *   SEED_LEADS=200000   leads in the database (a twentieth of them the SDR's)
 *   SAMPLES=15          runs of each measurement
 *   CPU_SLOWDOWN=4      Chromium's CPU throttling rate (1 = this machine's speed)
 *   DATABASE_URL        a DISPOSABLE database to use; unset: a fresh embedded PostgreSQL
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { loadConfig } from '../platform/config.js'
import { buildConsoleIfStale, CONSOLE_DIST } from '../platform/console/build-console.js'
import { findChromium } from '../platform/console/chromium.js'
import { hashPassword } from '../security/passwords.js'
import { startApiProcess } from './support/api-process.js'
import { runBenchmark } from './support/cleanup.js'
import { provisionDatabase, seedLeads } from './support/database.js'
import { intEnv } from './support/env.js'
import { startBenchTemporal } from './support/journey-temporal.js'
import { createLogger } from '../platform/logger.js'
import { ms, summarise } from './support/stats.js'

const settings = {
  seedLeads: intEnv('SEED_LEADS', 200_000),
  samples: intEnv('SAMPLES', 15),
  cpuSlowdown: intEnv('CPU_SLOWDOWN', 4),
}
const SDR = { id: 'bench-console-sdr', email: 'sdr@bench.invalid', password: 'bench console password' }
const SEARCHED = 'Zenobia Quartermaine'

async function seedConsoleData(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(
      `INSERT INTO app_user (id, name, email, role, password_hash, updated_at)
       VALUES ($1, 'Bench SDR', $2, 'sdr', $3, now()) ON CONFLICT (id) DO NOTHING`,
      [SDR.id, SDR.email, await hashPassword(SDR.password)],
    )
    // A twentieth of the leads are the SDR's, with one open task each (a busy inbox: ~10k).
    await client.query(`UPDATE lead SET owner_id = $1 WHERE abs(hashtext(id::text)) % 20 = 0`, [SDR.id])
    await client.query(
      `INSERT INTO task (id, kind, title, status, lead_id, priority, assignee_id, due_at, created_by, updated_by, updated_at)
       SELECT gen_random_uuid(), 'first_contact', 'Call ' || coalesce(first_name, 'lead'), 'open', id, 'normal', $1,
              now() - (abs(hashtext(id::text)) % 72) * interval '1 hour', 'bench', 'bench', now()
         FROM lead WHERE owner_id = $1`,
      [SDR.id],
    )
    const { rows } = await client.query<{ id: string }>(
      `UPDATE lead SET first_name = 'Zenobia', last_name = 'Quartermaine'
        WHERE id = (SELECT id FROM lead WHERE owner_id = $1 ORDER BY id LIMIT 1) RETURNING id`,
      [SDR.id],
    )
    await client.query('VACUUM (ANALYZE) lead, task')
    return rows[0]!.id
  } finally {
    await client.end()
  }
}

/** The baseline: a bare static page, served from loopback like the console. */
async function startStaticServer(): Promise<{ url: string; close(): Promise<void> }> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>Static</title><h1>Static page</h1><p>Baseline.</p>'
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) }
}

async function throttledPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: settings.cpuSlowdown })
  return page
}

async function time(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now()
  await run()
  return performance.now() - t0
}

const rows = (page: Page) => page.locator('main table tbody tr').first().waitFor({ timeout: 30_000 })

async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/console/tasks`)
  await page.getByLabel('Email').fill(SDR.email)
  await page.getByLabel('Password').fill(SDR.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await rows(page)
}

async function bundleSizes(): Promise<{ initialGzip: number; totalGzip: number; files: number }> {
  const index = await readFile(path.join(CONSOLE_DIST, 'index.html'), 'utf8')
  const initial = [...index.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+)"/g)].map((m) => m[1]!)
  const gz = async (file: string) => gzipSync(await readFile(path.join(CONSOLE_DIST, file))).length
  const all = (await readdir(path.join(CONSOLE_DIST, 'assets'))).map((f) => `assets/${f}`)
  const sizes = await Promise.all(
    all.map(async (f) => ((await stat(path.join(CONSOLE_DIST, f))).isFile() ? gz(f) : 0)),
  )
  const initialSizes = await Promise.all(initial.map(gz))
  return {
    initialGzip: initialSizes.reduce((a, b) => a + b, 0),
    totalGzip: sizes.reduce((a, b) => a + b, 0),
    files: all.length,
  }
}

function report(name: string, samples: number[], baseline: number): void {
  const s = summarise(samples)
  console.log(
    `  ${name.padEnd(14)} p50 ${ms(s.p50).padStart(8)}  p90 ${ms(s.p90).padStart(8)}  ` +
      `ratio to the static page ${(s.p50 / baseline).toFixed(1)}`,
  )
}

await runBenchmark(async (cleanup) => {
  const built = await buildConsoleIfStale()
  const bundle = await bundleSizes()
  const database = await provisionDatabase(cleanup)
  const seeded = await seedLeads(database.url, settings.seedLeads)
  console.log(`${seeded.total} leads in the database (seeded in ${seeded.seconds.toFixed(1)} s)`)
  const leadId = await seedConsoleData(database.url)
  // A lead's page asks Temporal for its journey's state, as it would in production.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-bench-'))
  cleanup.add('remove the Temporal folder', () => rm(dir, { recursive: true, force: true }))
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_PRETTY: false }, { name: 'bench' })
  const temporal = await startBenchTemporal(cleanup, loadConfig(process.env), dir, log)
  const api = await startApiProcess({
    databaseUrl: database.url,
    poolMax: 10,
    temporalAddress: temporal.address,
  })
  cleanup.add('stop the API', () => api.stop())
  const staticServer = await startStaticServer()
  cleanup.add('stop the static server', () => staticServer.close())
  const browser: Browser = await chromium.launch({ executablePath: findChromium(), headless: true })
  console.log(`measuring ${settings.samples} runs in Chromium (CPU slowed ${settings.cpuSlowdown}x)...`)
  cleanup.add('close Chromium', () => browser.close())

  const baseline: number[] = []
  const cold: number[] = []
  const warm: number[] = []
  const list: number[] = []
  const search: number[] = []
  const leadPage: number[] = []
  for (let i = 0; i < settings.samples; i++) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
    const page = await throttledPage(context)
    baseline.push(await time(async () => void (await page.goto(staticServer.url, { waitUntil: 'load' }))))
    cold.push(await time(() => signIn(page, api.url)))
    warm.push(await time(async () => (await page.reload(), await rows(page))))
    list.push(
      await time(async () => {
        await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Leads' }).click()
        await rows(page)
      }),
    )
    search.push(
      await time(async () => {
        await page.getByRole('searchbox').first().fill('Zenobia')
        await page
          .getByRole('link', { name: new RegExp(SEARCHED) })
          .first()
          .waitFor({ timeout: 30_000 })
      }),
    )
    leadPage.push(
      await time(async () => {
        await page.goto(`${api.url}/console/leads/${leadId}`)
        await page.getByRole('heading', { name: /Timeline/i }).waitFor({ timeout: 30_000 })
      }),
    )
    await context.close()
    process.stdout.write(`  run ${i + 1}/${settings.samples} done\r`)
  }
  const base = summarise(baseline).p50
  console.log(
    `\nWeb console in Chromium, CPU slowed ${settings.cpuSlowdown}x, ${settings.samples} runs each, ` +
      `${seeded.total} leads (console ${built.built ? 'built now' : 'already built'})`,
  )
  console.log(
    `  bundle: ${(bundle.initialGzip / 1024).toFixed(0)} KiB gzipped before the first page, ` +
      `${(bundle.totalGzip / 1024).toFixed(0)} KiB for every page (${bundle.files} files)`,
  )
  console.log(`  static page    p50 ${ms(base).padStart(8)}  (the baseline)`)
  report('cold start', cold, base)
  report('warm start', warm, base)
  report('leads list', list, base)
  report('lead search', search, base)
  report('lead page', leadPage, base)
  return 0
})
