import pg from 'pg'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtInRole, type RoleDefinition } from '../../domain/security/roles.rules.js'
import type { Tx } from '../../platform/database/prisma.js'
import { Principal } from '../../security/principal.js'
import { READER_ROLE, withRowSecurity } from '../../security/row-security.js'
import {
  accountWhere,
  contactWhere,
  leadWhere,
  opportunityWhere,
  taskWhere,
} from '../../security/visibility.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/*
 * PostgreSQL's own row security (migration 20261124190000_row_security), on a real
 * database: queries with no filter at all, run through withRowSecurity, see exactly what
 * the app's filters (visibility.ts) let the principal see, and nothing without settings;
 * the app's own connection is not restricted.
 */

let database: TestDatabase

// A reporting line mgr <- rep <- sdr, and an outsider in no one's team.
const MGR = 'rls-mgr'
const REP = 'rls-rep'
const SDR = 'rls-sdr'
const OTHER = 'rls-other'
const ADMIN = 'rls-admin'

const id = {
  leadMgr: uuidv7(),
  leadRep: uuidv7(),
  leadSdr: uuidv7(),
  leadOther: uuidv7(),
  leadUnowned: uuidv7(),
  leadSharedWithRep: uuidv7(),
  accountRep: uuidv7(),
  accountOther: uuidv7(),
  accountSharedWithSdr: uuidv7(),
  contactRep: uuidv7(),
  contactOther: uuidv7(),
  contactShared: uuidv7(),
  oppOnRepAccount: uuidv7(),
  oppOwnedByRep: uuidv7(),
  oppOther: uuidv7(),
  oppSharedWithMgr: uuidv7(),
  taskRep: uuidv7(),
  taskSdr: uuidv7(),
  taskOther: uuidv7(),
  taskQueued: uuidv7(),
}

const principal = (userId: string, role: RoleDefinition) =>
  new Principal(database.db, userId, role, { kind: 'session', sessionId: 'x' })
const roleNamed = (name: string): RoleDefinition => {
  const role = builtInRole(name)
  if (!role) throw new Error(`no built-in role ${name}`)
  return role
}

const by = { createdBy: 'test', updatedBy: 'test' }
const SECURED = ['lead', 'account', 'contact', 'opportunity', 'task'] as const

async function seed() {
  const db = database.db
  await db.user.createMany({
    data: [
      { id: ADMIN, name: 'Admin', email: 'rls-admin@leadwire.test', role: 'admin' },
      { id: MGR, name: 'Manager', email: 'rls-mgr@leadwire.test', role: 'sales_manager' },
      { id: REP, name: 'Rep', email: 'rls-rep@leadwire.test', role: 'sales_rep', managerId: MGR },
      { id: SDR, name: 'SDR', email: 'rls-sdr@leadwire.test', role: 'sdr', managerId: REP },
      { id: OTHER, name: 'Other', email: 'rls-other@leadwire.test', role: 'sales_rep' },
    ],
  })
  await db.lead.createMany({
    data: [
      { id: id.leadMgr, ownerId: MGR },
      { id: id.leadRep, ownerId: REP },
      { id: id.leadSdr, ownerId: SDR },
      { id: id.leadOther, ownerId: OTHER },
      { id: id.leadUnowned, ownerId: null },
      { id: id.leadSharedWithRep, ownerId: OTHER },
    ].map((l) => ({ ...l, channel: 'api', ...by })),
  })
  await db.account.createMany({
    data: [
      { id: id.accountRep, name: 'Rep Co', ownerId: REP },
      { id: id.accountOther, name: 'Other Co', ownerId: OTHER },
      { id: id.accountSharedWithSdr, name: 'Shared Co', ownerId: OTHER },
    ].map((a) => ({ ...a, ...by })),
  })
  await db.contact.createMany({
    data: [
      { id: id.contactRep, accountId: id.accountRep },
      { id: id.contactOther, accountId: id.accountOther },
      { id: id.contactShared, accountId: id.accountSharedWithSdr },
    ].map((c) => ({ ...c, ...by })),
  })
  const deal = {
    amount: 1000,
    currency: 'INR',
    stage: 'prospecting',
    probability: 10,
    forecastCategory: 'pipeline',
    closeDate: new Date('2027-01-01'),
    ...by,
  }
  await db.opportunity.createMany({
    data: [
      // The outsider's deal on the rep's account: visible with the account.
      { id: id.oppOnRepAccount, name: 'On rep account', accountId: id.accountRep, ownerId: OTHER },
      { id: id.oppOwnedByRep, name: 'Rep owns', accountId: id.accountOther, ownerId: REP },
      { id: id.oppOther, name: 'Other', accountId: id.accountOther, ownerId: OTHER },
      { id: id.oppSharedWithMgr, name: 'Shared', accountId: id.accountOther, ownerId: OTHER },
    ].map((o) => ({ ...o, ...deal })),
  })
  await db.task.createMany({
    data: [
      { id: id.taskRep, assigneeId: REP },
      { id: id.taskSdr, assigneeId: SDR },
      { id: id.taskOther, assigneeId: OTHER },
      { id: id.taskQueued, assigneeId: null, queue: 'inbound' },
    ].map((t) => ({ ...t, kind: 'call', title: 'Call', dueAt: new Date(), ...by })),
  })
  await db.recordShare.createMany({
    data: [
      { recordType: 'lead', recordId: id.leadSharedWithRep, userId: REP },
      { recordType: 'account', recordId: id.accountSharedWithSdr, userId: SDR },
      { recordType: 'opportunity', recordId: id.oppSharedWithMgr, userId: MGR },
    ].map((s) => ({ ...s, id: uuidv7(), access: 'read', grantedBy: ADMIN })),
  })
}

beforeAll(async () => {
  database = await createTestDatabase()
  await seed()
})

afterAll(async () => {
  await database?.drop()
})

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort()
const sorted = (xs: string[]) => [...xs].sort()

/** Every secured table read with no filter at all, inside the principal's row security. */
async function unfiltered(tx: Tx) {
  const [lead, account, contact, opportunity, task] = await Promise.all([
    tx.lead.findMany({ select: { id: true } }),
    tx.account.findMany({ select: { id: true } }),
    tx.contact.findMany({ select: { id: true } }),
    tx.opportunity.findMany({ select: { id: true } }),
    tx.task.findMany({ select: { id: true } }),
  ])
  return {
    lead: ids(lead),
    account: ids(account),
    contact: ids(contact),
    opportunity: ids(opportunity),
    task: ids(task),
  }
}

/** The same tables through the app's own filters, on the unrestricted connection. */
async function throughAppFilters(p: Principal) {
  const db = database.db
  const select = { id: true } as const
  return {
    lead: ids(await db.lead.findMany({ where: await leadWhere(p), select })),
    account: ids(await db.account.findMany({ where: await accountWhere(p), select })),
    contact: ids(await db.contact.findMany({ where: await contactWhere(p), select })),
    opportunity: ids(await db.opportunity.findMany({ where: await opportunityWhere(p), select })),
    task: ids(await db.task.findMany({ where: await taskWhere(p), select })),
  }
}

describe('a query with no filter inside withRowSecurity sees only what its principal may see', () => {
  it("a manager sees their team's records (self and reports at any depth) and what is shared with them", async () => {
    const seen = await withRowSecurity(database.db, principal(MGR, roleNamed('sales_manager')), unfiltered)
    expect(seen).toEqual({
      lead: sorted([id.leadMgr, id.leadRep, id.leadSdr]),
      account: sorted([id.accountRep]),
      contact: sorted([id.contactRep]),
      opportunity: sorted([id.oppOnRepAccount, id.oppOwnedByRep, id.oppSharedWithMgr]),
      task: sorted([id.taskRep, id.taskSdr]),
    })
  })

  it('a share opens one record to one person: the rep sees the shared lead, the SDR the shared account and its contact', async () => {
    const rep = await withRowSecurity(database.db, principal(REP, roleNamed('sales_rep')), unfiltered)
    expect(rep.lead).toEqual(sorted([id.leadRep, id.leadSdr, id.leadSharedWithRep]))
    expect(rep.opportunity).toEqual(sorted([id.oppOnRepAccount, id.oppOwnedByRep]))

    const sdr = await withRowSecurity(database.db, principal(SDR, roleNamed('sdr')), unfiltered)
    expect(sdr).toEqual({
      lead: [id.leadSdr],
      account: [id.accountSharedWithSdr],
      contact: [id.contactShared],
      opportunity: [],
      task: [id.taskSdr],
    })
  })

  it('an admin (row scope all) sees every row, unowned ones included', async () => {
    const seen = await withRowSecurity(database.db, principal(ADMIN, roleNamed('admin')), unfiltered)
    const db = database.db
    expect(seen).toEqual({
      lead: ids(await db.lead.findMany({ select: { id: true } })),
      account: ids(await db.account.findMany({ select: { id: true } })),
      contact: ids(await db.contact.findMany({ select: { id: true } })),
      opportunity: ids(await db.opportunity.findMany({ select: { id: true } })),
      task: ids(await db.task.findMany({ select: { id: true } })),
    })
    expect(seen.lead).toContain(id.leadUnowned)
    expect(seen.task).toContain(id.taskQueued)
  })

  it('raw SQL, counts, joins and a read by id are held to the same rows', async () => {
    const result = await withRowSecurity(database.db, principal(REP, roleNamed('sales_rep')), async (tx) => ({
      raw: await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM lead`,
      count: await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM lead`,
      prismaCount: await tx.lead.count(),
      joined: await tx.$queryRaw<{ contact: string; account: string }[]>`
        SELECT c.id::text AS contact, a.name AS account FROM contact c JOIN account a ON a.id = c.account_id`,
      included: await tx.contact.findMany({ include: { account: { select: { name: true } } } }),
      // The rep's own deal on the outsider's account does not open that account: a join
      // is held to each table's rows, so the deal drops out of an inner join.
      dealAccounts: await tx.$queryRaw<{ name: string }[]>`
        SELECT DISTINCT a.name FROM opportunity o JOIN account a ON a.id = o.account_id ORDER BY 1`,
      byId: await tx.lead.findUnique({ where: { id: id.leadOther } }),
      ownShares: await tx.recordShare.findMany({ select: { recordId: true } }),
    }))
    expect(ids(result.raw)).toEqual(sorted([id.leadRep, id.leadSdr, id.leadSharedWithRep]))
    expect(result.count).toEqual([{ n: 3 }])
    expect(result.prismaCount).toBe(3)
    expect(result.joined).toEqual([{ contact: id.contactRep, account: 'Rep Co' }])
    expect(result.included.map((c) => [c.id, c.account.name])).toEqual([[id.contactRep, 'Rep Co']])
    expect(result.dealAccounts).toEqual([{ name: 'Rep Co' }])
    expect(result.byId).toBeNull()
    expect(result.ownShares).toEqual([{ recordId: id.leadSharedWithRep }])
  })

  it('matches the app filters (visibility.ts) for every built-in role and for a role with mixed scopes', async () => {
    const mixed: RoleDefinition = {
      ...roleNamed('sales_rep'),
      name: 'custom_mixed',
      rowScopes: { lead: 'team', account: 'own', contact: 'all', opportunity: 'team', task: 'own' },
    }
    const cases: [string, RoleDefinition][] = [
      [ADMIN, roleNamed('admin')],
      [MGR, roleNamed('sales_manager')],
      [REP, roleNamed('sales_rep')],
      [SDR, roleNamed('sdr')],
      [OTHER, roleNamed('sales_rep')],
      [SDR, roleNamed('marketing')],
      [OTHER, roleNamed('support')],
      [REP, roleNamed('read_only')],
      [REP, mixed],
    ]
    for (const [userId, role] of cases) {
      const p = principal(userId, role)
      const inDatabase = await withRowSecurity(database.db, p, unfiltered)
      const inApp = await throughAppFilters(p)
      // Only what the role may read at all: the routes refuse the rest before any query.
      for (const object of SECURED.filter((o) => p.can(o, 'read')))
        expect(inDatabase[object], `${object}s of ${userId} as ${role.name}`).toEqual(inApp[object])
    }
  })

  it("follows each object's own row scope: seeing every account means seeing every contact and deal", async () => {
    const accountsOnly: RoleDefinition = {
      ...roleNamed('sales_rep'),
      name: 'custom_accounts',
      rowScopes: { lead: 'own', account: 'all', contact: 'own', opportunity: 'own', task: 'own' },
    }
    const seen = await withRowSecurity(database.db, principal(REP, accountsOnly), unfiltered)
    const all = async (rows: Promise<{ id: string }[]>) => ids(await rows)
    expect(seen).toEqual({
      lead: sorted([id.leadRep, id.leadSharedWithRep]),
      account: await all(database.db.account.findMany({ select: { id: true } })),
      contact: await all(database.db.contact.findMany({ select: { id: true } })),
      opportunity: await all(database.db.opportunity.findMany({ select: { id: true } })),
      task: [id.taskRep],
    })
  })
})

describe('fails closed and reads only', () => {
  /** A transaction on its own connection, as the reader, with only the settings given. */
  async function asReader<T>(client: pg.Client, settings: Record<string, string>, work: () => Promise<T>) {
    await client.query('BEGIN')
    try {
      for (const [name, value] of Object.entries(settings))
        await client.query('SELECT set_config($1, $2, true)', [name, value])
      await client.query(`SET LOCAL ROLE ${READER_ROLE}`)
      return await work()
    } finally {
      await client.query('ROLLBACK')
    }
  }

  const counts = async (client: pg.Client) =>
    (
      await client.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM lead) + (SELECT count(*) FROM account) + (SELECT count(*) FROM contact)
              + (SELECT count(*) FROM opportunity) + (SELECT count(*) FROM task)
              + (SELECT count(*) FROM record_share) AS n`,
      )
    ).rows[0]?.n

  it('sees nothing without settings, also on a connection where an earlier transaction set them', async () => {
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      expect(Number(await asReader(client, {}, () => counts(client)))).toBe(0)
      const everything = {
        'leadwire.user_id': ADMIN,
        'leadwire.owners_lead': '*',
        'leadwire.owners_task': '*',
      }
      expect(Number(await asReader(client, everything, () => counts(client)))).toBeGreaterThan(0)
      // The settings now exist on this connection, empty: still nothing.
      expect(Number(await asReader(client, {}, () => counts(client)))).toBe(0)
      const emptyArray = { 'leadwire.user_id': '', 'leadwire.owners_lead': '{}' }
      expect(Number(await asReader(client, emptyArray, () => counts(client)))).toBe(0)
    } finally {
      await client.end()
    }
  })

  it('refuses every write: the transaction is read-only, and the role has no write privilege anyway', async () => {
    const admin = principal(ADMIN, roleNamed('admin'))
    await expect(
      withRowSecurity(database.db, admin, (tx) =>
        tx.lead.update({ where: { id: id.leadRep }, data: { company: 'Changed' } }),
      ),
    ).rejects.toThrow(/read-only transaction/)
    await expect(
      withRowSecurity(database.db, admin, (tx) => tx.$executeRaw`DELETE FROM task`),
    ).rejects.toThrow(/read-only transaction/)

    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      const everything = { 'leadwire.owners_lead': '*' }
      await expect(
        asReader(client, everything, () => client.query(`UPDATE lead SET company = 'Changed'`)),
      ).rejects.toThrow(/permission denied for table lead/)
      await expect(
        asReader(client, everything, () => client.query(`SELECT password_hash FROM app_user`)),
      ).rejects.toThrow(/permission denied for table app_user/)
      await expect(
        asReader(client, everything, () => client.query(`SELECT count(*) FROM audit_event`)),
      ).rejects.toThrow(/permission denied for table audit_event/)
    } finally {
      await client.end()
    }
    expect((await database.db.lead.findUniqueOrThrow({ where: { id: id.leadRep } })).company).toBeNull()
  })

  it('names the reporting line, never password hashes', async () => {
    const users = await withRowSecurity(database.db, principal(REP, roleNamed('sales_rep')), (tx) =>
      tx.user.findMany({ select: { id: true, managerId: true }, where: { id: SDR } }),
    )
    expect(users).toEqual([{ id: SDR, managerId: REP }])
  })
})

describe("the app's own connection is not restricted", () => {
  it('sees and writes every row outside withRowSecurity, also after one failed or finished', async () => {
    const db = database.db
    const rep = principal(REP, roleNamed('sales_rep'))
    await withRowSecurity(db, rep, (tx) => tx.lead.count())
    await expect(
      withRowSecurity(db, rep, async () => {
        throw new Error('the read failed')
      }),
    ).rejects.toThrow('the read failed')

    // Every pooled connection is back to the app's role, read-write.
    const states = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          db.$queryRaw<{ who: string; ro: string; owners: string | null }[]>`
          SELECT current_user AS who, current_setting('transaction_read_only') AS ro,
                 nullif(current_setting('leadwire.owners_lead', true), '') AS owners`,
      ),
    )
    for (const [state] of states)
      expect(state).toEqual({ who: expect.not.stringMatching(READER_ROLE), ro: 'off', owners: null })

    expect(await db.lead.count()).toBe(6)
    expect(await db.$queryRaw`SELECT count(*)::int AS n FROM lead`).toEqual([{ n: 6 }])
    const written = uuidv7()
    await db.lead.create({ data: { id: written, channel: 'api', ownerId: OTHER, ...by } })
    await db.lead.update({ where: { id: written }, data: { company: 'Ingested' } })
    await db.lead.delete({ where: { id: written } })
  })
})
