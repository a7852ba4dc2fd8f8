import { describe, expect, it } from 'vitest'
import { signPartnerRequest } from '../../../connectors/partner-api/client-signing.js'
import {
  bearerToken,
  generatePartnerKey,
  hashPartnerKey,
  partnerKeyId,
} from '../../../connectors/partner-api/keys.js'
import { toPartnerCapture } from '../../../connectors/partner-api/parse.js'
import { readJsonBody as parseJsonBody } from '../../../connectors/sdk/signed-json.js'
import { verifySignedPayload } from '../../../connectors/sdk/signatures.js'

describe('partner keys', () => {
  it('are lwp_<12 hex>_<43 base64url>, unique, and hashed with sha256', () => {
    const a = generatePartnerKey()
    const b = generatePartnerKey()
    expect(a.key).toMatch(/^lwp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    expect(a.key).not.toBe(b.key)
    expect(partnerKeyId(a.key)).toBe(a.id)
    expect(a.hash).toBe(hashPartnerKey(a.key))
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('reads the key id only from a well-formed key', () => {
    expect(partnerKeyId(`lwp_0123456789ab_${'A'.repeat(43)}`)).toBe('0123456789ab')
    // The secret's alphabet includes "_" and "-": the id is the first 12 characters only.
    expect(partnerKeyId(`lwp_0123456789ab_${'_-'.repeat(21)}x`)).toBe('0123456789ab')
    for (const bad of [
      '',
      'lwp_',
      `lwp_0123456789AB_${'A'.repeat(43)}`,
      `lwp_0123456789ab_${'A'.repeat(42)}`,
      `xyz_0123456789ab_${'A'.repeat(43)}`,
    ]) {
      expect(partnerKeyId(bad)).toBeNull()
    }
  })

  it('takes the bearer token from an Authorization header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc')
    expect(bearerToken('bearer   abc ')).toBe('abc')
    expect(bearerToken('Basic abc')).toBeNull()
    expect(bearerToken('Bearer')).toBeNull()
    expect(bearerToken('Bearer a b')).toBeNull()
    expect(bearerToken(undefined)).toBeNull()
  })
})

describe('signPartnerRequest', () => {
  const key = generatePartnerKey().key
  const at = new Date('2026-11-24T10:00:00.000Z')
  const body = '{"email":"kavya@example.in"}'

  it('produces headers that verify against the same key, body and time', () => {
    const headers = signPartnerRequest(key, body, at)
    expect(headers.authorization).toBe(`Bearer ${key}`)
    expect(headers['x-leadwire-signature']).toMatch(/^t=1795514400,v1=[0-9a-f]{64}$/)
    expect(verifySignedPayload(key, body, headers['x-leadwire-signature'], at)).toEqual({ ok: true })
  })

  it('does not verify with another key, another body, or 301 s later', () => {
    const sig = signPartnerRequest(key, body, at)['x-leadwire-signature']
    expect(verifySignedPayload(generatePartnerKey().key, body, sig, at)).toMatchObject({ reason: 'mismatch' })
    expect(verifySignedPayload(key, body.replace('kavya', 'kavyb'), sig, at)).toMatchObject({
      reason: 'mismatch',
    })
    expect(verifySignedPayload(key, body, sig, new Date(at.getTime() + 301_000))).toMatchObject({
      reason: 'stale',
    })
  })
})

describe('toPartnerCapture', () => {
  const at = '2026-11-24T10:00:00.000Z'

  it('forces the channel and the partner as source/medium, keeps the campaign, maps partnerLeadId', () => {
    const capture = toPartnerCapture(
      {
        email: 'kavya@example.in',
        partnerLeadId: 'pl-9',
        attribution: { source: 'google', medium: 'cpc', campaign: 'q4', content: 'banner' },
      },
      { attributionSource: 'partner:acme' },
      at,
    )
    expect(capture).toEqual({
      channel: 'partner_api',
      receivedAt: at,
      email: 'kavya@example.in',
      externalId: 'pl-9',
      attribution: { source: 'partner:acme', medium: 'partner', campaign: 'q4', content: 'banner' },
    })
  })

  it("keeps the partner's own receivedAt and works without attribution", () => {
    const capture = toPartnerCapture(
      { phone: '+919812345678', receivedAt: '2026-11-23T08:00:00.000Z' },
      { attributionSource: 'leadhub' },
      at,
    )
    expect(capture.receivedAt).toBe('2026-11-23T08:00:00.000Z')
    expect(capture.externalId).toBeUndefined()
    expect(capture.attribution).toEqual({ source: 'leadhub', medium: 'partner' })
  })
})

describe('parseJsonBody', () => {
  it('parses JSON and refuses anything else', () => {
    expect(parseJsonBody(Buffer.from('{"a":1}'))).toEqual({ a: 1 })
    expect(() => parseJsonBody(Buffer.from(''))).toThrow('not valid JSON')
    expect(() => parseJsonBody(Buffer.from('{"a":'))).toThrow('not valid JSON')
  })
})
