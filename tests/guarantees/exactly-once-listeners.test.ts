import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { Client } from '@temporalio/client'
import type { FastifyInstance } from 'fastify'
import { ImapFlow } from 'imapflow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverMail } from '../../connectors/email/deliver.js'
import { emailListener } from '../../connectors/email/listener.js'
import { readMessage } from '../../connectors/email/message.js'
import { openMailbox, type MailboxSession } from '../../connectors/email/transport.js'
import type { UploadResult } from '../../connectors/import/import-job.js'
import { createImportService } from '../../connectors/import/services.js'
import type { ConnectorContext, ConnectorListener } from '../../connectors/sdk/connector.js'
import { handleWithRetries } from '../../connectors/whatsapp/inbound-retry.js'
import { createPrisma, type Db } from '../../platform/database/prisma.js'
import { incoming } from '../connectors/whatsapp/fake-socket.js'
import { buildTestApp } from '../support/app.js'
import { testConfig } from '../support/config.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { startDovecot, type TestDovecot } from '../support/dovecot.js'
import { silentLog, startTestWorker, uniqueTaskQueue, type TestWorker } from '../support/temporal.js'
import {
  delta,
  engagementSignals,
  journeyInTemporal,
  journeyStarts,
  ledgerRow,
  snapshot,
  storm,
  STORM,
  writeFigures,
  type ChannelFigures,
} from './exactly-once-support.js'

/*
 * Exactly-once intake on the channels that are not webhooks: the WhatsApp listener's message
 * handler, the IMAP listener (a real Dovecot server), and the import runner. The same
 * delivery handed over 100 times at once gives one lead (or one timeline entry on a known
 * lead), one journey start, and 99 duplicates in the ledger; the journeys run on a real worker.
 *
 * WhatsApp has no server to stand in for: Baileys hands the listener one message at a time,
 * and a reconnect re-delivers unacknowledged ones, possibly while the first is still being
 * handled (or on another replica during a lock hand-over). So the storm is 100 concurrent
 * calls of what the listener runs per message (handleWithRetries: the intake, tried again
 * on a passing fault such as a pool that stayed busy for two seconds under this very storm)
 * with the same protobuf message, far more at once than one listener ever hands over.
 */

let database: TestDatabase
let apiDb: Db
let worker: TestWorker
let app: FastifyInstance
let temporal: Client
let dovecot: TestDovecot | undefined
let mailer: ImapFlow
let importDir: string
const figures: ChannelFigures[] = []

const config = () =>
  testConfig({
    TEMPORAL_TASK_QUEUE: queue,
    WHATSAPP_ENABLED: 'true',
    IMAP_HOST: dovecot!.host,
    IMAP_PORT: String(dovecot!.port),
    IMAP_SECURE: 'false',
    IMAP_USER: dovecot!.user,
    IMAP_PASSWORD: dovecot!.password,
    IMAP_MAILBOX: 'INBOX',
    // Only the fetch round at connect time reads mail here: no poll during a test.
    IMAP_POLL_INTERVAL_MS: '600000',
    IMPORT_DIR: importDir,
  })
const queue = uniqueTaskQueue('exactly-once-listeners')

beforeAll(async () => {
  dovecot = await startDovecot()
  importDir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-test-import-'))
  database = await createTestDatabase()
  const cfg = config()
  apiDb = createPrisma(database.url, cfg.DATABASE_POOL_MAX)
  worker = await startTestWorker({
    config: cfg,
    db: database.db,
    databaseUrl: database.url,
    taskQueue: queue,
  })
  app = await buildTestApp({ config: cfg, db: apiDb })
  temporal = app.services.temporal
  mailer = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  })
  mailer.on('error', () => undefined)
  await mailer.connect()
})
afterAll(async () => {
  try {
    if (figures.length > 0) {
      await writeFigures('channels', Object.fromEntries(figures.map((f) => [f.channel, f])))
    }
    await mailer?.logout().catch(() => undefined)
    await app?.close()
    await worker?.stop()
    await apiDb?.$disconnect()
    await database?.drop()
    if (importDir) await rm(importDir, { recursive: true, force: true })
  } finally {
    // Always: CI fails on a leftover leadwire-test-* process.
    await dovecot?.stop()
  }
})

const db = () => database.db

function figure(f: Omit<ChannelFigures, 'deliveriesSent'> & { deliveriesSent?: number }): void {
  figures.push({ deliveriesSent: STORM, ...f })
}

/** The storm's effect on the database, and the ledger row of its key: 1 lead, 1 journey, 99 duplicates. */
async function expectOneNewLead(
  before: Awaited<ReturnType<typeof snapshot>>,
  connectorId: string,
  key: string,
) {
  const after = await snapshot(db())
  expect(delta(before, after)).toEqual({
    leads: 1,
    masters: 1,
    captured: 1,
    deliveries: 1,
    duplicates: STORM - 1,
    replays: 0,
  })
  const row = await ledgerRow(db(), connectorId, key)
  expect(row).toMatchObject({ outcome: 'lead_created', duplicates: STORM - 1 })
  const leadId = row.leadId!
  expect(await journeyStarts(db(), leadId)).toBe(1)
  return { leadId, row, inTemporal: await journeyInTemporal(temporal, leadId) }
}

describe('WhatsApp: one message id handed to the listener 100 times at once', () => {
  let ctx: ConnectorContext
  beforeAll(() => {
    ctx = app.services.connectors.context('whatsapp')
  })

  it('from an unknown number: one lead with the message on its timeline', async () => {
    const before = await snapshot(db())
    const message = () =>
      incoming({ id: '3AEXACTLYONCE01', from: '919845012345@s.whatsapp.net', text: 'Price for 40 units?' })
    let triedAgain = 0
    const outcomes = await storm(() => handleWithRetries(ctx, message(), { onRetry: () => triedAgain++ }))
    expect(outcomes.filter((o) => o.handled)).toHaveLength(STORM)
    expect(outcomes.filter((o) => o.handled && o.replayed)).toHaveLength(STORM - 1)
    const { leadId, row, inTemporal } = await expectOneNewLead(
      before,
      'whatsapp',
      'wa:919845012345:3AEXACTLYONCE01',
    )
    expect(new Set(outcomes.map((o) => (o.handled ? o.leadId : null)))).toEqual(new Set([leadId]))
    expect(await db().activity.count({ where: { leadId, kind: 'whatsapp' } })).toBe(1)
    figure({
      channel: 'WhatsApp message (unknown sender)',
      entryPoint: "the listener's per-message handler (handleWithRetries), 100 concurrent calls",
      deliveryKey: row.deliveryKey,
      accepted: outcomes.filter((o) => o.handled).length,
      leadsCreated: 1,
      activitiesCreated: 0,
      journeysStarted: await journeyStarts(db(), leadId),
      journeysInTemporal: inTemporal,
      duplicatesRecorded: row.duplicates,
      triedAgain,
    })
  })

  it('from the same (now known) person: one reply on their lead, one journey signal', async () => {
    const leadId = (await db().lead.findFirstOrThrow({ where: { phone: '+919845012345' } })).id
    const before = await snapshot(db())
    let triedAgain = 0
    const message = () =>
      incoming({ id: '3AEXACTLYONCE02', from: '919845012345@s.whatsapp.net', text: 'And delivery to Pune?' })
    const outcomes = await storm(() => handleWithRetries(ctx, message(), { onRetry: () => triedAgain++ }))
    expect(outcomes.filter((o) => o.handled && o.kind === 'engagement' && o.leadId === leadId)).toHaveLength(
      STORM,
    )
    expect(delta(before, await snapshot(db()))).toEqual({
      leads: 0,
      masters: 0,
      captured: 0,
      deliveries: 1,
      duplicates: STORM - 1,
      replays: 0,
    })
    const row = await ledgerRow(db(), 'whatsapp', 'wa:919845012345:3AEXACTLYONCE02')
    expect(row).toMatchObject({ outcome: 'activity', leadId, duplicates: STORM - 1 })
    expect(await db().activity.count({ where: { leadId, kind: 'whatsapp' } })).toBe(2)
    expect(await engagementSignals(db(), row.activityId!)).toBe(1)
    figure({
      channel: 'WhatsApp message (known sender)',
      entryPoint: "the listener's per-message handler (handleWithRetries), 100 concurrent calls",
      deliveryKey: row.deliveryKey,
      accepted: outcomes.length,
      leadsCreated: 0,
      activitiesCreated: 1,
      journeysStarted: 0,
      journeysInTemporal: null,
      duplicatesRecorded: row.duplicates,
      triedAgain,
    })
  })
})

/** An RFC 5322 message (CRLF lines), as a mail server stores it. */
function mail(headers: Record<string, string>, body: string): string {
  const head = Object.entries({
    Date: 'Mon, 02 Mar 2026 10:00:00 +0530',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    To: 'sales@acme.example',
    ...headers,
  }).map(([k, v]) => `${k}: ${v}`)
  return `${head.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`
}

describe('email (IMAP, a real Dovecot server)', () => {
  it("one mail re-fetched by UID and handed to the listener's per-message handler 100 times at once", async () => {
    const mailbox = 'Storm'
    await mailer.mailboxCreate(mailbox)
    await mailer.append(
      mailbox,
      mail(
        {
          From: 'Nila Raman <nila.raman@raman-pumps.example.in>',
          Subject: 'Quote for 200 pumps',
          'Message-ID': '<storm-1@raman-pumps.example.in>',
        },
        'Hello,\n\nPlease send a quote for 200 units of the A-40 pump.\n\nRegards,\nNila\nMobile: 098765 11122',
      ),
    )
    const cfg = config()
    const session: MailboxSession = await openMailbox(
      {
        host: cfg.IMAP_HOST!,
        port: cfg.IMAP_PORT,
        secure: false,
        user: cfg.IMAP_USER!,
        password: cfg.IMAP_PASSWORD!,
        mailbox,
      },
      { onNewMail: () => undefined, onClosed: () => undefined },
    )
    try {
      const ctx = app.services.connectors.context('email')
      const [uid] = await session.uidsAfter(0)
      const ref = {
        user: cfg.IMAP_USER!,
        host: cfg.IMAP_HOST!,
        mailbox,
        uidValidity: session.uidValidity(),
        uid: uid!,
      }
      const before = await snapshot(db())
      // What the listener does per mail (fetch by UID, parse, deliver), 100 times at once.
      const outcomes = await storm(async () => {
        const fetched = (await session.message(ref.uid))!
        return deliverMail(ctx, ref, await readMessage(fetched.source), fetched.internalDate ?? new Date())
      })
      expect(outcomes.filter((o) => o.kind === 'captured')).toHaveLength(1)
      expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(STORM - 1)
      const key = 'msgid:<storm-1@raman-pumps.example.in>'
      const { leadId, row, inTemporal } = await expectOneNewLead(before, 'email', key)
      expect(outcomes.every((o) => 'leadId' in o && o.leadId === leadId)).toBe(true)
      expect(await db().activity.count({ where: { leadId, kind: 'email' } })).toBe(1)
      figure({
        channel: 'email: one mail, 100 concurrent hand-overs',
        entryPoint: "IMAP fetch by UID + the listener's per-message handler (deliverMail), 100 concurrent",
        deliveryKey: key,
        accepted: outcomes.length,
        leadsCreated: 1,
        activitiesCreated: 0,
        journeysStarted: await journeyStarts(db(), leadId),
        journeysInTemporal: inTemporal,
        duplicatesRecorded: row.duplicates,
      })
    } finally {
      await session.close()
    }
  })

  it('one Message-ID delivered 100 times into the mailbox, read by the real listener', async () => {
    const notification = mail(
      {
        From: 'WordPress <wordpress@acme.example>',
        'Reply-To': 'Arjun Mehta <arjun@mehta-steel.example.in>',
        Subject: 'Acme "Distributor enquiry"',
        'Message-ID': '<cf7-storm@acme.example>',
      },
      [
        'From: Arjun Mehta <arjun@mehta-steel.example.in>',
        'Subject: Distributor enquiry',
        'Phone: +91 98200 11223',
        'Company: Mehta Steel',
        '',
        'Message Body:',
        'We would like to become your distributor in Mumbai.',
        '',
        '-- ',
        'This e-mail was sent from a contact form on Acme (https://acme.example)',
      ].join('\n'),
    )
    // The mail server stored it 100 times (a forwarding loop, a re-sent notification): 100 UIDs, one Message-ID.
    for (let i = 0; i < STORM; i++) await mailer.append('INBOX', notification)
    const before = await snapshot(db())
    const listener: ConnectorListener = emailListener(app.services.connectors.context('email'))
    try {
      await listener.start()
      await expect
        .poll(async () => (await snapshot(db())).duplicates - before.duplicates, {
          timeout: 30_000,
          interval: 100,
        })
        .toBe(STORM - 1)
    } finally {
      await listener.stop()
    }
    const key = 'msgid:<cf7-storm@acme.example>'
    const { leadId, row, inTemporal } = await expectOneNewLead(before, 'email', key)
    expect(row.rawRef).toMatch(/;UID=1$/)
    const state = await db().connectorState.findUniqueOrThrow({ where: { connectorId: 'email' } })
    expect(state.state).toMatchObject({ mailbox: 'INBOX', lastUid: STORM })
    figure({
      channel: 'email: one Message-ID under 100 UIDs',
      entryPoint: 'the IMAP listener against Dovecot (100 stored copies, read in UID order)',
      deliveryKey: key,
      accepted: STORM,
      leadsCreated: 1,
      activitiesCreated: 0,
      journeysStarted: await journeyStarts(db(), leadId),
      journeysInTemporal: inTemporal,
      duplicatesRecorded: row.duplicates,
    })
  })
})

describe('import: the same file imported 100 times at once', () => {
  it('gives each row its lead once, and 99 duplicates per row key (file sha256 + row)', async () => {
    const csv = [
      'Name,Email,Mobile,Company',
      'Sunita Joshi,sunita@joshi-agro.example.in,+91 98220 11001,Joshi Agro',
      'Imran Sheikh,imran@sheikh-textiles.example.in,+91 98220 11002,Sheikh Textiles',
      'Lakshmi Nair,lakshmi@nair-spices.example.in,+91 98220 11003,Nair Spices',
      'Deepak Gupta,deepak@gupta-steel.example.in,+91 98220 11004,Gupta Steel',
    ].join('\r\n')
    const rows = 4
    // Two rows a batch: runs of the same file interleave batch by batch, not just file by file.
    const jobs = createImportService({ db: apiDb, config: config(), log: silentLog, batchSize: 2 })
    try {
      const uploads: UploadResult[] = []
      for (let i = 0; i < STORM; i++) {
        uploads.push(await jobs.upload(Readable.from([csv]), { fileName: `leads-${i}.csv`, format: 'csv' }))
      }
      const fileHash = uploads[0]!.job.fileHash
      expect(new Set(uploads.map((u) => u.job.fileHash))).toEqual(new Set([fileHash]))

      const before = await snapshot(db())
      const runs = await storm((i) => jobs.run(uploads[i]!.job.id, { defaults: { country: 'IN' } }))
      expect(runs.map((r) => r.status)).toEqual(Array(STORM).fill('completed'))
      const sum = (pick: (r: (typeof runs)[number]) => number) => runs.reduce((n, r) => n + pick(r), 0)
      expect(sum((r) => r.counts.created)).toBe(rows)
      expect(sum((r) => r.counts.alreadyImported)).toBe(rows * (STORM - 1))
      expect(sum((r) => r.counts.failed + r.counts.duplicatesInDb + r.counts.duplicatesInFile)).toBe(0)

      const after = await snapshot(db())
      expect(delta(before, after)).toEqual({
        leads: rows,
        masters: rows,
        captured: rows,
        deliveries: rows,
        duplicates: rows * (STORM - 1),
        replays: 0,
      })
      const ledger = await db().inboundDelivery.findMany({
        where: { connectorId: 'import', deliveryKey: { startsWith: `${fileHash}:` } },
        orderBy: { deliveryKey: 'asc' },
      })
      expect(ledger.map((r) => [r.outcome, r.duplicates])).toEqual(
        Array(rows).fill(['lead_created', STORM - 1]),
      )
      let inTemporal = 0
      for (const r of ledger) {
        expect(await journeyStarts(db(), r.leadId!)).toBe(1)
        inTemporal += await journeyInTemporal(temporal, r.leadId!)
      }
      figure({
        channel: 'import (CSV)',
        entryPoint: 'the import runner (ImportJobs.run), 100 jobs of the same file at once, 2 rows a batch',
        deliveryKey: `${fileHash}:<row> (${rows} rows)`,
        deliveriesSent: STORM * rows,
        accepted: sum((r) => r.counts.created + r.counts.alreadyImported),
        leadsCreated: after.leads - before.leads,
        activitiesCreated: 0,
        journeysStarted: after.captured - before.captured,
        journeysInTemporal: inTemporal,
        duplicatesRecorded: after.duplicates - before.duplicates,
      })
    } finally {
      await jobs.close()
    }
  })
})
