import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createConnectorRuntime } from '../../../connectors/runtime.js'
import type { ConnectorContext } from '../../../connectors/sdk/connector.js'
import { outboundSenders } from '../../../connectors/outbound.js'
import { whatsappConnector } from '../../../connectors/whatsapp/index.js'
import { WhatsAppSendError } from '../../../connectors/whatsapp/errors.js'
import { createWhatsAppListener, type WhatsAppListener } from '../../../connectors/whatsapp/listener.js'
import {
  createQueuedWhatsAppSender,
  type QueuedWhatsAppSender,
} from '../../../connectors/whatsapp/outgoing-sender.js'
import { DisconnectReason } from '../../../connectors/whatsapp/transport.js'
import { createLeadServices } from '../../../ingestion/services.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { silentLog } from '../../support/temporal.js'
import { fakeSockets, type FakeSocket } from './fake-socket.js'

/*
 * Journeys' WhatsApp follow-ups: a worker's sender queues the message, the process holding
 * the socket sends it. Once per idempotency key, and never again once a send call failed
 * midway.
 */
let database: TestDatabase
let ctx: ConnectorContext
let listeners: WhatsAppListener[] = []
let senders: QueuedWhatsAppSender[] = []
const config = testConfig({ WHATSAPP_ENABLED: 'true' })

beforeAll(async () => {
  database = await createTestDatabase()
  const runtime = createConnectorRuntime({
    config,
    db: database.db,
    ...createLeadServices(database.db, config),
    log: silentLog,
  })
  ctx = runtime.context('whatsapp')
})
afterAll(async () => database?.drop())
afterEach(async () => {
  await Promise.all(listeners.map((l) => l.stop()))
  for (const s of senders) s.close()
  listeners = []
  senders = []
  await truncateAll(database.db)
})

const sender = (options: Parameters<typeof createQueuedWhatsAppSender>[1] = {}) => {
  const s = createQueuedWhatsAppSender(database.db, { pollMs: 10, ...options })
  senders.push(s)
  return s
}

async function connectedListener(): Promise<{ listener: WhatsAppListener; sock: FakeSocket }> {
  const sockets = fakeSockets()
  const listener = createWhatsAppListener(ctx, {
    socketFactory: sockets.factory,
    backoff: { baseMs: 1, maxMs: 4 },
    pollMs: 5,
    printQr: () => undefined,
  })
  listeners.push(listener)
  await listener.start()
  const sock = await sockets.nth(1)
  sock.open()
  await listener.idle()
  return { listener, sock }
}

const message = (key: string) => ({
  toE164: '+919876543210',
  text: 'Hi Meera, the 2BHK brochure is ready. Shall I share it here?',
  idempotencyKey: key,
})
const row = (key: string) =>
  database.db.whatsAppOutgoing.findUniqueOrThrow({ where: { idempotencyKey: key } })
const rejection = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(WhatsAppSendError)
  return err as WhatsAppSendError
}

describe('queued WhatsApp sender', () => {
  it('is what workers get when the connector is configured', () => {
    const senders = outboundSenders({ config, db: database.db, log: silentLog }, [whatsappConnector])
    expect(senders.whatsapp.provider).toBe('whatsapp')
    ;(senders.whatsapp as QueuedWhatsAppSender).close()
    const off = outboundSenders({ config: testConfig(), db: database.db, log: silentLog }, [
      whatsappConnector,
    ])
    expect(off.whatsapp.provider).toBe('none')
  })

  it('sends a message once per idempotency key, however often send() is called', async () => {
    const { sock } = await connectedListener()
    const s = sender()
    const [a, b] = await Promise.all([s.send(message('lead-1/step-2')), s.send(message('lead-1/step-2'))])
    const again = await s.send(message('lead-1/step-2'))

    expect(sock.sent).toEqual([{ jid: '919876543210@s.whatsapp.net', text: message('x').text }])
    expect(a.providerMessageId).toMatch(/^3EB0/)
    expect([b.providerMessageId, again.providerMessageId]).toEqual([a.providerMessageId, a.providerMessageId])
    expect(await row('lead-1/step-2')).toMatchObject({
      status: 'sent',
      providerMessageId: a.providerMessageId,
      toE164: '+919876543210',
    })
    expect((await row('lead-1/step-2')).sentAt).not.toBeNull()
    expect(await database.db.whatsAppOutgoing.count()).toBe(1)
    // What Baileys re-encrypts when the recipient's phone asks for the message again.
    expect(await sock.config.getMessage?.({ id: a.providerMessageId })).toEqual({
      conversation: message('x').text,
    })
  })

  it('marks a send that failed midway unconfirmed and never sends it again', async () => {
    const { sock } = await connectedListener()
    sock.sendImpl = () => Promise.reject(new Error('Connection Closed while sending to 919876543210'))
    const s = sender()
    const first = await rejection(s.send(message('lead-2/step-1')))
    expect(first.kind).toBe('ambiguous')
    expect(await row('lead-2/step-1')).toMatchObject({ status: 'unconfirmed', providerMessageId: null })
    expect((await row('lead-2/step-1')).error).not.toContain('919876543210')

    sock.sendImpl = undefined
    const retry = await rejection(s.send(message('lead-2/step-1')))
    expect(retry.kind).toBe('ambiguous')
    expect(sock.sent).toHaveLength(1)
  })

  it('sends nothing while unpaired: not connected, and send() gives a retryable error', async () => {
    const sockets = fakeSockets()
    const listener = createWhatsAppListener(ctx, {
      socketFactory: sockets.factory,
      pollMs: 5,
      printQr: () => undefined,
    })
    listeners.push(listener)
    await listener.start()
    const sock = await sockets.nth(1)
    sock.qr('2@unpaired')
    await listener.idle()

    const s = sender({ timeoutMs: 50 })
    expect(await s.refresh()).toBe(false)
    expect(s.connected).toBe(false)
    const err = await rejection(s.send(message('lead-3/step-1')))
    expect(err.kind).toBe('unavailable')
    expect(sock.sent).toHaveLength(0)
    expect((await row('lead-3/step-1')).status).toBe('queued')

    // Paired later: the queued message goes out, and the journey's retry picks up its id.
    sock.open()
    await listener.idle()
    expect(await s.refresh()).toBe(true)
    const sent = await sender().send(message('lead-3/step-1'))
    expect(sent.providerMessageId).not.toBeNull()
    expect(sock.sent).toHaveLength(1)
  })

  it('reports connected only while the holder is connected and alive', async () => {
    const { listener, sock } = await connectedListener()
    const s = sender()
    expect(await s.refresh()).toBe(true)
    const later = sender({ clock: () => new Date(Date.now() + 10 * 60_000) })
    expect(await later.refresh()).toBe(false)
    sock.close(DisconnectReason.connectionLost)
    await listener.idle()
    expect(await s.refresh()).toBe(false)
  })

  it('fails a message to a number without WhatsApp, without sending', async () => {
    const { sock } = await connectedListener()
    sock.notOnWhatsApp.add('919999999999')
    const err = await rejection(sender().send({ ...message('lead-4/step-1'), toE164: '+919999999999' }))
    expect(err.kind).toBe('rejected')
    expect(await row('lead-4/step-1')).toMatchObject({ status: 'failed' })
    expect(sock.sent).toHaveLength(0)
  })

  it('retries a failed number lookup (nothing was sent), then gives up after five tries', async () => {
    const { sock } = await connectedListener()
    let lookups = 0
    sock.onWhatsApp = () => {
      lookups += 1
      return Promise.reject(new Error('timed out'))
    }
    const err = await rejection(sender().send(message('lead-5/step-1')))
    expect(err.kind).toBe('rejected')
    expect(lookups).toBe(5)
    expect(await row('lead-5/step-1')).toMatchObject({ status: 'failed', attempts: 5 })
    expect(sock.sent).toHaveLength(0)
  })

  it('marks sends a stopped holder left midway as unconfirmed when the next one starts', async () => {
    await database.db.whatsAppOutgoing.create({
      data: {
        id: '019a0000-0000-7000-8000-000000000001',
        idempotencyKey: 'lead-6/step-1',
        toE164: '+919876543210',
        text: 'hello',
        status: 'sending',
      },
    })
    const { sock } = await connectedListener()
    expect(await row('lead-6/step-1')).toMatchObject({ status: 'unconfirmed' })
    const err = await rejection(sender().send(message('lead-6/step-1')))
    expect(err.kind).toBe('ambiguous')
    expect(sock.sent).toHaveLength(0)
  })
})
