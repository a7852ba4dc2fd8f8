import { ImapFlow } from 'imapflow'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { emailConnector } from '../../../connectors/email/index.js'
import { createConnectorRuntime } from '../../../connectors/runtime.js'
import type { ConnectorListener } from '../../../connectors/sdk/connector.js'
import { createLeadServices } from '../../../ingestion/services.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { startDovecot, type TestDovecot } from '../../support/dovecot.js'
import { silentLog } from '../../support/temporal.js'

/*
 * The email connector against a real Dovecot IMAP server and a real PostgreSQL: mails are
 * APPENDed by a second IMAP client, as a mail server would deliver them, and the listener
 * turns them into governed leads. Each test reads its own mailbox.
 */
let dovecot: TestDovecot | undefined
let database: TestDatabase
let imap: ImapFlow
const listeners: ConnectorListener[] = []

beforeAll(async () => {
  dovecot = await startDovecot()
  database = await createTestDatabase()
  imap = await mailClient()
})
afterAll(async () => {
  try {
    await Promise.allSettled(listeners.map((l) => l.stop()))
    await imap?.logout().catch(() => undefined)
    await database?.drop()
  } finally {
    // Always: CI fails on a leftover leadwire-test-* process.
    await dovecot?.stop()
  }
})
afterEach(async () => {
  await Promise.allSettled(listeners.splice(0).map((l) => l.stop()))
  await truncateAll(database.db)
})

/** The test's own IMAP client, standing in for the mail server's delivery. */
async function mailClient(): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: dovecot!.host,
    port: dovecot!.port,
    secure: false,
    auth: { user: dovecot!.user, pass: dovecot!.password },
    logger: false,
  })
  client.on('error', () => undefined)
  await client.connect()
  return client
}

async function connectedClient(): Promise<ImapFlow> {
  // A server-side kick (the reconnect test) drops this client too.
  if (!imap.usable) imap = await mailClient()
  return imap
}

let boxes = 0
async function newMailbox(): Promise<string> {
  const name = `Leads${++boxes}`
  await (await connectedClient()).mailboxCreate(name)
  return name
}

function runtime(mailbox: string, overrides: Record<string, string> = {}) {
  const config = testConfig({
    IMAP_HOST: dovecot!.host,
    IMAP_PORT: String(dovecot!.port),
    IMAP_SECURE: 'false',
    IMAP_USER: dovecot!.user,
    IMAP_PASSWORD: dovecot!.password,
    IMAP_MAILBOX: mailbox,
    // Long enough that only IDLE can explain a mail picked up within a test.
    IMAP_POLL_INTERVAL_MS: '600000',
    ...overrides,
  })
  return createConnectorRuntime({
    config,
    db: database.db,
    ...createLeadServices(database.db, config),
    log: silentLog,
    connectors: [emailConnector],
  })
}

async function startListener(mailbox: string, overrides: Record<string, string> = {}) {
  const rt = runtime(mailbox, overrides)
  expect(rt.isEnabled('email')).toBe(true)
  const listener = emailConnector.listener!(rt.context('email'))
  listeners.push(listener)
  await listener.start()
  return listener
}

async function stopListener(listener: ConnectorListener) {
  listeners.splice(listeners.indexOf(listener), 1)
  await listener.stop()
}

/** An RFC 5322 message (CRLF lines), as a mail server would store it. */
function message(headers: Record<string, string>, body: string): string {
  const head = Object.entries({
    Date: 'Mon, 02 Mar 2026 10:00:00 +0530',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
  }).map(([k, v]) => `${k}: ${v}`)
  return `${head.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`
}

const inquiry = (id: string, from = 'Meera Iyer <meera.iyer@iyer-exports.in>') =>
  message(
    {
      From: from,
      To: 'sales@acme.example',
      Subject: 'Quote for 200 pumps',
      'Message-ID': `<${id}@iyer-exports.in>`,
    },
    'Hello,\n\nPlease send a quote for 200 units of the A-40 pump.\n\nRegards,\nMeera\nMobile: 098765 01234',
  )

const cf7 = (id: string) =>
  message(
    {
      From: 'WordPress <wordpress@acme.example>',
      'Reply-To': 'Arjun Mehta <arjun@mehta-steel.in>',
      To: 'sales@acme.example',
      Subject: 'Acme "Distributor enquiry"',
      'Message-ID': `<${id}@acme.example>`,
    },
    [
      'From: Arjun Mehta <arjun@mehta-steel.in>',
      'Subject: Distributor enquiry',
      'Phone: +91 98200 11223',
      'Company: Mehta Steel',
      '',
      'Message Body:',
      'We would like to become your distributor in Mumbai.',
      '',
      'Page URL: https://acme.example/contact?utm_source=google&utm_medium=cpc&utm_campaign=pumps',
      '',
      '-- ',
      'This e-mail was sent from a contact form on Acme (https://acme.example)',
    ].join('\n'),
  )

async function append(mailbox: string, ...messages: string[]) {
  const client = await connectedClient()
  for (const m of messages) await client.append(mailbox, m)
}

async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const counts = async () => ({
  leads: await database.db.lead.count(),
  rawCaptures: await database.db.rawCapture.count(),
  activities: await database.db.activity.count(),
  deliveries: await database.db.inboundDelivery.count(),
  outbox: await database.db.outboxEvent.count(),
})
const connectorState = () => database.db.connectorState.findUniqueOrThrow({ where: { connectorId: 'email' } })
const duplicates = async () =>
  (await database.db.inboundDelivery.aggregate({ _sum: { duplicates: true } }))._sum.duplicates ?? 0

describe('email connector (IMAP, real Dovecot)', () => {
  it('turns an inquiry mail and a Contact Form 7 notification into governed leads', async () => {
    const mailbox = await newMailbox()
    await append(mailbox, inquiry('inq-1'), cf7('cf7-1'))
    await startListener(mailbox)

    const meera = await database.db.lead.findFirstOrThrow({ where: { email: 'meera.iyer@iyer-exports.in' } })
    expect(meera).toMatchObject({
      channel: 'email',
      firstName: 'Meera',
      lastName: 'Iyer',
      phone: '+919876501234',
      createdBy: 'connector:email',
    })
    const arjun = await database.db.lead.findFirstOrThrow({ where: { email: 'arjun@mehta-steel.in' } })
    expect(arjun).toMatchObject({
      channel: 'email',
      firstName: 'Arjun',
      lastName: 'Mehta',
      phone: '+919820011223',
      company: 'Mehta Steel',
    })

    const raw = await database.db.rawCapture.findFirstOrThrow({ where: { leadId: meera.id } })
    expect(raw.payload).toMatchObject({
      messageId: '<inq-1@iyer-exports.in>',
      subject: 'Quote for 200 pumps',
      from: { address: 'meera.iyer@iyer-exports.in', name: 'Meera Iyer' },
    })
    expect((raw.payload as { text: string }).text).toContain('200 units')
    for (const lead of [meera, arjun]) {
      const topics = await database.db.outboxEvent.findMany({ where: { aggregateId: lead.id } })
      expect(topics.map((e) => e.topic)).toEqual(['lead.captured'])
    }
    expect(await database.db.touch.findFirstOrThrow({ where: { leadId: meera.id } })).toMatchObject({
      source: 'email',
      medium: 'inbound-email',
    })
    expect(await database.db.touch.findFirstOrThrow({ where: { leadId: arjun.id } })).toMatchObject({
      source: 'google',
      medium: 'cpc',
      campaign: 'pumps',
    })
    // The person's own mail is on the new lead's timeline.
    const mailActivity = await database.db.activity.findFirstOrThrow({
      where: { leadId: meera.id, kind: 'email' },
    })
    expect(mailActivity).toMatchObject({ direction: 'inbound', subject: 'Quote for 200 pumps' })

    const delivery = await database.db.inboundDelivery.findUniqueOrThrow({
      where: {
        connectorId_deliveryKey: { connectorId: 'email', deliveryKey: 'msgid:<inq-1@iyer-exports.in>' },
      },
    })
    expect(delivery).toMatchObject({ outcome: 'lead_created', leadId: meera.id, duplicates: 0 })
    expect(delivery.rawRef).toMatch(
      new RegExp(`^imap://leads@127\\.0\\.0\\.1/${mailbox};UIDVALIDITY=\\d+/;UID=1$`),
    )
    const state = await connectorState()
    expect(state).toMatchObject({ status: 'connected', deliveries: 2 })
    expect(state.state).toMatchObject({ mailbox, lastUid: 2, skipped: 0 })
  })

  it('records a reply from a known lead as an email reply on that lead, not a second lead', async () => {
    const mailbox = await newMailbox()
    await append(mailbox, inquiry('inq-2'))
    await startListener(mailbox)
    const lead = await database.db.lead.findFirstOrThrow()

    await append(
      mailbox,
      message(
        {
          From: 'Meera Iyer <meera.iyer@iyer-exports.in>',
          Subject: 'Re: Your quote',
          'Message-ID': '<reply-2@iyer-exports.in>',
          'In-Reply-To': '<quote-1@acme.example>',
        },
        'Looks good, please send the proforma.\n\nOn Tue, 3 Mar 2026, Sales <sales@acme.example> wrote:\n> Here is our quote.',
      ),
    )
    await waitUntil(async () => (await database.db.inboundDelivery.count()) === 2, 'the reply to be handled')

    expect(await database.db.lead.count()).toBe(1)
    const reply = await database.db.activity.findFirstOrThrow({ where: { subject: 'Re: Your quote' } })
    expect(reply).toMatchObject({ leadId: lead.id, kind: 'email', direction: 'inbound' })
    expect(reply.details).toMatchObject({ event: 'emailReply', messageId: '<reply-2@iyer-exports.in>' })
    expect((reply.details as { rawRef: string }).rawRef).toMatch(/;UID=2$/)
    const topics = await database.db.outboxEvent.findMany({
      where: { aggregateId: lead.id },
      orderBy: { id: 'asc' },
    })
    expect(topics.map((e) => e.topic)).toEqual(['lead.captured', 'lead.engaged'])
    const delivery = await database.db.inboundDelivery.findUniqueOrThrow({
      where: {
        connectorId_deliveryKey: { connectorId: 'email', deliveryKey: 'msgid:<reply-2@iyer-exports.in>' },
      },
    })
    expect(delivery).toMatchObject({ outcome: 'activity', leadId: lead.id })
  })

  it('picks up a mail that arrives while the connection IDLEs (the poll interval is 10 minutes)', async () => {
    const mailbox = await newMailbox()
    await startListener(mailbox)
    expect((await connectorState()).status).toBe('connected')
    expect(await database.db.lead.count()).toBe(0)

    await append(mailbox, cf7('cf7-idle'))
    await waitUntil(async () => (await database.db.lead.count()) === 1, 'the IDLE push to bring the mail in')
    expect((await connectorState()).state).toMatchObject({ lastUid: 1 })
  })

  it('reconnects after the server drops the connection, and reads what arrived meanwhile', async () => {
    const mailbox = await newMailbox()
    await startListener(mailbox)
    dovecot!.kick()
    await waitUntil(async () => (await connectorState()).status !== 'connected', 'the drop to be noticed')
    await append(mailbox, inquiry('inq-after-drop'))
    await waitUntil(async () => (await database.db.lead.count()) === 1, 'the reconnect to bring the mail in')
    const state = await connectorState()
    expect(state.status).toBe('connected')
    expect(state.lastError).toBeTruthy()
  })

  it('reads each mail once across restarts, and a lost cursor or a new UIDVALIDITY gives duplicates, not leads', async () => {
    const mailbox = await newMailbox()
    await append(mailbox, inquiry('inq-3'), cf7('cf7-3'))
    await stopListener(await startListener(mailbox))
    const first = await counts()
    expect(first).toMatchObject({ leads: 2, deliveries: 2, outbox: 2 })

    // A restart resumes from the cursor: nothing is read again.
    await stopListener(await startListener(mailbox))
    expect(await counts()).toEqual(first)
    expect(await duplicates()).toBe(0)

    // The cursor is lost: every mail is read again, and the ledger answers for each.
    await database.db.$executeRaw`UPDATE connector_state SET state = state || '{"lastUid": 0}'::jsonb`
    await stopListener(await startListener(mailbox))
    expect(await counts()).toEqual(first)
    expect(await duplicates()).toBe(2)

    // The mailbox was rebuilt (another UIDVALIDITY): read from UID 1 again, same answer.
    await database.db.$executeRaw`UPDATE connector_state SET state = state || '{"uidValidity": "1"}'::jsonb`
    await startListener(mailbox)
    expect(await counts()).toEqual(first)
    expect(await duplicates()).toBe(4)
    expect((await connectorState()).state).toMatchObject({ lastUid: 2 })
  })

  it('reports bad credentials as an error and stores nothing', async () => {
    const mailbox = await newMailbox()
    await append(mailbox, inquiry('inq-4'))
    await startListener(mailbox, { IMAP_PASSWORD: 'not-the-password' })

    const state = await connectorState()
    expect(state.status).toBe('error')
    expect(state.lastError).toContain('refused the login')
    expect(state.lastError).not.toContain('not-the-password')
    expect(await counts()).toEqual({ leads: 0, rawCaptures: 0, activities: 0, deliveries: 0, outbox: 0 })
  })

  it('skips malformed mail, auto-replies and bounces: nothing stored, each counted', async () => {
    const mailbox = await newMailbox()
    await append(
      mailbox,
      // No headers worth the name and no address anywhere.
      '\u0000\u0001garbage without headers \u00ff\r\n\r\n@@@@ ::: <<<',
      message({ Subject: 'no sender', 'Message-ID': '<nosender@x.example>' }, 'Call us maybe'),
      message(
        {
          From: 'Meera Iyer <meera.iyer@iyer-exports.in>',
          Subject: 'Automatic reply: Quote',
          'Auto-Submitted': 'auto-replied',
          'Message-ID': '<ooo@iyer-exports.in>',
        },
        'I am out of office until Monday. Mobile: 098765 01234',
      ),
      message(
        {
          From: 'Mail Delivery System <MAILER-DAEMON@mx.acme.example>',
          Subject: 'Undelivered Mail Returned to Sender',
          Precedence: 'bulk',
          'Message-ID': '<bounce@mx.acme.example>',
        },
        'This is the mail system. meera@nowhere.example: host not found',
      ),
      // A form notification whose email and phone are unusable: refused by the pipeline's rules.
      message(
        {
          From: 'WordPress <wordpress@acme.example>',
          Subject: 'Enquiry',
          'Message-ID': '<bad@acme.example>',
        },
        'Name: Bad Data\nEmail: not-an-address@\nPhone: 12\nMessage: hi',
      ),
    )
    await startListener(mailbox)

    expect(await counts()).toEqual({ leads: 0, rawCaptures: 0, activities: 0, deliveries: 0, outbox: 0 })
    const state = await connectorState()
    expect(state).toMatchObject({ status: 'connected', deliveries: 0 })
    expect(state.state).toMatchObject({ lastUid: 5, skipped: 5 })
  })
})
