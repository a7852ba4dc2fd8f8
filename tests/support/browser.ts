import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import type { Config } from '../../platform/config.js'
import { findChromium } from '../../platform/console/chromium.js'
import { freePort } from '../../platform/process/child-process.js'
import { hashPassword } from '../../security/passwords.js'
import { buildTestApp } from './app.js'
import { testConfig } from './config.js'
import { createTestDatabase, type TestDatabase } from './database.js'
import { startTestWorker, uniqueTaskQueue, type TestWorker } from './temporal.js'

/*
 * The console in a real browser: the real app listening on loopback (its own database,
 * optionally a real worker on the shared Temporal dev server) and Debian's Chromium driven
 * by playwright-core. Screenshots go to test-results/console/ as artifacts (not committed).
 */

export const SCREENSHOTS = path.resolve('test-results', 'console')
export const PASSWORD = 'correct horse battery staple'

export interface ConsoleHarness {
  app: FastifyInstance
  database: TestDatabase
  config: Config
  browser: Browser
  /** http://127.0.0.1:<port>: the API and the console's origin. */
  baseUrl: string
  worker: TestWorker | null
  /** A person with a password who can sign in to the console. */
  person(role: string, options?: { id?: string; name?: string; managerId?: string | null }): Promise<Person>
  /** A fresh browser context (own cookies), signed in as the person when one is given. */
  open(person?: Person, options?: { path?: string }): Promise<{ context: BrowserContext; page: Page }>
}

export interface Person {
  id: string
  name: string
  email: string
  password: string
}

export function useConsoleHarness(
  options: { worker?: boolean; config?: Record<string, string> } = {},
): ConsoleHarness {
  const harness = { worker: null } as ConsoleHarness
  beforeAll(async () => {
    const taskQueue = uniqueTaskQueue('console')
    // The port is chosen before the app is built, so links the app makes (a form's embed
    // snippet, webhook URLs) carry the address the browser really reaches.
    const port = await freePort()
    harness.config = testConfig({
      TEMPORAL_TASK_QUEUE: taskQueue,
      SESSION_COOKIE_SECURE: 'false',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...options.config,
    })
    harness.database = await createTestDatabase()
    if (options.worker)
      harness.worker = await startTestWorker({
        config: harness.config,
        db: harness.database.db,
        databaseUrl: harness.database.url,
        taskQueue,
      })
    harness.app = await buildTestApp({ config: harness.config, db: harness.database.db })
    const address = await harness.app.listen({ host: '127.0.0.1', port })
    harness.baseUrl = address
    harness.browser = await chromium.launch({ executablePath: findChromium(), headless: true })
    await mkdir(SCREENSHOTS, { recursive: true })

    harness.person = async (role, p = {}) => {
      const id = p.id ?? `${role}-${Math.random().toString(36).slice(2, 8)}`
      const person = {
        id,
        name: p.name ?? `${role} ${id.slice(-4)}`,
        email: `${id}@leadwire.test`,
        password: PASSWORD,
      }
      await harness.database.db.user.create({
        data: {
          id,
          name: person.name,
          email: person.email,
          role,
          managerId: p.managerId ?? null,
          passwordHash: await hashPassword(PASSWORD),
        },
      })
      return person
    }

    harness.open = async (person, o = {}) => {
      const context = await harness.browser.newContext({
        baseURL: harness.baseUrl,
        viewport: { width: 1360, height: 860 },
      })
      const page = await context.newPage()
      // Fail the test on any script error or CSP violation in the page.
      page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`))
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text()))
          pageErrors.push(`${page.url()}: ${msg.text()}`)
      })
      await page.goto(o.path ?? '/console/')
      if (person) await signIn(page, person)
      return { context, page }
    }
  }, 120_000)
  afterAll(async () => {
    await harness.browser?.close()
    await harness.app?.close()
    await harness.worker?.stop()
    await harness.database?.drop()
    expect(pageErrors, 'errors in the console pages').toEqual([])
  })
  return harness
}

const pageErrors: string[] = []

/** Signs in through the console's own form, as a person would. */
export async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByLabel('Email').fill(person.email)
  await page.getByLabel('Password').fill(person.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'Sections' }).waitFor()
}

/** Keeps a full-page screenshot as a test artifact: test-results/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * The page's accessibility problems that block people (axe-core's serious and critical:
 * missing labels, contrast below AA, unreachable controls, broken ARIA), as readable lines.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the console's CSP (no inline scripts) allows.
  await page.evaluate(await axeSource)
  const violations = await page.evaluate(async () => {
    interface Violation {
      id: string
      impact: string | null
      help: string
      nodes: { target: string[] }[]
    }
    // Runs in the page (no DOM types here): axe and document are the page's globals.
    const page = globalThis as unknown as {
      axe: { run(context: unknown, options: object): Promise<{ violations: Violation[] }> }
      document: unknown
    }
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }))
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 3).join(', ')}`)
}
