import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decideAssignment,
  type AssignmentDecision,
  type AssignmentState,
  type Person,
} from '../../domain/assignment/assign.rules.js'
import { parseAssignmentRuleSet, type AssignmentRuleSet } from '../../domain/assignment/assignment-rules.js'
import type { LeadCapture } from '../../domain/lead/lead-capture.js'
import { scoreBand, scoreLead } from '../../domain/scoring/score.rules.js'
import { parseScoringRuleSet } from '../../domain/scoring/scoring-rules.js'
import { createBatchCapture } from '../../ingestion/batch/capture-batch.js'
import { rowToDraft } from '../../ingestion/lead-rows.js'
import { replayDecisions, utcDay, type ReplayReport } from '../../ingestion/rules/replay-decisions.js'
import { ingestionPolicy } from '../../ingestion/services.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { draftLeadFactory } from '../factories/draft-lead.factory.js'

/*
 * Guarantee: scoring and routing are replayable and explainable. A simulated day of leads
 * (API captures, a bulk import, repeat captures and engagement, under several scoring and
 * assignment versions, with people going out of office, unavailable and at capacity in
 * between) is replayed from lead_decision alone: every decision must reproduce, and a
 * tampered input or rule version must show up as exactly the decisions it touches. Drafts
 * are evaluated through the API and the CLI against an expectation this test computes on its
 * own, from a model of the pool it keeps while it drives the day.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const HOUR = 3_600_000
const DAY_START = (() => {
  const now = new Date()
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)
})()
const DATE = new Date(DAY_START).toISOString().slice(0, 10)
const at = (hours: number) => DAY_START + hours * HOUR

let database: TestDatabase
let app: FastifyInstance
let simulated = DAY_START
let workDir: string
const figures: Record<string, unknown> = { date: DATE }

// ---- rule versions activated during the day --------------------------------------------------

const SENIOR = ['ceo', 'founder', 'vp', 'director', 'head', 'chief']
const scoring = (o: { senior: number; industry: number; fitMax: number; country?: number }) => ({
  fitMax: o.fitMax,
  engagementMax: 100 - o.fitMax,
  fit: [
    { id: 'senior', label: 'Senior title', points: o.senior, when: { field: 'title', matchesAny: SENIOR } },
    {
      id: 'mid',
      label: 'Mid-level title',
      points: 10,
      when: { field: 'title', matchesAny: ['manager', 'lead'] },
    },
    {
      id: 'industry',
      label: 'Target industry',
      points: o.industry,
      when: { field: 'industry', in: ['software', 'fintech', 'saas'] },
    },
    {
      id: 'large',
      label: 'Large company',
      points: 10,
      when: { field: 'companySize', in: ['201-500', '501-1000', '1001-5000', '5001+'] },
    },
    {
      id: 'completeness',
      label: 'Profile completeness',
      points: 10,
      when: { completeness: ['firstName', 'lastName', 'email', 'phone', 'company', 'title', 'country'] },
    },
    { id: 'free-email', label: 'Free email', points: -10, when: { field: 'freeEmail', equals: true } },
    ...(o.country
      ? [{ id: 'india', label: 'India', points: o.country, when: { field: 'country', in: ['IN'] } }]
      : []),
  ],
  engagement: [
    { id: 'opens', label: 'Opens', event: 'emailOpen', pointsEach: 5, max: 15 },
    { id: 'clicks', label: 'Clicks', event: 'emailClick', pointsEach: 10, max: 20 },
    { id: 'meetings', label: 'Meetings', event: 'meetingBooked', pointsEach: 30, max: 40 },
    { id: 'visits', label: 'Visits', event: 'webVisit', pointsEach: 2, max: 10 },
  ],
})
const S1 = scoring({ senior: 25, industry: 15, fitMax: 60 })
const S2 = scoring({ senior: 30, industry: 20, fitMax: 70 })
const S3 = scoring({ senior: 30, industry: 20, fitMax: 70, country: 5 })

const SOUTH = { countries: ['IN'], states: ['Karnataka', 'Tamil Nadu'] }
const A1 = {
  rules: [
    { id: 'south', label: 'India South', when: SOUTH, pool: ['a', 'b', 'c'], strategy: 'round_robin' },
    { id: 'india', label: 'India', when: { countries: ['IN'] }, pool: ['c', 'd'], strategy: 'load_balanced' },
    { id: 'world', label: 'Rest of world', when: {}, pool: ['a', 'e'], strategy: 'weighted_round_robin' },
  ],
  fallbackQueue: 'triage',
}
const HOT = { id: 'hot', label: 'Hot leads', when: { minScore: 60 }, pool: ['vip'], strategy: 'round_robin' }
const A2 = { ...A1, rules: [HOT, ...A1.rules] }
const A3 = {
  rules: [
    HOT,
    { id: 'de', label: 'DACH', when: { countries: ['DE'] }, pool: ['eu'], strategy: 'round_robin' },
    { ...A1.rules[0]!, strategy: 'load_balanced' },
    A1.rules[1]!,
    { ...A1.rules[2]!, pool: ['a', 'e', 'eu'] },
  ],
  fallbackQueue: 'triage',
}

// ---- the drafts evaluated at the end ---------------------------------------------------------

const SCORING_DRAFT = {
  fitMax: 70,
  engagementMax: 30,
  fit: [
    { id: 'senior', label: 'Senior title', points: 35, when: { field: 'title', matchesAny: SENIOR } },
    {
      id: 'industry',
      label: 'Target industry',
      points: 20,
      when: { field: 'industry', in: ['software', 'fintech', 'saas', 'healthcare'] },
    },
    {
      id: 'large',
      label: 'Large company',
      points: 10,
      when: { field: 'companySize', in: ['201-500', '1001-5000'] },
    },
    { id: 'complete', label: 'Complete', points: 5, when: { completeness: ['email', 'phone', 'company'] } },
  ],
  engagement: [
    { id: 'opens', label: 'Opens', event: 'emailOpen', pointsEach: 3, max: 9 },
    { id: 'clicks', label: 'Clicks', event: 'emailClick', pointsEach: 8, max: 16 },
    { id: 'meetings', label: 'Meetings', event: 'meetingBooked', pointsEach: 30, max: 30 },
  ],
}
const ASSIGNMENT_DRAFT = {
  rules: [
    { ...HOT, when: { minScore: 75 } },
    {
      id: 'de',
      label: 'DACH',
      when: { countries: ['DE', 'AT', 'CH'] },
      pool: ['eu', 'newbie'],
      strategy: 'round_robin',
    },
    { id: 'south', label: 'India South', when: SOUTH, pool: ['b', 'c', 'newbie'], strategy: 'round_robin' },
    A1.rules[1]!,
    { ...A1.rules[2]!, pool: ['a', 'e', 'eu'] },
  ],
  fallbackQueue: 'triage',
}

// ---- the test's own model of the pool: every change it makes, mirrored ------------------------

const WEIGHTS: Record<string, number> = { a: 1, b: 1, c: 1, d: 1, e: 2, vip: 1, eu: 1, newbie: 1 }
const people: Record<string, Person> = Object.fromEntries(
  Object.entries(WEIGHTS).map(([userId, weight]) => [
    userId,
    { userId, available: true, outOfOfficeUntil: null, capacity: 1000, openLoad: 0, weight },
  ]),
)
const cursors: Record<string, number> = {}
const BUILT_IN: AssignmentRuleSet = { version: 0, rules: [], fallbackQueue: 'unassigned' }
let assignmentRules = BUILT_IN

interface ModelAssignment {
  leadId: string
  lead: LeadCapture
  score: number
  now: string
  rules: AssignmentRuleSet
  seen: AssignmentState
}
const modelled: ModelAssignment[] = []

const clonePeople = (p: Record<string, Person>) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { ...v }]))

/** The fields assignment rules read, as the capture gave them (rules compare them ignoring case). */
const criteriaOf = (c: LeadCapture) =>
  draftLeadFactory.build({
    channel: c.channel,
    country: c.country ?? null,
    state: c.state ?? null,
    industry: c.industry ?? null,
  })

/** What the capture's assignment must be, judged by the model, which then moves its loads and cursors. */
function modelAssign(leadId: string, lead: LeadCapture, score: number, now: string): AssignmentDecision {
  const seen = { people: clonePeople(people), cursors: { ...cursors } }
  const decision = decideAssignment(
    {
      lead: criteriaOf(lead),
      score,
      now,
    },
    assignmentRules,
    { people, cursors },
  )
  if (decision.ownerId) people[decision.ownerId]!.openLoad++
  if (decision.cursor) cursors[decision.cursor.ruleId] = decision.cursor.value
  modelled.push({ leadId, lead, score, now, rules: assignmentRules, seen })
  return decision
}

/** The part of the model a decision under `rules` saw: its pools' people, its rules' cursors. */
function visibleTo(rules: AssignmentRuleSet, seen: AssignmentState): AssignmentState {
  const pool = new Set(rules.rules.flatMap((r) => r.pool))
  const keys = new Set(rules.rules.flatMap((r) => [r.id, ...r.pool.map((u) => `${r.id}:${u}`)]))
  return {
    people: Object.fromEntries(Object.entries(seen.people).filter(([id]) => pool.has(id))),
    cursors: Object.fromEntries(Object.entries(seen.cursors).filter(([k]) => keys.has(k))),
  }
}

async function setPerson(
  id: string,
  change: Partial<Pick<Person, 'available' | 'outOfOfficeUntil' | 'capacity'>>,
) {
  Object.assign(people[id]!, change)
  await database.db.user.update({
    where: { id },
    data: {
      ...(change.available !== undefined ? { available: change.available } : {}),
      ...(change.capacity !== undefined ? { capacity: change.capacity } : {}),
      ...(change.outOfOfficeUntil !== undefined
        ? { outOfOfficeUntil: change.outOfOfficeUntil === null ? null : new Date(change.outOfOfficeUntil) }
        : {}),
    },
  })
}

// ---- driving the day ---------------------------------------------------------------------------

const versions = { scoring: [0] as number[], assignment: [0] as number[] }

async function activate(kind: 'scoring' | 'assignment', definition: object) {
  const res = await app.inject({ method: 'POST', url: `/v1/rule-sets/${kind}`, payload: { definition } })
  expect(res.statusCode, res.body).toBe(201)
  const version = res.json<{ version: number }>().version
  versions[kind].push(version)
  if (kind === 'assignment') assignmentRules = parseAssignmentRuleSet({ ...definition, version })
}

function prng(seed: number) {
  let s = seed
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = prng(20261123)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!

const FIRST = [
  'Asha',
  'Ravi',
  'Meena',
  'Karthik',
  'Priya',
  'Anil',
  'Sunita',
  'Vikram',
  'Lena',
  'Jonas',
  'Maria',
  'Tom',
]
const LAST = ['Rao', 'Iyer', 'Kumar', 'Shah', 'Menon', 'Fischer', 'Schmidt', 'Smith', 'Tan', 'Reddy', 'Nair']
const TITLES = [
  'CEO',
  'Founder',
  'VP Sales',
  'Director of IT',
  'Head of Marketing',
  'Engineering Manager',
  'Team Lead',
  'Engineer',
  'Analyst',
  undefined,
]
const INDUSTRIES = ['Software', 'Fintech', 'SaaS', 'Retail', 'Manufacturing', 'Healthcare', undefined]
const SIZES = ['1-10', '11-50', '51-200', '201-500', '1001-5000', undefined]
const PLACES: [string, string | undefined][] = [
  ['IN', 'Karnataka'],
  ['IN', 'Tamil Nadu'],
  ['IN', 'Maharashtra'],
  ['IN', 'Delhi'],
  ['IN', 'Karnataka'],
  ['US', 'California'],
  ['DE', 'Bayern'],
  ['SG', undefined],
]

function person(n: number, channel: LeadCapture['channel']): LeadCapture {
  const first = pick(FIRST)
  const last = pick(LAST)
  const [country, state] = pick(PLACES)
  const company = `${pick(['Nimbus', 'Indus', 'Lotus', 'Orbit', 'Zenith'])} ${pick(['Labs', 'Systems', 'Works'])} ${n}`
  const domain = random() < 0.3 ? 'gmail.com' : `${company.toLowerCase().replace(/ /g, '-')}.in`
  const body: LeadCapture = {
    channel,
    firstName: first,
    lastName: last,
    email: `${first.toLowerCase()}.${last.toLowerCase()}.${n}@${domain}`,
    company,
    country,
    consent: { granted: true },
  }
  const title = pick(TITLES)
  const industry = pick(INDUSTRIES)
  const size = pick(SIZES)
  if (title) body.title = title
  if (industry) body.industry = industry
  if (size) body.companySize = size
  if (state) body.state = state
  if (country === 'IN' && random() < 0.6) body.phone = `+9198${String(10_000_000 + n * 7919).slice(0, 8)}`
  return body
}

interface Captured {
  id: string
  outcome: 'created' | 'duplicate' | 'quarantined'
  score: number
  ownerId: string | null
  queue: string | null
}
const bodies: LeadCapture[] = []
const created: string[] = []
const counts = { captured: 0, imported: 0, duplicates: 0, engagementEvents: 0 }

async function capture(body: LeadCapture): Promise<Captured> {
  const res = await app.inject({ method: 'POST', url: '/v1/leads', payload: body })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<Captured>()
}

async function captureNew(n: number) {
  const body = person(n, 'api')
  const lead = await capture(body)
  expect(lead.outcome).toBe('created')
  bodies.push(body)
  created.push(lead.id)
  counts.captured++
  const expected = modelAssign(lead.id, body, lead.score, new Date(simulated).toISOString())
  expect({ ownerId: lead.ownerId, queue: lead.queue }).toEqual({
    ownerId: expected.ownerId,
    queue: expected.queue,
  })
}

async function importBatch(rows: number) {
  const batch = createBatchCapture({
    db: database.db,
    rules: app.services.rules,
    policy: ingestionPolicy(testConfig()),
    clock: () => new Date(simulated),
  })
  const input = Array.from({ length: rows }, (_, i) => ({
    rowNumber: i + 2,
    key: `replay-day:${i + 2}`,
    capture: person(10_000 + i, 'import'),
    raw: {},
  }))
  const prepared = await batch.prepare(input)
  const result = await batch.commit(prepared, {
    connectorId: 'import',
    actor: { id: 'user:test-admin' },
    keyPrefix: 'replay-day:',
    onDuplicate: 'link',
  })
  expect(result.counts).toMatchObject({ rows, created: rows })
  const now = new Date(simulated).toISOString()
  for (const o of result.outcomes) {
    if (o.outcome !== 'created') continue
    const row = await database.db.lead.findUniqueOrThrow({ where: { id: o.leadId } })
    const body = input[o.rowNumber - 2]!.capture
    const expected = modelAssign(row.id, body, row.score, now)
    expect({ ownerId: row.ownerId, queue: row.queue }).toEqual({
      ownerId: expected.ownerId,
      queue: expected.queue,
    })
    created.push(row.id)
    counts.imported++
  }
}

const ENGAGEMENT = ['emailOpen', 'emailClick', 'meetingBooked', 'webVisit', 'emailOpen'] as const

/** The day: 260 API captures, 40 imported rows, 16 repeat captures and 65 engagement events. */
async function driveTheDay() {
  const schedule: [number, () => Promise<void>][] = [
    [3, () => activate('scoring', S1)],
    [3, () => activate('assignment', A1)],
    [5, () => setPerson('b', { outOfOfficeUntil: new Date(at(9)).toISOString() })],
    [6, () => setPerson('d', { capacity: people['d']!.openLoad })],
    [8, () => activate('assignment', A2)],
    [9.5, () => importBatch(40)],
    [10, () => activate('scoring', S2)],
    [
      11,
      async () => {
        await setPerson('e', { available: false })
        await setPerson('d', { capacity: 1000 })
      },
    ],
    [12, () => activate('assignment', A3)],
    [15, () => setPerson('vip', { outOfOfficeUntil: new Date(at(18)).toISOString() })],
    [16, () => setPerson('a', { capacity: people['a']!.openLoad })],
    [
      20,
      async () => {
        await activate('scoring', S3)
        await setPerson('e', { available: true })
      },
    ],
  ]
  const steps = 276
  for (let i = 0; i < steps; i++) {
    const hours = ((i + 0.5) * 24) / steps
    while (schedule.length > 0 && schedule[0]![0] <= hours) {
      simulated = at(schedule[0]![0])
      await schedule.shift()![1]()
    }
    simulated = at(hours)
    if (i % 17 === 16) {
      // A known person again: engagement on their master, never a second lead.
      const again = await capture(bodies[(i * 5) % bodies.length]!)
      expect(again.outcome).toBe('duplicate')
      counts.duplicates++
    } else await captureNew(i)
    if (i % 4 === 3) {
      simulated += 60_000
      const leadId = created[(i * 7) % created.length]!
      const res = await app.inject({
        method: 'POST',
        url: `/v1/leads/${leadId}/engagement`,
        payload: { event: ENGAGEMENT[i % ENGAGEMENT.length] },
      })
      expect(res.statusCode, res.body).toBe(200)
      counts.engagementEvents++
    }
  }
}

// ---- what a draft must change, computed from the model and the lead rows ------------------------

type Placement = { ownerId: string | null; queue: string | null }
const placedAt = (p: Placement) => p.ownerId ?? `queue:${p.queue}`

async function expectedChanges(kind: 'scoring' | 'assignment'): Promise<Map<string, string[]>> {
  const masters = await database.db.lead.findMany({ where: { isDuplicate: false } })
  const byId = new Map(masters.map((l) => [l.id, l]))
  const changes = new Map<string, string[]>()
  const note = (id: string, what: string) => changes.set(id, [...(changes.get(id) ?? []), what])
  if (kind === 'scoring') {
    const draft = parseScoringRuleSet({ ...SCORING_DRAFT, version: 1 })
    for (const l of masters) {
      const engagement = l.engagement as Record<string, number>
      if (scoreBand(scoreLead({ lead: rowToDraft(l), engagement }, draft).score) !== scoreBand(l.score))
        note(l.id, 'band')
    }
  }
  const assignmentDraft = parseAssignmentRuleSet({ ...ASSIGNMENT_DRAFT, version: 1 })
  for (const m of modelled) {
    const row = byId.get(m.leadId)!
    const seen = visibleTo(m.rules, m.seen)
    const lead = criteriaOf(m.lead)
    let draft: Placement
    if (kind === 'scoring') {
      const score = scoreLead(
        { lead: rowToDraft(row), engagement: {} },
        parseScoringRuleSet({ ...SCORING_DRAFT, version: 1 }),
      ).score
      draft = decideAssignment({ lead, score, now: m.now }, m.rules, seen)
    } else {
      // People the decision did not see count as they are now.
      draft = decideAssignment({ lead, score: m.score, now: m.now }, assignmentDraft, {
        people: { ...clonePeople(people), ...seen.people },
        cursors: seen.cursors,
      })
    }
    if (placedAt(draft) !== placedAt({ ownerId: row.ownerId, queue: row.queue })) note(m.leadId, 'owner')
  }
  return changes
}

interface Evaluation {
  totals: {
    evaluated: number
    changed: number
    bandChanged: number
    ownerChanged: number
    notEvaluated: number
  }
  items: { leadId: string; changed: string[]; current: { band: string }; draft: { band: string } }[]
  nextCursor: string | null
}
const asChanges = (e: Evaluation) => new Map(e.items.map((i) => [i.leadId, i.changed]))

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/rules-cli.ts', ...args], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', DATA_DIR: workDir },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/** The CLI's table: one line per changed lead, "lead  score  band  owner  rule  changed". */
function tableChanges(stdout: string): Map<string, string[]> {
  const rows = stdout.split('\n').filter((l) => /^[0-9a-f]{8}-[0-9a-f-]{27}\s/.test(l))
  return new Map(
    rows.map((l) => {
      const cells = l.trim().split(/\s{2,}/)
      return [cells[0]!, cells.at(-1)!.split(', ')]
    }),
  )
}

// ---- the proof -------------------------------------------------------------------------------

beforeAll(async () => {
  database = await createTestDatabase()
  workDir = await mkdtemp(path.join(tmpdir(), 'leadwire-rules-cli-'))
  app = await buildTestApp({ config: testConfig(), db: database.db, clock: () => new Date(simulated) })
  await database.db.user.createMany({
    data: Object.values(people).map((p) => ({
      id: p.userId,
      name: `Rep ${p.userId}`,
      email: `${p.userId}@team.example`,
      capacity: p.capacity,
      weight: p.weight,
    })),
  })
  await driveTheDay()
  figures.leads = { ...counts, masters: created.length, assigned: modelled.length }
  figures.versions = versions
}, 240_000)

afterAll(async () => {
  await mkdir('test-results/guarantees', { recursive: true })
  await writeFile(
    'test-results/guarantees/replayable-decisions.json',
    `${JSON.stringify(figures, null, 2)}\n`,
  )
  await app?.close()
  await database?.drop()
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

describe('replayable, explainable scoring and routing', () => {
  it('keeps with each assignment the state it saw: the model of the pool at that moment', async () => {
    const stored = await database.db.leadDecision.findMany({ where: { kind: 'assignment' } })
    expect(stored).toHaveLength(modelled.length)
    const byLead = new Map(stored.map((d) => [d.leadId, d]))
    for (const m of modelled) {
      const d = byLead.get(m.leadId)!
      expect(d.ruleVersion).toBe(m.rules.version)
      expect((d.inputs as { state: unknown }).state).toEqual(visibleTo(m.rules, m.seen))
      expect((d.inputs as { now: string }).now).toBe(m.now)
    }
    expect(versions).toEqual({ scoring: [0, 1, 2, 3], assignment: [0, 1, 2, 3] })
    // The day exercised what makes routing depend on state: every strategy, and people skipped.
    const outcomes = stored.map(
      (d) => d.outcome as { strategy: string | null; reason: string; queue: string | null },
    )
    const exercised = {
      roundRobin: outcomes.filter((o) => o.strategy === 'round_robin').length,
      loadBalanced: outcomes.filter((o) => o.strategy === 'load_balanced').length,
      weighted: outcomes.filter((o) => o.strategy === 'weighted_round_robin').length,
      queued: outcomes.filter((o) => o.queue !== null).length,
      skippedOutOfOffice: outcomes.filter((o) => o.reason.includes('out of office')).length,
      skippedAtCapacity: outcomes.filter((o) => o.reason.includes('at capacity')).length,
      skippedUnavailable: outcomes.filter((o) => o.reason.includes('(unavailable)')).length,
    }
    for (const [what, n] of Object.entries(exercised)) expect(n, what).toBeGreaterThan(0)
    figures.assignments = {
      ...exercised,
      // What keeping the state costs: the average stored inputs of an assignment decision.
      averageInputBytes: Math.round(
        stored.reduce((n, d) => n + JSON.stringify(d.inputs).length, 0) / stored.length,
      ),
    }
  })

  it('re-runs every score and assignment decision of the day under its stored version: all reproduce', async () => {
    const report = await replayDecisions(database.db, utcDay(DATE))
    const stored = await database.db.leadDecision.findMany({
      where: { kind: { in: ['score', 'assignment'] } },
      select: { id: true, kind: true, ruleVersion: true },
      orderBy: { id: 'asc' },
    })
    // Per decision: each stored one replayed once, and each reproduced.
    expect(report.results.map((r) => [r.id, r.kind, r.version])).toEqual(
      stored.map((d) => [d.id.toString(), d.kind, d.ruleVersion]),
    )
    for (const r of report.results)
      expect(r, `decision ${r.id}`).toMatchObject({ status: 'reproduced', detail: null })
    const scores = stored.filter((d) => d.kind === 'score').length
    expect(report).toMatchObject({
      decisions: stored.length,
      reproduced: stored.length,
      mismatches: 0,
      unreplayable: 0,
      byKind: {
        score: { decisions: scores, reproduced: scores },
        assignment: { decisions: modelled.length, reproduced: modelled.length },
      },
      versions: { scoring: [0, 1, 2, 3], assignment: [0, 1, 2, 3] },
    })
    // Captures, repeat captures folded into masters, engagement rescoring and the import all decided.
    expect(scores).toBe(counts.captured + counts.imported + 2 * counts.duplicates + counts.engagementEvents)

    const cli = await runCli(['replay', '--date', DATE])
    expect(cli.code, cli.stderr).toBe(0)
    expect(cli.stdout).toMatch(new RegExp(`all\\s+${stored.length}\\s+${stored.length}\\s+0\\s+0`))
    expect(cli.stdout).toContain('every decision reproduced')
    figures.replay = {
      decisionsReplayed: report.decisions,
      reproduced: report.reproduced,
      mismatches: report.mismatches,
      unreplayable: report.unreplayable,
      byKind: report.byKind,
    }
  })

  it('evaluates a scoring draft through the API and the CLI: exactly the leads whose band or owner would change', async () => {
    const expected = await expectedChanges('scoring')
    expect([...expected.values()].flat().filter((c) => c === 'band').length).toBeGreaterThan(10)
    expect([...expected.values()].flat().filter((c) => c === 'owner').length).toBeGreaterThan(0)

    const res = await app.inject({
      method: 'POST',
      url: '/v1/rule-sets/scoring/evaluate',
      payload: { definition: SCORING_DRAFT, days: 2, limit: 1000 },
    })
    expect(res.statusCode, res.body).toBe(200)
    const api = res.json<Evaluation>()
    expect(asChanges(api)).toEqual(expected)
    expect(api.totals).toEqual({
      evaluated: created.length,
      changed: expected.size,
      bandChanged: [...expected.values()].filter((c) => c.includes('band')).length,
      ownerChanged: [...expected.values()].filter((c) => c.includes('owner')).length,
      notEvaluated: 0,
    })
    expect(api.nextCursor).toBeNull()
    // Pages: the same leads, a few at a time.
    const paged: string[] = []
    let cursor: string | undefined
    do {
      const page = (
        await app.inject({
          method: 'POST',
          url: '/v1/rule-sets/scoring/evaluate',
          payload: { definition: SCORING_DRAFT, days: 2, limit: 7, ...(cursor ? { cursor } : {}) },
        })
      ).json<Evaluation>()
      paged.push(...page.items.map((i) => i.leadId))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(paged).toEqual(api.items.map((i) => i.leadId))

    const file = path.join(workDir, 'draft.json')
    await writeFile(file, JSON.stringify(SCORING_DRAFT))
    const cli = await runCli(['evaluate', 'scoring', file, '--days', '2', '--limit', '1000'])
    expect(cli.code, cli.stderr).toBe(0)
    expect(tableChanges(cli.stdout)).toEqual(expected)
    expect(cli.stdout).toContain(`evaluated ${created.length}, changed ${expected.size}`)
    figures.scoringDraft = { ...api.totals, cliChanged: tableChanges(cli.stdout).size }
  })

  it('evaluates a stored assignment draft through the API and the CLI, then activates it', async () => {
    const expected = await expectedChanges('assignment')
    expect(expected.size).toBeGreaterThan(10)
    const saved = await app.inject({
      method: 'POST',
      url: '/v1/rule-sets/assignment/drafts',
      payload: { definition: ASSIGNMENT_DRAFT },
    })
    expect(saved.statusCode, saved.body).toBe(201)
    const { version } = saved.json<{ version: number }>()
    expect(version).toBe(4)

    const res = await app.inject({
      method: 'POST',
      url: `/v1/rule-sets/assignment/drafts/${version}/evaluate`,
      payload: { days: 2, limit: 1000 },
    })
    expect(res.statusCode, res.body).toBe(200)
    const api = res.json<Evaluation>()
    expect(asChanges(api)).toEqual(expected)
    expect([...asChanges(api).values()].flat().every((c) => c === 'owner')).toBe(true)
    expect(api.totals).toEqual({
      evaluated: modelled.length,
      changed: expected.size,
      bandChanged: 0,
      ownerChanged: expected.size,
      notEvaluated: created.length - modelled.length,
    })

    const cli = await runCli([
      'evaluate',
      'assignment',
      '--version',
      String(version),
      '--days',
      '2',
      '--limit',
      '1000',
    ])
    expect(cli.code, cli.stderr).toBe(0)
    expect(tableChanges(cli.stdout)).toEqual(expected)

    // The draft decided nothing until now; activating it makes it the version in force.
    const activated = await app.inject({
      method: 'POST',
      url: `/v1/rule-sets/assignment/drafts/${version}/activate`,
    })
    expect(activated.statusCode, activated.body).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/v1/rule-sets/assignment' })).json()).toMatchObject({
      version,
    })
    figures.assignmentDraft = { ...api.totals, cliChanged: tableChanges(cli.stdout).size }
  })

  it('reports exactly the decisions whose stored inputs or rule version were changed', async () => {
    const db = database.db
    // One assignment: its owner marked unavailable in the state it saw.
    const assignment = await db.leadDecision.findFirstOrThrow({
      where: { kind: 'assignment', ruleVersion: 2, outcome: { path: ['strategy'], equals: 'round_robin' } },
      orderBy: { id: 'asc' },
    })
    const owner = (assignment.outcome as { ownerId: string }).ownerId
    await db.$executeRaw`UPDATE lead_decision SET inputs = jsonb_set(inputs, ${['state', 'people', owner, 'available']}::text[], 'false')
                          WHERE id = ${assignment.id}`
    // One capture score under version 1: a meeting it never had.
    const score = await db.leadDecision.findFirstOrThrow({
      where: { kind: 'score', ruleVersion: 1 },
      orderBy: { id: 'asc' },
    })
    await db.$executeRaw`UPDATE lead_decision SET inputs = jsonb_set(inputs, '{engagement}', '{"meetingBooked": 1}')
                          WHERE id = ${score.id}`
    // Scoring version 2 edited in place: a rule renamed.
    const v2 = await db.ruleSet.findUniqueOrThrow({
      where: { kind_version: { kind: 'scoring', version: 2 } },
    })
    const definition = v2.definition as { fit: { id: string; label: string }[] }
    for (const rule of definition.fit) if (rule.id === 'completeness') rule.label = 'Profile data'
    // The database refuses it (trigger rule_set_immutable); only someone who switches triggers
    // off, as this test does, can do it, and the replay is what catches them.
    await expect(db.ruleSet.update({ where: { id: v2.id }, data: { definition } })).rejects.toThrow(
      /immutable/,
    )
    await db.$transaction([
      db.$executeRaw`SET LOCAL session_replication_role = replica`,
      db.ruleSet.update({ where: { id: v2.id }, data: { definition } }),
    ])
    const underV2 = await db.leadDecision.findMany({ where: { kind: 'score', ruleVersion: 2 } })
    const renamed = underV2.filter((d) =>
      (d.outcome as { breakdown: { ruleId: string }[] }).breakdown.some((l) => l.ruleId === 'completeness'),
    )
    expect(renamed.length).toBeGreaterThan(10)

    const report: ReplayReport = await replayDecisions(db, utcDay(DATE))
    const mismatched = report.results.filter((r) => r.status === 'mismatch')
    expect(mismatched.map((r) => r.id).sort()).toEqual(
      [assignment.id, score.id, ...renamed.map((d) => d.id)].map(String).sort(),
    )
    expect(report.mismatches).toBe(2 + renamed.length)
    expect(report.reproduced).toBe(report.decisions - report.mismatches)
    const tamperedAssignment = mismatched.find((r) => r.id === String(assignment.id))!
    expect((tamperedAssignment.stored as { ownerId: string }).ownerId).toBe(owner)
    expect((tamperedAssignment.replayed as { ownerId: string | null }).ownerId).not.toBe(owner)
    expect(mismatched.find((r) => r.id === String(score.id))!.detail).toMatch(/meetings|Meetings|score/)
    for (const d of renamed)
      expect(mismatched.find((r) => r.id === String(d.id))!.detail).toMatch(
        /label: "Profile completeness" ≠ "Profile data"/,
      )

    const cli = await runCli(['replay', '--date', DATE])
    expect(cli.code).toBe(1)
    expect(cli.stdout).toContain(`MISMATCH decision ${assignment.id} (assignment v2`)
    expect(cli.stdout).toContain(`${report.mismatches} decision(s) did not reproduce`)
    figures.tampered = {
      assignmentInputs: 1,
      scoreInputs: 1,
      decisionsUnderEditedVersion: renamed.length,
      mismatchesReported: report.mismatches,
    }
  })
})
