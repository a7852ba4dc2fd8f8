import { pino } from 'pino'
import {
  DisconnectReason,
  makeEventBuffer,
  proto,
  type AnyMessageContent,
  type Contact,
  type UserFacingSocketConfig,
  type WAMessage,
} from '@whiskeysockets/baileys'
import type { SocketFactory, WhatsAppSocket } from '../../../connectors/whatsapp/transport.js'

/*
 * A stand-in for a Baileys socket with no network: its `ev` is Baileys' own event buffer,
 * and the tests emit the events a real socket emits, with real protobuf messages.
 */
const quiet = pino({ level: 'silent' })

/** An error shaped like the Boom error Baileys closes a socket with. */
export const closedWith = (statusCode: number) =>
  Object.assign(new Error('Connection Failure'), { output: { statusCode } })

export class FakeSocket {
  readonly ev = makeEventBuffer(quiet)
  user: Contact | undefined
  ended = false
  readonly sent: { jid: string; text: string }[] = []
  /** Replaces the send (a test makes it throw). */
  sendImpl: ((jid: string, text: string) => Promise<WAMessage | undefined>) | undefined
  /** Numbers (digits) that have no WhatsApp account. */
  readonly notOnWhatsApp = new Set<string>()

  constructor(readonly config: UserFacingSocketConfig) {}

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined> {
    const text = (content as { text: string }).text
    this.sent.push({ jid, text })
    if (this.sendImpl) return this.sendImpl(jid, text)
    return proto.WebMessageInfo.fromObject({
      key: { remoteJid: jid, fromMe: true, id: `3EB0${String(this.sent.length).padStart(16, '0')}` },
      message: { conversation: text },
    }) as WAMessage
  }

  async onWhatsApp(...jids: string[]) {
    return jids
      .filter((jid) => !this.notOnWhatsApp.has(jid.split('@')[0]!))
      .map((jid) => ({ jid, exists: true }))
  }

  async logout() {
    this.close(DisconnectReason.loggedOut)
  }

  async end() {
    this.ended = true
  }

  qr(code: string) {
    this.ev.emit('connection.update', { qr: code })
  }

  open(jid = '919800000001:7@s.whatsapp.net') {
    this.user = { id: jid }
    this.ev.emit('connection.update', { connection: 'open' })
  }

  close(statusCode: number) {
    this.ev.emit('connection.update', {
      connection: 'close',
      lastDisconnect: { error: closedWith(statusCode), date: new Date() },
    })
  }

  receive(...messages: WAMessage[]) {
    this.ev.emit('messages.upsert', { messages, type: 'notify' })
  }
}

/** A socket factory that records each socket it makes; `next()` waits for the n-th. */
export function fakeSockets() {
  const sockets: FakeSocket[] = []
  const waiters: { n: number; resolve: (s: FakeSocket) => void }[] = []
  const factory: SocketFactory = (config) => {
    const socket = new FakeSocket(config)
    sockets.push(socket)
    for (const w of waiters.filter((w) => w.n === sockets.length)) w.resolve(socket)
    return socket as unknown as WhatsAppSocket
  }
  return {
    factory,
    sockets,
    /** The socket number `n` (1-based), once the listener has made it. */
    nth(n: number): Promise<FakeSocket> {
      const made = sockets[n - 1]
      if (made) return Promise.resolve(made)
      return new Promise((resolve) => waiters.push({ n, resolve }))
    },
  }
}

let counter = 0

/** A message from a person, as Baileys hands it over (a real WebMessageInfo). */
export function incoming(
  options: {
    from?: string
    id?: string
    text?: string
    pushName?: string
    message?: proto.IMessage
    fromMe?: boolean
    at?: number
  } = {},
): WAMessage {
  counter += 1
  return proto.WebMessageInfo.fromObject({
    key: {
      remoteJid: options.from ?? '919876543210@s.whatsapp.net',
      id: options.id ?? `3A${Date.now().toString(16).toUpperCase()}${counter}`,
      fromMe: options.fromMe ?? false,
    },
    pushName: options.pushName ?? 'Meera Iyer',
    messageTimestamp: options.at ?? 1_764_000_000,
    message: options.message ?? {
      conversation: options.text ?? 'Hi, I saw your ad. What does the premium plan cost?',
    },
  }) as WAMessage
}
