import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { uuidv7 } from 'uuidv7'
import type { Actor } from '../../domain/lead/lead-capture.js'
import type { ImportRowError } from '../../generated/prisma/client.js'
import type {
  BatchCapture,
  BatchCounts,
  BatchInputRow,
  BatchResult,
  PreparedBatch,
  RowOutcome,
} from '../../ingestion/batch/capture-batch.js'
import type { Config } from '../../platform/config.js'
import { asJson, type Db, type Tx } from '../../platform/database/prisma.js'
import { ConflictError, DomainRuleError, NotFoundError } from '../../platform/errors.js'
import type { Logger } from '../../platform/logger.js'
import {
  checkMapping,
  columnOf,
  rowToCapture,
  suggestMapping,
  type ColumnMapping,
  type ImportDefaults,
  type RowFieldError,
} from './mapping.js'
import { openSheet, type ImportFormat, type ImportRecord } from './read-sheet.js'
import { isRowError, ImportFileError, type SheetRowError } from './sheet-row.js'
import { storeUpload } from './upload.js'

/*
 * An import job: an uploaded file, its mapping, a dry run and a real run, with progress and
 * a row error report. The API and the CLI (scripts/import-cli.ts) run the same code. The
 * rows go through the batch path (ingestion/batch), the one governed pipeline for many
 * captures at a time, which claims each row's delivery key `<sha256>:<row>` in the ledger:
 * a resumed or repeated run of the same file skips what was already imported.
 */

export type OnDuplicate = 'link' | 'skip'

export interface RunOptions {
  mapping?: ColumnMapping | undefined
  defaults?: ImportDefaults | undefined
  onDuplicate?: OnDuplicate | undefined
  requestId?: string | undefined
}

export interface JobCounts {
  created: number
  duplicatesInFile: number
  duplicatesInDb: number
  quarantined: number
  failed: number
  alreadyImported: number
}

export interface RowErrorView {
  rowNumber: number
  errors: { field: string | null; column: string | null; message: string }[]
  raw: Record<string, string> | null
}

export interface JobView {
  id: string
  status: 'uploaded' | 'running' | 'completed' | 'failed' | 'cancelled'
  dryRun: boolean
  fileName: string
  format: ImportFormat
  fileHash: string
  sizeBytes: number
  mapping: ColumnMapping
  defaults: ImportDefaults
  onDuplicate: OnDuplicate
  totalRows: number | null
  processedRows: number
  checkpointRow: number
  progress: number | null
  rowsPerSecond: number | null
  counts: JobCounts
  error: string | null
  startedAt: string | null
  finishedAt: string | null
  createdAt: string
  createdBy: string
}

export interface UploadResult {
  job: JobView
  headers: string[]
  headerRow: number
  suggestedMapping: ColumnMapping
  sampleRows: { rowNumber: number; record: Record<string, string> }[]
}

export interface PreviewResult {
  job: JobView
  counts: JobCounts
  totalRows: number
  errors: RowErrorView[]
}

/** Reported after each committed batch (the CLI's progress bar, the API's rows/s). */
export interface JobProgress {
  processedRows: number
  bytesRead: number
  sizeBytes: number
  counts: JobCounts
}

/**
 * Who is asking. A job belongs to whoever uploaded it: others get 404, as if it did not
 * exist, because its row error report holds the rows as uploaded (names, emails, phones).
 */
export interface ImportCaller {
  /** Written as the job's createdBy on upload, and as the author of the leads a run writes. */
  actor: Actor
  /** Sees and runs every job (a lead row scope of 'all'), not only their own. */
  seesAll: boolean
}

export interface ImportJobsDeps {
  db: Db
  config: Config
  log: Logger
  clock: () => Date
  /** The caller when none is named (the CLI, a benchmark): the process itself, seeing every job. */
  actor: Actor
  connectorId: string
  batch: BatchCapture
  /** Rows per transaction. */
  batchSize?: number
}

/** The jobs as one caller sees and runs them. */
export interface CallerImportJobs {
  upload(body: Readable, meta: { fileName: string; format: ImportFormat | null }): Promise<UploadResult>
  preview(id: string, options: RunOptions): Promise<PreviewResult>
  /** Starts (or resumes) a run in the background; returns once the job is marked running. */
  start(id: string, options: RunOptions): Promise<JobView>
  /** Runs (or resumes) in the foreground and resolves when the run ends. */
  run(id: string, options: RunOptions, onProgress?: (p: JobProgress) => void): Promise<JobView>
  get(id: string): Promise<JobView>
  list(page: {
    cursor?: string | undefined
    limit: number
  }): Promise<{ items: JobView[]; nextCursor: string | null }>
  errors(
    id: string,
    page: { cursor?: string | undefined; limit: number },
  ): Promise<{ items: RowErrorView[]; nextCursor: string | null }>
}

/** Acts as the process itself (deps.actor, every job); as(caller) for a request's caller. */
export interface ImportJobs extends CallerImportJobs {
  as(caller: ImportCaller): CallerImportJobs
  /** Resolves when the background run of a job (if any) has ended. */
  settled(id: string): Promise<void>
  /** Stops background runs after their current batch; they stay resumable. */
  close(): Promise<void>
}

type JobRow = NonNullable<Awaited<ReturnType<Db['importJob']['findUnique']>>>

const ZERO: JobCounts = {
  created: 0,
  duplicatesInFile: 0,
  duplicatesInDb: 0,
  quarantined: 0,
  failed: 0,
  alreadyImported: 0,
}

// A running job whose row has not moved for this long is taken to have lost its process.
const STALE_MS = 2 * 60_000
const PREVIEW_ERRORS = 50

/** A 53-bit string hash (cyrb53): the dry run's memory of keys it placed, 8 bytes a key instead of the key. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

function countsOf(job: JobRow): JobCounts {
  const counted =
    job.createdLeads + job.duplicatesInFile + job.duplicatesInDb + job.quarantined + job.failedRows
  return {
    created: job.createdLeads,
    duplicatesInFile: job.duplicatesInFile,
    duplicatesInDb: job.duplicatesInDb,
    quarantined: job.quarantined,
    failed: job.failedRows,
    // Not a column of its own: every processed row is exactly one of these outcomes.
    alreadyImported: Math.max(0, job.processedRows - counted),
  }
}

function addCounts(into: JobCounts, batch: BatchCounts, failedOutside: number): void {
  into.created += batch.created
  into.duplicatesInFile += batch.duplicatesInFile
  into.duplicatesInDb += batch.duplicatesInDb + batch.skipped
  into.quarantined += batch.quarantined
  into.failed += batch.invalid + failedOutside
  into.alreadyImported += batch.replayed
}

interface Live {
  promise: Promise<JobView>
  stop: boolean
  startedAt: number
  rows: number
  bytesRead: number
}

interface PendingError {
  rowNumber: number
  errors: RowErrorView['errors']
  raw: Record<string, string> | null
}

export function createImportJobs(deps: ImportJobsDeps): ImportJobs {
  const batchSize = deps.batchSize ?? 1000
  const dir = deps.config.IMPORT_DIR ?? path.join(deps.config.DATA_DIR, 'imports')
  const live = new Map<string, Live>()

  const view = (job: JobRow): JobView => {
    const running = live.get(job.id)
    const defaults = (job.defaults ?? {}) as ImportDefaults & { onDuplicate?: OnDuplicate }
    const { onDuplicate = 'link', ...rest } = defaults
    const elapsed =
      job.startedAt && job.finishedAt ? (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000 : null
    let rowsPerSecond: number | null = null
    if (running && running.rows > 0) rowsPerSecond = running.rows / ((Date.now() - running.startedAt) / 1000)
    else if (elapsed && elapsed > 0 && !job.dryRun) rowsPerSecond = job.processedRows / elapsed
    let progress: number | null = null
    if (job.status === 'completed') progress = 1
    else if (running && job.sizeBytes > 0n) progress = Math.min(1, running.bytesRead / Number(job.sizeBytes))
    else if (job.totalRows) progress = Math.min(1, job.processedRows / job.totalRows)
    return {
      id: job.id,
      status: job.status as JobView['status'],
      dryRun: job.dryRun,
      fileName: job.fileName,
      format: job.format as ImportFormat,
      fileHash: job.fileHash,
      sizeBytes: Number(job.sizeBytes),
      mapping: (job.mapping ?? {}) as ColumnMapping,
      defaults: rest,
      onDuplicate,
      totalRows: job.totalRows,
      processedRows: job.processedRows,
      checkpointRow: job.checkpointRow,
      progress,
      rowsPerSecond,
      counts: countsOf(job),
      error: job.error,
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      createdAt: job.createdAt.toISOString(),
      createdBy: job.createdBy,
    }
  }

  const load = async (id: string): Promise<JobRow> => {
    const job = await deps.db.importJob.findUnique({ where: { id } })
    if (!job) throw new NotFoundError('import', id)
    return job
  }

  const whose = (caller: ImportCaller) => (caller.seesAll ? {} : { createdBy: caller.actor.id })

  /** The job if the caller may see it; someone else's job is absent to them. */
  const loadFor = async (id: string, caller: ImportCaller): Promise<JobRow> => {
    const job = await deps.db.importJob.findFirst({ where: { id, ...whose(caller) } })
    if (!job) throw new NotFoundError('import', id)
    return job
  }

  /** The mapping a run uses: the caller's, else the job's stored one, else the suggestion; checked against the file. */
  const settle = (job: JobRow, options: RunOptions, headers: string[]) => {
    const stored = job.mapping as ColumnMapping
    const mapping =
      options.mapping ?? (Object.keys(stored ?? {}).length > 0 ? stored : suggestMapping(headers))
    const problems = checkMapping(mapping, headers)
    if (problems.length > 0) {
      throw new DomainRuleError(
        problems.map((p) => p.message).join(' '),
        problems.map((p) => ({
          pointer:
            p.column === null
              ? '/body/mapping'
              : `/body/mapping/${p.column.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          message: p.message,
        })),
      )
    }
    const storedDefaults = (job.defaults ?? {}) as ImportDefaults & { onDuplicate?: OnDuplicate }
    const { onDuplicate: storedOnDuplicate, ...storedRest } = storedDefaults
    return {
      mapping,
      defaults: options.defaults ?? storedRest,
      onDuplicate: options.onDuplicate ?? storedOnDuplicate ?? 'link',
    }
  }

  const open = async (job: JobRow) => {
    try {
      return await openSheet(job.filePath, job.format as ImportFormat)
    } catch (err) {
      if (err instanceof ImportFileError)
        throw new DomainRuleError(err.message, [{ pointer: '/body', message: err.message }])
      throw err
    }
  }

  const pipelineErrors = (mapping: ColumnMapping, o: Extract<RowOutcome, { outcome: 'invalid' }>) =>
    o.errors.map((e) => ({ field: e.field, column: columnOf(mapping, e.field), message: e.message }))

  /**
   * Reads the file and feeds it to the batch path in batches. The next batch is read and
   * assessed (pure CPU) while the previous one's transaction is in flight.
   */
  async function drive(
    job: JobRow,
    settings: ReturnType<typeof settle>,
    mode: { dryRun: boolean; fromRow: number; requestId?: string | undefined },
    onBatch: (
      prepared: PreparedBatch,
      extra: PendingError[],
      rows: Map<number, Record<string, string>>,
      lastRow: number,
      bytesRead: number,
    ) => Promise<void>,
    shouldStop: () => boolean,
  ): Promise<{ rows: number; stopped: boolean }> {
    const sheet = await open(job)
    const keyPrefix = `${job.fileHash}:`
    let chunk: BatchInputRow[] = []
    let extra: PendingError[] = []
    let raws = new Map<number, Record<string, string>>()
    let lastRow = mode.fromRow
    let rows = 0
    let inflight: Promise<void> | undefined
    const flush = async () => {
      if (chunk.length === 0 && extra.length === 0) return
      const prepared = await deps.batch.prepare(chunk)
      const [thisExtra, thisRaws, thisLast, bytes] = [extra, raws, lastRow, sheet.progress.bytesRead]
      chunk = []
      extra = []
      raws = new Map()
      await inflight
      inflight = onBatch(prepared, thisExtra, thisRaws, thisLast, bytes)
    }
    try {
      for await (const item of sheet.rows) {
        if (item.rowNumber <= mode.fromRow) continue
        rows++
        lastRow = item.rowNumber
        if (isRowError(item)) {
          extra.push(unreadable(item))
        } else {
          const { capture, errors } = rowToCapture(item.record, settings.mapping, settings.defaults, {
            name: job.fileName,
          })
          if (errors.length > 0) extra.push(mappingFailure(item, errors))
          else {
            chunk.push({
              rowNumber: item.rowNumber,
              key: `${keyPrefix}${item.rowNumber}`,
              capture,
              raw: rawOf(job, item),
            })
            raws.set(item.rowNumber, item.record)
          }
        }
        if (chunk.length + extra.length >= batchSize) {
          await flush()
          if (shouldStop()) {
            await inflight
            return { rows, stopped: true }
          }
        }
      }
      await flush()
      await inflight
      return { rows, stopped: false }
    } finally {
      await sheet.close()
    }
  }

  const unreadable = (item: SheetRowError): PendingError => ({
    rowNumber: item.rowNumber,
    errors: [{ field: null, column: null, message: item.error }],
    raw: null,
  })
  const mappingFailure = (item: ImportRecord, errors: RowFieldError[]): PendingError => ({
    rowNumber: item.rowNumber,
    errors: errors.map((e) => ({ field: e.field, column: e.column, message: e.message })),
    raw: item.record,
  })
  const rawOf = (job: JobRow, item: ImportRecord) => ({
    file: job.fileName,
    row: item.rowNumber,
    record: item.record,
  })

  const errorRows = (
    mapping: ColumnMapping,
    result: BatchResult,
    extra: PendingError[],
    raws: Map<number, Record<string, string>>,
  ): PendingError[] => [
    ...extra,
    ...result.outcomes.flatMap((o) =>
      o.outcome === 'invalid'
        ? [{ rowNumber: o.rowNumber, errors: pipelineErrors(mapping, o), raw: raws.get(o.rowNumber) ?? null }]
        : [],
    ),
  ]

  const saveErrors = async (db: Db | Tx, jobId: string, errors: PendingError[]) => {
    if (errors.length === 0) return
    await db.$executeRawUnsafe(
      `INSERT INTO import_row_error (job_id, row_number, errors, raw)
       SELECT $1::uuid, row_number, errors, COALESCE(raw, 'null'::jsonb) FROM jsonb_to_recordset($2::jsonb) AS e(row_number int, errors jsonb, raw jsonb)
       ON CONFLICT (job_id, row_number) DO UPDATE SET errors = EXCLUDED.errors, raw = EXCLUDED.raw`,
      jobId,
      JSON.stringify(errors.map((e) => ({ row_number: e.rowNumber, errors: e.errors, raw: e.raw }))),
    )
  }

  async function execute(
    id: string,
    actor: Actor,
    options: RunOptions,
    onProgress?: (p: JobProgress) => void,
    /** Called once the job's row says running (start answers then). */
    onRunning?: (job: JobRow) => void,
  ): Promise<JobView> {
    const entry = live.get(id)!
    let job = await load(id)
    try {
      const sheet = await open(job)
      const headers = sheet.headers
      await sheet.close()
      const settings = settle(job, options, headers)
      const resume =
        !job.dryRun && job.checkpointRow > 0 && (job.status === 'running' || job.status === 'failed')
      const now = deps.clock()
      job = await deps.db.$transaction(async (tx) => {
        if (!resume) await tx.importRowError.deleteMany({ where: { jobId: id } })
        return tx.importJob.update({
          where: { id },
          data: {
            status: 'running',
            dryRun: false,
            mapping: asJson(settings.mapping),
            defaults: asJson({ ...settings.defaults, onDuplicate: settings.onDuplicate }),
            error: null,
            finishedAt: null,
            ...(resume
              ? {}
              : {
                  startedAt: now,
                  processedRows: 0,
                  checkpointRow: 0,
                  createdLeads: 0,
                  duplicatesInFile: 0,
                  duplicatesInDb: 0,
                  quarantined: 0,
                  failedRows: 0,
                }),
          },
        })
      })
      onRunning?.(job)
      deps.log.info({ importJob: id, resume, fromRow: job.checkpointRow }, 'import run started')
      const counts = countsOf(job)
      const options2 = {
        connectorId: deps.connectorId,
        actor,
        keyPrefix: `${job.fileHash}:`,
        onDuplicate: settings.onDuplicate,
        requestId: options.requestId,
      }
      let processed = job.processedRows
      const { stopped } = await drive(
        job,
        settings,
        { dryRun: false, fromRow: job.checkpointRow, requestId: options.requestId },
        async (prepared, extra, raws, lastRow, bytesRead) => {
          const result = await deps.batch.commit(prepared, options2, async (tx, r) => {
            const errors = errorRows(settings.mapping, r, extra, raws)
            await saveErrors(tx, id, errors)
            const failed = r.counts.invalid + extra.length
            // The checkpoint and the counters commit with the rows they count: a crash loses neither.
            await tx.$executeRaw`
              UPDATE import_job SET
                processed_rows = processed_rows + ${r.counts.rows + extra.length},
                checkpoint_row = ${lastRow},
                created_leads = created_leads + ${r.counts.created},
                duplicates_in_file = duplicates_in_file + ${r.counts.duplicatesInFile},
                duplicates_in_db = duplicates_in_db + ${r.counts.duplicatesInDb + r.counts.skipped},
                quarantined = quarantined + ${r.counts.quarantined},
                failed_rows = failed_rows + ${failed},
                updated_at = now()
              WHERE id = ${id}::uuid`
          })
          addCounts(counts, result.counts, extra.length)
          processed += result.counts.rows + extra.length
          entry.rows += result.counts.rows + extra.length
          entry.bytesRead = bytesRead
          onProgress?.({
            processedRows: processed,
            bytesRead,
            sizeBytes: Number(job.sizeBytes),
            counts: { ...counts },
          })
        },
        () => entry.stop,
      )
      if (stopped) {
        deps.log.info({ importJob: id }, 'import run paused at shutdown; run it again to resume')
        return view(await load(id))
      }
      const done = await deps.db.importJob.update({
        where: { id },
        data: { status: 'completed', finishedAt: deps.clock(), totalRows: processed },
      })
      deps.log.info({ importJob: id, ...countsOf(done) }, 'import run completed')
      // The upload holds every row as sent, personal data included, and nothing reads it once
      // a real run is complete (the error report is in import_row_error): it is not kept.
      if (!done.dryRun) await rm(done.filePath, { force: true })
      return view(done)
    } catch (err) {
      deps.log.error({ importJob: id, err }, 'import run failed')
      const failed = await deps.db.importJob.update({
        where: { id },
        data: { status: 'failed', error: (err as Error).message.slice(0, 1000), finishedAt: deps.clock() },
      })
      if (err instanceof DomainRuleError) throw err
      return view(failed)
    }
  }

  /** Checks a run may start now and registers it, so two requests cannot start it twice. */
  async function claimRun(id: string, caller: ImportCaller): Promise<Live> {
    const job = await loadFor(id, caller)
    if (live.has(id)) throw new ConflictError(`Import ${id} is already running.`)
    if (job.status === 'completed' && !job.dryRun) {
      throw new ConflictError(
        `Import ${id} has completed. Upload the file again to import it again (rows already imported are skipped).`,
      )
    }
    if (job.status === 'running' && Date.now() - job.updatedAt.getTime() < STALE_MS) {
      throw new ConflictError(`Import ${id} is running in another process.`)
    }
    const entry: Live = {
      promise: Promise.resolve(undefined as never),
      stop: false,
      startedAt: Date.now(),
      rows: 0,
      bytesRead: 0,
    }
    live.set(id, entry)
    return entry
  }

  const forCaller = (caller: ImportCaller): CallerImportJobs => ({
    async upload(body, meta) {
      const id = uuidv7()
      const stored = await storeUpload(body, { dir, id, declared: meta.format })
      let sheet
      try {
        sheet = await openSheet(stored.path, stored.format)
      } catch (err) {
        if (err instanceof ImportFileError)
          throw new DomainRuleError(err.message, [{ pointer: '/body', message: err.message }])
        throw err
      }
      const sampleRows: UploadResult['sampleRows'] = []
      try {
        for await (const item of sheet.rows) {
          if (isRowError(item)) continue
          sampleRows.push(item)
          if (sampleRows.length >= 5) break
        }
      } catch (err) {
        if (err instanceof ImportFileError)
          throw new DomainRuleError(err.message, [{ pointer: '/body', message: err.message }])
        throw err
      } finally {
        await sheet.close()
      }
      if (sheet.headers.length === 0 || sheet.headerRow === null) {
        throw new DomainRuleError('The file has no rows.', [
          { pointer: '/body', message: 'has no header row' },
        ])
      }
      const suggestedMapping = suggestMapping(sheet.headers)
      const job = await deps.db.importJob.create({
        data: {
          id,
          status: 'uploaded',
          fileName: meta.fileName,
          format: stored.format,
          fileHash: stored.fileHash,
          filePath: stored.path,
          sizeBytes: BigInt(stored.sizeBytes),
          mapping: asJson(suggestedMapping),
          createdBy: caller.actor.id,
        },
      })
      return {
        job: view(job),
        headers: sheet.headers,
        headerRow: sheet.headerRow,
        suggestedMapping,
        sampleRows,
      }
    },

    async preview(id, options) {
      let job = await loadFor(id, caller)
      if (live.has(id) || job.status === 'running') throw new ConflictError(`Import ${id} is running.`)
      const sheet = await open(job)
      const headers = sheet.headers
      await sheet.close()
      const settings = settle(job, options, headers)
      await deps.db.importRowError.deleteMany({ where: { jobId: id } })
      const seen = new Set<number>()
      const keys = { has: (k: string) => seen.has(hash53(k)), add: (k: string) => void seen.add(hash53(k)) }
      const counts: JobCounts = { ...ZERO }
      const firstErrors: RowErrorView[] = []
      let total = 0
      const batchOptions = {
        connectorId: deps.connectorId,
        actor: caller.actor,
        keyPrefix: `${job.fileHash}:`,
        onDuplicate: settings.onDuplicate,
      }
      await drive(
        job,
        settings,
        { dryRun: true, fromRow: 0 },
        async (prepared, extra, raws) => {
          const result = await deps.batch.preview(prepared, batchOptions, keys)
          const errors = errorRows(settings.mapping, result, extra, raws).sort(
            (a, b) => a.rowNumber - b.rowNumber,
          )
          await saveErrors(deps.db, id, errors)
          for (const e of errors) if (firstErrors.length < PREVIEW_ERRORS) firstErrors.push(e)
          addCounts(counts, result.counts, extra.length)
          total += result.counts.rows + extra.length
        },
        () => false,
      )
      const now = deps.clock()
      job = await deps.db.importJob.update({
        where: { id },
        data: {
          dryRun: true,
          status: 'uploaded',
          mapping: asJson(settings.mapping),
          defaults: asJson({ ...settings.defaults, onDuplicate: settings.onDuplicate }),
          totalRows: total,
          processedRows: total,
          checkpointRow: 0,
          createdLeads: counts.created,
          duplicatesInFile: counts.duplicatesInFile,
          duplicatesInDb: counts.duplicatesInDb,
          quarantined: counts.quarantined,
          failedRows: counts.failed,
          error: null,
          startedAt: null,
          finishedAt: now,
        },
      })
      return {
        job: view(job),
        counts,
        totalRows: total,
        errors: firstErrors.sort((a, b) => a.rowNumber - b.rowNumber),
      }
    },

    async start(id, options) {
      const entry = await claimRun(id, caller)
      // The checks that can refuse the run (mapping, file) happen before answering.
      let job: JobRow
      try {
        job = await load(id)
        const sheet = await open(job)
        const headers = sheet.headers
        await sheet.close()
        settle(job, options, headers)
      } catch (err) {
        live.delete(id)
        throw err
      }
      let running!: (job: JobRow) => void
      const started = new Promise<JobRow>((resolve) => (running = resolve))
      entry.promise = execute(id, caller.actor, options, undefined, running).finally(() => live.delete(id))
      entry.promise.catch(() => undefined)
      // Answer once the row says running (or the run already ended), so a GET right after shows it.
      const ended = entry.promise.then(
        () => load(id),
        () => load(id),
      )
      return view(await Promise.race([started, ended]))
    },

    async run(id, options, onProgress) {
      const entry = await claimRun(id, caller)
      entry.promise = execute(id, caller.actor, options, onProgress).finally(() => live.delete(id))
      return entry.promise
    },

    async get(id) {
      return view(await loadFor(id, caller))
    },

    async list(page) {
      const rows = await deps.db.importJob.findMany({
        where: { ...whose(caller), ...(page.cursor ? { id: { lt: page.cursor } } : {}) },
        orderBy: { id: 'desc' },
        take: page.limit + 1,
      })
      const items = rows.slice(0, page.limit).map(view)
      return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null }
    },

    async errors(id, page) {
      await loadFor(id, caller)
      const after = page.cursor === undefined ? 0 : Number.parseInt(page.cursor, 10)
      if (!Number.isInteger(after) || after < 0) {
        throw new DomainRuleError('The cursor is not valid.', [
          { pointer: '/querystring/cursor', message: 'is not a row number' },
        ])
      }
      const rows: ImportRowError[] = await deps.db.importRowError.findMany({
        where: { jobId: id, rowNumber: { gt: after } },
        orderBy: { rowNumber: 'asc' },
        take: page.limit + 1,
      })
      const items = rows.slice(0, page.limit).map((r) => ({
        rowNumber: r.rowNumber,
        errors: r.errors as RowErrorView['errors'],
        raw: r.raw as Record<string, string> | null,
      }))
      return { items, nextCursor: rows.length > page.limit ? String(items.at(-1)!.rowNumber) : null }
    },
  })

  return {
    ...forCaller({ actor: deps.actor, seesAll: true }),
    as: forCaller,

    async settled(id) {
      await live.get(id)?.promise.catch(() => undefined)
    },

    async close() {
      for (const entry of live.values()) entry.stop = true
      await Promise.all([...live.values()].map((e) => e.promise.catch(() => undefined)))
    },
  }
}
