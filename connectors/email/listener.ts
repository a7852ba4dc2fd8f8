import type { ConnectorContext, ConnectorListener } from '../sdk/connector.js'
import type { ConnectorHealth } from '../sdk/status.js'
import { deliverMail, type MailOutcome, type MailRef } from './deliver.js'
import { classifyImapError } from './errors.js'
import { readMessage } from './message.js'
import { openMailbox, type ImapSettings, type MailboxSession } from './transport.js'

/** The connector's state row (connector_state.state): the read cursor and the skip count. */
export interface EmailCursor extends Record<string, unknown> {
  mailbox: string
  /** UIDVALIDITY the cursor's UIDs belong to (a decimal string). */
  uidValidity: string
  /** Highest UID handled: every message up to it was delivered or skipped. */
  lastUid: number
  /** Mails that were not leads (auto-replies, bounces, no contact, refused by the rules). */
  skipped: number
}

const BACKOFF_BASE_MS = 1_000
const BACKOFF_MAX_MS = 60_000
// A refused login is not a network blip: retrying every second would look like password
// guessing and can lock the mailbox. Try again now and then (the password may be fixed on
// the server side), never faster.
const AUTH_RETRY_MS = 5 * 60_000

/**
 * Watches IMAP_MAILBOX and hands every new mail to ingestion, in UID order, exactly once.
 *
 * New mail is noticed three ways: a fetch round at connect time, the server's EXISTS push
 * while the connection IDLEs, and a poll every IMAP_POLL_INTERVAL_MS as a safety net (a
 * server without IDLE, a push lost while a round ran, a connection that died silently).
 * Rounds never overlap: a trigger during a round asks for one more round after it.
 *
 * The cursor (UIDVALIDITY + last UID) lives in connector_state and advances after each
 * mail is handled, so a restart resumes where it stopped. When UIDVALIDITY changes (the
 * mailbox was rebuilt), every UID is new again: the mailbox is read from UID 1, and the
 * delivery ledger's Message-ID keys make the re-read mails duplicates, not second leads.
 */
export function emailListener(ctx: ConnectorContext): ConnectorListener {
  const settings: ImapSettings = {
    host: ctx.config.IMAP_HOST ?? '',
    port: ctx.config.IMAP_PORT,
    secure: ctx.config.IMAP_SECURE,
    user: ctx.config.IMAP_USER ?? '',
    password: ctx.config.IMAP_PASSWORD ?? '',
    mailbox: ctx.config.IMAP_MAILBOX,
  }
  const log = ctx.log.child({ mailbox: settings.mailbox })

  let stopped = false
  let session: MailboxSession | undefined
  let failures = 0
  let reconnectTimer: NodeJS.Timeout | undefined
  let pollTimer: NodeJS.Timeout | undefined
  let round: Promise<void> | undefined
  let roundAgain = false
  let health: ConnectorHealth | undefined

  const report = async (status: ConnectorHealth) => {
    if (health === status) return
    health = status
    await ctx.status.set(status)
  }

  const scheduleReconnect = (delayMs: number) => {
    if (stopped || reconnectTimer) return
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined
      void connect()
    }, delayMs)
    reconnectTimer.unref()
  }

  const connectionFailed = async (err: unknown) => {
    const failure = classifyImapError(err)
    failures++
    const delay =
      failure.kind === 'temporary'
        ? Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS)
        : AUTH_RETRY_MS
    log.warn({ kind: failure.kind, retryInMs: delay }, 'IMAP connection failed')
    await ctx.status.error(failure).catch(() => undefined)
    health = 'error'
    if (failure.kind === 'temporary') await report('reconnecting').catch(() => undefined)
    scheduleReconnect(delay)
  }

  const connect = async (): Promise<void> => {
    if (stopped || session) return
    let opened: MailboxSession | undefined
    try {
      opened = await openMailbox(settings, {
        onNewMail: () => void fetchRound(),
        onClosed: (error) => {
          if (stopped || session !== opened) return
          session = undefined
          void connectionFailed(error ?? new Error('connection closed by the server'))
        },
      })
      if (stopped) {
        await opened.close()
        return
      }
      session = opened
      failures = 0
      await report('connected')
      log.info('IMAP mailbox open')
      await fetchRound()
    } catch (err) {
      if (opened && session !== opened) await opened.close().catch(() => undefined)
      await connectionFailed(err)
    }
  }

  const fetchRound = (): Promise<void> => {
    if (round) {
      roundAgain = true
      return round
    }
    round = (async () => {
      do {
        roundAgain = false
        await fetchNew()
      } while (roundAgain && !stopped)
    })().finally(() => {
      round = undefined
    })
    return round
  }

  const fetchNew = async () => {
    const current = session
    if (!current || stopped) return
    try {
      const state = await ctx.status.readState<EmailCursor>()
      const uidValidity = current.uidValidity()
      const sameBox = state.mailbox === settings.mailbox && state.uidValidity === uidValidity
      if (!sameBox && state.uidValidity !== undefined) {
        log.warn('mailbox or UIDVALIDITY changed: reading it again from UID 1')
      }
      let lastUid = sameBox ? (state.lastUid ?? 0) : 0
      let skipped = state.skipped ?? 0
      for (const uid of await current.uidsAfter(lastUid)) {
        if (stopped || session !== current) return
        const outcome = await handleMessage(current, { ...settings, uidValidity, uid })
        if (outcome.kind === 'skipped') skipped++
        lastUid = uid
        await ctx.status.mergeState({ mailbox: settings.mailbox, uidValidity, lastUid, skipped })
      }
      if (health !== 'connected' && session === current) await report('connected')
    } catch (err) {
      // A database fault or a dropped connection: the cursor stays before the mail that
      // failed, and the next round (push, poll or reconnect) tries it again.
      log.error({ err }, 'email fetch round failed')
      await ctx.status.error(err).catch(() => undefined)
      health = 'error'
    }
  }

  const handleMessage = async (current: MailboxSession, ref: MailRef): Promise<MailOutcome> => {
    const fetched = await current.message(ref.uid)
    if (!fetched) return { kind: 'skipped', reason: 'gone' }
    // mailparser is lenient; should it still throw, the mail is unreadable for good.
    const mail = await readMessage(fetched.source).catch(() => undefined)
    if (!mail) return { kind: 'skipped', reason: 'unreadable' }
    const outcome = await deliverMail(ctx, ref, mail, fetched.internalDate ?? ctx.clock())
    // Ids and reasons only: never the sender or the text (STYLE.md §8).
    log.info({ uid: ref.uid, outcome: outcome.kind, ...outcomeDetail(outcome) }, 'email handled')
    if (outcome.kind === 'captured' || outcome.kind === 'engaged') await ctx.status.touched()
    return outcome
  }

  return {
    async start() {
      stopped = false
      await report('starting')
      pollTimer = setInterval(() => void fetchRound(), ctx.config.IMAP_POLL_INTERVAL_MS)
      pollTimer.unref()
      // Resolves after the first attempt either way: a failure is reported in the status and
      // retried here with backoff, not thrown at the host (which would retry every few seconds).
      await connect()
    },
    async stop() {
      stopped = true
      clearInterval(pollTimer)
      clearTimeout(reconnectTimer)
      reconnectTimer = undefined
      // Let the mail being handled finish its transaction; the round stops after it.
      await round?.catch(() => undefined)
      const current = session
      session = undefined
      await current?.close()
      health = undefined
      await report('disconnected').catch(() => undefined)
    },
  }
}

function outcomeDetail(outcome: MailOutcome): Record<string, unknown> {
  if (outcome.kind === 'skipped')
    return { reason: outcome.reason, ...(outcome.code ? { code: outcome.code } : {}) }
  return { leadId: outcome.leadId }
}
