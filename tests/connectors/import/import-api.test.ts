import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { expectProblem } from '../../support/problem.js'
import { silentLog } from '../../support/temporal.js'
import { createImportService } from '../../../connectors/import/services.js'

/*
 * Bulk import through the real app and PostgreSQL: upload → preview (dry run) → run in the
 * background → leads written by the batch path of the governed pipeline. The same file
 * imported again creates nothing (the delivery ledger keys rows by file hash + row number).
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
let database: TestDatabase
let app: FastifyInstance
let dir: string

beforeAll(async () => {
  database = await createTestDatabase()
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-import-test-'))
  app = await buildTestApp({ config: testConfig({ IMPORT_DIR: dir }), db: database.db })
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
  if (dir) await rm(dir, { recursive: true, force: true })
})
afterEach(async () => truncateAll(database.db))

// A hand-made expo sheet: a title line and a blank line before the header, Indian column
// names, an in-file repeat (row 6 is row 4's person), two bad rows (7: no contact point,
// 8: broken email) and a person the database already holds (row 9).
const EXPO_CSV = [
  'Expo leads - Nov 2026',
  '',
  'Name,Email,Mobile,Company Name,City,State,GSTIN',
  'Asha Rao,asha@nimbus.example.in,9876543210,Nimbus Software,Pune,Maharashtra,27AAAAA0000A1Z5',
  'Ravi Kumar,ravi@indus.example.in,9876500001,Indus Labs,Chennai,Tamil Nadu,',
  'Asha R,ASHA@nimbus.example.in,,Nimbus Software,Pune,Maharashtra,',
  'Nobody Here,,,No Contact Co,,,',
  'Bad Email,not-an-email,,X Traders,,,',
  'Existing Person,existing@db.example.in,,Db Co,,,',
  'Meena Iyer,meena@lotus.example.in,+91 98450 12345,Lotus Foods,Bengaluru,Karnataka,',
].join('\r\n')

const DEFAULTS = {
  campaign: 'expo-nov-2026',
  source: 'expo',
  country: 'IN',
  consent: {
    granted: true,
    text: 'I agree to be contacted about Nimbus products.',
    textVersion: 'expo-2026-v1',
  },
}

interface Counts {
  created: number
  duplicatesInFile: number
  duplicatesInDb: number
  quarantined: number
  failed: number
  alreadyImported: number
}
interface Job {
  id: string
  status: string
  format: string
  dryRun: boolean
  fileHash: string
  processedRows: number
  totalRows: number | null
  counts: Counts
  error: string | null
}

const upload = (body: string | Buffer, contentType = 'text/csv', fileName = 'expo.csv') =>
  app.inject({
    method: 'POST',
    url: `/v1/imports?fileName=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': contentType },
    payload: body,
  })

async function uploaded(body: string | Buffer, contentType?: string, fileName?: string) {
  const res = await upload(body, contentType, fileName)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<{
    job: Job
    headers: string[]
    headerRow: number
    suggestedMapping: Record<string, string | null>
    sampleRows: { rowNumber: number; record: Record<string, string> }[]
  }>()
}

async function runToEnd(id: string, body: object = { defaults: DEFAULTS }): Promise<Job> {
  const res = await app.inject({ method: 'POST', url: `/v1/imports/${id}/run`, payload: body })
  expect(res.statusCode, res.body).toBe(202)
  for (let i = 0; i < 600; i++) {
    const job = (await app.inject({ method: 'GET', url: `/v1/imports/${id}` })).json<Job>()
    if (job.status !== 'running') return job
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`import ${id} did not finish`)
}

async function seedExisting(): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: { email: 'existing@db.example.in', firstName: 'Existing', lastName: 'Person' },
  })
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json<{ id: string }>().id
}

describe('an import in many batches', () => {
  it('dedupes across batches and previews what the run then does (batches of 2 rows)', async () => {
    const existingId = await seedExisting()
    const jobs = createImportService({
      db: database.db,
      config: testConfig({ IMPORT_DIR: dir }),
      log: silentLog,
      batchSize: 2,
    })
    try {
      const up = await jobs.upload(Readable.from([EXPO_CSV]), { fileName: 'expo.csv', format: 'csv' })
      const expected = {
        created: 3,
        duplicatesInFile: 1,
        duplicatesInDb: 1,
        quarantined: 0,
        failed: 2,
        alreadyImported: 0,
      }
      // Row 6 repeats row 4, two batches earlier: the dry run must see it without a commit...
      const preview = await jobs.preview(up.job.id, { defaults: DEFAULTS })
      expect(preview.counts).toEqual(expected)
      expect(await database.db.lead.count()).toBe(1)
      // ...and the run must find row 4's lead, committed by an earlier batch, as an in-file match.
      const run = await jobs.run(up.job.id, { defaults: DEFAULTS })
      expect(run.counts).toEqual(expected)
      const repeat = await database.db.lead.findFirstOrThrow({
        where: { email: 'asha@nimbus.example.in', isDuplicate: true },
      })
      const asha = await database.db.lead.findFirstOrThrow({
        where: { email: 'asha@nimbus.example.in', isDuplicate: false },
      })
      expect(repeat.duplicateOfId).toBe(asha.id)
      const existing = await database.db.lead.findFirstOrThrow({
        where: { email: 'existing@db.example.in', isDuplicate: true },
      })
      expect(existing.duplicateOfId).toBe(existingId)
    } finally {
      await jobs.close()
    }
  })
})

describe('CSV import', () => {
  it('uploads, previews without writing, runs, and writes governed leads', async () => {
    const existingId = await seedExisting()
    const up = await uploaded(EXPO_CSV)
    expect(up.job).toMatchObject({ status: 'uploaded', format: 'csv', fileName: 'expo.csv' })
    expect(up.job.fileHash).toMatch(/^[0-9a-f]{64}$/)
    expect(up.headerRow).toBe(3)
    expect(up.headers).toEqual(['Name', 'Email', 'Mobile', 'Company Name', 'City', 'State', 'GSTIN'])
    expect(up.suggestedMapping).toEqual({
      Name: 'fullName',
      Email: 'email',
      Mobile: 'phone',
      'Company Name': 'company',
      City: 'city',
      State: 'state',
      GSTIN: null,
    })
    expect(up.sampleRows).toHaveLength(5)
    expect(up.sampleRows[0]).toEqual({
      rowNumber: 4,
      record: expect.objectContaining({ Name: 'Asha Rao', Email: 'asha@nimbus.example.in' }),
    })

    // Dry run: the whole file through the checks and dedupe, nothing written.
    const preview = await app.inject({
      method: 'POST',
      url: `/v1/imports/${up.job.id}/preview`,
      payload: { defaults: DEFAULTS },
    })
    expect(preview.statusCode, preview.body).toBe(200)
    const p = preview.json<{
      counts: Counts
      totalRows: number
      errors: { rowNumber: number; errors: object[] }[]
      job: Job
    }>()
    expect(p.totalRows).toBe(7)
    expect(p.counts).toEqual({
      created: 3,
      duplicatesInFile: 1,
      duplicatesInDb: 1,
      quarantined: 0,
      failed: 2,
      alreadyImported: 0,
    })
    expect(p.errors.map((e) => e.rowNumber)).toEqual([7, 8])
    expect(p.errors[0]!.errors).toEqual([
      { field: 'email', column: 'Email', message: expect.stringMatching(/email address or a phone number/) },
    ])
    expect(p.errors[1]!.errors).toEqual([
      { field: 'email', column: 'Email', message: expect.stringMatching(/not valid/) },
    ])
    expect(p.job).toMatchObject({ dryRun: true, status: 'uploaded', totalRows: 7 })
    expect(await database.db.lead.count()).toBe(1)
    expect(await database.db.inboundDelivery.count()).toBe(0)

    const job = await runToEnd(up.job.id)
    expect(job.error).toBeNull()
    expect(job).toMatchObject({ status: 'completed', dryRun: false, processedRows: 7, totalRows: 7 })
    expect(job.counts).toEqual(p.counts)

    const imported = await database.db.lead.findMany({
      where: { channel: 'import' },
      orderBy: { createdAt: 'asc' },
    })
    expect(imported).toHaveLength(5)
    const byEmail = new Map(imported.map((l) => [l.email, l]))
    const asha = byEmail.get('asha@nimbus.example.in')!
    expect(asha).toMatchObject({
      firstName: 'Asha',
      lastName: 'Rao',
      phone: '+919876543210',
      company: 'Nimbus Software',
      city: 'Pune',
      isDuplicate: false,
      // The person who ran the import writes its leads; the connector is their channel.
      createdBy: 'user:test-admin',
      consentStatus: 'granted',
      consentTextVersion: 'expo-2026-v1',
    })
    // Row 6 repeats row 4's email (other case): linked to row 4's lead, which counts the engagement.
    const repeat = imported.find((l) => l.firstName === 'Asha' && l.id !== asha.id)!
    expect(repeat).toMatchObject({ isDuplicate: true, duplicateOfId: asha.id })
    const ashaNow = await database.db.lead.findUniqueOrThrow({ where: { id: asha.id } })
    expect(ashaNow.engagement).toEqual({ webVisit: 1 })
    // Row 9 is a person the database already held.
    expect(byEmail.get('existing@db.example.in')).toMatchObject({
      isDuplicate: true,
      duplicateOfId: existingId,
    })

    const ids = imported.map((l) => l.id)
    const touches = await database.db.touch.findMany({ where: { leadId: { in: ids } } })
    expect(touches).toHaveLength(5)
    for (const t of touches)
      expect(t).toMatchObject({ channel: 'import', campaign: 'expo-nov-2026', source: 'expo' })
    const consents = await database.db.consentRecord.findMany({ where: { leadId: { in: ids } } })
    expect(consents).toHaveLength(5)
    for (const c of consents) {
      expect(c).toMatchObject({
        status: 'granted',
        textVersion: 'expo-2026-v1',
        text: DEFAULTS.consent.text,
        source: 'import:expo.csv',
        recordedBy: 'user:test-admin',
      })
    }
    const raw = await database.db.rawCapture.findFirstOrThrow({ where: { leadId: asha.id } })
    expect(raw.payload).toMatchObject({ file: 'expo.csv', row: 4, record: { GSTIN: '27AAAAA0000A1Z5' } })
    // Every new master's journey starts through the outbox; duplicates start none.
    const masters = imported
      .filter((l) => !l.isDuplicate)
      .map((l) => l.id)
      .sort()
    const events = await database.db.outboxEvent.findMany({ where: { aggregateId: { in: ids } } })
    expect(events.map((e) => e.aggregateId).sort()).toEqual(masters)
    expect(new Set(events.map((e) => e.topic))).toEqual(new Set(['lead.captured']))
    const decisions = await database.db.leadDecision.groupBy({
      by: ['kind'],
      where: { leadId: asha.id },
      _count: true,
    })
    // Dedupe, score and assignment, as the single path records them, plus the rescoring when
    // row 6 folded into it (validation and spam only when they found something; the consent
    // record holds the consent decision).
    expect(Object.fromEntries(decisions.map((d) => [d.kind, d._count]))).toEqual({
      dedupe: 1,
      score: 2,
      assignment: 1,
    })

    const errors = await app.inject({ method: 'GET', url: `/v1/imports/${up.job.id}/errors` })
    expect(errors.statusCode).toBe(200)
    const report = errors.json<{
      items: { rowNumber: number; raw: Record<string, string> }[]
      nextCursor: string | null
    }>()
    expect(report.items.map((i) => i.rowNumber)).toEqual([7, 8])
    expect(report.items[1]!.raw).toMatchObject({ Name: 'Bad Email', Email: 'not-an-email' })
    expect(report.nextCursor).toBeNull()
    const page = await app.inject({ method: 'GET', url: `/v1/imports/${up.job.id}/errors?limit=1` })
    expect(page.json()).toMatchObject({ items: [{ rowNumber: 7 }], nextCursor: '7' })
    const next = await app.inject({ method: 'GET', url: `/v1/imports/${up.job.id}/errors?limit=1&cursor=7` })
    expect(next.json()).toMatchObject({ items: [{ rowNumber: 8 }] })

    const list = await app.inject({ method: 'GET', url: '/v1/imports' })
    expect(list.json<{ items: Job[] }>().items.map((j) => j.id)).toEqual([up.job.id])
  })

  it('imports nothing new when the same file is uploaded and run again', async () => {
    await seedExisting()
    const first = await uploaded(EXPO_CSV)
    await runToEnd(first.job.id)
    const before = {
      leads: await database.db.lead.count(),
      outbox: await database.db.outboxEvent.count(),
      touches: await database.db.touch.count(),
    }
    const second = await uploaded(EXPO_CSV, 'text/csv', 'expo-again.csv')
    expect(second.job.fileHash).toBe(first.job.fileHash)
    const again = await runToEnd(second.job.id)
    expect(again.counts).toEqual({
      created: 0,
      duplicatesInFile: 0,
      duplicatesInDb: 0,
      quarantined: 0,
      failed: 2,
      alreadyImported: 5,
    })
    expect({
      leads: await database.db.lead.count(),
      outbox: await database.db.outboxEvent.count(),
      touches: await database.db.touch.count(),
    }).toEqual(before)
    const ledger = await database.db.inboundDelivery.aggregate({
      where: { connectorId: 'import' },
      _sum: { duplicates: true },
      _count: true,
    })
    expect(ledger).toMatchObject({ _count: 5, _sum: { duplicates: 5 } })
    // A completed run cannot be started again: the second upload is the way (and is a no-op).
    const rerun = await app.inject({ method: 'POST', url: `/v1/imports/${first.job.id}/run`, payload: {} })
    expectProblem(rerun, 409, 'conflict')
  })

  it('skips people already in the database when asked to', async () => {
    await seedExisting()
    const up = await uploaded(EXPO_CSV)
    const job = await runToEnd(up.job.id, { defaults: DEFAULTS, onDuplicate: 'skip' })
    expect(job.counts).toMatchObject({ created: 3, duplicatesInFile: 1, duplicatesInDb: 1, failed: 2 })
    expect(await database.db.lead.count({ where: { email: 'existing@db.example.in' } })).toBe(1)
    expect(await database.db.lead.count({ where: { channel: 'import' } })).toBe(4)
  })

  it('reads semicolon-separated files with a byte-order mark and an explicit mapping', async () => {
    const csv = '\uFEFFVorname;Nachname;E-Mail;Firma\nLena;Schmidt;lena@example.de;Acme GmbH\n'
    const up = await uploaded(csv)
    expect(up.headers).toEqual(['Vorname', 'Nachname', 'E-Mail', 'Firma'])
    const job = await runToEnd(up.job.id, {
      mapping: { Vorname: 'firstName', Nachname: 'lastName', 'E-Mail': 'email', Firma: 'company' },
      defaults: { consent: { granted: true, textVersion: 'v1' } },
    })
    expect(job.counts.created).toBe(1)
    expect(await database.db.lead.findFirstOrThrow({ where: { channel: 'import' } })).toMatchObject({
      firstName: 'Lena',
      lastName: 'Schmidt',
      company: 'Acme GmbH',
    })
  })
})

describe('XLSX import', () => {
  it('imports the first worksheet of a workbook', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Leads')
    sheet.addRow(['Contact Name', 'Email ID', 'WhatsApp No', 'Organisation', 'Lead Date', 'Pincode'])
    sheet.addRow([
      'Kiran Shah',
      'kiran@saffron.example.in',
      919812345678,
      'Saffron Exports',
      new Date(Date.UTC(2026, 10, 20)),
      400001,
    ])
    sheet.addRow(['Kiran Shah', 'kiran.shah@saffron.example.in', 919812345678, 'Saffron Exports', null, null])
    sheet.addRow([
      { richText: [{ text: 'Pooja ' }, { text: 'Nair' }] },
      'pooja@kaveri.example.in',
      null,
      'Kaveri Agro',
      null,
      null,
    ])
    workbook.addWorksheet('Notes').addRow(['not', 'leads'])
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer())

    const up = await uploaded(buffer, XLSX, 'leads.xlsx')
    expect(up.job.format).toBe('xlsx')
    expect(up.suggestedMapping).toMatchObject({
      'Contact Name': 'fullName',
      'Email ID': 'email',
      'WhatsApp No': 'phone',
      Organisation: 'company',
      'Lead Date': 'receivedAt',
      Pincode: null,
    })
    expect(up.sampleRows[0]).toEqual({
      rowNumber: 2,
      record: {
        'Contact Name': 'Kiran Shah',
        'Email ID': 'kiran@saffron.example.in',
        'WhatsApp No': '919812345678',
        Organisation: 'Saffron Exports',
        'Lead Date': '2026-11-20',
        Pincode: '400001',
      },
    })
    const preview = await app.inject({ method: 'POST', url: `/v1/imports/${up.job.id}/preview`, payload: {} })
    expect(preview.json()).toMatchObject({
      totalRows: 3,
      counts: { created: 2, duplicatesInFile: 1, failed: 0 },
    })
    expect(await database.db.lead.count()).toBe(0)

    const job = await runToEnd(up.job.id, { defaults: { campaign: 'trade-fair' } })
    expect(job.counts).toMatchObject({ created: 2, duplicatesInFile: 1, failed: 0 })
    const kiran = await database.db.lead.findFirstOrThrow({
      where: { email: 'kiran@saffron.example.in' },
      include: { touches: true },
    })
    expect(kiran).toMatchObject({
      phone: '+919812345678',
      company: 'Saffron Exports',
      consentStatus: 'unknown',
    })
    expect(kiran.touches[0]).toMatchObject({
      campaign: 'trade-fair',
      occurredAt: new Date('2026-11-20T00:00:00Z'),
    })
    // Same phone, other email: the second Kiran row is the first one's duplicate.
    expect(
      await database.db.lead.findFirstOrThrow({ where: { email: 'kiran.shah@saffron.example.in' } }),
    ).toMatchObject({ isDuplicate: true, duplicateOfId: kiran.id })
    expect(
      await database.db.lead.findFirstOrThrow({ where: { email: 'pooja@kaveri.example.in' } }),
    ).toMatchObject({
      firstName: 'Pooja',
      lastName: 'Nair',
    })
  })
})

describe('refused uploads and requests', () => {
  it('refuses files that are not what they claim, empty bodies and other media types', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42, 0x99, 0x00])
    expectProblem(await upload(garbage), 422, 'rule_violation')
    expectProblem(await upload(''), 422, 'rule_violation')
    expectProblem(await upload('Name,Email\nA,a@x.example.in\n', XLSX), 422, 'rule_violation')
    expectProblem(await upload('Name,Email\n', 'text/plain'), 415, 'unsupported_media_type')
    const json = await app.inject({ method: 'POST', url: '/v1/imports', payload: { rows: [] } })
    expectProblem(json, 415, 'unsupported_media_type')
    expect(await database.db.importJob.count()).toBe(0)
    expect(await database.db.lead.count()).toBe(0)
  })

  it('refuses a mapping that does not fit the file, and unknown jobs', async () => {
    const up = await uploaded('Name,Notes\nAsha,hello\n')
    const noContact = await app.inject({
      method: 'POST',
      url: `/v1/imports/${up.job.id}/preview`,
      payload: {},
    })
    expect(expectProblem(noContact, 422, 'rule_violation').errors).toEqual([
      { pointer: '/body/mapping', message: expect.stringMatching(/email or phone/) },
    ])
    const unknownColumn = await app.inject({
      method: 'POST',
      url: `/v1/imports/${up.job.id}/run`,
      payload: { mapping: { Mobile: 'phone' } },
    })
    expect(expectProblem(unknownColumn, 422, 'rule_violation').errors?.[0]?.pointer).toBe(
      '/body/mapping/Mobile',
    )
    const badField = await app.inject({
      method: 'POST',
      url: `/v1/imports/${up.job.id}/preview`,
      payload: { mapping: { Name: 'shoeSize' } },
    })
    expectProblem(badField, 422, 'validation_failed')
    const missing = await app.inject({
      method: 'GET',
      url: '/v1/imports/0190a1b2-0000-7000-8000-000000000000',
    })
    expectProblem(missing, 404, 'not_found')
    // Cursors are checked against what each list pages by (a job id, a row number).
    const jobCursor = await app.inject({ method: 'GET', url: `/v1/imports?cursor=${'0'.repeat(100)}` })
    expectProblem(jobCursor, 400, 'malformed_request')
    const rowCursor = await app.inject({ method: 'GET', url: `/v1/imports/${up.job.id}/errors?cursor=seven` })
    expectProblem(rowCursor, 400, 'malformed_request')
    expect(await database.db.lead.count()).toBe(0)
  })
})
