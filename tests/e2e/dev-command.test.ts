import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exited, freePort, isPortFree, waitFor } from '../../platform/process/child-process.js'

/*
 * The README's first Quick start line, minus the install: `npm run dev` on a fresh data
 * folder must bring up PostgreSQL, Temporal, the worker and the API, answer /ready, run a
 * lead's journey, stop cleanly on SIGTERM, and find its data again on the next start.
 */
const REPO = new URL('../../', import.meta.url).pathname

let dataDir: string
let ports: { api: number; pg: number; temporal: number; ui: number }

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'leadwire-dev-'))
  const [api, pg, temporal, ui] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
  ports = { api: api, pg: pg, temporal: temporal, ui: ui }
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

function startDev(): { child: ChildProcess; output: () => string } {
  let output = ''
  const child = spawn('npm', ['run', 'dev'], {
    cwd: REPO,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(ports.api),
      EMBEDDED_PG_PORT: String(ports.pg),
      TEMPORAL_DEV_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a terminal's foreground job: a Ctrl-C reaches npm and node alike.
    detached: true,
  })
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  return { child, output: () => output }
}

/** Ctrl-C (SIGINT) or a service manager's SIGTERM, sent to the whole group as a terminal does. */
async function stopDev(child: ChildProcess, signal: NodeJS.Signals, output: () => string): Promise<void> {
  process.kill(-child.pid!, signal)
  await exited(child)
  // npm re-raises the signal on itself once its script has exited; the script must exit cleanly.
  expect(
    child.exitCode === 0 || child.signalCode === signal,
    `exit ${child.exitCode} ${child.signalCode}`,
  ).toBe(true)
  expect(output()).not.toMatch(/"level":(50|60)/) // no error or fatal log lines
}

/** npm may exit before the node process under it has finished its ordered stop: wait for it. */
async function allPortsReleased(): Promise<void> {
  await waitFor(
    async () => (await Promise.all(Object.values(ports).map((p) => isPortFree(p)))).every(Boolean),
    20_000,
    'every port of the stopped hub to be released',
  )
}

let token = ''
/** A call to the hub's API, signed in as its first admin once the first start has printed them. */
const api = (p: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${ports.api}${p}`, {
    ...init,
    headers: {
      ...(init.headers as Record<string, string>),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  })

/** Signs in with the first admin's password, which the first start prints once. */
async function signIn(output: string): Promise<void> {
  const found = /First admin +(\S+) +password (\S+)/.exec(output)
  expect(found, 'the first start prints the first admin').not.toBeNull()
  const res = await api('/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: found![1], password: found![2] }),
  })
  expect(res.status).toBe(200)
  // The hub serves plain http: its session cookie must not be Secure, or a browser drops it.
  expect(res.headers.get('set-cookie')).toMatch(/^lw_session=/)
  expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i)
  token = ((await res.json()) as { token: string }).token
}

describe('npm run dev', () => {
  it(
    'starts the whole hub, runs a journey, stops cleanly and keeps its data',
    { timeout: 180_000 },
    async () => {
      const first = startDev()
      let leadId: string
      try {
        await waitFor(async () => (await api('/ready')).status === 200, 90_000, `/ready\n${first.output()}`)
        expect(first.output()).toContain(`API          http://127.0.0.1:${ports.api}`)
        expect(first.output()).toContain(`Temporal UI  http://127.0.0.1:${ports.ui}`)
        expect(first.output()).toContain(`Console      http://127.0.0.1:${ports.api}/console/`)
        const consolePage = await api('/console/')
        expect(consolePage.status).toBe(200)
        expect(await consolePage.text()).toContain('<div id="root">')
        await signIn(first.output())

        const created = await api('/v1/leads', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ firstName: 'Meera', phone: '+91 98765 43210' }),
        })
        expect(created.status).toBe(202)
        leadId = ((await created.json()) as { id: string }).id
        await waitFor(
          async () =>
            ((await (await api(`/v1/leads/${leadId}`)).json()) as { journey: { status: string } }).journey
              .status === 'RUNNING',
          20_000,
          'the journey to run',
        )
      } catch (err) {
        console.error(first.output())
        throw err
      } finally {
        await stopDev(first.child, 'SIGINT', first.output)
      }
      await allPortsReleased()

      const second = startDev()
      try {
        await waitFor(
          async () => (await api('/ready')).status === 200,
          60_000,
          `/ready again\n${second.output()}`,
        )
        const again = (await (await api(`/v1/leads/${leadId}`)).json()) as {
          firstName: string
          journey: { status: string }
        }
        expect(again.firstName).toBe('Meera')
        expect(again.journey.status).toBe('RUNNING')
      } finally {
        await stopDev(second.child, 'SIGTERM', second.output)
      }
      await allPortsReleased()
    },
  )
})
