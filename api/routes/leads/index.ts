import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError } from '../../../platform/errors.js'
import { leadJourneyId } from '../../../workflows/lead-journey.messages.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import { CaptureLeadBody, CapturedLead, Lead, LeadParams } from '../../schemas/lead.schema.js'
import { journeyStatus } from './journey-status.js'

// Until authentication lands, API writes are attributed to this actor (and the request id).
const ANONYMOUS_API = { id: 'api:anonymous' }

const leads: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '',
    {
      schema: {
        tags: ['leads'],
        summary: 'Capture a lead',
        description:
          'Stores the lead and, in the same transaction, the event that starts its journey. ' +
          'Answers 202 at once: the journey starts through the outbox, even if Temporal is down right now.',
        body: CaptureLeadBody,
        response: { 202: CapturedLead, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { channel = 'api', ...fields } = request.body
      const lead = await app.services.ingestion.capture({ channel, ...fields }, ANONYMOUS_API, request.id)
      return reply
        .code(202)
        .header('location', `/v1/leads/${lead.id}`)
        .send({
          id: lead.id,
          status: lead.status,
          createdAt: lead.createdAt.toISOString(),
          journey: { workflowId: leadJourneyId(lead.id), status: 'PENDING' as const },
        })
    },
  )

  app.get(
    '/:id',
    {
      schema: {
        tags: ['leads'],
        summary: 'Read a lead with its journey status',
        params: LeadParams,
        response: { 200: Lead, ...problemResponses },
      },
    },
    async (request) => {
      const lead = await app.services.db.lead.findUnique({ where: { id: request.params.id } })
      if (!lead) throw new NotFoundError('lead', request.params.id)
      const journey = await journeyStatus(app.services.temporal, lead.id)
      return {
        ...lead,
        createdAt: lead.createdAt.toISOString(),
        updatedAt: lead.updatedAt.toISOString(),
        journey,
      }
    },
  )
}

export default leads
