import { describe, expect, it } from 'vitest'
import { accessibilityProblems, screenshot, useConsoleHarness } from '../support/browser.js'

/*
 * Signing in to the console in a real browser: the session cookie, the sections each role
 * sees (what a role may not use is not shown, and not routed), signing out, a wrong password.
 */
const harness = useConsoleHarness()

describe('console sign-in', () => {
  it('serves the console from the API process with its own CSP and cached assets', async () => {
    const page = await fetch(`${harness.baseUrl}/console/leads/123`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('cache-control')).toBe('no-cache')
    const html = await page.text()
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(asset).toBeDefined()
    const script = await fetch(`${harness.baseUrl}${asset}`)
    expect(script.status).toBe(200)
    expect(script.headers.get('cache-control')).toContain('immutable')
    // Bodies are read to the end: a half-read response keeps its connection busy, and close() waits on it.
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    const missing = await fetch(`${harness.baseUrl}/console/assets/nope.js`)
    expect(missing.status).toBe(404)
    await missing.arrayBuffer()
    const root = await fetch(`${harness.baseUrl}/`, { redirect: 'manual' })
    expect(root.headers.get('location')).toBe('/console/')
    await root.arrayBuffer()
  })

  it('refuses a wrong password with a message and signs in with the right one', async () => {
    const sdr = await harness.person('sdr', { name: 'Priya Nair' })
    const { context, page } = await harness.open()
    expect(await accessibilityProblems(page)).toEqual([])
    await screenshot(page, 'sign-in')
    await page.getByLabel('Email').fill(sdr.email)
    await page.getByLabel('Password').fill('not the password at all')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match')

    await page.getByLabel('Password').fill(sdr.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('navigation', { name: 'Sections' }).waitFor()
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === 'lw_session')
    expect(session?.httpOnly).toBe(true)
    expect(await page.getByText('Priya Nair').isVisible()).toBe(true)
    await context.close()
  })

  it('shows each role only the sections it may use, and does not route the others', async () => {
    const sections = async (role: string) => {
      const person = await harness.person(role)
      const { context, page } = await harness.open(person)
      const links = await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link')
        .allTextContents()
      await context.close()
      return links
    }
    expect(await sections('sdr')).toEqual(['My tasks', 'Leads', 'Pipeline', 'Dashboards', 'Imports'])
    expect(await sections('admin')).toEqual([
      'My tasks',
      'Leads',
      'Pipeline',
      'Dashboards',
      'Channels',
      'Imports',
    ])
    const support = await sections('support')
    expect(support).toContain('My tasks')
    expect(support).not.toContain('Leads')
    expect(support).not.toContain('Channels')

    const reader = await harness.person('support')
    const { context, page } = await harness.open(reader, { path: '/console/channels' })
    await page.goto('/console/channels')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found')
    await context.close()
  })

  it('signs out: the session ends on the server too', async () => {
    const rep = await harness.person('sales_rep')
    const { context, page } = await harness.open(rep)
    const before = (await context.cookies()).find((c) => c.name === 'lw_session')!.value
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    const replay = await fetch(`${harness.baseUrl}/v1/auth/me`, {
      headers: { authorization: `Bearer ${before}` },
    })
    expect(replay.status).toBe(401)
    await context.close()
  })
})
