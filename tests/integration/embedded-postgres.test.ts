import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../platform/database/embedded-postgres.js'
import { freePort, isPortFree } from '../../platform/process/child-process.js'
import { silentLog } from '../support/temporal.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'leadwire-embedded-pg-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps its data across a stop and a restart, and frees its port when stopped', async () => {
    const port = await freePort()
    const options = { dir: path.join(dir, 'pg'), port, database: 'leadwire', log: silentLog }
    const first = await startEmbeddedPostgres(options)
    await withClient(first.url, async (c) => {
      await c.query('CREATE TABLE kept (v text)')
      await c.query(`INSERT INTO kept VALUES ('across restarts')`)
    })
    await first.stop()
    expect(await isPortFree(port)).toBe(true)

    const second = await startEmbeddedPostgres(options)
    try {
      const rows = await withClient(
        second.url,
        async (c) => (await c.query<{ v: string }>('SELECT v FROM kept')).rows,
      )
      expect(rows).toEqual([{ v: 'across restarts' }])
      // Password auth: the generated password is required.
      const wrong = new URL(second.url)
      wrong.password = 'wrong'
      await expect(withClient(wrong.toString(), (c) => c.query('SELECT 1'))).rejects.toThrow(/password/)
    } finally {
      await second.stop()
    }
  })

  it('says which setting to change when its port is taken', async () => {
    const port = await freePort()
    const running = await startEmbeddedPostgres({
      dir: path.join(dir, 'a'),
      port,
      database: 'a',
      log: silentLog,
    })
    try {
      await expect(
        startEmbeddedPostgres({ dir: path.join(dir, 'b'), port, database: 'b', log: silentLog }),
      ).rejects.toThrow(/port .* in use.*EMBEDDED_PG_PORT/)
    } finally {
      await running.stop()
    }
  })
})

describe('embedded PostgreSQL shared by two Leadwire processes', () => {
  it('a second process (db:migrate while dev runs) uses the running server and never stops it', async () => {
    const { spawn } = await import('node:child_process')
    const port = await freePort()
    const pgDir = path.join(dir, 'shared')
    // The owner runs in another process, as `npm run dev` would.
    const ownerScript = `
      import { startEmbeddedPostgres } from './platform/database/embedded-postgres.ts'
      import { createLogger } from './platform/logger.ts'
      await startEmbeddedPostgres({ dir: ${JSON.stringify(pgDir)}, port: ${port}, database: 'leadwire', log: createLogger({ LOG_LEVEL: 'silent' }) })
      console.log('ready')
      process.on('SIGTERM', () => process.exit(0))
      setInterval(() => undefined, 1000)`
    const owner = spawn('node', ['--import', 'tsx', '--input-type=module', '-e', ownerScript], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      await new Promise<void>((resolve, reject) => {
        owner.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
        owner.once('exit', (code) => reject(new Error(`owner exited with ${code}`)))
      })
      // Asked for another port, it still finds the running server through its pid file.
      const second = await startEmbeddedPostgres({
        dir: pgDir,
        port: await freePort(),
        database: 'other',
        log: silentLog,
      })
      expect(new URL(second.url).port).toBe(String(port))
      await withClient(second.url, (c) => c.query('SELECT 1'))
      await second.stop()
      // Still up for its owner.
      await withClient(second.urlFor('leadwire'), (c) => c.query('SELECT 1'))
    } finally {
      // Killed hard: no exit hook runs, its PostgreSQL is orphaned.
      owner.kill('SIGKILL')
      await new Promise((r) => owner.once('exit', r))
    }
    expect(await isPortFree(port)).toBe(false)
    // The next start finds the orphan, stops it and starts its own server.
    const next = await startEmbeddedPostgres({ dir: pgDir, port, database: 'leadwire', log: silentLog })
    await withClient(next.url, (c) => c.query('SELECT 1'))
    await next.stop()
    expect(await isPortFree(port)).toBe(true)
  })
})
