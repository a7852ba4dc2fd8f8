import { mkdir, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activateRuleSet } from '../../ingestion/rules/rule-sets.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startShardWorker, type Ack, type ShardWorker } from './support/assignment-worker-process.js'

/*
 * Crash-safe, fair assignment: 10,000 distinct leads go through the real ingestion pipeline
 * from four worker processes (web-form captures one per transaction, import rows in batches)
 * while the test SIGKILLs workers at random moments, some of them while the worker holds the
 * assignment locks, and restarts them; a restarted worker re-sends its whole shard. The
 * weighted round-robin state (assignment_cursor) and the owners' loads (app_user.open_leads)
 * live in PostgreSQL and change in the capture's transaction, so a kill rolls them back with
 * the lead, and the delivery key makes every re-sent lead a replay. Nothing may be assigned
 * twice, and every owner's count must be within 1 of its weighted share.
 */

const LEADS = 10_000
const WORKERS = 4
const KILLS = 8
const RULE_ID = 'inbound'
const OWNERS = [
  { id: 'owner-a', weight: 1 },
  { id: 'owner-b', weight: 1 },
  { id: 'owner-c', weight: 2 },
  { id: 'owner-d', weight: 3 },
  { id: 'owner-e', weight: 4 },
]
const AWAY = 'owner-away'
const FULL = 'owner-full'
const FULL_LOAD = 5
const TOTAL_WEIGHT = OWNERS.reduce((sum, o) => sum + o.weight, 0)

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

async function setUpTeam() {
  const db = database.db
  await db.user.createMany({
    data: [
      ...OWNERS.map((o) => ({
        id: o.id,
        name: o.id,
        email: `${o.id}@team.example`,
        weight: o.weight,
        capacity: LEADS,
      })),
      // Heavier than anyone: if the away or full person were not skipped, they would win often.
      {
        id: AWAY,
        name: AWAY,
        email: 'away@team.example',
        weight: 5,
        capacity: LEADS,
        outOfOfficeUntil: new Date('2099-01-01T00:00:00Z'),
      },
      {
        id: FULL,
        name: FULL,
        email: 'full@team.example',
        weight: 5,
        capacity: FULL_LOAD,
        openLeads: FULL_LOAD,
      },
    ],
  })
  await activateRuleSet(
    db,
    'assignment',
    {
      fallbackQueue: 'unassigned',
      rules: [
        {
          id: RULE_ID,
          label: 'All inbound',
          when: {},
          // The unavailable two sit in the middle of the rotation, not at its end.
          pool: [OWNERS[0]!.id, AWAY, OWNERS[1]!.id, OWNERS[2]!.id, FULL, OWNERS[3]!.id, OWNERS[4]!.id],
          strategy: 'weighted_round_robin',
        },
      ],
    },
    { id: 'test' },
  )
}

/**
 * What the worker's connections are doing right now, as PostgreSQL sees them: transactions
 * open, and those holding the pool's row locks (past SELECT ... FOR UPDATE on app_user, not
 * waiting behind another worker), i.e. between the assignment and its commit.
 */
async function transactionState(worker: ShardWorker) {
  const [row] = await database.db.$queryRaw<{ open: number; assigning: number }[]>`
    SELECT count(*) FILTER (WHERE a.xact_start IS NOT NULL)::int AS open,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM pg_locks l
              WHERE l.pid = a.pid AND l.relation = 'app_user'::regclass AND l.mode = 'RowShareLock' AND l.granted
           ) AND a.wait_event_type IS DISTINCT FROM 'Lock')::int AS assigning
      FROM pg_stat_activity a WHERE a.application_name = ${worker.applicationName}`
  return row!
}

/** Polls until the worker holds the assignment's row locks (app_user FOR UPDATE), up to a second. */
async function waitUntilAssigning(worker: ShardWorker) {
  for (let i = 0; i < 200 && !worker.done; i++) {
    if ((await transactionState(worker)).assigning > 0) return
    await sleep(5)
  }
}

describe('crash-safe, fair assignment', () => {
  it('assigns 10,000 leads once each, in weighted shares, with workers killed mid-assignment', async () => {
    await setUpTeam()
    const started = Date.now()

    // What each kill left in flight, settled by whichever later run acknowledges the lead.
    const pendingAtKill = new Map<number, 'pending' | Ack>()
    const acks = { created: 0, replayed: 0, other: 0 }
    const onAck = (lead: number, outcome: Ack) => {
      if (outcome === 'created') acks.created++
      else if (outcome === 'replayed') acks.replayed++
      else acks.other++
      if (pendingAtKill.get(lead) === 'pending') pendingAtKill.set(lead, outcome)
    }
    const start = (index: number, generation: number) =>
      startShardWorker({
        databaseUrl: database.url,
        index,
        generation,
        workers: WORKERS,
        leads: LEADS,
        onAck,
      })
    const workers = Array.from({ length: WORKERS }, (_, i) => start(i, 0))

    const kills: { worker: number; generation: number; inFlight: number; open: number; assigning: number }[] =
      []
    // Kill points at random across the whole run (by leads created so far), so kills land in
    // web-form and import chunks alike and a restarted worker has a real backlog to re-send.
    const killAt = Array.from({ length: KILLS }, () =>
      Math.floor(LEADS * (0.03 + Math.random() * 0.77)),
    ).sort((a, b) => a - b)
    try {
      while (kills.length < KILLS && workers.some((w) => !w.done)) {
        await sleep(10)
        if (acks.created < killAt[kills.length]!) continue
        // Only a worker that is sending: one still starting up has nothing in flight to lose.
        const candidates = workers.filter((w) => !w.done && w.acked > 0)
        const victim = candidates[Math.floor(Math.random() * candidates.length)]
        if (!victim) continue
        // Every other kill waits for the moment the worker holds the pool's locks, mid-assignment.
        if (kills.length % 2 === 0) await waitUntilAssigning(victim)
        if (victim.done) continue
        const state = await transactionState(victim)
        await victim.kill()
        for (const lead of victim.inFlight) pendingAtKill.set(lead, 'pending')
        kills.push({
          worker: victim.index,
          generation: victim.generation,
          inFlight: victim.inFlight.size,
          ...state,
        })
        workers[victim.index] = start(victim.index, victim.generation + 1)
      }
      await Promise.all(workers.map((w) => w.ended))
    } finally {
      await Promise.all(workers.map((w) => w.kill()))
    }
    const seconds = (Date.now() - started) / 1000

    const db = database.db
    const [leads] = await db.$queryRaw<
      { total: number; people: number; owned: number; duplicates: number; quarantined: number }[]
    >`SELECT count(*)::int AS total, count(DISTINCT email)::int AS people, count(owner_id)::int AS owned,
             count(*) FILTER (WHERE is_duplicate)::int AS duplicates,
             count(*) FILTER (WHERE queue = 'spam-review')::int AS quarantined
        FROM lead`
    // A double assignment is any second assignment of a person: a second lead row for the same
    // email, a second assignment decision for one lead, or a decision naming another owner.
    const [doubles] = await db.$queryRaw<
      { extraLeads: number; extraDecisions: number; leadsWithoutDecision: number; ownerMismatches: number }[]
    >`SELECT (SELECT count(*) - count(DISTINCT email) FROM lead)::int AS "extraLeads",
             (SELECT coalesce(sum(n - 1), 0) FROM (
                SELECT count(*) AS n FROM lead_decision WHERE kind = 'assignment' GROUP BY lead_id) d)::int
               AS "extraDecisions",
             (SELECT count(*) FROM lead l WHERE NOT EXISTS (
                SELECT 1 FROM lead_decision d WHERE d.lead_id = l.id AND d.kind = 'assignment'))::int
               AS "leadsWithoutDecision",
             (SELECT count(*) FROM lead l JOIN lead_decision d ON d.lead_id = l.id AND d.kind = 'assignment'
               WHERE d.outcome->>'ownerId' IS DISTINCT FROM l.owner_id)::int AS "ownerMismatches"`
    const [ledger] = await db.$queryRaw<
      { deliveries: number; leads: number; replays: number; journeys: number }[]
    >`
      SELECT count(*)::int AS deliveries, count(DISTINCT lead_id)::int AS leads,
             coalesce(sum(duplicates), 0)::int AS replays,
             (SELECT count(*) FROM outbox_event WHERE topic = 'lead.captured')::int AS journeys
        FROM inbound_delivery`
    const people = await db.$queryRaw<
      { id: string; owned: number; open_leads: number; cursor: number | null }[]
    >`
      SELECT u.id, (SELECT count(*) FROM lead l WHERE l.owner_id = u.id)::int AS owned, u.open_leads,
             (SELECT value FROM assignment_cursor c WHERE c.key = ${RULE_ID} || ':' || u.id) AS cursor
        FROM app_user u WHERE u.id = ANY(${[...OWNERS.map((o) => o.id), AWAY, FULL]}::text[])`
    const person = (id: string) => people.find((p) => p.id === id)!

    const shares = OWNERS.map((o) => {
      const share = (LEADS * o.weight) / TOTAL_WEIGHT
      const p = person(o.id)
      return {
        ownerId: o.id,
        weight: o.weight,
        count: p.owned,
        share,
        deviation: Math.abs(p.owned - share),
        openLeads: p.open_leads,
        cursor: p.cursor,
      }
    })
    const inFlightSettled = [...pendingAtKill.values()]
    const rolledBack = inFlightSettled.filter((s) => s === 'created').length
    const doubleAssignments = doubles!.extraLeads + doubles!.extraDecisions + doubles!.ownerMismatches
    const figures = {
      leads: LEADS,
      workers: WORKERS,
      seconds,
      kills: kills.length,
      killsWithOpenTransaction: kills.filter((k) => k.open > 0).length,
      killsMidAssignment: kills.filter((k) => k.assigning > 0).length,
      capturesInFlightAtKills: pendingAtKill.size,
      inFlightRolledBackThenCreatedOnRetry: rolledBack,
      inFlightCommittedThenReplayedOnRetry: inFlightSettled.filter((s) => s === 'replayed').length,
      // Captures sent again after a kill: those already committed (answered from the delivery
      // ledger, counted there) and those the kill rolled back (created on the retry).
      retriedCaptures: ledger!.replays + rolledBack,
      retriedAnsweredFromLedger: ledger!.replays,
      acknowledged: acks,
      doubleAssignments,
      doubleAssignmentChecks: doubles,
      maxShareDeviation: Math.max(...shares.map((s) => s.deviation)),
      owners: shares,
      away: { ownerId: AWAY, count: person(AWAY).owned },
      full: { ownerId: FULL, count: person(FULL).owned, openLeads: person(FULL).open_leads },
      killLog: kills,
    }
    await mkdir('test-results/guarantees', { recursive: true })
    await writeFile('test-results/guarantees/fair-assignment.json', `${JSON.stringify(figures, null, 2)}\n`)

    // Every lead in once, with an owner, through exactly one delivery and one journey start.
    expect(leads).toEqual({ total: LEADS, people: LEADS, owned: LEADS, duplicates: 0, quarantined: 0 })
    expect(ledger).toMatchObject({ deliveries: LEADS, leads: LEADS, journeys: LEADS })
    expect(doubles).toEqual({ extraLeads: 0, extraDecisions: 0, leadsWithoutDecision: 0, ownerMismatches: 0 })
    expect(doubleAssignments).toBe(0)
    // The crashes really happened, mid-assignment, and work in flight was redone.
    expect(kills.length).toBeGreaterThanOrEqual(5)
    expect(figures.killsMidAssignment).toBeGreaterThanOrEqual(1)
    expect(rolledBack).toBeGreaterThanOrEqual(1)
    expect(figures.retriedAnsweredFromLedger).toBeGreaterThan(0)
    // The counters moved with the leads, never without them.
    for (const s of shares) {
      expect({ owner: s.ownerId, openLeads: s.openLeads, cursor: s.cursor }).toEqual({
        owner: s.ownerId,
        openLeads: s.count,
        cursor: s.count,
      })
    }
    // Fair: within one lead of the weighted share; the away and the full person got none.
    for (const s of shares)
      expect({ owner: s.ownerId, within1: s.deviation <= 1 }).toEqual({ owner: s.ownerId, within1: true })
    expect(shares.reduce((sum, s) => sum + s.count, 0)).toBe(LEADS)
    expect(figures.away.count).toBe(0)
    expect(figures.full).toEqual({ ownerId: FULL, count: 0, openLeads: FULL_LOAD })
  }, 180_000)
})
