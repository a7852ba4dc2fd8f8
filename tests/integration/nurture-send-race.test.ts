import pg from 'pg'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createNurtureActivities } from '../../activities/nurture.activities.js'
import { NOT_CONNECTED_WHATSAPP } from '../../activities/whatsapp-sender.js'
import { createSendGridTransport } from '../../connectors/sendgrid/transport.js'
import { waitFor } from '../../platform/process/child-process.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startSendGridStandIn, type SendGridStandIn } from '../support/sendgrid-stand-in.js'

let database: TestDatabase
let sg: SendGridStandIn
beforeAll(async () => {
  database = await createTestDatabase()
  sg = await startSendGridStandIn()
})
afterAll(async () => {
  await sg.close()
  await database.drop()
})

/*
 * Two overlapping attempts of one send (Temporal retried a slow attempt that was still
 * running): a row lock forces the late attempt's "unconfirmed" and the first attempt's
 * "sent" to land in either order. The vendor's acceptance must win, and nothing is sent twice.
 */
it('a send the vendor accepted stays sent, however an overlapping retry lands', async () => {
  const db = database.db
  const send = createNurtureActivities({
    db,
    email: createSendGridTransport({ apiKey: 'SG.x', baseUrl: sg.url }),
    emailFrom: { email: 'a@b.test', name: 'L' },
    whatsapp: NOT_CONNECTED_WHATSAPP,
    clock: () => new Date('2026-03-10T06:00:00.000Z'),
  }).sendNurtureMessage
  const id = uuidv7()
  await db.lead.create({
    data: {
      id,
      channel: 'web_form',
      email: 'x@e.test',
      firstName: 'M',
      consentStatus: 'granted',
      consentChannels: ['email'],
      optInAt: new Date('2026-03-01T00:00:00Z'),
      createdBy: 't',
      updatedBy: 't',
    },
  })
  const input = {
    leadId: id,
    sequenceId: 's',
    cycle: 1,
    stepId: 'w',
    channel: 'email' as const,
    template: 'nurture-welcome',
    zones: ['Asia/Kolkata'],
    quietHours: { start: '20:00', end: '09:00', weekendsQuiet: false },
  }
  const key = `${id}/email/s/1/w`
  const locker = new pg.Client({ connectionString: database.url })
  await locker.connect()
  const waiting = async () =>
    Number(
      (
        await locker.query(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows[0].n,
    )

  sg.respondWith({ status: 202, delayMs: 500, headers: { 'X-Message-Id': 'sg-accepted' } })
  const a = send(input) // attempt 1: reaches SendGrid, which answers after 500 ms
  await waitFor(
    async () => (await db.outboundMessage.findUnique({ where: { dedupeKey: key } }))?.status === 'sending',
    5_000,
    'sending',
  )
  await locker.query('BEGIN')
  await locker.query('SELECT id FROM outbound_message WHERE dedupe_key = $1 FOR UPDATE', [key])
  const b = send(input) // attempt 2 (attempt 1 timed out in Temporal's eyes, still running)
  await waitFor(async () => (await waiting()) >= 1, 5_000, 'attempt 2 waiting')
  await waitFor(async () => (await waiting()) >= 2, 5_000, 'attempt 1 waiting to record sent')
  await locker.query('COMMIT')
  await locker.end()
  const [ra, rb] = await Promise.all([a, b])
  const row = await db.outboundMessage.findUniqueOrThrow({ where: { dedupeKey: key } })
  expect(ra).toMatchObject({ status: 'sent' })
  expect(['sent', 'unconfirmed']).toContain(rb.status)
  expect(row).toMatchObject({ status: 'sent', providerMessageId: 'sg-accepted', lastError: null })
  expect(row.sentAt).not.toBeNull()
  expect(sg.requests).toHaveLength(1)
  expect(await db.activity.count({ where: { leadId: id, kind: 'email' } })).toBe(1)
  // A later retry answers with the recorded outcome.
  expect(await send(input)).toMatchObject({ status: 'sent' })
  expect(sg.requests).toHaveLength(1)
})
