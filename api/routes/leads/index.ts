import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { leadJourneyId } from '../../../workflows/lead-journey.messages.js'
import { getLeadDetail, listLeads } from '../../queries/lead.queries.js'
import { problemResponses } from '../../schemas/problem.schema.js'
import {
  CaptureHeaders,
  CaptureLeadBody,
  CapturedLead,
  DuplicateCheckBody,
  DuplicateCheckResult,
  EngagementBody,
  EngagementResult,
  Lead,
  LeadPage,
  LeadParams,
  ListLeadsQuery,
  MergeBody,
  MergeResult,
  PatchLeadBody,
  type JourneyStatus,
} from '../../schemas/lead.schema.js'
import { journeyStatus } from './journey-status.js'
import { ANONYMOUS_API } from '../../actor.js'

const leads: FastifyPluginAsyncTypebox = async (app) => {
  const journeyOf = async (lead: {
    id: string
    isDuplicate: boolean
    validationStatus: string
  }): Promise<JourneyStatus> =>
    lead.isDuplicate || lead.validationStatus === 'quarantined'
      ? { workflowId: leadJourneyId(lead.id), status: 'NONE' }
      : journeyStatus(app.services.temporal, lead.id)

  app.post(
    '',
    {
      config: { access: { object: 'lead', action: 'create' } },
      schema: {
        tags: ['leads'],
        summary: 'Capture a lead',
        description:
          'Runs the governed ingestion path (normalise, validate, spam score, dedupe, consent, attribution, score, assign) ' +
          'and stores the lead with the event that starts its journey, in one transaction. Answers 202 at once: the journey ' +
          'starts through the outbox, even if Temporal is down. A known person (same email or phone) is linked to their ' +
          'master lead (outcome "duplicate"), never dropped. Send an Idempotency-Key to make retries safe.',
        headers: CaptureHeaders,
        body: CaptureLeadBody,
        response: { 202: CapturedLead, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { channel = 'api', ...fields } = request.body
      const result = await app.services.ingestion.capture({ channel, ...fields }, ANONYMOUS_API, {
        requestId: request.id,
        idempotencyKey: request.headers['idempotency-key'],
        rawPayload: request.body,
      })
      const journey: JourneyStatus =
        result.outcome === 'created'
          ? { workflowId: leadJourneyId(result.id), status: 'PENDING' }
          : { workflowId: leadJourneyId(result.id), status: 'NONE' }
      return reply
        .code(202)
        .header('location', `/v1/leads/${result.id}`)
        .header('idempotent-replayed', String(result.replayed))
        .send({ ...result, journey })
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'lead', action: 'read' } },
      schema: {
        tags: ['leads'],
        summary: 'List leads',
        description:
          "Filters combine with AND. Pages continue with `cursor` = the previous page's `nextCursor`.",
        querystring: ListLeadsQuery,
        response: { 200: LeadPage, ...problemResponses },
      },
    },
    async (request) => listLeads(app.services.db, request.query),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'lead', action: 'read' } },
      schema: {
        tags: ['leads'],
        summary: 'Read a lead with its explanations',
        description:
          'Score breakdown, consent, assignment reason, duplicates, first and last touch, and the journey status.',
        params: LeadParams,
        response: { 200: Lead, ...problemResponses },
      },
    },
    async (request) => {
      const lead = await getLeadDetail(app.services.db, request.params.id)
      return { ...lead, journey: await journeyOf(lead) }
    },
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'lead', action: 'update' } },
      schema: {
        tags: ['leads'],
        summary: 'Edit a lead',
        description:
          'Contact points are normalised and validated like a capture; a new email or phone that another lead owns is a 409 ' +
          '(merge the two instead). The score is recalculated.',
        params: LeadParams,
        body: PatchLeadBody,
        response: { 200: Lead, ...problemResponses },
      },
    },
    async (request) => {
      await app.services.leads.update(request.params.id, request.body, ANONYMOUS_API)
      const lead = await getLeadDetail(app.services.db, request.params.id)
      return { ...lead, journey: await journeyOf(lead) }
    },
  )

  app.post(
    '/duplicates/check',
    {
      config: { access: { object: 'lead', action: 'read' } },
      schema: {
        tags: ['leads'],
        summary: 'Find leads a person would duplicate',
        description:
          'Exact matches on email and phone, and name + company look-alikes (trigram similarity). Writes nothing.',
        body: DuplicateCheckBody,
        response: { 200: DuplicateCheckResult, ...problemResponses },
      },
    },
    async (request) => app.services.leads.checkDuplicates(request.body),
  )

  app.post(
    '/:id/merge',
    {
      config: { access: { object: 'lead', action: 'update' } },
      schema: {
        tags: ['leads'],
        summary: 'Merge a duplicate into this master lead',
        description:
          'Merge policy: empty master fields are filled from the duplicate, engagement is summed and the score recalculated, ' +
          'attribution keeps every touch (last touch follows the ledger), and the duplicate is linked, never deleted.',
        params: LeadParams,
        body: MergeBody,
        response: { 200: MergeResult, ...problemResponses },
      },
    },
    async (request) => app.services.leads.merge(request.params.id, request.body.duplicateId, ANONYMOUS_API),
  )

  app.post(
    '/:id/not-duplicate',
    {
      config: { access: { object: 'lead', action: 'update' } },
      schema: {
        tags: ['leads'],
        summary: 'Unlink a lead wrongly flagged as a duplicate',
        description: 'The lead becomes a master of its own and its journey starts.',
        params: LeadParams,
        response: {
          200: Type.Object({ id: Type.String({ format: 'uuid' }), duplicateOf: Type.Null() }),
          ...problemResponses,
        },
      },
    },
    async (request) => app.services.leads.markNotDuplicate(request.params.id, ANONYMOUS_API),
  )

  app.post(
    '/:id/engagement',
    {
      config: { access: { object: 'lead', action: 'update' } },
      schema: {
        tags: ['leads'],
        summary: 'Record an engagement event and rescore',
        description:
          "Records the event on the lead's timeline (on its master, for a duplicate), recalculates the score with the " +
          'active rules and tells the journey (a reply stops the nurture sequence; score > 70 while Contacted opens ' +
          'qualification). With an eventId a redelivered event is counted once.',
        params: LeadParams,
        body: EngagementBody,
        response: { 200: EngagementResult, ...problemResponses },
      },
    },
    async (request) =>
      app.services.leads.recordEngagement(request.params.id, request.body.event, ANONYMOUS_API, {
        occurredAt: request.body.occurredAt,
        eventId: request.body.eventId,
        requestId: request.id,
      }),
  )
}

export default leads
