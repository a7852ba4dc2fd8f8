import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import { UnauthorizedError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { safeEqual } from '../sdk/signatures.js'
import { GoogleLeadBody, parseGoogleLead, type GoogleLeadPayload } from './parse.js'

const Accepted = Type.Object({
  leadId: Type.Union([Type.String(), Type.Null()]),
  replayed: Type.Boolean(),
  test: Type.Boolean(),
})

/**
 * The webhook Google calls for each lead form submission. Authentication is the key the
 * advertiser typed into the form's webhook settings, sent back in the body: checked in
 * constant time before anything is stored.
 */
export async function googleAdsRoutes(app: FastifyInstance, ctx: ConnectorContext): Promise<void> {
  app.post(
    '/webhooks/google-ads/leads',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Google Ads lead form webhook',
        description:
          'Authenticated by `google_key`. Each lead_id is captured once: Google retries are answered with the first result.',
        body: GoogleLeadBody,
        response: { 200: Accepted, ...problemResponses },
      },
    },
    async (request) => {
      const payload = request.body as GoogleLeadPayload
      if (!safeEqual(payload.google_key, ctx.config.GOOGLE_ADS_WEBHOOK_KEY ?? '')) {
        throw new UnauthorizedError("The google_key does not match this hub's GOOGLE_ADS_WEBHOOK_KEY.")
      }
      // "Send test data" in Google Ads: acknowledged, never stored as a lead.
      if (payload.is_test) return { leadId: null, replayed: false, test: true }
      const { google_key: _secret, ...raw } = payload
      const result = await ctx.intake.capture(parseGoogleLead(payload, ctx.clock().toISOString()), {
        key: payload.lead_id,
        raw,
        requestId: request.id,
      })
      if (!result.replayed) await ctx.status.touched()
      return { leadId: result.duplicateOf ?? result.id, replayed: result.replayed, test: false }
    },
  )
}
