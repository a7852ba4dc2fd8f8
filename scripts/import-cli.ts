// Bulk import from the command line: the same import job as POST /v1/imports, run in this
// process against DATABASE_URL (or the embedded PostgreSQL under DATA_DIR, as db:migrate does).
//
//   npm run import -- leads.csv [--map "Email=email,Mobile=phone"] [--dry-run] [--campaign X]
//                     [--source X] [--country IN] [--consent-version v1 --consent-text "..."]
//                     [--on-duplicate link|skip] [--resume <job id>] [--batch 1000]
import { createReadStream } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import {
  IMPORT_FIELDS,
  type ColumnMapping,
  type ImportDefaults,
  type ImportField,
} from '../connectors/import/mapping.js'
import type { ImportJobs, JobCounts, RowErrorView } from '../connectors/import/import-job.js'
import { createImportService } from '../connectors/import/services.js'
import { loadConfig } from '../platform/config.js'
import { createPrisma } from '../platform/database/prisma.js'
import { resolveDatabase } from '../platform/database/resolve-database.js'
import { createLogger } from '../platform/logger.js'
import { LeadwireError } from '../platform/errors.js'

const USAGE = `usage: npm run import -- <file.csv|file.xlsx> [--map "Column=field,..."] [--dry-run]
       [--campaign X] [--source X] [--medium X] [--country IN]
       [--consent granted|denied --consent-version V --consent-text T]
       [--on-duplicate link|skip] [--resume <job id>] [--batch N]
fields: ${IMPORT_FIELDS.join(', ')} (or "-" to leave a column out)`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    map: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    campaign: { type: 'string' },
    source: { type: 'string' },
    medium: { type: 'string' },
    country: { type: 'string' },
    consent: { type: 'string' },
    'consent-version': { type: 'string' },
    'consent-text': { type: 'string' },
    'on-duplicate': { type: 'string', default: 'link' },
    resume: { type: 'string' },
    batch: { type: 'string', default: '1000' },
    help: { type: 'boolean', default: false },
  },
})

/** "Email=email,Mobile=phone,GSTIN=-" → mapping; the suggestion fills the columns not named. */
function parseMap(text: string | undefined): ColumnMapping {
  const mapping: ColumnMapping = {}
  if (!text) return mapping
  for (const pair of text.split(',')) {
    const at = pair.lastIndexOf('=')
    if (at <= 0) throw new Error(`--map: "${pair}" is not Column=field`)
    const column = pair.slice(0, at).trim()
    const field = pair.slice(at + 1).trim()
    if (field === '-' || field === '') mapping[column] = null
    else if ((IMPORT_FIELDS as readonly string[]).includes(field)) mapping[column] = field as ImportField
    else throw new Error(`--map: "${field}" is not a lead field (${IMPORT_FIELDS.join(', ')})`)
  }
  return mapping
}

function defaultsFrom(): ImportDefaults {
  const defaults: ImportDefaults = {}
  if (values.campaign) defaults.campaign = values.campaign
  if (values.source) defaults.source = values.source
  if (values.medium) defaults.medium = values.medium
  if (values.country) defaults.country = values.country
  if (values.consent) {
    if (values.consent !== 'granted' && values.consent !== 'denied')
      throw new Error('--consent is granted or denied')
    defaults.consent = {
      granted: values.consent === 'granted',
      ...(values['consent-version'] ? { textVersion: values['consent-version'] } : {}),
      ...(values['consent-text'] ? { text: values['consent-text'] } : {}),
    }
  }
  return defaults
}

const formatCounts = (c: JobCounts) =>
  [
    `created ${c.created}`,
    `duplicates in file ${c.duplicatesInFile}`,
    `duplicates of existing leads ${c.duplicatesInDb}`,
    `quarantined ${c.quarantined}`,
    `row errors ${c.failed}`,
    `already imported ${c.alreadyImported}`,
  ].join(', ')

function printErrors(errors: RowErrorView[], total: number) {
  if (errors.length === 0) return
  console.log(`\nfirst row errors (${total} in all):`)
  for (const e of errors) {
    const what = e.errors.map((x) => `${x.column ?? x.field ?? 'row'}: ${x.message}`).join('; ')
    console.log(`  row ${e.rowNumber}: ${what}`)
  }
}

async function main(jobs: ImportJobs): Promise<number> {
  const file = positionals[0]
  if (values.help || (!file && !values.resume)) {
    console.log(USAGE)
    return values.help ? 0 : 2
  }
  const onDuplicate = values['on-duplicate']
  if (onDuplicate !== 'link' && onDuplicate !== 'skip') throw new Error('--on-duplicate is link or skip')

  let id = values.resume
  let mapping: ColumnMapping | undefined
  if (!id) {
    const ext = path.extname(file!).toLowerCase()
    const format = ext === '.xlsx' ? 'xlsx' : ext === '.csv' || ext === '.txt' ? 'csv' : null
    const uploaded = await jobs.upload(createReadStream(file!), { fileName: path.basename(file!), format })
    id = uploaded.job.id
    mapping = { ...uploaded.suggestedMapping, ...parseMap(values.map) }
    console.log(
      `job ${id}: ${uploaded.job.format}, ${uploaded.job.sizeBytes} bytes, header on row ${uploaded.headerRow}`,
    )
    for (const [column, field] of Object.entries(mapping))
      console.log(`  ${column.padEnd(24)} → ${field ?? '(left out)'}`)
  }
  const options = { mapping, defaults: defaultsFrom(), onDuplicate: onDuplicate as 'link' | 'skip' }

  if (values['dry-run']) {
    const preview = await jobs.preview(id, options)
    console.log(`\ndry run, nothing written: ${preview.totalRows} rows`)
    console.log(`  ${formatCounts(preview.counts)}`)
    printErrors(preview.errors.slice(0, 20), preview.counts.failed)
    return 0
  }

  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {rows} rows | {rate} rows/s | eta {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  const started = performance.now()
  let barStarted = false
  const job = await jobs.run(id, options, (p) => {
    if (!barStarted) {
      bar.start(p.sizeBytes, 0, { rows: 0, rate: 0 })
      barStarted = true
    }
    const rate = Math.round(p.processedRows / ((performance.now() - started) / 1000))
    bar.update(p.bytesRead, { rows: p.processedRows, rate })
  })
  if (barStarted) {
    bar.update(job.sizeBytes)
    bar.stop()
  }
  const seconds = (performance.now() - started) / 1000
  console.log(`\njob ${job.id} ${job.status} in ${seconds.toFixed(1)} s: ${job.processedRows} rows`)
  console.log(`  ${formatCounts(job.counts)}`)
  if (job.error) console.log(`  error: ${job.error} (run again with --resume ${job.id})`)
  const errors = await jobs.errors(job.id, { limit: 20 })
  printErrors(errors.items, job.counts.failed)
  return job.status === 'completed' ? 0 : 1
}

const config = loadConfig()
const log = createLogger(
  { ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL },
  { name: 'import' },
)
const database = await resolveDatabase(config, log)
const db = createPrisma(database.url, config.DATABASE_POOL_MAX)
let exitCode = 1
try {
  const batchSize = Number(values.batch)
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch must be a positive integer')
  exitCode = await main(createImportService({ db, config, log, batchSize }))
} catch (err) {
  if (err instanceof LeadwireError) {
    console.error(`refused: ${err.message}`)
    for (const e of err.options.errors ?? []) console.error(`  ${e.pointer}: ${e.message}`)
  } else console.error(err instanceof Error ? err.message : err)
} finally {
  await db.$disconnect()
  await database.stop()
}
process.exit(exitCode)
