/*
 * `npm run bench:codec`: what encrypting every Temporal payload per person costs. In one run,
 * against one PostgreSQL and one Temporal dev server:
 *
 *   1. Workflow starts, the relay's options (a { leadId } argument, an empty memo), each for a
 *      new workflow id, so each makes its person's key: COUNT through a client without the
 *      codec (the baseline) and COUNT through the codec client, in alternating rounds of
 *      ROUND so that drift in the machine falls on both alike.
 *   2. In process, a journey's typical payload (an SDR's qualification answers, about 1 KiB):
 *      JSON conversion alone (the baseline) against conversion + encryption + decryption with
 *      the key cached, as a worker replaying a journey does.
 *
 *   COUNT=2000  ROUND=200  CONCURRENCY=50  ITERATIONS=20000
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Client } from '@temporalio/client'
import { defaultPayloadConverter } from '@temporalio/common'
import { loadConfig } from '../platform/config.js'
import { createPrisma } from '../platform/database/prisma.js'
import { createLogger } from '../platform/logger.js'
import { createTemporalClient } from '../platform/temporal/connection.js'
import { createPayloadCodec } from '../platform/temporal/payload-codec.js'
import { runBenchmark } from './support/cleanup.js'
import { provisionDatabase } from './support/database.js'
import { startBenchTemporal, startEmptyWorkflows } from './support/journey-temporal.js'

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const micro = (msValue: number) => `${(msValue * 1000).toFixed(1)} µs`
const COUNT = setting('COUNT', 2000)
const ROUND = setting('ROUND', 200)
const CONCURRENCY = setting('CONCURRENCY', 50)
const ITERATIONS = setting('ITERATIONS', 20_000)

const QUALIFICATION = {
  framework: 'BANT',
  criteria: {
    budget: {
      status: 'confirmed',
      amount: 1_500_000,
      currency: 'INR',
      note: 'Asha Rao confirmed the budget on a call',
    },
    authority: { status: 'confirmed', role: 'decision_maker', note: 'Signs herself; CFO informed' },
    need: { status: 'confirmed', note: 'Three plants, WhatsApp-first field sales, GST invoicing '.repeat(6) },
    timeline: { status: 'partial', targetDate: '2031-03-01', note: 'Before the financial year closes' },
  },
  actorId: 'user:sdr-asha',
}

await runBenchmark(async (cleanup) => {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' })
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_PRETTY: false }, { name: 'bench' })
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-bench-'))
  cleanup.add('remove the temp folder', () => rm(dir, { recursive: true, force: true }))
  const database = await provisionDatabase(cleanup)
  const db = createPrisma(database.url, 10)
  cleanup.add('close the pool', () => db.$disconnect())
  const temporal = await startBenchTemporal(cleanup, config, dir, log)
  const { codec } = createPayloadCodec(db, { ...config, PAYLOAD_MASTER_KEY: randomBytes(32).toString('hex') })
  const { client, connection } = createTemporalClient({ ...config, address: temporal.address }, codec)
  cleanup.add('close the Temporal client', () => connection.close())
  const plain = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE })
  const runId = randomBytes(4).toString('hex')
  const taskQueue = `bench-codec-${runId}`

  // Warm-up: connection, namespace caches, the pool.
  for (const [c, prefix] of [
    [plain, 'warm-plain'],
    [client, 'warm-codec'],
  ] as const)
    await startEmptyWorkflows(c, { count: 100, concurrency: CONCURRENCY, runId, taskQueue, prefix })

  // 1. Starts, alternating rounds.
  const totals = { plain: { n: 0, s: 0 }, codec: { n: 0, s: 0 } }
  for (let round = 0; round * ROUND < COUNT; round++) {
    for (const [name, c] of [
      ['plain', plain],
      ['codec', client],
    ] as const) {
      const r = await startEmptyWorkflows(c, {
        count: ROUND,
        concurrency: CONCURRENCY,
        runId,
        taskQueue,
        prefix: `${name}-${round}`,
      })
      if (r.failures > 0) throw new Error(`${name} starts failed: ${r.firstError}`)
      totals[name].n += r.count
      totals[name].s += r.seconds
    }
  }
  const plainRate = totals.plain.n / totals.plain.s
  const codecRate = totals.codec.n / totals.codec.s

  // 2. One payload through the converter, then the codec, in process.
  const context = { type: 'workflow' as const, namespace: 'default', workflowId: `lead/${runId}` }
  await codec.encode([defaultPayloadConverter.toPayload(1)], context)
  const time = async (work: () => Promise<unknown>) => {
    const t = performance.now()
    for (let i = 0; i < ITERATIONS; i++) await work()
    return (performance.now() - t) / ITERATIONS
  }
  const jsonOnly = await time(async () =>
    defaultPayloadConverter.fromPayload(defaultPayloadConverter.toPayload(QUALIFICATION)),
  )
  const withCodec = await time(async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(QUALIFICATION)], context)
    const [clear] = await codec.decode([sealed!])
    return defaultPayloadConverter.fromPayload(clear!)
  })
  const size = defaultPayloadConverter.toPayload(QUALIFICATION).data!.length

  const keys = await db.payloadKey.count()
  console.log(
    [
      '',
      `Workflow starts, ${totals.plain.n} each, ${CONCURRENCY} in flight, alternating rounds of ${ROUND}:`,
      `  without the codec (baseline)   ${plainRate.toFixed(0)}/s`,
      `  with the codec (a key each)    ${codecRate.toFixed(0)}/s   ratio ${(plainRate / codecRate).toFixed(2)} (time per start, codec / baseline)`,
      `  keys made                      ${keys}`,
      `One ${size}-byte payload, ${ITERATIONS} times, key cached:`,
      `  JSON conversion (baseline)     ${micro(jsonOnly)}`,
      `  + encrypt + decrypt            ${micro(withCodec)}   ratio ${(withCodec / jsonOnly).toFixed(2)}`,
      '',
    ].join('\n'),
  )
  return 0
})
