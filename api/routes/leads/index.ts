import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { assertReassignable, reassignLead } from '../../../crm/lead-assignment.js'
import { ForbiddenError } from '../../../platform/errors.js'
import type { Principal } from '../../../security/principal.js'
import { assertAssignable, assertVisible, visibleIds } from '../../../security/visibility.js'
import { leadJourneyId } from '../../../workflows/lead-journey.messages.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { getLeadDetail, listLeads } from '../../queries/lead.queries.js'
import { withRowSecurity } from '../../../security/row-security.js'
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

/**
 * Handing a lead over takes more than editing it: the lead must be in the caller's own
 * reach (theirs or their team's), not merely shared with them, and so must its new owner.
 */
async function assertCanHandOver(p: Principal, current: string | null, next: string | null): Promise<void> {
  const owners = await p.owners('lead')
  if (owners !== null && (current === null || !owners.includes(current)))
    throw new ForbiddenError(
      'A lead shared with you can be edited, not handed over: ask its owner or their manager.',
    )
  await assertAssignable(p, 'lead', next)
}

/*
 * Leads. Every read and write goes through the caller's row-level access
 * (security/visibility.ts): a lead they do not see is not found (404), one shared with them
 * to read only is forbidden (403) to change.
 */
const leads: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db
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
      const result = await app.services.ingestion.capture({ channel, ...fields }, request.actor, {
        requestId: request.id,
        idempotencyKey: request.headers['idempotency-key'],
        rawPayload: request.body,
      })
      // A known person whose master lead the caller may not see: the capture is linked all the
      // same, but the answer does not say to which lead, whose it is, or its score.
      const master = result.duplicateOf
      const hidden =
        master !== null &&
        !(await visibleIds(app.services.db, principalOf(request), 'lead', [master])).has(master)
      const shown = hidden
        ? { ...result, duplicateOf: null, ownerId: null, queue: null, score: null }
        : result
      const journey: JourneyStatus =
        result.outcome === 'created'
          ? { workflowId: leadJourneyId(result.id), status: 'PENDING' }
          : { workflowId: leadJourneyId(result.id), status: 'NONE' }
      return reply
        .code(202)
        .header('location', `/v1/leads/${result.id}`)
        .header('idempotent-replayed', String(result.replayed))
        .send({ ...shown, journey })
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
          "Only the leads you see (yours, your team's, those shared with you; every lead for a role that sees all). " +
          "Filters and `q` combine with AND. Pages continue with `cursor` = the previous page's `nextCursor`.",
        querystring: ListLeadsQuery,
        response: { 200: LeadPage, ...problemResponses },
      },
    },
    // PostgreSQL's row security checks the list too: a filter forgotten here cannot leak.
    async (request) => {
      const p = principalOf(request)
      return withRowSecurity(db, p, (tx) => listLeads(tx, p, request.query))
    },
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'lead', action: 'read' } },
      schema: {
        tags: ['leads'],
        summary: 'Read a lead with its explanations',
        description:
          'Score breakdown, consent, assignment reason, duplicates, first and last touch, and the journey status. ' +
          'A lead you do not see is a 404; only the duplicates and look-alikes you see are listed.',
        params: LeadParams,
        response: { 200: Lead, ...problemResponses },
      },
    },
    async (request) => {
      const lead = await getLeadDetail(db, principalOf(request), request.params.id)
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
          '(merge the two instead). The score is recalculated. A lead you do not see is a 404; one shared with you ' +
          'to read only is a 403.',
        params: LeadParams,
        body: PatchLeadBody,
        response: { 200: Lead, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      const { id } = request.params
      const { ownerId, ...fields } = request.body
      await assertVisible(db, p, 'lead', id, 'edit')
      if (ownerId !== undefined) {
        const current = await db.lead.findUniqueOrThrow({
          where: { id },
          select: { id: true, ownerId: true, isDuplicate: true, duplicateOfId: true },
        })
        await assertCanHandOver(p, current.ownerId, ownerId)
        await assertReassignable(db, current, ownerId)
      }
      if (Object.keys(fields).length > 0)
        await app.services.leads.update(id, fields, request.actor, request.id)
      if (ownerId !== undefined)
        await reassignLead(db, writeContext(request), { leadId: id, ownerId, at: new Date() })
      const lead = await getLeadDetail(db, p, id)
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
          'Exact matches on email and phone, and name + company look-alikes (trigram similarity), among the leads ' +
          'you see. Writes nothing.',
        body: DuplicateCheckBody,
        response: { 200: DuplicateCheckResult, ...problemResponses },
      },
    },
    async (request) => {
      const { matches } = await app.services.leads.checkDuplicates(request.body)
      const seen = await visibleIds(
        db,
        principalOf(request),
        'lead',
        matches.map((m) => m.leadId),
      )
      return { matches: matches.filter((m) => seen.has(m.leadId)) }
    },
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
          'attribution keeps every touch (last touch follows the ledger), and the duplicate is linked, never deleted. ' +
          'You must be able to change both leads.',
        params: LeadParams,
        body: MergeBody,
        response: { 200: MergeResult, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request)
      await assertVisible(db, p, 'lead', request.params.id, 'edit')
      await assertVisible(db, p, 'lead', request.body.duplicateId, 'edit')
      return app.services.leads.merge(request.params.id, request.body.duplicateId, request.actor, request.id)
    },
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
    async (request) => {
      await assertVisible(db, principalOf(request), 'lead', request.params.id, 'edit')
      return app.services.leads.markNotDuplicate(request.params.id, request.actor, request.id)
    },
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
    async (request) => {
      await assertVisible(db, principalOf(request), 'lead', request.params.id, 'edit')
      return app.services.leads.recordEngagement(request.params.id, request.body.event, request.actor, {
        occurredAt: request.body.occurredAt,
        eventId: request.body.eventId,
        requestId: request.id,
      })
    },
  )
}

export default leads
