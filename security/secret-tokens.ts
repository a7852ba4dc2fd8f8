import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/*
 * API keys and session tokens: 256 random bits, shown once, stored only as a SHA-256 hash.
 * A slow password hash is not needed for them (nothing to guess from a 256-bit secret) and
 * would cost every request; a fast hash still means a copy of the database opens nothing.
 * The kind prefix lets secret scanners recognise a leaked key and tells the API which table
 * to look in.
 */

export const API_KEY_PREFIX = 'lwk_'
export const SESSION_PREFIX = 'lws_'

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** A new API key: `lwk_<8 shown characters>_<secret>`, its shown prefix and its hash. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const shown = randomBytes(6).toString('base64url')
  const key = `${API_KEY_PREFIX}${shown}_${randomBytes(32).toString('base64url')}`
  return { key, prefix: `${API_KEY_PREFIX}${shown}`, hash: hashToken(key) }
}

/** A new session token and its hash. */
export function newSessionToken(): { token: string; hash: string } {
  const token = `${SESSION_PREFIX}${randomBytes(32).toString('base64url')}`
  return { token, hash: hashToken(token) }
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A login's subject as stored for throttling: a hash of the lower-cased email, not the email. */
export const subjectHash = (email: string) => hashToken(`login:${email.trim().toLowerCase()}`)
