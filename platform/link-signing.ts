import { createHmac } from 'node:crypto'
import type { Config } from './config.js'
import { dataDirSecret } from './data-dir-secret.js'
import { safeEqual } from '../connectors/sdk/signatures.js'

/*
 * Signed links we put in emails (unsubscribe). The signature is the credential: whoever holds
 * the link may use it, so it names one lead and one purpose and cannot be altered.
 */

const SECRET_FILE = 'link-signing.secret'

/**
 * The key that signs links. LINK_SIGNING_SECRET when set (required when the API and the
 * workers run on different hosts); otherwise a random one kept in DATA_DIR, so that an API
 * and a worker sharing a DATA_DIR in development sign and verify with the same key.
 */
export function linkSigningSecret(config: Pick<Config, 'LINK_SIGNING_SECRET' | 'DATA_DIR'>): string {
  return config.LINK_SIGNING_SECRET ?? dataDirSecret(config.DATA_DIR, SECRET_FILE, 'LINK_SIGNING_SECRET')
}

export interface UnsubscribeTokenPayload {
  leadId: string
  channel: 'email'
  /** The outbound_message the link was sent in, for the audit trail. */
  messageId?: string
}

// The purpose is part of what is signed: a token made for another kind of link, with the
// same secret, can never pass as an unsubscribe token.
const PURPOSE = 'leadwire:unsubscribe:v1:'
// 128 bits of HMAC-SHA256 (RFC 2104 section 5 allows truncation to half the output).
const MAC_BYTES = 16
// The payload is binary to keep links short (Fastify refuses path parameters over 100
// characters by default): a layout byte, then the ids as 16 bytes each.
const LEAD_ONLY = 0x01
const LEAD_AND_MESSAGE = 0x02
const MAX_TOKEN_LENGTH = 100
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const TOKEN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/

function mac(secret: string, payloadPart: string): string {
  return createHmac('sha256', secret)
    .update(PURPOSE + payloadPart)
    .digest()
    .subarray(0, MAC_BYTES)
    .toString('base64url')
}

const uuidBytes = (id: string): Buffer => {
  if (!UUID.test(id)) throw new Error('link tokens carry UUIDs only')
  return Buffer.from(id.replace(/-/g, ''), 'hex')
}
const uuidOf = (bytes: Buffer): string => {
  const h = bytes.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * `<base64url payload>.<base64url truncated HMAC>`, about 70 characters. No expiry: an
 * unsubscribe link must keep working long after the email was sent (CAN-SPAM gives
 * recipients 30 days at least, and people unsubscribe from old emails).
 */
export function signUnsubscribeToken(secret: string, payload: UnsubscribeTokenPayload): string {
  const bytes = payload.messageId
    ? Buffer.concat([Buffer.of(LEAD_AND_MESSAGE), uuidBytes(payload.leadId), uuidBytes(payload.messageId)])
    : Buffer.concat([Buffer.of(LEAD_ONLY), uuidBytes(payload.leadId)])
  const payloadPart = bytes.toString('base64url')
  return `${payloadPart}.${mac(secret, payloadPart)}`
}

/** The payload of a token this secret signed, or null for anything else (tampered, truncated, foreign). */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeTokenPayload | null {
  if (token.length > MAX_TOKEN_LENGTH) return null
  const match = TOKEN.exec(token)
  if (!match) return null
  const [, payloadPart = '', given = ''] = match
  // Compared as text, not as decoded bytes: base64url has several spellings of the same
  // bytes, and each accepted spelling would be another idempotency key for one link.
  if (!safeEqual(mac(secret, payloadPart), given)) return null
  const bytes = Buffer.from(payloadPart, 'base64url')
  if (bytes[0] === LEAD_ONLY && bytes.length === 17)
    return { leadId: uuidOf(bytes.subarray(1, 17)), channel: 'email' }
  if (bytes[0] === LEAD_AND_MESSAGE && bytes.length === 33)
    return { leadId: uuidOf(bytes.subarray(1, 17)), channel: 'email', messageId: uuidOf(bytes.subarray(17)) }
  return null
}
