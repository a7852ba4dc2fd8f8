import { createHash } from 'node:crypto'
import { Readable, pipeline } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { uuidv7 } from 'uuidv7'
import { hiddenFields } from '../../../domain/security/field-access.rules.js'
import { fieldChanges, recordAudit } from '../../../platform/audit.js'
import type { Db } from '../../../platform/database/prisma.js'
import { DomainRuleError } from '../../../platform/errors.js'
import { readRedactor } from '../../../security/field-access.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import type { Page } from '../../queries/keyset.js'
import { MAX_EXPORT_ROWS } from '../../schemas/export.schema.js'

/*
 * One export: the rows a list query returns for the caller (their row-level access applied
 * by the query), page after page through its keyset so memory holds one page however many
 * rows there are, with the caller's hidden fields blanked by the same redactor the API's
 * answers go through, recorded in the audit trail before the first byte leaves.
 */

const PAGE_SIZE = 1_000

/** One page of the export's rows after `cursor`: the list query, with the caller's visibility. */
export type PageOfRows = (cursor: string | undefined, limit: number) => Promise<Page<Record<string, unknown>>>

export interface ExportRequest {
  object: 'lead' | 'account'
  format: 'csv' | 'json'
  /** The list filters asked for (recorded in the audit entry, see auditedFilters). */
  filters: Record<string, unknown>
  /** The columns, in order; JSON rows carry the same fields. */
  columns: readonly string[]
  page: PageOfRows
}

/**
 * Filters whose values say nothing about a person: enums, ids of users and queues, scores,
 * dates, flags. Any other filter (the `q` search above all) is free text a user may fill with
 * someone's email, phone or name.
 */
const NON_PERSONAL_FILTERS: ReadonlySet<string> = new Set([
  'status',
  'channel',
  'ownerId',
  'queue',
  'country',
  'isDuplicate',
  'validationStatus',
  'minScore',
  'maxScore',
  'createdFrom',
  'createdTo',
  'type',
  'lifecycleStage',
  'industry',
  'isActive',
  'healthBelow',
  'healthAtLeast',
])

/**
 * The filters as the audit trail keeps them. The trail is append-only and outlives an
 * erasure, so a search for a person's email must not be written there as typed: free-text
 * values are kept as `sha256:<hex>` of the trimmed, lower-cased text (searches ignore case),
 * which still answers "was this person looked up?" for someone who already knows the value.
 */
export function auditedFilters(filters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [
        k,
        NON_PERSONAL_FILTERS.has(k)
          ? v
          : `sha256:${createHash('sha256').update(String(v).trim().toLowerCase()).digest('hex')}`,
      ]),
  )
}

async function* rowsOf(page: PageOfRows, max: number): AsyncGenerator<Record<string, unknown>> {
  let cursor: string | undefined
  let sent = 0
  while (sent < max) {
    const { items, nextCursor } = await page(cursor, Math.min(PAGE_SIZE, max - sent))
    for (const item of items) {
      if (sent === max) return
      sent++
      yield item
    }
    if (!nextCursor) return
    cursor = nextCursor
  }
}

/**
 * How many rows the export holds, counting no further than `cap`. It walks the same pages
 * the export will send, so the count and the rows can never disagree about filters or
 * visibility. TODO(queries): with the list filters exported as a `where`, one COUNT.
 */
async function countUpTo(page: PageOfRows, cap: number): Promise<number> {
  let n = 0
  for await (const _ of rowsOf(page, cap)) n++
  return n
}

const pick = (row: Record<string, unknown>, columns: readonly string[]) =>
  Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))

async function* jsonArray(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  let first = true
  for await (const row of rows) {
    yield (first ? '[\n' : ',\n') + JSON.stringify(row)
    first = false
  }
  yield first ? '[]\n' : '\n]\n'
}

/**
 * CSV for spreadsheets: a byte-order mark so Excel reads UTF-8 (Devanagari names), booleans
 * as true/false, and formula injection neutralised (OWASP): a text cell starting with
 * = + - @ tab or CR gets a leading ' so it is shown, not evaluated (csv-stringify's
 * escape_formulas; an E.164 phone therefore reads '+91…).
 */
const csvOf = (columns: readonly string[]) =>
  stringify({
    header: true,
    bom: true,
    columns: [...columns],
    escape_formulas: true,
    cast: { boolean: (v) => String(v) },
  })

/** Counts, audits and streams one export as the reply. */
export async function sendExport(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  spec: ExportRequest,
): Promise<FastifyReply> {
  const principal = principalOf(request)
  const rows = await countUpTo(spec.page, MAX_EXPORT_ROWS + 1)
  if (rows > MAX_EXPORT_ROWS)
    throw new DomainRuleError(
      `More than ${MAX_EXPORT_ROWS} ${spec.object}s match: an export holds at most ${MAX_EXPORT_ROWS}. ` +
        'Narrow the filters (for example a creation period) and export in parts.',
    )
  const hidden = hiddenFields(principal.role.fieldRules, spec.object).filter((f) => spec.columns.includes(f))
  const id = uuidv7()
  // Recorded before any row leaves: an export that is cut short was still an export.
  await recordAudit(db, writeContext(request), {
    entity: 'export',
    entityId: id,
    action: 'export',
    changes: fieldChanges(null, {
      object: spec.object,
      format: spec.format,
      filters: auditedFilters(spec.filters),
      rows,
      fields: spec.columns,
      hiddenFields: hidden,
    }),
  })
  const redact = readRedactor(principal.role, spec.object)
  // At most the rows counted: a lead arriving meanwhile does not make the file disagree with its audit entry.
  const records = async function* () {
    for await (const row of rowsOf(spec.page, rows))
      yield pick((redact ? redact(row) : row) as Record<string, unknown>, spec.columns)
  }
  const day = new Date().toISOString().slice(0, 10)
  reply
    .header('content-disposition', `attachment; filename="${spec.object}s-${day}.${spec.format}"`)
    .header('x-export-id', id)
    .header('cache-control', 'no-store')
  if (spec.format === 'json')
    return reply.type('application/json; charset=utf-8').send(Readable.from(jsonArray(records())))
  // A failed page destroys the response rather than ending a file that looks complete, and a
  // client that hangs up stops the paging.
  const csv = pipeline(Readable.from(records()), csvOf(spec.columns), (err) => {
    if (err) request.log.info({ exportId: id, code: (err as NodeJS.ErrnoException).code }, 'export cut short')
  })
  return reply.type('text/csv; charset=utf-8').send(csv)
}
