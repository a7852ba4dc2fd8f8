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
      const rows = await withClient(second.url, async (c) => (await c.query<{ v: string }>('SELECT v FROM kept')).rows)
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
    const running = await startEmbeddedPostgres({ dir: path.join(dir, 'a'), port, database: 'a', log: silentLog })
    try {
      await expect(
        startEmbeddedPostgres({ dir: path.join(dir, 'b'), port, database: 'b', log: silentLog }),
      ).rejects.toThrow(/port .* in use.*EMBEDDED_PG_PORT/)
    } finally {
      await running.stop()
    }
  })
})
