import { uuidv7 } from 'uuidv7'
import type { AssignmentDecision } from '../domain/assignment/assign.rules.js'
import type { AssignmentDecisionInputs } from '../domain/rules/decision-replay.rules.js'
import type { Actor } from '../domain/lead/lead-capture.js'
import { mergeLeads } from '../domain/dedupe/merge.rules.js'
import { engagementEventForCapture } from '../domain/scoring/capture-engagement.rules.js'
import { scoreLead } from '../domain/scoring/score.rules.js'
import { Prisma } from '../generated/prisma/client.js'
import { fieldChanges } from '../platform/audit.js'
import type { Tx } from '../platform/database/prisma.js'
import { applyScore } from './apply-score.js'
import { assignLeads } from './assign-leads.js'
import { auditLead, leadCreatedChanges, type LeadWriteContext } from './lead-audit.js'
import { lockLeads, rowToDraft } from './lead-rows.js'
import type { Assessment, IngestionPolicy } from './steps/assess.js'
import type { ActiveRules } from './rules/active-rules.js'

export type CaptureOutcome = 'created' | 'duplicate' | 'quarantined'

export interface PersistedLead {
  id: string
  status: string
  outcome: CaptureOutcome
  duplicateOf: string | null
  score: number
  ownerId: string | null
  queue: string | null
  createdAt: Date
}

interface DuplicateMatch {
  masterId: string
  reason: { kind: 'email' | 'phone'; key: string } | { kind: 'fuzzy'; key: string; similarity: number }
}

/**
 * Who this capture may duplicate, in one round trip: the master that already owns one of
 * its exact match keys (oldest first); failing that, masters of the same company (the
 * blocking key) whose name + company look alike by pg_trgm similarity, best first. One
 * indexed equality narrows the fuzzy comparison to a handful of rows, so its cost does not
 * grow with the table. This is a read before the insert, so a new lead is written once
 * with its final placement; the key claim in insertLeadClaimingKeys is what enforces one
 * master per person.
 */
async function findMatches(
  tx: Tx,
  a: Pick<Assessment, 'matchKeys' | 'fuzzyKey' | 'companyKey'>,
  threshold: number,
): Promise<{ exact: DuplicateMatch | null; fuzzy: { id: string; similarity: number }[] }> {
  const rows = await tx.$queryRaw<
    { kind: 'exact' | 'fuzzy'; key: string | null; id: string; similarity: number }[]
  >`
    WITH exact AS (
      SELECT m.key, m.lead_id FROM lead_match_key m JOIN lead l ON l.id = m.lead_id
       WHERE m.key = ANY(${a.matchKeys}::text[])
       ORDER BY l.created_at, l.id LIMIT 1
    ), fuzzy AS (
      SELECT id, similarity FROM (
        SELECT id, created_at, similarity(fuzzy_key, ${a.fuzzyKey ?? ''})::float8 AS similarity FROM lead
         WHERE company_key = ${a.companyKey} AND NOT is_duplicate AND ${a.fuzzyKey !== null}
      ) c
      WHERE similarity >= ${threshold} AND NOT EXISTS (SELECT 1 FROM exact)
      ORDER BY similarity DESC, created_at LIMIT 5
    )
    SELECT 'exact' AS kind, key, lead_id AS id, 1::float8 AS similarity FROM exact
    UNION ALL
    SELECT 'fuzzy', NULL, id, similarity FROM fuzzy`
  const exact = rows.find((r) => r.kind === 'exact')
  return {
    exact: exact
      ? {
          masterId: exact.id,
          reason: { kind: exact.key!.startsWith('email:') ? 'email' : 'phone', key: exact.key! },
        }
      : null,
    fuzzy: rows.filter((r) => r.kind === 'fuzzy').map((r) => ({ id: r.id, similarity: r.similarity })),
  }
}

/**
 * Another capture of the same person committed between our check and our key claim. The
 * transaction rolls back and the capture runs again, and then finds that master.
 */
export class CaptureRaceError extends Error {
  override name = 'CaptureRaceError'
}

export type SqlType = 'uuid' | 'text' | 'text[]' | 'int' | 'numeric' | 'boolean' | 'timestamptz' | 'jsonb'
/** A row as [column, value, type] triples: the lead's columns, and the batch path's rows. */
export type ColumnRow = [string, unknown, SqlType][]

/**
 * The new lead's columns with their PostgreSQL types. Written with raw SQL because this
 * insert runs on every capture: going through Prisma's query compiler cost more CPU than
 * the whole governance pipeline (see bench:ingest).
 */
export function leadColumns(a: Assessment, id: string, actor: Actor, now: Date): ColumnRow {
  const d = a.draft
  const warnings = a.issues.filter((i) => i.severity === 'warning')
  return [
    ['id', id, 'uuid'],
    ['channel', d.channel, 'text'],
    ['first_name', d.firstName, 'text'],
    ['last_name', d.lastName, 'text'],
    ['email', d.email, 'text'],
    ['email_domain', d.emailDomain, 'text'],
    ['phone', d.phone, 'text'],
    ['phone_country', d.phoneCountry, 'text'],
    ['company', d.company, 'text'],
    ['title', d.title, 'text'],
    ['website', d.website, 'text'],
    ['company_domain', d.companyDomain, 'text'],
    ['industry', d.industry, 'text'],
    ['company_size', d.companySize, 'text'],
    ['annual_revenue', d.annualRevenue, 'numeric'],
    ['currency', d.currency, 'text'],
    ['country', d.country, 'text'],
    ['state', d.state, 'text'],
    ['city', d.city, 'text'],
    ['territory_id', a.territory?.id ?? null, 'text'],
    ['budget', d.budget, 'text'],
    ['authority', d.authority, 'text'],
    ['need', d.need, 'text'],
    ['timeline', d.timeline, 'text'],
    ['consent_status', a.consent.status, 'text'],
    ['consent_channels', a.consent.grantedChannels, 'text[]'],
    ['consent_at', a.consent.at ? new Date(a.consent.at) : null, 'timestamptz'],
    ['consent_source', a.consent.source, 'text'],
    ['consent_text_version', a.consent.textVersion, 'text'],
    ['dnd', a.consent.dnd, 'boolean'],
    [
      'opt_in_at',
      a.consent.status === 'granted' && a.consent.at ? new Date(a.consent.at) : null,
      'timestamptz',
    ],
    ['external_ids', JSON.stringify(d.externalId ? { [d.channel]: d.externalId } : {}), 'jsonb'],
    ['score', a.score.score, 'int'],
    ['score_breakdown', JSON.stringify(a.score.breakdown), 'jsonb'],
    ['score_explanation', a.score.explanation, 'text'],
    ['score_rule_version', a.score.version, 'int'],
    ['spam_score', a.spam.score, 'int'],
    ['spam_signals', JSON.stringify(a.spam.signals), 'jsonb'],
    ['validation_status', a.quarantined ? 'quarantined' : warnings.length > 0 ? 'warnings' : 'valid', 'text'],
    ['validation_issues', JSON.stringify(warnings), 'jsonb'],
    ['fuzzy_key', a.fuzzyKey, 'text'],
    ['company_key', a.companyKey, 'text'],
    ['created_at', now, 'timestamptz'],
    ['updated_at', now, 'timestamptz'],
    ['created_by', actor.id, 'text'],
    ['updated_by', actor.id, 'text'],
  ]
}

/**
 * Inserts the lead and claims its match keys in one statement; returns the keys it got.
 * (The keys' foreign key is checked at the end of the statement, when the lead exists.)
 */
async function insertLeadClaimingKeys(
  tx: Tx,
  columns: ColumnRow,
  leadId: string,
  keys: string[],
): Promise<string[]> {
  const names = Prisma.raw(columns.map(([name]) => `"${name}"`).join(', '))
  const values = Prisma.join(columns.map(([, value, type]) => Prisma.sql`${value}::${Prisma.raw(type)}`))
  const claimed = await tx.$queryRaw<{ key: string }[]>`
    WITH inserted AS (INSERT INTO lead (${names}) VALUES (${values}) RETURNING id)
    INSERT INTO lead_match_key (key, lead_id)
    SELECT k, ${leadId}::uuid FROM unnest(${keys}::text[]) AS k, inserted
    ON CONFLICT (key) DO NOTHING
    RETURNING key`
  return claimed.map((c) => c.key)
}

/**
 * Folds a repeat capture into its master by the merge policy (domain/dedupe/merge.rules.ts):
 * empty master fields filled, the capture counted as engagement, the master rescored.
 */
async function foldIntoMaster(
  tx: Tx,
  masterId: string,
  a: Assessment,
  rules: ActiveRules,
  ctx: LeadWriteContext,
) {
  const { actor } = ctx
  const master = (await lockLeads(tx, [masterId])).get(masterId)
  if (!master) throw new Error(`master lead ${masterId} vanished during the capture`)
  const { patch } = mergeLeads(rowToDraft(master), a.draft)
  const engagement = { ...(master.engagement as Record<string, number>) }
  const event = engagementEventForCapture(a.draft.channel)
  engagement[event] = (engagement[event] ?? 0) + 1
  const merged = { ...rowToDraft(master), ...patch }
  const score = scoreLead({ lead: merged, engagement }, rules.scoring)
  await applyScore(tx, {
    leadId: masterId,
    score,
    scoredLead: merged,
    engagement,
    cause: `duplicate capture (${a.draft.channel})`,
    actorId: actor.id,
    at: new Date(a.draft.receivedAt),
    changes: patch as Prisma.LeadUpdateInput,
  })
  await auditLead(
    tx,
    ctx,
    masterId,
    'update',
    fieldChanges({ ...rowToDraft(master), score: master.score }, { ...patch, score: score.score }),
  )
  return { score: score.score, ownerId: master.ownerId, queue: master.queue }
}

export interface PersistInput {
  assessment: Assessment
  actor: Actor
  requestId: string | undefined
  rules: ActiveRules
  policy: IngestionPolicy
  rawPayload: unknown
  /** The ingestion clock: the lead's created_at and every decision's time. */
  now: string
}

/**
 * One transaction for the whole capture: the lead, its match keys (dedupe), the assignment
 * (with its cursor and load counter), the touch, the consent record, the raw payload, every
 * decision, and the outbox event that starts the journey. All of it commits, or none.
 */
export async function persistCapture(tx: Tx, input: PersistInput): Promise<PersistedLead> {
  const { assessment: a, actor, rules, policy } = input
  const id = uuidv7() // time-ordered: inserts stay at the right edge of the primary-key index
  const now = a.draft.receivedAt
  const matches = await findMatches(tx, a, policy.fuzzySuggestThreshold)
  let duplicate = matches.exact
  const possibleDuplicates = matches.fuzzy
  const best = possibleDuplicates[0]
  if (!duplicate && a.fuzzyKey && best && best.similarity >= policy.fuzzyLinkThreshold) {
    duplicate = { masterId: best.id, reason: { kind: 'fuzzy', key: a.fuzzyKey, similarity: best.similarity } }
  }

  let assignment: AssignmentDecision | null = null
  let assignmentInputs: AssignmentDecisionInputs | null = null
  let outcome: CaptureOutcome = 'created'
  let masterScore = a.score.score
  let placement: { ownerId: string | null; queue: string | null; reason: string; assignedAt: Date | null }
  if (duplicate) {
    outcome = 'duplicate'
    const master = await foldIntoMaster(tx, duplicate.masterId, a, rules, {
      actor,
      requestId: input.requestId,
    })
    masterScore = master.score
    placement = {
      ownerId: master.ownerId,
      queue: master.queue,
      reason: 'Follows its master lead.',
      assignedAt: null,
    }
  } else if (a.quarantined) {
    outcome = 'quarantined'
    placement = {
      ownerId: null,
      queue: 'spam-review',
      reason: 'Quarantined as likely spam.',
      assignedAt: null,
    }
  } else {
    const [assigned] = await assignLeads(tx, [a], rules.assignment)
    assignment = assigned!.decision
    assignmentInputs = assigned!.inputs
    placement = {
      ownerId: assignment.ownerId,
      queue: assignment.queue,
      reason: assignment.reason,
      assignedAt: new Date(now),
    }
  }

  // The lead is written once, with its final placement. A duplicate's new contact points
  // (a phone the master lacked) become the master's keys.
  const columns = leadColumns(a, id, actor, new Date(input.now))
  columns.push(
    ['owner_id', placement.ownerId, 'text'],
    ['queue', placement.queue, 'text'],
    ['assigned_at', placement.assignedAt, 'timestamptz'],
    ['assignment_reason', placement.reason, 'text'],
    ['is_duplicate', duplicate !== null, 'boolean'],
    ['duplicate_of_id', duplicate?.masterId ?? null, 'uuid'],
    ['duplicate_reason', duplicate ? JSON.stringify(duplicate.reason) : null, 'jsonb'],
  )
  const claimed = await insertLeadClaimingKeys(tx, columns, duplicate?.masterId ?? id, a.matchKeys)
  if (!duplicate && claimed.length < a.matchKeys.length) throw new CaptureRaceError()

  const decidedAt = new Date(input.now)
  const decisions = [
    { kind: 'validation', rule_version: null, inputs: { capture: a.capture }, outcome: { issues: a.issues } },
    { kind: 'spam', rule_version: null, inputs: { draft: a.draft }, outcome: a.spam },
    {
      kind: 'dedupe',
      rule_version: null,
      inputs: { matchKeys: a.matchKeys, fuzzyKey: a.fuzzyKey, companyKey: a.companyKey },
      outcome: { duplicate, possibleDuplicates },
    },
    {
      kind: 'consent',
      rule_version: null,
      inputs: { evidence: a.capture.consent ?? null },
      outcome: a.consent,
    },
    // Score and assignment decisions keep everything their rule read (for an assignment, the
    // pool's state as it saw it), so a day of them can be replayed (rules/replay-decisions.ts).
    {
      kind: 'score',
      rule_version: a.score.version,
      inputs: { lead: a.draft, engagement: {} },
      outcome: a.score,
    },
    ...(assignment
      ? [
          {
            kind: 'assignment',
            rule_version: assignment.version,
            inputs: assignmentInputs,
            outcome: assignment,
          },
        ]
      : []),
  ]
  const touch = a.touch
  const consent = a.capture.consent
  const d = a.draft
  const created = leadCreatedChanges({
    channel: d.channel,
    firstName: d.firstName,
    lastName: d.lastName,
    email: d.email,
    phone: d.phone,
    company: d.company,
    title: d.title,
    website: d.website,
    industry: d.industry,
    companySize: d.companySize,
    annualRevenue: d.annualRevenue,
    currency: d.currency,
    country: d.country,
    state: d.state,
    city: d.city,
    budget: d.budget,
    authority: d.authority,
    need: d.need,
    timeline: d.timeline,
    consentStatus: a.consent.status,
    consentChannels: a.consent.grantedChannels,
    dnd: a.consent.dnd,
    status: 'NEW',
    score: a.score.score,
    ownerId: placement.ownerId,
    queue: placement.queue,
    duplicateOfId: duplicate?.masterId ?? null,
  })

  // Only a new master starts a journey; a duplicate is engagement on its master's journey.
  const startJourney = outcome === 'created'
  // Everything that follows from the decisions, in one statement: these rows are known by
  // now, and one round trip instead of five is most of a capture's cost on a busy server.
  // (The outbox row is the same one outbox.repository.ts's enqueue() writes.)
  await tx.$executeRaw`
    WITH touched AS (
      INSERT INTO touch (lead_id, channel, source, medium, campaign, term, content, referrer, landing_page, occurred_at)
      VALUES (${id}::uuid, ${touch.channel}, ${touch.source}, ${touch.medium}, ${touch.campaign}, ${touch.term},
              ${touch.content}, ${touch.referrer}, ${touch.landingPage}, ${new Date(touch.occurredAt)})
    ), consented AS (
      INSERT INTO consent_record (lead_id, status, channels, source, text_version, text, at, dnd, recorded_by)
      SELECT ${id}::uuid, ${a.consent.status}, ${a.consent.grantedChannels}::text[], ${a.consent.source},
             ${a.consent.textVersion}, ${consent?.text ?? null}, ${new Date(a.consent.at ?? now)}, ${a.consent.dnd},
             ${actor.id}
       WHERE ${consent !== undefined}
    ), raw AS (
      INSERT INTO raw_capture (lead_id, channel, payload, received_at)
      VALUES (${id}::uuid, ${a.draft.channel}, ${JSON.stringify(input.rawPayload ?? a.capture)}::jsonb, ${new Date(now)})
    ), decided AS (
      INSERT INTO lead_decision (lead_id, kind, rule_version, inputs, outcome, decided_at)
      SELECT ${id}::uuid, d.kind, d.rule_version, d.inputs, d.outcome, ${decidedAt}
        FROM jsonb_to_recordset(${JSON.stringify(decisions)}::jsonb) AS d(kind text, rule_version int, inputs jsonb, outcome jsonb)
    ), audited AS (
      INSERT INTO audit_event (entity, entity_id, action, actor_id, request_id, changes)
      VALUES ('lead', ${id}, 'create', ${actor.id}, ${input.requestId ?? null}, ${created}::jsonb)
    ), queued AS (
      INSERT INTO outbox_event (topic, aggregate_id, payload, request_id)
      SELECT 'lead.captured', ${id}, jsonb_build_object('leadId', ${id}::text), ${input.requestId ?? null}
       WHERE ${startJourney}
    )
    SELECT 1`

  return {
    id,
    status: 'NEW',
    outcome,
    duplicateOf: duplicate?.masterId ?? null,
    score: duplicate ? masterScore : a.score.score,
    ownerId: placement.ownerId,
    queue: placement.queue,
    createdAt: decidedAt,
  }
}
