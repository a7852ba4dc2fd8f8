import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { builtInRole } from '../../domain/security/roles.rules.js'
import { migrateDeploy } from '../../platform/database/migrator.js'
import { createPrisma, type Db } from '../../platform/database/prisma.js'
import { Principal } from '../../security/principal.js'
import { READER_ROLE, withRowSecurity } from '../../security/row-security.js'

/*
 * In production the app is no superuser: it owns its tables. The migrations, run as such an
 * owner, give it the right to switch to leadwire_reader; its own queries stay unrestricted
 * (row security does not bind a table's owner) while withRowSecurity's are held to the
 * policies. Two ways the owner may come to the role are covered: the membership PostgreSQL
 * 16+ gives whoever creates a role (admin option only, no SET), and a plain grant made
 * beforehand by a database administrator.
 */

const suffix = randomBytes(4).toString('hex')
const password = randomBytes(12).toString('hex')
const made: { role: string; database: string }[] = []
let superuser: pg.Client

function urlFor(user: string, database: string): string {
  const u = new URL(inject('templateDatabaseUrl'))
  u.username = user
  u.password = password
  u.pathname = `/${database}`
  return u.toString()
}

/** A login role owning a fresh, empty database, with leadwire_reader granted as `grant` says. */
async function ownerWithDatabase(name: string, grant: string): Promise<string> {
  const role = `lw_owner_${name}_${suffix}`
  const database = `lw_owned_${name}_${suffix}`
  await superuser.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`)
  made.push({ role, database })
  await superuser.query(`CREATE DATABASE ${database} OWNER ${role}`)
  await superuser.query(`GRANT ${READER_ROLE} TO ${role} ${grant}`)
  return urlFor(role, database)
}

beforeAll(async () => {
  const u = new URL(inject('templateDatabaseUrl'))
  u.pathname = '/postgres'
  superuser = new pg.Client({ connectionString: u.toString() })
  await superuser.connect()
})

afterAll(async () => {
  for (const { role, database } of made) {
    await superuser.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await superuser.query(`DROP ROLE IF EXISTS ${role}`)
  }
  await superuser.end()
})

async function checkAsOwner(url: string) {
  await migrateDeploy(url)
  const db: Db = createPrisma(url, 2)
  try {
    const by = { createdBy: 'test', updatedBy: 'test' }
    await db.user.createMany({
      data: [
        { id: 'mine', name: 'Mine', email: 'mine@leadwire.test', role: 'sales_rep' },
        { id: 'theirs', name: 'Theirs', email: 'theirs@leadwire.test', role: 'sales_rep' },
      ],
    })
    const mine = uuidv7()
    await db.lead.createMany({
      data: [
        { id: mine, channel: 'api', ownerId: 'mine', ...by },
        { id: uuidv7(), channel: 'api', ownerId: 'theirs', ...by },
      ],
    })
    const rep = new Principal(db, 'mine', builtInRole('sales_rep')!, { kind: 'session', sessionId: 'x' })
    const secured = await withRowSecurity(db, rep, (tx) => tx.lead.findMany({ select: { id: true } }))
    expect(secured).toEqual([{ id: mine }])
    expect(await db.lead.count()).toBe(2)
    expect(await db.$queryRaw`SELECT count(*)::int AS n FROM lead`).toEqual([{ n: 2 }])
  } finally {
    await db.$disconnect()
  }
}

describe('an owner that is no superuser', () => {
  it("migrates with the membership a role's creator gets, and switches to the reader", async () => {
    await checkAsOwner(await ownerWithDatabase('creator', 'WITH ADMIN OPTION, INHERIT FALSE, SET FALSE'))
  }, 60_000)

  it('migrates with a membership granted beforehand by an administrator', async () => {
    await checkAsOwner(await ownerWithDatabase('granted', 'WITH INHERIT FALSE'))
  }, 60_000)
})
