import qrcodeTerminal from 'qrcode-terminal'
import type { ConnectorContext } from '../sdk/connector.js'
import { removeAuthState } from './auth-state.js'
import { jidDecode } from './transport.js'

/** What the connector keeps in connector_state.state while pairing and once paired. */
export interface PairingState extends Record<string, unknown> {
  /** The QR payload to scan (WhatsApp → Linked devices), while pairing; refreshed every ~20 s. */
  qr: string | null
  qrAt: string | null
  /** The paired phone as E.164, once connected. */
  pairedAs: string | null
  pairedJid: string | null
  connectedAt: string | null
  /** Set by POST /v1/connectors/whatsapp/logout for the socket's holder to act on. */
  logoutRequested: boolean
  /** Why the socket is not connected: logged_out, a Baileys disconnect code... */
  reason: string | null
}

/** Logged out (by the phone, or through the API): the stored pairing goes, and the status says so. */
export async function forgetPairing(
  ctx: Pick<ConnectorContext, 'db' | 'status'>,
  sessionId: string,
): Promise<void> {
  await removeAuthState(ctx.db, sessionId)
  const cleared: Partial<PairingState> = {
    qr: null,
    qrAt: null,
    pairedAs: null,
    pairedJid: null,
    logoutRequested: false,
    reason: 'logged_out',
  }
  await ctx.status.set('disconnected', cleared)
}

/** The paired account as E.164 (`919876543210:12@s.whatsapp.net` → `+919876543210`). */
export function phoneOfJid(jid: string | undefined): string | null {
  const user = jidDecode(jid)?.user
  return user && /^\d{6,15}$/.test(user) ? `+${user}` : null
}

/** Shows the pairing QR on the terminal of the process holding the socket. */
export function printQrToTerminal(qr: string): void {
  qrcodeTerminal.generate(qr, { small: true }, (art) => {
    process.stdout.write(
      `\nWhatsApp: scan this code with the phone to pair (Settings → Linked devices):\n${art}\n`,
    )
  })
}
