import { ImapFlow } from 'imapflow'

/*
 * The only file that talks IMAP (imapflow 2.10). It opens one mailbox, lists the UIDs past
 * a cursor, fetches one message's source at a time, and reports new mail (IDLE's EXISTS)
 * and the connection's end. Errors are imapflow's own; errors.ts classifies them.
 */

export interface ImapSettings {
  host: string
  port: number
  secure: boolean
  user: string
  password: string
  mailbox: string
}

export interface FetchedMessage {
  uid: number
  /** The MIME source, cut at MAX_SOURCE_BYTES (attachments come after the text parts). */
  source: Buffer
  /** When the server received it (INTERNALDATE). */
  internalDate: Date | undefined
}

export interface MailboxSession {
  /** The open mailbox's UIDVALIDITY, as a decimal string (an unsigned 32-bit value, kept exact). */
  uidValidity(): string
  /** UIDs above `lastUid`, ascending. */
  uidsAfter(lastUid: number): Promise<number[]>
  /** One message, or undefined when it was expunged meanwhile. */
  message(uid: number): Promise<FetchedMessage | undefined>
  /** Logs out (and closes the socket whatever the server answers). */
  close(): Promise<void>
}

export interface SessionEvents {
  /** The server announced new messages (EXISTS, during IDLE or after a command). */
  onNewMail(): void
  /** The connection ended without close(): the server, the network or an error ended it. */
  onClosed(error: Error | undefined): void
}

/** Inquiry mails are small; a message larger than this is read only up to here. */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024
// Start IDLE after one quiet second rather than imapflow's 15 s default: between two
// commands of a fetch round we pause for a database write (milliseconds), and a mail that
// arrives right after a round should be announced at once, not 15 s later.
const AUTO_IDLE_DELAY_MS = 1_000
const LOGOUT_TIMEOUT_MS = 5_000

export async function openMailbox(settings: ImapSettings, events: SessionEvents): Promise<MailboxSession> {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    autoIdleDelay: AUTO_IDLE_DELAY_MS,
    connectionTimeout: 30_000,
  })
  let lastError: Error | undefined
  // An EventEmitter 'error' without a listener would crash the process.
  client.on('error', (err: Error) => {
    lastError = err
  })
  await client.connect()
  try {
    await client.mailboxOpen(settings.mailbox)
  } catch (err) {
    client.close()
    throw err
  }
  client.on('exists', () => events.onNewMail())
  client.on('close', () => {
    if (!client.closedByClient) events.onClosed(lastError)
  })

  return {
    uidValidity() {
      return client.mailbox ? client.mailbox.uidValidity.toString() : '0'
    },
    async uidsAfter(lastUid) {
      if (!client.mailbox || client.mailbox.exists === 0) return []
      // `n:*` always matches the highest UID, even when it is below n (RFC 3501 §6.4.8):
      // the filter drops it.
      const found = await client.fetchAll(`${lastUid + 1}:*`, { uid: true }, { uid: true })
      return found
        .map((m) => m.uid)
        .filter((uid) => uid > lastUid)
        .sort((a, b) => a - b)
    },
    async message(uid) {
      const found = await client.fetchOne(
        String(uid),
        { uid: true, internalDate: true, source: { maxLength: MAX_SOURCE_BYTES } },
        { uid: true },
      )
      if (!found || !found.source) return undefined
      const date = found.internalDate
      return {
        uid: found.uid,
        source: found.source,
        internalDate: date === undefined ? undefined : new Date(date),
      }
    },
    async close() {
      const timeout = setTimeout(() => client.close(), LOGOUT_TIMEOUT_MS)
      try {
        await client.logout()
      } catch {
        client.close()
      } finally {
        clearTimeout(timeout)
      }
    },
  }
}
