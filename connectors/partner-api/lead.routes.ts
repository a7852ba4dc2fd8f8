import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PartnerLeadAccepted, PartnerLeadBody, PartnerLeadHeaders } from '../../api/schemas/partner.schema.js'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { enforceRateLimit } from '../sdk/rate-limit.js'
import { authenticatePartner, markKeyUsed, type AuthenticatedPartner } from './authenticate.js'
import { keepRawJsonBodies, readJsonBody } from '../sdk/signed-json.js'
import { toPartnerCapture } from './parse.js'

const firstHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)

/**
 * POST /partner/v1/leads. The order is the point: authenticate (key, then the HMAC over
 * the exact bytes received), then the partner's rate limit, then read the JSON, then
 * validate, then one governed capture. Every refusal comes before the capture's
 * transaction, so a refused request leaves no lead and no inbound_delivery row.
 */
export async function partnerLeadRoutes(scope: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  const authenticated = new WeakMap<FastifyRequest, AuthenticatedPartner>()

  // The signature covers the bytes on the wire: keep them, and parse the JSON only once
  // the request is authenticated (an unauthenticated caller learns nothing about parsing).
  keepRawJsonBodies(app, 'buffer')

  app.post(
    '/partner/v1/leads',
    {
      schema: {
        tags: ['partners'],
        summary: 'Send a lead as a partner',
        description:
          'Authenticated by a partner key (`Authorization: Bearer`) and an HMAC of the raw body with that key ' +
          '(`X-Leadwire-Signature`, see connectors/partner-api/README.md). The lead goes through the governed ' +
          'ingestion path with channel partner_api and the partner as its source. Idempotency-Key is required: ' +
          'a retry gets the first answer, the same key with another body is a 422. Rate-limited per partner (429 + Retry-After).',
        headers: PartnerLeadHeaders,
        body: PartnerLeadBody,
        response: { 202: PartnerLeadAccepted, ...problemResponses },
      },
      preValidation: async (request) => {
        const now = ctx.clock()
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
        const partner = await authenticatePartner(
          ctx.db,
          {
            authorization: firstHeader(request.headers.authorization),
            signature: firstHeader(request.headers['x-leadwire-signature']),
            rawBody: raw,
          },
          now,
        )
        await enforceRateLimit(
          ctx.db,
          `partner:${partner.id}`,
          partner.rateLimitPerMinute,
          now,
          `Partner ${partner.id} may send ${partner.rateLimitPerMinute} requests a minute.`,
        )
        await markKeyUsed(ctx.db, partner, now)
        authenticated.set(request, partner)
        request.body = readJsonBody(raw) as PartnerLeadBody
      },
    },
    async (request, reply) => {
      const partner = authenticated.get(request)
      if (!partner) throw new Error('partner request reached its handler unauthenticated')
      const result = await ctx.intake.capture(
        toPartnerCapture(request.body, partner, ctx.clock().toISOString()),
        {
          // Scoped by partner: two partners may pick the same Idempotency-Key.
          key: `${partner.id}:${request.headers['idempotency-key']}`,
          raw: request.body,
          strictBody: true,
          requestId: request.id,
        },
      )
      if (!result.replayed) await ctx.status.touched()
      return reply.code(202).header('idempotency-replayed', String(result.replayed)).send({
        id: result.id,
        outcome: result.outcome,
        duplicateOf: result.duplicateOf,
        replayed: result.replayed,
        partnerId: partner.id,
      })
    },
  )
}
