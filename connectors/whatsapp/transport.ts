/*
 * The only file that imports Baileys (an unofficial WhatsApp Web client, 7.0.0-rc14). Kept
 * behind this one module so it can be swapped for the official WhatsApp Cloud API: the rest
 * of the connector sees a narrow socket and plain message objects.
 */
import makeWASocketDefault, { type UserFacingSocketConfig, type WASocket } from '@whiskeysockets/baileys'

export {
  Browsers,
  BufferJSON,
  DisconnectReason,
  getContentType,
  initAuthCreds,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isPnUser,
  jidDecode,
  makeCacheableSignalKeyStore,
  normalizeMessageContent,
  proto,
  toNumber,
} from '@whiskeysockets/baileys'
export type {
  AuthenticationCreds,
  AuthenticationState,
  BaileysEventMap,
  ConnectionState,
  SignalDataSet,
  SignalDataTypeMap,
  SignalKeyStore,
  UserFacingSocketConfig,
  WAMessage,
} from '@whiskeysockets/baileys'

/** What the listener uses of a Baileys socket; tests drive it with a fake of this shape. */
export type WhatsAppSocket = Pick<WASocket, 'ev' | 'sendMessage' | 'logout' | 'end' | 'onWhatsApp' | 'user'>

/** Builds a socket; Baileys' own by default, a fake in tests (no network). */
export type SocketFactory = (config: UserFacingSocketConfig) => WhatsAppSocket

export const makeWASocket: SocketFactory = (config) => makeWASocketDefault(config)

/** The status code a socket closed with (Baileys closes with a Boom error carrying it). */
export function disconnectStatus(error: unknown): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | undefined)?.output
  return typeof output?.statusCode === 'number' ? output.statusCode : undefined
}
