import { createBatchCapture, type BatchInputRow } from '../../../ingestion/batch/capture-batch.js'
import { createIngestion } from '../../../ingestion/pipeline.js'
import { createRuleCache } from '../../../ingestion/rules/active-rules.js'
import { ingestionPolicy } from '../../../ingestion/services.js'
import { createPrisma } from '../../../platform/database/prisma.js'
import { testConfig } from '../../support/config.js'
import {
  CHUNK,
  IMPORT,
  IMPORT_FILE_HASH,
  WEB_FORM,
  importRow,
  proofLead,
  shardOf,
  submissionKey,
  viaWebForm,
} from './assignment-leads.js'

/*
 * One ingestion worker of the fair-assignment proof (run with tsx; the test SIGKILLs it at
 * random and starts it again). It sends its whole shard through the real pipeline, as a
 * restarted connector or import job re-sends what it cannot know was committed: web-form
 * chunks one capture per transaction (several at once), import chunks as one batch each.
 *
 * It tells the test what is in flight on stdout (synchronous for pipes on Linux, so a line
 * written is a line read even if the process is killed right after):
 *   begin i,j,...        these leads are being sent
 *   ok i:outcome,...     they are committed (created) or were answered from the ledger (replayed)
 *   done                 the whole shard is in
 */

const env = (name: string) => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}
const databaseUrl = env('DATABASE_URL')
const worker = Number(env('WORKER_INDEX'))
const workers = Number(env('WORKERS'))
const leads = Number(env('LEADS'))
const WEB_FORM_CONCURRENCY = 4

const db = createPrisma(databaseUrl, WEB_FORM_CONCURRENCY + 1)
const rules = createRuleCache(db)
const policy = ingestionPolicy(testConfig())
const ingestion = createIngestion({ db, rules, policy })
const batch = createBatchCapture({ db, rules, policy })

const say = (line: string) => process.stdout.write(`${line}\n`)

async function sendWebForm(indices: number[]) {
  let next = 0
  const lane = async () => {
    while (next < indices.length) {
      const i = indices[next++]!
      say(`begin ${i}`)
      const result = await ingestion.capture(proofLead(i), WEB_FORM.actor, {
        delivery: { connectorId: WEB_FORM.connectorId, key: submissionKey(i) },
      })
      say(`ok ${i}:${result.replayed ? 'replayed' : result.outcome}`)
    }
  }
  await Promise.all(Array.from({ length: WEB_FORM_CONCURRENCY }, lane))
}

async function sendImportBatch(indices: number[]) {
  const rows: BatchInputRow[] = indices.map((i) => ({
    rowNumber: importRow(i),
    key: `${IMPORT_FILE_HASH}:${importRow(i)}`,
    capture: proofLead(i),
    raw: proofLead(i),
  }))
  const prepared = await batch.prepare(rows)
  say(`begin ${indices.join(',')}`)
  const result = await batch.commit(prepared, {
    connectorId: IMPORT.connectorId,
    actor: IMPORT.actor,
    keyPrefix: `${IMPORT_FILE_HASH}:`,
    onDuplicate: 'link',
  })
  say(`ok ${result.outcomes.map((o) => `${o.rowNumber - 1}:${o.outcome}`).join(',')}`)
}

async function main() {
  const shard = Array.from({ length: leads }, (_, i) => i).filter((i) => shardOf(i, workers) === worker)
  for (let chunk = 0; chunk * CHUNK < shard.length; chunk++) {
    const indices = shard.slice(chunk * CHUNK, (chunk + 1) * CHUNK)
    if (viaWebForm(chunk)) await sendWebForm(indices)
    else await sendImportBatch(indices)
  }
  say('done')
  await db.$disconnect()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
