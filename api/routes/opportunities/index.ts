import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { closeOpportunity, moveOpportunityStage } from '../../../crm/opportunity-stages.js'
import { createOpportunity, updateOpportunity } from '../../../crm/opportunities.js'
import {
  accountsToAddTo,
  assertAssignable,
  assertOwnerInScope,
  assertRecordAccess,
} from '../../../security/record-access.js'
import { opportunityWhere } from '../../../security/visibility.js'
import { writeContext } from '../../actor.js'
import { principalOf } from '../../plugins/auth.plugin.js'
import { getOpportunity, listOpportunities, opportunityDetail } from '../../queries/opportunity.queries.js'
import {
  CreateOpportunityBody,
  ListOpportunitiesQuery,
  LoseBody,
  MoveStageBody,
  OpportunityDetail,
  OpportunityPage,
  OpportunityParams,
  UpdateOpportunityBody,
  WinBody,
} from '../../schemas/opportunity.schema.js'
import { problemResponses } from '../../schemas/problem.schema.js'

const tags = ['opportunities']

/**
 * Deals: the pipeline from qualification to won or lost, with stage history and forecast. A
 * caller sees the deals they (or their team) own, those shared with them and those of
 * accounts they see (security/visibility.ts); any other deal answers 404 as if it did not
 * exist, and every change needs edit access to it.
 */
const opportunities: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.services.db

  app.post(
    '',
    {
      config: { access: { object: 'opportunity', action: 'create' } },
      schema: {
        tags,
        summary: 'Create an opportunity',
        description:
          'At an active account the caller may edit (422 at /body/accountId otherwise); contactId must be one of ' +
          'its contacts, ownerId an existing user whose deals the caller sees (403 otherwise; default: the ' +
          "account's owner). Without a probability the stage's default from the pipeline rule set applies " +
          '(/v1/rule-sets/pipeline). upsell and cross_sell need a customer account (422 otherwise).',
        body: CreateOpportunityBody,
        response: { 201: OpportunityDetail, ...problemResponses },
      },
    },
    async (request, reply) => {
      const now = new Date()
      const p = principalOf(request)
      await assertOwnerInScope(p, 'opportunity', request.body.ownerId)
      const accounts = await accountsToAddTo(db, p, 'opportunity', request.body.accountId)
      const row = await createOpportunity(db, writeContext(request), request.body, now, accounts)
      return reply
        .code(201)
        .header('location', `/v1/opportunities/${row.id}`)
        .send(await opportunityDetail(db, row, now))
    },
  )

  app.get(
    '',
    {
      config: { access: { object: 'opportunity', action: 'read' } },
      schema: {
        tags,
        summary: 'List opportunities, soonest close date first',
        description:
          "Filters combine with AND; forecastCategory is judged as of today. Pages continue with the previous page's " +
          '`nextCursor`.',
        querystring: ListOpportunitiesQuery,
        response: { 200: OpportunityPage, ...problemResponses },
      },
    },
    async (request) =>
      listOpportunities(db, request.query, new Date(), await opportunityWhere(principalOf(request))),
  )

  app.get(
    '/:id',
    {
      config: { access: { object: 'opportunity', action: 'read' } },
      schema: {
        tags,
        summary: 'An opportunity with its stage history',
        params: OpportunityParams,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) =>
      getOpportunity(db, request.params.id, new Date(), await opportunityWhere(principalOf(request))),
  )

  app.patch(
    '/:id',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: "Change an open opportunity's details",
        description:
          'Closed deals are read-only (409). The forecast category is derived again. A new owner must be ' +
          'someone whose deals the caller sees (403 otherwise).',
        params: OpportunityParams,
        body: UpdateOpportunityBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params
      const p = principalOf(request)
      await assertRecordAccess(db, p, 'opportunity', id, 'edit')
      await assertAssignable(p, 'opportunity', request.body.ownerId, async () => {
        const current = await db.opportunity.findUnique({ where: { id }, select: { ownerId: true } })
        return current?.ownerId
      })
      const now = new Date()
      const row = await updateOpportunity(db, writeContext(request), id, request.body, now)
      return opportunityDetail(db, row, now)
    },
  )

  app.post(
    '/:id/stage',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: 'Move an open opportunity to another open stage',
        description:
          "Records the stage history, an audit row and a stage_change entry on the deal's timeline. Without a " +
          "probability the stage's default from the pipeline rule set applies. Moving to the current stage changes " +
          'nothing; a closed deal cannot move (409).',
        params: OpportunityParams,
        body: MoveStageBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'opportunity', request.params.id, 'edit')
      const now = new Date()
      const row = await moveOpportunityStage(db, writeContext(request), request.params.id, request.body, now)
      return opportunityDetail(db, row, now)
    },
  )

  app.post(
    '/:id/win',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: 'Mark an opportunity won',
        description:
          "Probability 100, forecast closed, the reason kept; the account's health and lifecycle are recomputed " +
          '(through the outbox, in the same transaction). Winning again with the same reason answers the same; a lost ' +
          'deal, or another reason, is a conflict (409).',
        params: OpportunityParams,
        body: WinBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'opportunity', request.params.id, 'edit')
      const now = new Date()
      const row = await closeOpportunity(
        db,
        writeContext(request),
        request.params.id,
        { outcome: 'won', ...request.body },
        now,
      )
      return opportunityDetail(db, row, now)
    },
  )

  app.post(
    '/:id/lose',
    {
      config: { access: { object: 'opportunity', action: 'update' } },
      schema: {
        tags,
        summary: 'Mark an opportunity lost',
        description:
          "Probability 0, forecast omitted, the reason (and competitor) kept; the account's health and lifecycle are " +
          'recomputed. Repeating the same request answers the same; a won deal is a conflict (409).',
        params: OpportunityParams,
        body: LoseBody,
        response: { 200: OpportunityDetail, ...problemResponses },
      },
    },
    async (request) => {
      await assertRecordAccess(db, principalOf(request), 'opportunity', request.params.id, 'edit')
      const now = new Date()
      const row = await closeOpportunity(
        db,
        writeContext(request),
        request.params.id,
        { outcome: 'lost', ...request.body },
        now,
      )
      return opportunityDetail(db, row, now)
    },
  )
}

export default opportunities
