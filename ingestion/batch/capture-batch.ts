import { uuidv7 } from 'uuidv7'
import type { AssignmentDecision } from '../../domain/assignment/assign.rules.js'
import type { AssignmentDecisionInputs } from '../../domain/rules/decision-replay.rules.js'
import type { DraftLead, ValidationIssue } from '../../domain/lead/draft-lead.js'
import type { Actor, LeadCapture } from '../../domain/lead/lead-capture.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { assignLeads } from '../assign-leads.js'
import { rowToDraft, lockLeads } from '../lead-rows.js'
import { CaptureRaceError, leadColumns, type ColumnRow } from '../persist.js'
import type { RuleCache } from '../rules/active-rules.js'
import type { Assessment, IngestionPolicy, StepContext } from '../steps/assess.js'
import { assessCapture } from '../steps/assess-capture.js'
import { foldDuplicates, type FoldMaster } from './batch-fold.js'
import { textArray, unnestInsert } from './batch-sql.js'
import {
  resolveRows,
  type DuplicateOrigin,
  type FuzzyCandidate,
  type KeyOwner,
  type Placement,
  type PreparedRow,
} from './resolve.js'

/*
 * The batch path: the governed pipeline for many captures at once (bulk imports). Every row
 * goes through the same pure steps as a single capture (assessCapture), is placed with the same
 * dedupe rules (resolveRows), gets an owner under the same assignment rules (assignLeads),
 * and is written to the same tables as persistCapture: the lead, its match keys, touch,
 * consent record, raw capture, decisions and the outbox event that starts its journey. What
 * changes is the shape of the I/O (one transaction per batch, one statement per table) and
 * the decisions kept: dedupe, score and assignment always, validation and spam only when
 * they found something, and the score's inputs without empty fields (writeFollowUps).
 */

export interface BatchInputRow {
  rowNumber: number
  /** The row's natural delivery key (imports: `<file sha256>:<row number>`). */
  key: string
  capture: LeadCapture
  /** The row as read, stored as the lead's raw capture. */
  raw: unknown
}

export interface BatchOptions {
  connectorId: string
  actor: Actor
  /** Delivery keys of one file share this prefix: a master created from one of them is an in-file match. */
  keyPrefix: string
  /** 'skip': a row whose person is already in the database writes nothing; 'link' (default) records it as a duplicate. */
  onDuplicate: 'link' | 'skip'
  requestId?: string | undefined
}

export type RowOutcome =
  | { rowNumber: number; outcome: 'invalid'; errors: ValidationIssue[] }
  | { rowNumber: number; outcome: 'created' | 'quarantined'; leadId: string }
  | { rowNumber: number; outcome: 'duplicate'; leadId: string; duplicateOf: string; origin: DuplicateOrigin }
  | { rowNumber: number; outcome: 'skipped'; duplicateOf: string }
  /** Already imported: the ledger holds this row's delivery key (a re-run, a resumed job). */
  | { rowNumber: number; outcome: 'replayed'; leadId: string | null }

export interface BatchCounts {
  rows: number
  created: number
  quarantined: number
  duplicatesInFile: number
  duplicatesInDb: number
  skipped: number
  replayed: number
  invalid: number
}

export interface BatchResult {
  counts: BatchCounts
  outcomes: RowOutcome[]
}

/** A batch after the pure steps: what a transaction (or a dry run) works from. */
export interface PreparedBatch {
  ctx: StepContext
  rows: PreparedRow[]
  invalid: { rowNumber: number; errors: ValidationIssue[] }[]
  size: number
}

export interface BatchCaptureDeps {
  db: Db
  rules: RuleCache
  policy: IngestionPolicy
  clock?: () => Date
}

/** Keys already seen by a dry run in earlier batches (nothing is committed, so the database cannot tell). */
export interface SeenKeys {
  has(key: string): boolean
  add(key: string): void
}

export interface BatchCapture {
  /** The pure steps for every row; no I/O but reading the active rules. */
  prepare(rows: readonly BatchInputRow[]): Promise<PreparedBatch>
  /**
   * Writes a prepared batch in one transaction. `afterWrite` runs inside it (an import job's
   * checkpoint and counters commit with the rows they count).
   */
  commit(
    batch: PreparedBatch,
    options: BatchOptions,
    afterWrite?: (tx: Tx, result: BatchResult) => Promise<void>,
  ): Promise<BatchResult>
  /** What commit would do, read-only: ledger, dedupe against the database and within the file. */
  preview(batch: PreparedBatch, options: BatchOptions, seen: SeenKeys): Promise<BatchResult>
}

const emptyCounts = (rows: number): BatchCounts => ({
  rows,
  created: 0,
  quarantined: 0,
  duplicatesInFile: 0,
  duplicatesInDb: 0,
  skipped: 0,
  replayed: 0,
  invalid: 0,
})

function count(outcomes: RowOutcome[], rows: number): BatchCounts {
  const c = emptyCounts(rows)
  for (const o of outcomes) {
    if (o.outcome === 'created') c.created++
    else if (o.outcome === 'quarantined') c.quarantined++
    else if (o.outcome === 'duplicate') {
      if (o.origin === 'file') c.duplicatesInFile++
      else c.duplicatesInDb++
    } else if (o.outcome === 'skipped') c.skipped++
    else if (o.outcome === 'replayed') c.replayed++
    else c.invalid++
  }
  return c
}

const isRetryable = (err: unknown) =>
  err instanceof CaptureRaceError ||
  /deadlock detected|could not serialize/i.test(String((err as Error)?.message))

/** Exact key owners for the batch's keys: the master each key belongs to, and whether this file created it. */
async function readOwners(
  tx: Tx | Db,
  keys: string[],
  options: BatchOptions,
): Promise<Map<string, KeyOwner>> {
  if (keys.length === 0) return new Map()
  const rows = await tx.$queryRaw<{ key: string; id: string; created_at: Date; in_file: boolean }[]>`
    SELECT m.key, m.lead_id::text AS id, l.created_at,
           EXISTS (SELECT 1 FROM inbound_delivery d
                    WHERE d.lead_id = m.lead_id AND d.connector_id = ${options.connectorId}
                      AND d.outcome IN ('lead_created', 'lead_quarantined')
                      AND starts_with(d.delivery_key, ${options.keyPrefix})) AS in_file
      FROM lead_match_key m JOIN lead l ON l.id = m.lead_id
     WHERE m.key = ANY(${textArray(keys)}::text[])`
  return new Map(
    rows.map((r) => [r.key, { masterId: r.id, createdAt: r.created_at.getTime(), inFile: r.in_file }]),
  )
}

/**
 * Same-company masters whose name + company look alike, for every row without an exact owner,
 * in one round trip (the blocking key keeps each row's comparison to a handful of leads).
 */
async function readFuzzy(
  tx: Tx | Db,
  rows: readonly PreparedRow[],
  owners: ReadonlyMap<string, KeyOwner>,
  threshold: number,
  options: BatchOptions,
): Promise<Map<number, FuzzyCandidate[]>> {
  const asked: { i: number; ck: string; fk: string }[] = []
  rows.forEach((r, i) => {
    const a = r.assessment
    if (a.fuzzyKey === null || a.companyKey === null) return
    if (a.matchKeys.some((k) => owners.has(k))) return
    asked.push({ i, ck: a.companyKey, fk: a.fuzzyKey })
  })
  const found = new Map<number, FuzzyCandidate[]>()
  if (asked.length === 0) return found
  const hits = await tx.$queryRaw<
    { i: number; id: string; similarity: number; created_at: Date; in_file: boolean }[]
  >`
    SELECT u.i, c.id::text AS id, c.similarity, c.created_at,
           EXISTS (SELECT 1 FROM inbound_delivery d
                    WHERE d.lead_id = c.id AND d.connector_id = ${options.connectorId}
                      AND d.outcome IN ('lead_created', 'lead_quarantined')
                      AND starts_with(d.delivery_key, ${options.keyPrefix})) AS in_file
      FROM unnest(${textArray(asked.map((a) => a.ck))}::text[], ${textArray(asked.map((a) => a.fk))}::text[],
                  ${textArray(asked.map((a) => a.i))}::int[])
           AS u(ck, fk, i)
      CROSS JOIN LATERAL (
        SELECT id, created_at, similarity(fuzzy_key, u.fk)::float8 AS similarity FROM lead
         WHERE company_key = u.ck AND NOT is_duplicate
      ) c
     WHERE c.similarity >= ${threshold}`
  for (const h of hits) {
    const list = found.get(h.i) ?? []
    list.push({ id: h.id, similarity: h.similarity, createdAt: h.created_at.getTime(), inFile: h.in_file })
    found.set(h.i, list)
  }
  return found
}

function placementOutcome(row: PreparedRow, p: Placement): RowOutcome {
  if (p.kind === 'skip') return { rowNumber: row.rowNumber, outcome: 'skipped', duplicateOf: p.masterId }
  if (p.kind === 'duplicate') {
    return {
      rowNumber: row.rowNumber,
      outcome: 'duplicate',
      leadId: p.id,
      duplicateOf: p.masterId,
      origin: p.origin,
    }
  }
  return {
    rowNumber: row.rowNumber,
    outcome: row.assessment.quarantined ? 'quarantined' : 'created',
    leadId: p.id,
  }
}

function sortOutcomes(outcomes: RowOutcome[]): RowOutcome[] {
  return outcomes.sort((a, b) => a.rowNumber - b.rowNumber)
}

export function createBatchCapture(deps: BatchCaptureDeps): BatchCapture {
  const clock = deps.clock ?? (() => new Date())
  const thresholds = {
    fuzzySuggestThreshold: deps.policy.fuzzySuggestThreshold,
    fuzzyLinkThreshold: deps.policy.fuzzyLinkThreshold,
  }

  async function write(
    tx: Tx,
    batch: PreparedBatch,
    options: BatchOptions,
    afterWrite: ((tx: Tx, result: BatchResult) => Promise<void>) | undefined,
  ): Promise<BatchResult> {
    const { ctx } = batch
    const now = new Date(ctx.now)
    const outcomes: RowOutcome[] = batch.invalid.map((r) => ({
      rowNumber: r.rowNumber,
      outcome: 'invalid' as const,
      errors: r.errors,
    }))

    // 1. The delivery ledger: a row of this file that an earlier run already imported is a
    //    counted replay (claimDelivery's rule). This batch's own rows are recorded at the end,
    //    with their outcomes, and the primary key still decides: a concurrent run of the same
    //    file that got there first makes this transaction roll back and the batch run again.
    const keys = batch.rows.map((r) => r.key)
    const earlier = await tx.$queryRaw<{ key: string; lead_id: string | null }[]>`
      UPDATE inbound_delivery SET duplicates = duplicates + 1, last_duplicate_at = ${now}
       WHERE connector_id = ${options.connectorId} AND delivery_key = ANY(${textArray(keys)}::text[])
      RETURNING delivery_key AS key, lead_id::text`
    const leadOf = new Map(earlier.map((e) => [e.key, e.lead_id]))
    for (const r of batch.rows) {
      if (leadOf.has(r.key))
        outcomes.push({ rowNumber: r.rowNumber, outcome: 'replayed', leadId: leadOf.get(r.key) ?? null })
    }
    const live = batch.rows.filter((r) => !leadOf.has(r.key))

    // 2. Dedupe against the database: one query for exact keys, one for fuzzy candidates.
    const owners = await readOwners(tx, [...new Set(live.flatMap((r) => r.assessment.matchKeys))], options)
    const fuzzy = await readFuzzy(tx, live, owners, thresholds.fuzzySuggestThreshold, options)
    const placements = resolveRows(live, {
      owners,
      fuzzy,
      onDuplicate: options.onDuplicate,
      ...thresholds,
      now: now.getTime(),
      newId: uuidv7,
    })

    // 3. Stored masters that duplicates fold into: locked before anything reads their owner.
    const created = new Map<string, Assessment>()
    placements.forEach((p, i) => {
      if (p.kind === 'new') created.set(p.id, live[i]!.assessment)
    })
    const linkedMasters = [
      ...new Set(
        placements.flatMap((p) => (p.kind === 'duplicate' && !created.has(p.masterId) ? [p.masterId] : [])),
      ),
    ]
    const stored = linkedMasters.length > 0 ? await lockLeads(tx, linkedMasters) : new Map()

    // 4. Owners for the new (not quarantined) leads, in row order.
    const toAssign = placements.flatMap((p, i) =>
      p.kind === 'new' && !live[i]!.assessment.quarantined ? [{ id: p.id, a: live[i]!.assessment }] : [],
    )
    const assigned = await assignLeads(
      tx,
      toAssign.map((t) => t.a),
      ctx.rules.assignment,
    )
    const assignment = new Map<string, Assigned>(toAssign.map((t, i) => [t.id, assigned[i]!]))
    const placementOf = new Map<string, { ownerId: string | null; queue: string | null }>()
    for (const [id, a] of created) {
      const d = assignment.get(id)?.decision
      placementOf.set(
        id,
        a.quarantined ? { ownerId: null, queue: 'spam-review' } : { ownerId: d!.ownerId, queue: d!.queue },
      )
    }
    for (const [id, row] of stored) placementOf.set(id, { ownerId: row.ownerId, queue: row.queue })

    // 5. The lead rows, written once with their final placement (persistCapture's columns).
    const leadRows: ColumnRow[] = []
    const keyClaims = new Map<string, string>()
    const written: { row: PreparedRow; p: Exclude<Placement, { kind: 'skip' }> }[] = []
    placements.forEach((p, i) => {
      const row = live[i]!
      outcomes.push(placementOutcome(row, p))
      if (p.kind === 'skip') return
      written.push({ row, p })
      const a = row.assessment
      const columns: ColumnRow = leadColumns(a, p.id, options.actor, now)
      if (p.kind === 'duplicate') {
        const master = placementOf.get(p.masterId)
        columns.push(
          ['owner_id', master?.ownerId ?? null, 'text'],
          ['queue', master?.queue ?? null, 'text'],
          ['assigned_at', null, 'timestamptz'],
          ['assignment_reason', 'Follows its master lead.', 'text'],
          ['is_duplicate', true, 'boolean'],
          ['duplicate_of_id', p.masterId, 'uuid'],
          ['duplicate_reason', JSON.stringify(p.reason), 'jsonb'],
        )
      } else {
        const d = assignment.get(p.id)?.decision
        columns.push(
          ['owner_id', d?.ownerId ?? null, 'text'],
          ['queue', a.quarantined ? 'spam-review' : (d?.queue ?? null), 'text'],
          ['assigned_at', a.quarantined ? null : new Date(a.draft.receivedAt), 'timestamptz'],
          ['assignment_reason', a.quarantined ? 'Quarantined as likely spam.' : (d?.reason ?? null), 'text'],
          ['is_duplicate', false, 'boolean'],
          ['duplicate_of_id', null, 'uuid'],
          ['duplicate_reason', null, 'jsonb'],
        )
      }
      leadRows.push(columns)
      const holder = p.kind === 'duplicate' ? p.masterId : p.id
      for (const k of a.matchKeys) if (!owners.has(k) && !keyClaims.has(k)) keyClaims.set(k, holder)
    })

    if (leadRows.length > 0) {
      const insert = unnestInsert('lead', leadRows)
      await tx.$executeRawUnsafe(insert.sql, ...insert.params)
    }

    // 6. Match keys: a new master must get every key it was placed with. One a concurrent
    //    single capture claimed first means that person now exists: run the batch again.
    if (keyClaims.size > 0) {
      const sorted = [...keyClaims].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const got = new Set(
        (
          await tx.$queryRaw<{ key: string }[]>`
            INSERT INTO lead_match_key (key, lead_id)
            SELECT k, l::uuid FROM unnest(${textArray(sorted.map(([k]) => k))}::text[], ${textArray(sorted.map(([, l]) => l))}::text[]) AS u(k, l)
            ON CONFLICT (key) DO NOTHING
            RETURNING key`
        ).map((r) => r.key),
      )
      for (const [k, holder] of sorted) if (created.has(holder) && !got.has(k)) throw new CaptureRaceError()
    }

    // 7. Linked duplicates fold into their masters (merge, engagement, rescoring), in row order.
    const masters = new Map<string, FoldMaster>()
    for (const [id, row] of stored) {
      masters.set(id, {
        draft: rowToDraft(row),
        engagement: { ...(row.engagement as Record<string, number>) },
      })
    }
    for (const [id, a] of created) {
      masters.set(id, {
        draft: { ...a.draft, receivedAt: ctx.now, externalId: null, phoneType: null, honeypot: null },
        engagement: {},
      })
    }
    await foldDuplicates(tx, {
      folds: written.flatMap(({ row, p }) =>
        p.kind === 'duplicate' ? [{ masterId: p.masterId, duplicate: row.assessment.draft }] : [],
      ),
      masters,
      scoring: ctx.rules.scoring,
      actor: options.actor,
    })

    // 8. What follows from the decisions, as persistCapture writes it: touch, consent record,
    //    raw capture, decisions, and the outbox event of every new master (its journey).
    if (written.length > 0) await writeFollowUps(tx, written, assignment, options, now)

    // 9. The ledger remembers each row's outcome (a replay answers with it).
    const result: BatchResult = { counts: count(outcomes, batch.size), outcomes: sortOutcomes(outcomes) }
    const keyOf = new Map(batch.rows.map((r) => [r.rowNumber, r.key]))
    const ledger = result.outcomes.flatMap((o) => {
      if (o.outcome === 'invalid' || o.outcome === 'replayed') return []
      const key = keyOf.get(o.rowNumber)
      const leadId =
        o.outcome === 'skipped' ? o.duplicateOf : o.outcome === 'duplicate' ? o.duplicateOf : o.leadId
      const outcome =
        o.outcome === 'skipped'
          ? 'ignored'
          : o.outcome === 'duplicate'
            ? 'lead_duplicate'
            : `lead_${o.outcome}`
      return [{ key, outcome, lead_id: leadId, result: o }]
    })
    if (ledger.length > 0) {
      const recorded = await tx.$queryRawUnsafe<{ key: string }[]>(
        `INSERT INTO inbound_delivery (connector_id, delivery_key, outcome, lead_id, result, received_at)
         SELECT $2, key, outcome, lead_id, result, $3
           FROM jsonb_to_recordset($1::jsonb) AS u(key text, outcome text, lead_id uuid, result jsonb)
         ON CONFLICT (connector_id, delivery_key) DO NOTHING
         RETURNING delivery_key AS key`,
        JSON.stringify(ledger),
        options.connectorId,
        now,
      )
      if (recorded.length < ledger.length) throw new CaptureRaceError()
    }
    await afterWrite?.(tx, result)
    return result
  }

  return {
    async prepare(rows) {
      const ctx: StepContext = {
        now: clock().toISOString(),
        policy: deps.policy,
        rules: await deps.rules.get(),
      }
      const prepared: PreparedRow[] = []
      const invalid: PreparedBatch['invalid'] = []
      for (const [i, r] of rows.entries()) {
        // An import prepares the next batch while the previous one commits: yielding now and
        // then lets that transaction's replies through instead of holding them for the whole
        // batch (measured: +10% rows/s in bench:import).
        if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
        const verdict = assessCapture(r.capture, ctx)
        if (verdict.ok)
          prepared.push({ rowNumber: r.rowNumber, key: r.key, raw: r.raw, assessment: verdict.assessment })
        else invalid.push({ rowNumber: r.rowNumber, errors: verdict.errors })
      }
      return { ctx, rows: prepared, invalid, size: rows.length }
    },

    async commit(batch, options, afterWrite) {
      for (let tries = 1; ; tries++) {
        try {
          return await deps.db.$transaction((tx) => write(tx, batch, options, afterWrite), {
            timeout: 120_000,
            maxWait: 30_000,
          })
        } catch (err) {
          if (!isRetryable(err) || tries >= 5) throw err
        }
      }
    },

    async preview(batch, options, seen) {
      const outcomes: RowOutcome[] = batch.invalid.map((r) => ({
        rowNumber: r.rowNumber,
        outcome: 'invalid' as const,
        errors: r.errors,
      }))
      const keys = batch.rows.map((r) => r.key)
      const done = new Set(
        (
          await deps.db.$queryRaw<{ key: string }[]>`
            SELECT delivery_key AS key FROM inbound_delivery
             WHERE connector_id = ${options.connectorId} AND delivery_key = ANY(${textArray(keys)}::text[])`
        ).map((r) => r.key),
      )
      for (const r of batch.rows) {
        if (done.has(r.key)) outcomes.push({ rowNumber: r.rowNumber, outcome: 'replayed', leadId: null })
      }
      const live = batch.rows.filter((r) => !done.has(r.key))
      const owners = await readOwners(
        deps.db,
        [...new Set(live.flatMap((r) => r.assessment.matchKeys))],
        options,
      )
      // Keys an earlier batch of this dry run placed: nothing was committed, so they stand in for its masters.
      const nowMs = Date.parse(batch.ctx.now)
      for (const r of live) {
        for (const k of r.assessment.matchKeys) {
          if (!owners.has(k) && seen.has(k))
            owners.set(k, { masterId: `earlier:${k}`, createdAt: nowMs - 1, inFile: true })
        }
      }
      const fuzzy = await readFuzzy(deps.db, live, owners, thresholds.fuzzySuggestThreshold, options)
      const placements = resolveRows(live, {
        owners,
        fuzzy,
        onDuplicate: options.onDuplicate,
        ...thresholds,
        now: nowMs,
        newId: uuidv7,
      })
      placements.forEach((p, i) => {
        const row = live[i]!
        outcomes.push(placementOutcome(row, p))
        if (p.kind !== 'skip') for (const k of row.assessment.matchKeys) seen.add(k)
      })
      return { counts: count(outcomes, batch.size), outcomes: sortOutcomes(outcomes) }
    },
  }
}

/**
 * A draft without its empty fields: what a decision needs to be replayed, at half the bytes
 * (a replay reads a missing field as null, or false: decision-replay.rules.ts storedDraft).
 */
function compactDraft(draft: DraftLead): Partial<DraftLead> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(draft)) if (v !== null && v !== false) out[k] = v
  return out as Partial<DraftLead>
}

/** A new lead's assignment decision and the inputs it keeps for replay (assignLeads). */
interface Assigned {
  decision: AssignmentDecision
  inputs: AssignmentDecisionInputs
}

async function writeFollowUps(
  tx: Tx,
  written: { row: PreparedRow; p: Exclude<Placement, { kind: 'skip' }> }[],
  assignment: Map<string, Assigned>,
  options: BatchOptions,
  now: Date,
): Promise<void> {
  const touches: ColumnRow[] = []
  const consents: ColumnRow[] = []
  const raws: object[] = []
  const decisions: object[] = []
  const journeys: string[] = []
  for (const { row, p } of written) {
    const a = row.assessment
    const id = p.id
    const t = a.touch
    touches.push([
      ['lead_id', id, 'uuid'],
      ['channel', t.channel, 'text'],
      ['source', t.source, 'text'],
      ['medium', t.medium, 'text'],
      ['campaign', t.campaign, 'text'],
      ['term', t.term, 'text'],
      ['content', t.content, 'text'],
      ['referrer', t.referrer, 'text'],
      ['landing_page', t.landingPage, 'text'],
      ['occurred_at', t.occurredAt, 'timestamptz'],
    ])
    const evidence = a.capture.consent
    if (evidence !== undefined) {
      consents.push([
        ['lead_id', id, 'uuid'],
        ['status', a.consent.status, 'text'],
        ['channels', a.consent.grantedChannels, 'text[]'],
        ['source', a.consent.source, 'text'],
        ['text_version', a.consent.textVersion, 'text'],
        ['text', evidence.text ?? null, 'text'],
        ['at', new Date(a.consent.at ?? a.draft.receivedAt), 'timestamptz'],
        ['dnd', a.consent.dnd, 'boolean'],
        ['recorded_by', options.actor.id, 'text'],
      ])
    }
    raws.push({
      lead_id: id,
      channel: a.draft.channel,
      payload: row.raw ?? a.capture,
      received_at: a.draft.receivedAt,
    })
    const duplicate = p.kind === 'duplicate' ? { masterId: p.masterId, reason: p.reason } : null
    const d = assignment.get(id)
    decisions.push({
      lead_id: id,
      kind: 'dedupe',
      rule_version: null,
      inputs: { matchKeys: a.matchKeys, fuzzyKey: a.fuzzyKey, companyKey: a.companyKey },
      outcome: { duplicate, possibleDuplicates: p.possibleDuplicates },
    })
    decisions.push({
      lead_id: id,
      kind: 'score',
      rule_version: a.score.version,
      inputs: { lead: compactDraft(a.draft), engagement: {} },
      outcome: a.score,
    })
    if (d) {
      decisions.push({
        lead_id: id,
        kind: 'assignment',
        rule_version: d.decision.version,
        // What the rule read: the criteria fields, the score, the time and the pool's state then.
        inputs: d.inputs,
        outcome: d.decision,
      })
    }
    if (a.issues.length > 0) {
      decisions.push({
        lead_id: id,
        kind: 'validation',
        rule_version: null,
        inputs: { capture: a.capture },
        outcome: { issues: a.issues },
      })
    }
    if (a.spam.score > 0) {
      decisions.push({ lead_id: id, kind: 'spam', rule_version: null, inputs: {}, outcome: a.spam })
    }
    // Only a new master starts a journey; a duplicate is engagement on its master's journey.
    if (p.kind === 'new' && !a.quarantined) journeys.push(id)
  }
  // One statement: these rows are all known by now, and one round trip instead of five
  // matters when the batch's own work is a few milliseconds per table.
  const base = [
    JSON.stringify(raws),
    JSON.stringify(decisions),
    textArray(journeys),
    now,
    options.requestId ?? null,
  ]
  const touched = unnestInsert('touch', touches, base.length + 1)
  const consented =
    consents.length > 0
      ? unnestInsert('consent_record', consents, base.length + touched.params.length + 1)
      : null
  await tx.$executeRawUnsafe(
    `WITH raw AS (
       INSERT INTO raw_capture (lead_id, channel, payload, received_at)
       SELECT lead_id, channel, payload, received_at
         FROM jsonb_to_recordset($1::jsonb) AS r(lead_id uuid, channel text, payload jsonb, received_at timestamptz)
     ), decided AS (
       INSERT INTO lead_decision (lead_id, kind, rule_version, inputs, outcome, decided_at)
       SELECT lead_id, kind, rule_version, inputs, outcome, $4
         FROM jsonb_to_recordset($2::jsonb) AS d(lead_id uuid, kind text, rule_version int, inputs jsonb, outcome jsonb)
     ), queued AS (
       INSERT INTO outbox_event (topic, aggregate_id, payload, request_id)
       SELECT 'lead.captured', id, jsonb_build_object('leadId', id), $5
         FROM unnest($3::text[]) AS id
     ), touched AS (${touched.sql})${consented ? `, consented AS (${consented.sql})` : ''}
     SELECT 1`,
    ...base,
    ...touched.params,
    ...(consented?.params ?? []),
  )
}
