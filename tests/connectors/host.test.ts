import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startConnectorHost, type ConnectorHost } from '../../connectors/host.js'
import { createConnectorRuntime } from '../../connectors/runtime.js'
import { defineConnector } from '../../connectors/sdk/connector.js'
import { createLeadServices } from '../../ingestion/services.js'
import { waitFor } from '../../platform/process/child-process.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { silentLog } from '../support/temporal.js'

/*
 * The connector host across replicas: one listener runs at a time (the advisory lock's
 * holder), a standby writes nothing to the shared status, and a holder whose lock
 * connection drops stops its listener so the next replica can take over.
 */

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

/** A replica: its own runtime and host around a listener that records which replica runs it. */
function replica(name: string, running: Set<string>, starts: string[], retryMs = 100): () => ConnectorHost {
  const connector = defineConnector({
    manifest: {
      id: 'host-test',
      title: 'Host test',
      channel: null,
      kind: 'listener',
      summary: 'A listener that only records where it runs.',
      settings: [],
      endpoints: [],
      deliveryKey: 'none',
    },
    isConfigured: () => true,
    listener: (ctx) => ({
      async start() {
        // Two listeners at once is the failure this host exists to prevent.
        if (running.size > 0) throw new Error(`${name} started while ${[...running].join()} runs`)
        starts.push(name)
        running.add(name)
        await ctx.status.set('connected')
      },
      async stop() {
        running.delete(name)
      },
    }),
  })
  const config = testConfig()
  const runtime = createConnectorRuntime({
    config,
    db: database.db,
    ...createLeadServices(database.db, config),
    log: silentLog,
    connectors: [connector],
  })
  return () => startConnectorHost(runtime, database.url, silentLog, retryMs)
}

const status = async () =>
  (await database.db.connectorState.findUnique({ where: { connectorId: 'host-test' } }))?.status

describe('connector host', () => {
  it('runs a listener on one replica, leaves its status alone on the other, and restarts it once the lock is lost', async () => {
    const running = new Set<string>()
    const starts: string[] = []
    const a = replica('a', running, starts)()
    await waitFor(async () => running.has('a'), 10_000, 'replica a to start the listener')
    const b = replica('b', running, starts)()
    try {
      // Several retry rounds of b: it must neither run the listener nor overwrite a's status.
      await new Promise((r) => setTimeout(r, 500))
      expect([...running]).toEqual(['a'])
      expect(await status()).toBe('connected')

      // a's lock connection dies (a network cut, a restarted pooler): the lock goes with it.
      // a must stop its listener; whichever replica takes the lock next starts it again.
      await database.db.$executeRaw`
        SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`
      await waitFor(async () => starts.length === 2 && running.size === 1, 10_000, 'the listener to restart')
    } finally {
      await a.stop()
      await b.stop()
    }
    expect(running.size).toBe(0)
  })

  it('hands the lock back when stopped while it is still taking it, so another replica can run', async () => {
    const running = new Set<string>()
    const starts: string[] = []
    // The first tick starts at once and is still connecting for its lock when stop() comes.
    const early = replica('early', running, starts, 60_000)()
    await early.stop()
    // Time for an attempt left running by the stop to finish: it must not leave the lock held.
    await new Promise((r) => setTimeout(r, 300))
    expect(starts).toEqual([])
    const next = replica('next', running, starts, 20)()
    try {
      await waitFor(async () => running.has('next'), 10_000, 'the next replica to start the listener')
      expect(starts).toEqual(['next'])
    } finally {
      await next.stop()
    }
  })

  it('keeps its listener when ticks fire faster than a lock attempt completes', async () => {
    const running = new Set<string>()
    const starts: string[] = []
    // A tick every millisecond: each lock attempt (connect, query) spans many ticks.
    const host = replica('fast', running, starts, 1)()
    try {
      await waitFor(async () => running.has('fast'), 10_000, 'the listener to start')
      await new Promise((r) => setTimeout(r, 500))
      expect([...running]).toEqual(['fast'])
      expect(starts).toEqual(['fast'])
    } finally {
      await host.stop()
    }
  })
})
