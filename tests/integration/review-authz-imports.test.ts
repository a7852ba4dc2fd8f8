import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { userWithRole } from '../support/auth.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/*
 * Review (security): import jobs belong to nobody. Every route of /v1/imports finds a job
 * by id alone and lists every job, and the jobs are written as `connector:import`, not as
 * the person who uploaded them. Anyone with lead:read (an SDR, a read-only user) lists
 * other people's imports and reads their row error reports, whose `raw` holds each failed
 * row as uploaded (names, emails, phones of people they may not see); anyone with
 * lead:create runs someone else's upload.
 */

let database: TestDatabase
let app: FastifyInstance
let dir: string
let jobId: string

const CSV = [
  'Name,Email,Mobile,Company Name',
  'Asha Rao,asha@nimbus.example.in,9876543210,Nimbus Software',
  'Bad Email,not-an-email,9123456780,Secret Traders',
].join('\r\n')

beforeAll(async () => {
  database = await createTestDatabase()
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-review-import-'))
  app = await buildTestApp({ config: testConfig({ IMPORT_DIR: dir }), db: database.db })
  // The admin (the test app's default caller) uploads and previews a file.
  const up = await app.inject({
    method: 'POST',
    url: '/v1/imports?fileName=expo.csv',
    headers: { 'content-type': 'text/csv' },
    payload: CSV,
  })
  expect(up.statusCode, up.body).toBe(201)
  jobId = up.json<{ job: { id: string } }>().job.id
  const preview = await app.inject({
    method: 'POST',
    url: `/v1/imports/${jobId}/preview`,
    payload: { defaults: { country: 'IN' } },
  })
  expect(preview.statusCode, preview.body).toBe(200)
  const errors = await app.inject({ url: `/v1/imports/${jobId}/errors` })
  expect(errors.body).toContain('Secret Traders')
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

it("does not show an SDR another person's import row errors (raw rows)", async () => {
  const sdr = await userWithRole(database.db, 'sdr')
  const res = await app.inject({ url: `/v1/imports/${jobId}/errors`, headers: sdr.headers })
  expect(res.statusCode, res.body).toBe(404)
  expect(res.body).not.toContain('9123456780')
})

it("does not list another person's imports to a read-only user", async () => {
  const ro = await userWithRole(database.db, 'read_only')
  const res = await app.inject({ url: '/v1/imports', headers: ro.headers })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.body).not.toContain(jobId)
})

it('records the uploader, not the connector, as who made the job', async () => {
  const res = await app.inject({ url: `/v1/imports/${jobId}` })
  expect(res.statusCode, res.body).toBe(200)
  const job = res.json<{ createdBy?: string }>()
  expect(job.createdBy).toBe('user:test-admin')
})
