import { createHash, randomBytes } from 'node:crypto'

/*
 * Partner API keys: `lwp_<keyId>_<secret>`. keyId is 12 hex characters (the partner_key
 * row's id, so a key can be named in logs and revoked without showing it); the secret is
 * 32 random bytes, base64url. Only sha256(full key) is stored and the key is shown once.
 *
 * A fast hash is enough here, unlike for passwords: the key carries 256 random bits, so
 * there is no dictionary to try and a slow KDF would only cost every request (GitHub
 * stores its tokens the same way). The `lwp_` prefix lets secret scanners recognise a
 * leaked key.
 */
const KEY_FORMAT = /^lwp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

export interface IssuedPartnerKey {
  id: string
  key: string
  hash: string
}

export function hashPartnerKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function generatePartnerKey(): IssuedPartnerKey {
  const id = randomBytes(6).toString('hex')
  const key = `lwp_${id}_${randomBytes(32).toString('base64url')}`
  return { id, key, hash: hashPartnerKey(key) }
}

/** The key id of a well-formed key, or null: a malformed key is refused before any lookup. */
export function partnerKeyId(key: string): string | null {
  return KEY_FORMAT.exec(key)?.[1] ?? null
}

/** The key in an `Authorization: Bearer <key>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1] ?? null
}
