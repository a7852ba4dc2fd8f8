import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { problemResponses } from '../../api/schemas/problem.schema.js'
import { UnauthorizedError } from '../../platform/errors.js'
import type { ConnectorContext } from '../sdk/connector.js'
import { safeEqual } from '../sdk/signatures.js'
import { parseGoogleLead, type GoogleLeadPayload } from './parse.js'

const Column = Type.Object({
  column_id: Type.String({ minLength: 1, maxLength: 100 }),
  column_name: Type.Optional(Type.String({ maxLength: 200 })),
  string_value: Type.Optional(Type.String({ maxLength: 2000 })),
})

const GoogleLeadBody = Type.Object(
  {
    lead_id: Type.String({ minLength: 1, maxLength: 200 }),
    api_version: Type.Optional(Type.String({ maxLength: 20 })),
    form_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50 })])),
    campaign_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50 })])),
    adgroup_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50 })])),
    creative_id: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 50 })])),
    gcl_id: Type.Optional(Type.String({ maxLength: 500 })),
    google_key: Type.String({ maxLength: 500 }),
    is_test: Type.Optional(Type.Boolean()),
    user_column_data: Type.Array(Column, { maxItems: 100 }),
  },
  { title: 'GoogleAdsLead' },
)

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
