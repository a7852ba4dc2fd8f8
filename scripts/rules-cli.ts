// Scoring and assignment rules from the command line, against DATABASE_URL (or the embedded
// PostgreSQL under DATA_DIR, as db:migrate does). Nothing is written.
//
//   npm run rules -- evaluate scoring ./draft.json [--days 7] [--limit 50] [--json]
//   npm run rules -- evaluate assignment --version 4 [--days 7]
//   npm run rules -- replay --date 2026-11-23 [--json]
//
// evaluate: which of the last days' leads a draft would put in another score band or with
// another owner (the same evaluation as POST /v1/rule-sets/{kind}/evaluate); exit 0.
// replay: every score and assignment decision of a UTC day re-run under its stored version;
// exit 0 when all reproduce, 1 when any does not.
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { DraftEvaluation } from '../domain/rules/draft-evaluation.rules.js'
import {
  evaluateDraft,
  type DraftEvaluationReport,
  type DraftSource,
} from '../ingestion/rules/evaluate-draft.js'
import { replayDecisions, utcDay, type ReplayReport } from '../ingestion/rules/replay-decisions.js'
import { loadConfig } from '../platform/config.js'
import { createPrisma, type Db } from '../platform/database/prisma.js'
import { resolveDatabase } from '../platform/database/resolve-database.js'
import { LeadwireError } from '../platform/errors.js'
import { createLogger } from '../platform/logger.js'

const USAGE = `usage: npm run rules -- evaluate <scoring|assignment> <draft.json> [--days 7] [--limit 50] [--json]
       npm run rules -- evaluate <scoring|assignment> --version N [--days 7] [--limit 50] [--json]
       npm run rules -- replay --date YYYY-MM-DD [--json]
draft.json holds a rule set definition (or {"definition": ...}), as POST /v1/rule-sets/{kind}/drafts takes it.`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    days: { type: 'string', default: '7' },
    limit: { type: 'string', default: '50' },
    version: { type: 'string' },
    date: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

class UsageError extends Error {}

function positiveInteger(name: string, text: string | undefined): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`)
  return n
}

/** Rows of cells as aligned columns, the first row the header. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

const arrow = (from: string, to: string) => (from === to ? from : `${from} → ${to}`)
const placed = (p: DraftEvaluation['current']['placement']) =>
  p === null ? '-' : (p.ownerId ?? `queue ${p.queue ?? '?'}`)

function printEvaluation(r: DraftEvaluationReport, label: string) {
  const t = r.totals
  console.log(
    `${r.kind} ${label} against the leads created ${r.window.from} → ${r.window.to} (${r.window.days} days)`,
  )
  console.log(
    `evaluated ${t.evaluated}, changed ${t.changed} (band ${t.bandChanged}, owner ${t.ownerChanged}), ` +
      `not evaluated ${t.notEvaluated}`,
  )
  if (r.items.length > 0) {
    const rows = [['lead', 'score', 'band', 'owner', 'rule (draft)', 'changed']]
    for (const e of r.items) {
      rows.push([
        e.leadId,
        arrow(String(e.current.score), String(e.draft.score)),
        arrow(e.current.band, e.draft.band),
        arrow(placed(e.current.placement), placed(e.draft.placement)),
        e.draft.placement?.ruleId ?? (e.draft.placement ? 'fallback queue' : '-'),
        e.changed.join(', '),
      ])
    }
    console.log(`\n${table(rows)}`)
    if (r.nextCursor) console.log(`… ${t.changed - r.items.length} more (raise --limit to list them)`)
  }
  console.log('\nassumptions:')
  for (const a of r.assumptions) console.log(`  - ${a}`)
}

function printReplay(r: ReplayReport, date: string) {
  console.log(`replay of ${date} (${r.from} → ${r.to})`)
  const tally = (name: string, t: ReplayReport['byKind']['score']) => [
    name,
    String(t.decisions),
    String(t.reproduced),
    String(t.mismatches),
    String(t.unreplayable),
  ]
  console.log(
    table([
      ['decisions', 'count', 'reproduced', 'mismatches', 'not replayable'],
      tally('score', r.byKind.score),
      tally('assignment', r.byKind.assignment),
      tally('all', r),
    ]),
  )
  console.log(
    `versions: scoring ${r.versions.scoring.join(', ') || '-'}; assignment ${r.versions.assignment.join(', ') || '-'}`,
  )
  const shown = r.results.filter((d) => d.status !== 'reproduced').slice(0, 50)
  for (const d of shown) {
    const what = d.status === 'mismatch' ? 'MISMATCH' : 'not replayable'
    console.log(`  ${what} decision ${d.id} (${d.kind} v${d.version ?? '?'}, lead ${d.leadId}): ${d.detail}`)
  }
  const rest = r.mismatches + r.unreplayable - shown.length
  if (rest > 0) console.log(`  … and ${rest} more (--json lists them all)`)
  console.log(
    r.mismatches === 0 ? 'every decision reproduced' : `${r.mismatches} decision(s) did not reproduce`,
  )
}

async function draftFrom(file: string | undefined): Promise<{ source: DraftSource; label: string }> {
  if (values.version !== undefined) {
    if (file) throw new UsageError('give a draft file or --version, not both')
    const version = positiveInteger('version', values.version)
    return { source: { version }, label: `version ${version}` }
  }
  if (!file) throw new UsageError('evaluate needs a draft file or --version')
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
  const definition = 'definition' in json && Object.keys(json).length === 1 ? json.definition : json
  return { source: { definition }, label: `draft ${file}` }
}

async function main(db: Db): Promise<number> {
  const [command, kind, file] = positionals
  if (command === 'evaluate') {
    if (kind !== 'scoring' && kind !== 'assignment')
      throw new UsageError('evaluate scoring or evaluate assignment')
    const { source, label } = await draftFrom(file)
    const report = await evaluateDraft(db, {
      kind,
      draft: source,
      days: positiveInteger('days', values.days),
      limit: positiveInteger('limit', values.limit),
      now: new Date(),
    })
    if (values.json) console.log(JSON.stringify(report, null, 2))
    else printEvaluation(report, label)
    return 0
  }
  if (command === 'replay') {
    if (!values.date) throw new UsageError('replay needs --date YYYY-MM-DD')
    let period: { from: Date; to: Date }
    try {
      period = utcDay(values.date)
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    const report = await replayDecisions(db, period)
    if (values.json) console.log(JSON.stringify(report, null, 2))
    else printReplay(report, values.date)
    return report.mismatches === 0 ? 0 : 1
  }
  throw new UsageError(command ? `unknown command "${command}"` : 'which command?')
}

if (values.help || positionals.length === 0) {
  console.log(USAGE)
  process.exit(values.help ? 0 : 2)
}
const config = loadConfig()
const log = createLogger(
  { ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL },
  { name: 'rules' },
)
const database = await resolveDatabase(config, log)
const db = createPrisma(database.url, 2)
let exitCode = 1
try {
  exitCode = await main(db)
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n${USAGE}`)
    exitCode = 2
  } else if (err instanceof LeadwireError) {
    console.error(`refused: ${err.message}`)
    for (const e of err.options.errors ?? []) console.error(`  ${e.pointer}: ${e.message}`)
  } else console.error(err instanceof Error ? err.message : err)
} finally {
  await db.$disconnect()
  await database.stop()
}
process.exit(exitCode)
