import qrcodeTerminal from 'qrcode-terminal'
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
