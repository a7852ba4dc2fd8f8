import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { signPartnerRequest } from '../../../connectors/partner-api/client-signing.js'

/** Registers a partner and issues it a key through the admin API; returns the key as shown once. */
export async function partnerWithKey(
  app: FastifyInstance,
  partner: { id: string; name?: string; rateLimitPerMinute?: number; attributionSource?: string },
): Promise<{ partnerId: string; keyId: string; key: string }> {
  const created = await app.inject({
    method: 'POST',
    url: '/v1/partners',
    payload: { name: `Partner ${partner.id}`, ...partner },
  })
  expect(created.statusCode, created.body).toBe(201)
  const issued = await app.inject({
    method: 'POST',
    url: `/v1/partners/${partner.id}/keys`,
    payload: { label: 'test' },
  })
  expect(issued.statusCode, issued.body).toBe(201)
  const { id, key } = issued.json<{ id: string; key: string }>()
  return { partnerId: partner.id, keyId: id, key }
}

/** POST /partner/v1/leads as a partner's code would send it: signed bytes, chosen headers. */
export function postSigned(
  app: FastifyInstance,
  options: {
    key: string
    body: unknown
    idempotencyKey?: string | undefined
    at: Date
    /** Replaces or removes (undefined) headers after signing. */
    headers?: Record<string, string | undefined>
    /** Sent instead of the signed bytes (a body altered after signing). */
    sendInstead?: string
  },
): Promise<LightMyRequestResponse> {
  const raw = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  const headers: Record<string, string | undefined> = {
    ...signPartnerRequest(options.key, raw, options.at),
    ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
    ...options.headers,
  }
  const defined = Object.fromEntries(
    Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
  )
  return app.inject({
    method: 'POST',
    url: '/partner/v1/leads',
    headers: defined,
    payload: options.sendInstead ?? raw,
  })
}
