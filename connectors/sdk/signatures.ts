import { createHmac, timingSafeEqual } from 'node:crypto'

/** Compares two secrets in constant time (a length mismatch is a plain false). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function hmacSha256Hex(secret: string | Buffer, message: string | Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex')
}

/**
 * Leadwire's signature header for HMAC-signed webhooks (partner API, event platforms):
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, Stripe's scheme. The
 * timestamp inside the signed message is what makes a captured request useless after the
 * tolerance window.
 */
export function signPayload(secret: string, body: string | Buffer, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  return `t=${t},v1=${hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${t}.`), Buffer.from(body)]))}`
}

export type SignatureCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' }

export function verifySignedPayload(
  secret: string,
  body: string | Buffer,
  header: string | undefined,
  now: Date,
  toleranceSeconds = 300,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' }
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=')
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const
    }),
  )
  const t = Number(parts.get('t'))
  const given = parts.get('v1')
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given))
    return { ok: false, reason: 'malformed' }
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return { ok: false, reason: 'stale' }
  const expected = hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${t}.`), Buffer.from(body)]))
  return safeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' }
}
