import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtInRole, type RoleDefinition } from '../../domain/security/roles.rules.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Db, Tx } from '../../platform/database/prisma.js'
import { Principal } from '../../security/principal.js'
import { withRowSecurity } from '../../security/row-security.js'
import { leadWhere } from '../../security/visibility.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/*
 * What PostgreSQL's row security costs on the lead list (50 newest, as GET /v1/leads
 * pages them) over 20,000 leads: the app's filter alone, the database's policies alone, and
 * both, per row scope. Printed, not asserted: timings depend on the machine.
 */

const LEADS = 20_000
const OWNERS = 50
const RUNS = 30

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
  const db = database.db
  // owner-0 manages owner-1..5; everyone else reports to no one.
  await db.$executeRaw`
    INSERT INTO app_user (id, name, email, role, manager_id, updated_at)
    SELECT 'owner-' || n, 'Owner ' || n, 'owner-' || n || '@leadwire.test', 'sales_rep',
           CASE WHEN n BETWEEN 1 AND 5 THEN 'owner-0' END, now()
    FROM generate_series(0, ${OWNERS - 1}) AS n`
  await db.$executeRaw`
    INSERT INTO lead (id, channel, owner_id, created_at, updated_at, created_by, updated_by)
    SELECT gen_random_uuid(), 'api', 'owner-' || (n % ${OWNERS}),
           now() - n * interval '1 minute', now(), 'test', 'test'
    FROM generate_series(1, ${LEADS}) AS n`
  // A few old leads of others shared with owner-10.
  await db.$executeRaw`
    INSERT INTO record_share (id, record_type, record_id, user_id, access, granted_by)
    SELECT gen_random_uuid(), 'lead', id, 'owner-10', 'read', 'test'
    FROM (SELECT id FROM lead WHERE owner_id <> 'owner-10' ORDER BY created_at LIMIT 20) AS old`
  await db.$executeRawUnsafe('ANALYZE lead')
  await db.$executeRawUnsafe('ANALYZE record_share')
}, 120_000)

afterAll(async () => {
  await database?.drop()
})

const orderBy: Prisma.LeadOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'desc' }]
const page = (db: Db | Tx, where: Prisma.LeadWhereInput = {}) =>
  db.lead.findMany({ where, orderBy, take: 51 })

/** Median milliseconds of each variant, run in turn so drift and warm-up hit all alike. */
async function medians<K extends string>(
  variants: Record<K, () => Promise<unknown>>,
): Promise<Record<K, number>> {
  const entries = Object.entries(variants) as [K, () => Promise<unknown>][]
  for (let i = 0; i < 10; i++) for (const [, work] of entries) await work()
  const times = new Map<K, number[]>(entries.map(([k]) => [k, []]))
  for (let i = 0; i < RUNS; i++)
    for (const [k, work] of entries) {
      const start = performance.now()
      await work()
      times.get(k)?.push(performance.now() - start)
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
  return Object.fromEntries(entries.map(([k]) => [k, median(times.get(k) ?? [])])) as Record<K, number>
}

/** The server's own execution time for the page's SQL, with the settings withRowSecurity makes. */
async function executionMs(db: Db, sql: string, reader: { owners: string[] | null; userId: string } | null) {
  return db.$transaction(async (tx) => {
    if (reader)
      await tx.$executeRaw`SELECT set_config('leadwire.user_id', ${reader.userId}, true),
        set_config('leadwire.owners_lead', coalesce(${reader.owners}::text[]::text, '*'), true),
        set_config('role', 'leadwire_reader', true)`
    const plan = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, FORMAT TEXT) ${sql}`)
    const line = plan.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'))
    return Number(/([0-9.]+) ms/.exec(line ?? '')?.[1])
  })
}

const roleNamed = (name: string): RoleDefinition => {
  const role = builtInRole(name)
  if (!role) throw new Error(`no built-in role ${name}`)
  return role
}
const own: RoleDefinition = { ...roleNamed('sales_rep'), name: 'own_only', rowScopes: { lead: 'own' } }

describe(`the lead list (50 of ${LEADS} leads) with and without row security`, () => {
  it.each([
    ['admin (all)', 'owner-0', roleNamed('admin'), LEADS],
    ['manager (team of 6)', 'owner-0', roleNamed('sales_manager'), (LEADS / OWNERS) * 6],
    ['rep (own, 20 shared)', 'owner-10', own, LEADS / OWNERS + 20],
  ])('%s', async (label, userId, role, visible) => {
    const db = database.db
    const p = new Principal(db, userId, role, { kind: 'session', sessionId: 'x' })
    const where = await leadWhere(p)

    const expected = await page(db, where)
    const secured = await withRowSecurity(db, p, (tx) => page(tx))
    expect(secured.map((l) => l.id)).toEqual(expected.map((l) => l.id))
    expect(await withRowSecurity(db, p, (tx) => tx.lead.count())).toBe(visible)

    const ms = await medians({
      appFilter: () => page(db, where),
      appFilterInTransaction: () => db.$transaction((tx) => page(tx, where)),
      policiesOnly: () => withRowSecurity(db, p, (tx) => page(tx)),
      appFilterAndPolicies: () => withRowSecurity(db, p, (tx) => page(tx, where)),
    })
    const owners = await p.owners('lead')
    const shared = (await p.sharedIds('lead')).read
    const list = 'SELECT * FROM lead %s ORDER BY created_at DESC, id DESC LIMIT 51'
    const filter =
      owners === null
        ? ''
        : `WHERE owner_id = ANY('${`{${owners.join(',')}}`}'::text[]) OR id = ANY('{${shared.join(',')}}'::uuid[])`
    const server = { filter: [] as number[], policies: [] as number[] }
    for (let i = 0; i < RUNS; i++) {
      server.filter.push(await executionMs(db, list.replace('%s', filter), null))
      server.policies.push(await executionMs(db, list.replace('%s', ''), { owners, userId }))
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(3)
    console.log(
      `row security timing, ${label}, median of ${RUNS}, round trip through Prisma: ` +
        `app filter ${ms.appFilter.toFixed(2)} ms, app filter in a transaction ${ms.appFilterInTransaction.toFixed(2)} ms, ` +
        `policies only ${ms.policiesOnly.toFixed(2)} ms, app filter + policies ${ms.appFilterAndPolicies.toFixed(2)} ms; ` +
        `PostgreSQL execution: app filter ${mid(server.filter)} ms, policies ${mid(server.policies)} ms`,
    )
  })
})
