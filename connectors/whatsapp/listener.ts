import type { ConnectorContext, ConnectorListener } from '../sdk/connector.js'
import { usePostgresAuthState } from './auth-state.js'
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffPolicy } from './backoff.js'
import { handleWithRetries, type InboundRetryPolicy } from './inbound-retry.js'
import {
  claimOutgoing,
  expireQueued,
  markFailed,
  markSent,
  markUnconfirmed,
  recoverInterrupted,
  releaseOutgoing,
  type OutgoingRow,
} from './outgoing-queue.js'
import { forgetPairing, phoneOfJid, printQrToTerminal, type PairingState } from './pairing.js'
import {
  Browsers,
  DisconnectReason,
  disconnectStatus,
  makeWASocket,
  type BaileysEventMap,
  type SocketFactory,
  type WAMessage,
  type WhatsAppSocket,
} from './transport.js'

export interface WhatsAppListenerOptions {
  /** Builds the socket: Baileys' `makeWASocket` by default, a fake in tests. */
  socketFactory?: SocketFactory
  backoff?: Partial<BackoffPolicy>
  /** How often the outgoing queue is looked at while connected (ms). */
  pollMs?: number
  /** How often a connected holder refreshes its status, so senders can tell it is alive (ms). */
  heartbeatMs?: number
  /** Queued messages older than this are failed rather than sent late (ms). */
  maxQueueAgeMs?: number
  printQr?: (qr: string) => void
  random?: () => number
  /** Pauses between tries of a person's message whose handling failed for a passing reason. */
  inboundRetry?: Partial<InboundRetryPolicy>
}

export interface WhatsAppListener extends ConnectorListener {
  /** Resolves once every event received so far has been handled. */
  idle(): Promise<void>
}

type Handlers = { [E in keyof BaileysEventMap]?: (data: BaileysEventMap[E]) => void }

/** Text a vendor error may carry into our rows and logs, without phone numbers. */
const describe = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).replace(/\d{6,}/g, '[number]').slice(0, 300)

/**
 * The WhatsApp socket, held by one process (connectors/host.ts): pairs by QR, keeps the
 * connection up with backoff, hands people's messages to intake, and sends the messages
 * journeys queued in `whatsapp_outgoing`.
 */
export function createWhatsAppListener(
  ctx: ConnectorContext,
  options: WhatsAppListenerOptions = {},
): WhatsAppListener {
  const factory = options.socketFactory ?? makeWASocket
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff }
  const pollMs = options.pollMs ?? 1_000
  const heartbeatMs = options.heartbeatMs ?? 30_000
  const maxQueueAgeMs = options.maxQueueAgeMs ?? 24 * 60 * 60 * 1000
  const printQr = options.printQr ?? printQrToTerminal
  const sessionId = ctx.config.WHATSAPP_SESSION_ID
  const log = ctx.log
  // Baileys is chatty below warn; never louder than the process's own level.
  const baileysLog = ctx.log.child(
    { component: 'baileys' },
    { level: ctx.log.levelVal > ctx.log.levels.values['warn']! ? ctx.log.level : 'warn' },
  )

  let stopped = false
  let sock: WhatsAppSocket | undefined
  let detach: (() => void) | undefined
  let open = false
  let openedAt = 0
  let attempt = 0
  let reconnectTimer: NodeJS.Timeout | undefined
  let pollTimer: NodeJS.Timeout | undefined
  let lastHeartbeat = 0
  // Connection and creds events in order on one chain, people's messages on another, so
  // a slow intake never holds up a QR or a reconnect.
  let control: Promise<void> = Promise.resolve()
  let inbound: Promise<void> = Promise.resolve()
  const chain = (which: 'control' | 'inbound', work: () => Promise<void>) => {
    const run = async () => {
      try {
        await work()
      } catch (err) {
        log.error({ err: describe(err) }, `whatsapp ${which} handling failed`)
      }
    }
    if (which === 'control') control = control.then(run)
    else inbound = inbound.then(run)
  }
  // Pauses between tries end early when the listener stops.
  const wakers = new Set<() => void>()
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        wakers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      wakers.add(wake)
    })

  const handleInbound = async (message: WAMessage) => {
    const outcome = await handleWithRetries(ctx, message, {
      ...(options.inboundRetry ? { policy: options.inboundRetry } : {}),
      pause,
      stopped: () => stopped,
      ...(options.random ? { random: options.random } : {}),
      onRetry: (err, attempt) =>
        log.warn({ err: describe(err), attempt }, 'whatsapp message not handled yet: trying again'),
    })
    if (!outcome.handled) log.debug({ reason: outcome.reason }, 'whatsapp message ignored')
  }

  const setStatus = (
    status: Parameters<ConnectorContext['status']['set']>[0],
    state?: Partial<PairingState>,
  ) => ctx.status.set(status, state)

  const connect = async () => {
    if (stopped) return
    const auth = await usePostgresAuthState(ctx.db, sessionId, baileysLog)
    if (stopped) return
    const socket = factory({
      auth: auth.state,
      logger: baileysLog,
      printQRInTerminal: false,
      browser: Browsers.ubuntu('Leadwire'),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      // A recipient whose phone could not decrypt a message asks for it again; Baileys
      // re-encrypts it from here (otherwise they see "waiting for this message").
      getMessage: async (key) => {
        const sent = key.id
          ? await ctx.db.whatsAppOutgoing.findFirst({
              where: { providerMessageId: key.id },
              select: { text: true },
            })
          : null
        return sent ? { conversation: sent.text } : undefined
      },
    })
    sock = socket
    let loggedOut = false
    const handlers: Handlers = {
      'creds.update': () =>
        chain('control', async () => {
          // After a logout the pairing is gone: a late update must not bring it back.
          if (!loggedOut) await auth.saveCreds()
        }),
      'connection.update': (update) =>
        chain('control', async () => {
          if (sock !== socket || stopped) return
          if (update.qr) {
            printQr(update.qr)
            await setStatus('pairing', {
              qr: update.qr,
              qrAt: ctx.clock().toISOString(),
              pairedAs: null,
              pairedJid: null,
            })
          }
          if (update.connection === 'open') {
            open = true
            openedAt = Date.now()
            const jid = socket.user?.id ?? null
            await setStatus('connected', {
              qr: null,
              qrAt: null,
              pairedAs: phoneOfJid(jid ?? undefined),
              pairedJid: jid,
              connectedAt: ctx.clock().toISOString(),
              reason: null,
            })
            lastHeartbeat = Date.now()
            schedulePoll(0)
          }
          if (update.connection === 'close') {
            open = false
            clearTimeout(pollTimer)
            detach?.()
            sock = undefined
            // A connection that held for a while starts the pauses over.
            if (openedAt && Date.now() - openedAt >= backoff.stableMs) attempt = 0
            openedAt = 0
            const code = disconnectStatus(update.lastDisconnect?.error)
            if (code === DisconnectReason.loggedOut) {
              loggedOut = true
              await forgetPairing(ctx, sessionId)
              log.warn('whatsapp session logged out: pairing removed, a new QR follows')
              // A fresh socket shows a new QR for whoever pairs it next.
              scheduleReconnect()
              return
            }
            await setStatus('reconnecting', { reason: code === undefined ? 'closed' : `closed_${code}` })
            // WhatsApp closes the socket right after a QR is scanned and expects a new one at once.
            scheduleReconnect(code === DisconnectReason.restartRequired ? 0 : undefined)
          }
        }),
      'messages.upsert': ({ messages, type }) => {
        // `append` is history and our own sends; only `notify` is a message arriving now.
        if (type !== 'notify') return
        for (const message of messages) chain('inbound', () => handleInbound(message))
      },
    }
    const on = socket.ev.on.bind(socket.ev) as (event: string, fn: (data: never) => void) => void
    const off = socket.ev.off.bind(socket.ev) as (event: string, fn: (data: never) => void) => void
    for (const [event, fn] of Object.entries(handlers)) on(event, fn as (data: never) => void)
    detach = () => {
      for (const [event, fn] of Object.entries(handlers)) off(event, fn as (data: never) => void)
    }
  }

  const scheduleReconnect = (delay = reconnectDelay(attempt++, backoff, options.random)) => {
    if (stopped) return
    clearTimeout(reconnectTimer)
    reconnectTimer = setTimeout(() => {
      chain('control', async () => {
        try {
          await connect()
        } catch (err) {
          log.error({ err: describe(err) }, 'whatsapp socket could not be created')
          await setStatus('reconnecting', { reason: 'socket_error' }).catch(() => undefined)
          scheduleReconnect()
        }
      })
    }, delay)
  }

  const schedulePoll = (delay = pollMs) => {
    clearTimeout(pollTimer)
    if (stopped || !open) return
    pollTimer = setTimeout(() => {
      void poll()
        .catch((err) => log.error({ err: describe(err) }, 'whatsapp outgoing poll failed'))
        .finally(() => schedulePoll())
    }, delay)
  }

  const poll = async () => {
    const socket = sock
    if (!socket || !open) return
    if (Date.now() - lastHeartbeat >= heartbeatMs) {
      lastHeartbeat = Date.now()
      await ctx.status.mergeState({ heartbeatAt: ctx.clock().toISOString() })
      await expireQueued(ctx.db, new Date(ctx.clock().getTime() - maxQueueAgeMs))
    }
    const state = await ctx.status.readState<PairingState>()
    if (state.logoutRequested) {
      await ctx.status.mergeState({ logoutRequested: false })
      log.info('whatsapp logout requested')
      await socket.logout()
      return
    }
    for (let row = await claimOutgoing(ctx.db); row; row = await claimOutgoing(ctx.db)) {
      await sendOne(socket, row)
      if (sock !== socket || !open) return
    }
  }

  const sendOne = async (socket: WhatsAppSocket, row: OutgoingRow) => {
    const digits = /^\+(\d{6,15})$/.exec(row.toE164)?.[1]
    if (!digits) return markFailed(ctx.db, row.id, 'invalid_number: not an E.164 phone number')
    if (sock !== socket || !open) return releaseOutgoing(ctx.db, row, null)
    let jid: string
    try {
      // WhatsApp accepts a message to a number without an account and drops it: ask first.
      const found = await socket.onWhatsApp(`${digits}@s.whatsapp.net`)
      if (found === undefined) throw new Error('the number lookup got no answer')
      const hit = found.find((r) => r.exists)
      if (!hit) return markFailed(ctx.db, row.id, 'not_on_whatsapp: the number has no WhatsApp account')
      jid = hit.jid
    } catch (err) {
      return releaseOutgoing(ctx.db, row, `lookup failed: ${describe(err)}`)
    }
    let providerMessageId: string | null
    try {
      const sent = await socket.sendMessage(jid, { text: row.text })
      providerMessageId = sent?.key?.id ?? null
    } catch (err) {
      // The send started: WhatsApp may have the message. Never send it a second time.
      log.warn({ outgoingId: row.id }, 'whatsapp send outcome unknown')
      return markUnconfirmed(ctx.db, row.id, `send failed midway: ${describe(err)}`)
    }
    await markSent(ctx.db, row.id, providerMessageId, ctx.clock())
  }

  return {
    async start() {
      stopped = false
      await setStatus('starting')
      const interrupted = await recoverInterrupted(ctx.db)
      if (interrupted)
        log.warn({ count: interrupted }, 'whatsapp sends interrupted by a stop marked unconfirmed')
      await connect()
    },
    async stop() {
      stopped = true
      open = false
      clearTimeout(reconnectTimer)
      clearTimeout(pollTimer)
      detach?.()
      for (const wake of [...wakers]) wake()
      const socket = sock
      sock = undefined
      await socket?.end(undefined).catch(() => undefined)
      await Promise.all([control, inbound])
      await setStatus('idle', { qr: null, qrAt: null }).catch(() => undefined)
    },
    async idle() {
      // Handling one event can queue another (a reconnect): settle until nothing is left.
      for (;;) {
        const [c, i] = [control, inbound]
        await Promise.all([c, i])
        if (c === control && i === inbound) return
      }
    },
  }
}
