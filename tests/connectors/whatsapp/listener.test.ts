import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectorContext } from '../../../connectors/sdk/connector.js'
import { handleWhatsAppMessage } from '../../../connectors/whatsapp/inbound.js'
import { createWhatsAppListener, type WhatsAppListener } from '../../../connectors/whatsapp/listener.js'
import { DisconnectReason, type WAMessage } from '../../../connectors/whatsapp/transport.js'
import { buildTestApp } from '../../support/app.js'
import { testConfig } from '../../support/config.js'
import { createTestDatabase, truncateAll, type TestDatabase } from '../../support/database.js'
import { fakeSockets, incoming } from './fake-socket.js'

/*
 * The WhatsApp listener driven by Baileys-shaped events from a fake socket (no network),
 * against the real app and PostgreSQL: pairing, reconnects, logout, and people's messages
 * through the governed intake.
 */
let database: TestDatabase
let app: FastifyInstance
let ctx: ConnectorContext
let running: WhatsAppListener[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ config: testConfig({ WHATSAPP_ENABLED: 'true' }), db: database.db })
  ctx = app.services.connectors.context('whatsapp')
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})
afterEach(async () => {
  await Promise.all(running.map((l) => l.stop()))
  running = []
  await truncateAll(database.db)
})

async function startListener() {
  const sockets = fakeSockets()
  const printed: string[] = []
  const listener = createWhatsAppListener(ctx, {
    socketFactory: sockets.factory,
    backoff: { baseMs: 1, maxMs: 4 },
    pollMs: 5,
    printQr: (qr) => printed.push(qr),
  })
  running.push(listener)
  await listener.start()
  return { listener, sockets, printed, sock: await sockets.nth(1) }
}

const pairing = async () =>
  (await app.inject({ method: 'GET', url: '/v1/connectors/whatsapp/pairing' })).json()
const connectorState = () =>
  database.db.connectorState.findUniqueOrThrow({ where: { connectorId: 'whatsapp' } })
const counts = async () => ({
  leads: await database.db.lead.count(),
  activities: await database.db.activity.count(),
  deliveries: await database.db.inboundDelivery.count(),
  outbox: await database.db.outboxEvent.count(),
  rawCaptures: await database.db.rawCapture.count(),
})
const QR = '2@Xk9tQ0v3bWl4ZHZlcnNpb24,nOiseKeyBase64=,identityKeyBase64=,advSecret=='

describe('WhatsApp connection lifecycle', () => {
  it('creates the socket from the stored auth state, quietly and without printing by itself', async () => {
    const { sock } = await startListener()
    expect(sock.config).toMatchObject({ printQRInTerminal: false, markOnlineOnConnect: false })
    expect(sock.config.auth?.creds.registered).toBe(false)
    expect((await connectorState()).status).toBe('starting')
  })

  it('shows the pairing QR on the terminal and through GET /v1/connectors/whatsapp/pairing', async () => {
    const { listener, sock, printed } = await startListener()
    sock.qr(QR)
    await listener.idle()
    expect(printed).toEqual([QR])
    const state = await connectorState()
    expect(state.status).toBe('pairing')
    expect(state.state).toMatchObject({ qr: QR, pairedAs: null })
    const body = await pairing()
    expect(body).toMatchObject({ status: 'pairing', qr: QR, pairedAs: null })
    expect(body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    expect(Date.parse(body.updatedAt)).not.toBeNaN()
  })

  it('reports connected with the paired number once open, and clears the QR', async () => {
    const { listener, sock } = await startListener()
    sock.qr(QR)
    sock.open('919800000001:7@s.whatsapp.net')
    await listener.idle()
    expect(await pairing()).toMatchObject({
      status: 'connected',
      qr: null,
      qrSvg: null,
      pairedAs: '+919800000001',
    })
    const summary = (await app.inject({ method: 'GET', url: '/v1/connectors/whatsapp' })).json()
    expect(summary).toMatchObject({ enabled: true, status: 'connected', kind: 'listener' })
  })

  it('saves the creds on every creds.update, so a new socket resumes the pairing', async () => {
    const { listener, sock, sockets } = await startListener()
    sock.config.auth!.creds.me = { id: '919800000001:7@s.whatsapp.net' }
    sock.config.auth!.creds.registered = true
    sock.ev.emit('creds.update', { me: sock.config.auth!.creds.me })
    sock.open()
    await listener.idle()
    expect(await database.db.whatsAppAuth.count({ where: { kind: 'creds' } })).toBe(1)

    sock.close(DisconnectReason.connectionLost)
    const second = await sockets.nth(2)
    expect(second.config.auth?.creds.me?.id).toBe('919800000001:7@s.whatsapp.net')
    expect(second.config.auth?.creds.registered).toBe(true)
  })

  it('reconnects with a new socket after a connection loss, reporting reconnecting', async () => {
    const { listener, sock, sockets } = await startListener()
    sock.open()
    await listener.idle()
    sock.close(DisconnectReason.connectionClosed)
    await listener.idle()
    expect((await connectorState()).status).toBe('reconnecting')
    const second = await sockets.nth(2)
    second.open()
    await listener.idle()
    expect((await connectorState()).status).toBe('connected')
    // The closed socket's late events change nothing.
    sock.qr(QR)
    await listener.idle()
    expect((await connectorState()).status).toBe('connected')
    expect(sockets.sockets).toHaveLength(2)
  })

  it('forgets the pairing when WhatsApp logs the session out, and waits for a new QR', async () => {
    const { listener, sock, sockets } = await startListener()
    sock.config.auth!.creds.me = { id: '919800000001:7@s.whatsapp.net' }
    sock.ev.emit('creds.update', { me: sock.config.auth!.creds.me })
    await sock.config.auth!.keys.set({
      'pre-key': { '1': { public: Buffer.from('a'), private: Buffer.from('b') } },
    })
    sock.open()
    await listener.idle()
    expect(await database.db.whatsAppAuth.count()).toBe(2)

    sock.close(DisconnectReason.loggedOut)
    await listener.idle()
    expect(await database.db.whatsAppAuth.count()).toBe(0)
    expect(await pairing()).toMatchObject({ status: 'disconnected', qr: null, pairedAs: null })
    expect((await connectorState()).state).toMatchObject({ reason: 'logged_out' })
    // A late creds.update from the logged-out socket does not bring the pairing back.
    sock.ev.emit('creds.update', {})
    const next = await sockets.nth(2)
    await listener.idle()
    expect(await database.db.whatsAppAuth.count()).toBe(0)
    expect(next.config.auth?.creds.me).toBeUndefined()
    next.qr(QR)
    await listener.idle()
    expect(await pairing()).toMatchObject({ status: 'pairing', qr: QR })
  })

  it('logs out on request through the socket holder, then removes the pairing', async () => {
    const { listener, sock, sockets } = await startListener()
    sock.ev.emit('creds.update', {})
    sock.open()
    await listener.idle()
    const res = await app.inject({ method: 'POST', url: '/v1/connectors/whatsapp/logout' })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toEqual({ status: 'requested' })
    await sockets.nth(2)
    await listener.idle()
    expect(await database.db.whatsAppAuth.count()).toBe(0)
    expect((await connectorState()).status).toBe('disconnected')
  })

  it('stops cleanly: the socket is ended and nothing reconnects', async () => {
    const { listener, sock, sockets } = await startListener()
    sock.open()
    await listener.idle()
    await listener.stop()
    expect(sock.ended).toBe(true)
    sock.close(DisconnectReason.connectionClosed)
    await listener.idle()
    expect(sockets.sockets).toHaveLength(1)
    expect((await connectorState()).status).toBe('idle')
  })
})

describe('WhatsApp messages from people', () => {
  const deliver = async (
    listener: WhatsAppListener,
    sock: { receive(...m: WAMessage[]): void },
    ...m: WAMessage[]
  ) => {
    sock.receive(...m)
    await listener.idle()
  }

  it('turns a first message from an unknown number into a governed lead whose journey will start', async () => {
    const { listener, sock } = await startListener()
    sock.open()
    const msg = incoming({ id: '3AFIRST0001', text: 'Hi! Price for 2BHK in Pune?', pushName: 'Meera Iyer' })
    await deliver(listener, sock, msg)

    const lead = await database.db.lead.findFirstOrThrow()
    expect(lead).toMatchObject({
      channel: 'whatsapp',
      phone: '+919876543210',
      firstName: 'Meera',
      lastName: 'Iyer',
      createdBy: 'connector:whatsapp',
      externalIds: { whatsapp: '919876543210@s.whatsapp.net' },
    })
    // Writing first is no marketing consent.
    expect(lead.consentStatus).not.toBe('granted')
    const raw = await database.db.rawCapture.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(raw.channel).toBe('whatsapp')
    expect(raw.payload).toMatchObject({
      key: { remoteJid: '919876543210@s.whatsapp.net', id: '3AFIRST0001', fromMe: false },
      pushName: 'Meera Iyer',
      text: 'Hi! Price for 2BHK in Pune?',
    })
    const outbox = await database.db.outboxEvent.findMany({ where: { aggregateId: lead.id } })
    expect(outbox.map((e) => e.topic)).toEqual(['lead.captured'])
    const activity = await database.db.activity.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(activity).toMatchObject({ kind: 'whatsapp', direction: 'inbound', subject: 'WhatsApp message' })
    expect(activity.details).toMatchObject({ text: 'Hi! Price for 2BHK in Pune?', messageId: '3AFIRST0001' })
    const touch = await database.db.touch.findFirstOrThrow({ where: { leadId: lead.id } })
    expect(touch).toMatchObject({ source: 'whatsapp', medium: 'messaging' })
    const delivery = await database.db.inboundDelivery.findFirstOrThrow()
    expect(delivery).toMatchObject({
      connectorId: 'whatsapp',
      deliveryKey: 'wa:919876543210:3AFIRST0001',
      outcome: 'lead_created',
      leadId: lead.id,
    })
    expect((await connectorState()).deliveries).toBe(1)
  })

  it("records a known person's next message as a reply on their lead, not a new lead", async () => {
    const { listener, sock } = await startListener()
    await deliver(listener, sock, incoming({ id: '3AONE' }))
    const lead = await database.db.lead.findFirstOrThrow()
    await deliver(
      listener,
      sock,
      incoming({ id: '3ATWO', text: 'Can we talk tomorrow at 11?', at: 1_764_000_600 }),
    )

    expect(await database.db.lead.count()).toBe(1)
    const topics = (await database.db.outboxEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => e.topic)
    expect(topics).toEqual(['lead.captured', 'lead.engaged'])
    const engaged = await database.db.outboxEvent.findFirstOrThrow({ where: { topic: 'lead.engaged' } })
    expect(engaged.payload).toMatchObject({ leadId: lead.id, event: 'whatsappReply' })
    const activities = await database.db.activity.findMany({
      where: { leadId: lead.id },
      orderBy: { occurredAt: 'asc' },
    })
    expect(activities).toHaveLength(2)
    expect(activities[1]!.details).toMatchObject({
      event: 'whatsappReply',
      text: 'Can we talk tomorrow at 11?',
    })
    const after = await database.db.lead.findUniqueOrThrow({ where: { id: lead.id } })
    expect(after.engagement).toMatchObject({ whatsappReply: 1 })
  })

  it('engages a lead captured on another channel when its phone writes on WhatsApp', async () => {
    const { listener, sock } = await startListener()
    const captured = await app.services.ingestion.capture(
      { channel: 'web_form', firstName: 'Meera', email: 'meera@example.in', phone: '+91 98765 43210' },
      { id: 'api:test' },
    )
    await deliver(listener, sock, incoming({ id: '3AFROMFORM' }))
    expect(await database.db.lead.count()).toBe(1)
    const engaged = await database.db.outboxEvent.findFirstOrThrow({ where: { topic: 'lead.engaged' } })
    expect(engaged.aggregateId).toBe(captured.id)
  })

  it('counts a message delivered three times, one after another and at once, exactly once', async () => {
    const { listener, sock } = await startListener()
    const msg = incoming({ id: '3AREPLAY' })
    await deliver(listener, sock, msg)
    await deliver(listener, sock, msg)
    sock.receive(msg)
    // The same message handed over concurrently (two upserts racing after a reconnect).
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        handleWhatsAppMessage(ctx, incoming({ id: '3ARACE', from: '919811122233@s.whatsapp.net' })),
      ),
    )
    await listener.idle()

    expect(await counts()).toEqual({ leads: 2, activities: 2, deliveries: 2, outbox: 2, rawCaptures: 2 })
    const replay = await database.db.inboundDelivery.findFirstOrThrow({
      where: { deliveryKey: 'wa:919876543210:3AREPLAY' },
    })
    expect(replay.duplicates).toBe(2)
    const race = await database.db.inboundDelivery.findFirstOrThrow({
      where: { deliveryKey: 'wa:919811122233:3ARACE' },
    })
    expect(race.duplicates).toBe(2)
    expect(outcomes.filter((o) => o.handled && o.replayed)).toHaveLength(2)
    expect(new Set(outcomes.map((o) => (o.handled ? o.leadId : null))).size).toBe(1)
    expect((await connectorState()).deliveries).toBe(2)
  })

  it('stores nothing for groups, our own messages, reactions, status updates and history', async () => {
    const { listener, sock } = await startListener()
    await deliver(
      listener,
      sock,
      incoming({ from: '120363041234567890@g.us' }),
      incoming({ fromMe: true }),
      incoming({ message: { reactionMessage: { text: '👍', key: { id: '3AOLD' } } } }),
      incoming({ from: 'status@broadcast' }),
      incoming({ message: { protocolMessage: { type: 0, key: { id: '3AOLD' } } } }),
    )
    sock.ev.emit('messages.upsert', { messages: [incoming({ id: '3AHISTORY' })], type: 'append' })
    await listener.idle()
    expect(await counts()).toEqual({ leads: 0, activities: 0, deliveries: 0, outbox: 0, rawCaptures: 0 })
  })

  it('withdraws consent when a known lead writes STOP', async () => {
    const { listener, sock } = await startListener()
    await deliver(listener, sock, incoming({ id: '3AHELLO' }))
    const lead = await database.db.lead.findFirstOrThrow()
    await database.db.lead.update({
      where: { id: lead.id },
      data: { consentStatus: 'granted', consentChannels: ['email', 'whatsapp'] },
    })
    await deliver(listener, sock, incoming({ id: '3ASTOP', text: 'Stop' }))

    const after = await database.db.lead.findUniqueOrThrow({ where: { id: lead.id } })
    expect(after.consentStatus).toBe('withdrawn')
    expect(after.optOutReason).toBe('STOP')
    const record = await database.db.consentRecord.findFirstOrThrow({
      where: { leadId: lead.id },
      orderBy: { id: 'desc' },
    })
    expect(record).toMatchObject({
      status: 'withdrawn',
      source: 'whatsapp:stop',
      recordedBy: 'connector:whatsapp',
    })
    const topics = (await database.db.outboxEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => e.topic)
    expect(topics).toEqual(['lead.captured', 'lead.engaged', 'lead.contactability_changed'])
    expect(
      await database.db.inboundDelivery.count({ where: { deliveryKey: 'wa-stop:919876543210:3ASTOP' } }),
    ).toBe(1)
    // Redelivered, the STOP is not recorded twice.
    await deliver(listener, sock, incoming({ id: '3ASTOP', text: 'Stop' }))
    expect(await database.db.consentRecord.count({ where: { leadId: lead.id, status: 'withdrawn' } })).toBe(1)
  })

  /** A listener whose intake fails the first `failures` interactions with a passing fault. */
  async function flakyListener(failures: number) {
    const calls = { made: 0 }
    const flaky: ConnectorContext = {
      ...ctx,
      intake: {
        ...ctx.intake,
        interaction: async (...args) => {
          calls.made++
          if (calls.made <= failures) throw new Error('Unable to start a transaction in the given time.')
          return ctx.intake.interaction(...args)
        },
      },
    }
    const sockets = fakeSockets()
    const listener = createWhatsAppListener(flaky, {
      socketFactory: sockets.factory,
      backoff: { baseMs: 1, maxMs: 4 },
      inboundRetry: { baseMs: 1, maxMs: 4 },
      pollMs: 5,
      printQr: () => undefined,
    })
    running.push(listener)
    await listener.start()
    return { listener, sock: await sockets.nth(1), calls }
  }

  it('tries a message again when its handling fails for a passing reason: WhatsApp will not resend it', async () => {
    const { listener, sock, calls } = await flakyListener(2)
    await deliver(listener, sock, incoming({ id: '3ARETRY' }))
    expect(calls.made).toBe(3)
    expect(await counts()).toEqual({ leads: 1, activities: 1, deliveries: 1, outbox: 1, rawCaptures: 1 })
  })

  it('does not try a refused message again', async () => {
    const { listener, sock, calls } = await flakyListener(0)
    await deliver(listener, sock, incoming({ id: '3AREFUSED', from: '1234567@s.whatsapp.net' }))
    expect(calls.made).toBe(1)
    expect(await counts()).toEqual({ leads: 0, activities: 0, deliveries: 0, outbox: 0, rawCaptures: 0 })
  })

  it('keeps going after a message intake refuses', async () => {
    const { listener, sock } = await startListener()
    await deliver(
      listener,
      sock,
      incoming({ id: '3ABAD', from: '1234567@s.whatsapp.net' }),
      incoming({ id: '3AGOOD' }),
    )
    const leads = await database.db.lead.findMany()
    expect(leads.map((l) => l.phone)).toEqual(['+919876543210'])
  })
})
